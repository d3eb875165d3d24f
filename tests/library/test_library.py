from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.ingest import pipeline
from retrieval.ingest.pipeline import add_all, add_inputs
from retrieval.library.base import ArticleLibrary
from retrieval.library.library import INDEX_FILE, Library
from retrieval.settings import IngestSettings
from tests.conftest import SAMPLE
from tests.library.conftest import OpenLibrary
from tests.support.fakes import HashingEmbedder

# Every test here runs on both backends (the ``open_library`` fixture, see
# conftest.py) except those about the local FAISS file, which use this.


def open_local(folder: Path, max_chars: int = 900) -> Library:
    return pipeline.open_library(
        folder, HashingEmbedder(), IngestSettings(max_paragraph_chars=max_chars)
    )


def assert_consistent(library: ArticleLibrary) -> None:
    """Rows and the dense index hold exactly the same paragraphs; no article is partial."""
    assert library.vectors().ids() == set(library.store.paragraph_ids())
    for article in library.articles():
        assert article.paragraph_count > 0


def test_adding_an_article_stores_its_paragraphs_and_vectors(
    tmp_path: Path, open_library: OpenLibrary
) -> None:
    library = open_library(tmp_path)
    added, errors = add_all(library, [str(SAMPLE)])
    assert errors == []
    [article] = added
    assert article.title == "Eight rockets target US embassy in Baghdad: Iraq army"
    paragraphs = library.paragraphs(article.id)
    assert article.paragraph_count == len(paragraphs) >= 15
    assert any("launched eight rockets" in p.text for p in paragraphs)
    assert_consistent(library)


def test_adding_the_same_article_twice_is_a_no_op(
    tmp_path: Path, open_library: OpenLibrary
) -> None:
    library = open_library(tmp_path)
    add_all(library, [str(SAMPLE)])
    steps = list(add_inputs(library, [str(SAMPLE)]))
    assert any(step.duplicate for step in steps)
    assert len(library.articles()) == 1
    assert_consistent(library)


def test_removing_an_article_removes_its_vectors(tmp_path: Path, open_library: OpenLibrary) -> None:
    library = open_library(tmp_path)
    [article], _ = add_all(library, [str(SAMPLE)])
    assert library.remove(article.id)
    assert library.articles() == []
    assert len(library.vectors()) == 0
    assert not library.remove(article.id)
    reopened = open_library(tmp_path)
    assert len(reopened.vectors()) == 0


def test_a_broken_file_is_reported_by_name_and_the_rest_still_added(
    tmp_path: Path, open_library: OpenLibrary
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    library = open_library(tmp_path / "lib")
    added, errors = add_all(library, [str(folder)])
    assert len(added) == 1
    assert len(errors) == 1 and "broken.pdf" in errors[0].source


def test_a_cancelled_add_leaves_nothing_behind(tmp_path: Path, open_library: OpenLibrary) -> None:
    library = open_library(tmp_path)
    steps = add_inputs(library, [str(SAMPLE)])
    for step in steps:
        if step.message == "Embedding":
            steps.close()  # what the window's Cancel does
            break
    assert library.articles() == []
    assert_consistent(library)


def test_a_crash_between_commit_and_index_save_is_repaired_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = open_local(tmp_path)
    add_all(library, [str(SAMPLE)])
    saved = (tmp_path / INDEX_FILE).read_bytes()
    second = tmp_path / "second.txt"
    second.write_text("A second story\n\nThe mayor opened a new bridge on Monday.\n", "utf-8")
    monkeypatch.setattr(Library, "_save_index", lambda self, vectors: None)
    add_all(library, [str(second)])  # committed, but the index file is now stale
    monkeypatch.undo()
    assert (tmp_path / INDEX_FILE).read_bytes() == saved
    reopened = open_local(tmp_path)
    assert len(reopened.articles()) == 2
    assert_consistent(reopened)


def test_an_article_with_no_text_fails_with_a_reason_and_others_are_added(
    tmp_path: Path, open_library: OpenLibrary
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.txt").write_text("Headline only\n\n12%\n", encoding="utf-8")
    library = open_library(tmp_path / "lib")
    steps = list(add_inputs(library, [str(folder)]))
    failed = [s for s in steps if s.error is not None]
    assert len(failed) == 1 and failed[0].item.endswith("b.txt")
    assert failed[0].done == 2 and "no paragraphs" in failed[0].message
    assert len(library.articles()) == 1


def test_ids_of_removed_articles_are_never_given_to_new_ones(
    tmp_path: Path, open_library: OpenLibrary
) -> None:
    library = open_library(tmp_path)
    [first], _ = add_all(library, [str(SAMPLE)])
    old_paragraphs = set(library.store.paragraph_ids([first.id]))
    assert library.remove(first.id)
    library.close()
    library = open_library(tmp_path)  # the high-water mark survives a restart
    [again], _ = add_all(library, [str(SAMPLE)])
    assert again.id > first.id
    assert not old_paragraphs & set(library.store.paragraph_ids([again.id]))
    assert_consistent(library)
