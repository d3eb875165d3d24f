"""Titles, datelines and dates as a reader expects them (issue 13)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from retrieval.engine import Newsdesk
from retrieval.ingest.decoding import match_dateline
from retrieval.ingest.sources import read_file
from retrieval.settings import IngestSettings
from retrieval.types import Article, IngestError
from tests.support.fakes import HashingEmbedder, ScriptedGenerator

WIRE = (
    "Lagos, Nigeria (CNN)With partial results in, the race for governor is too close to call, "
    "officials said on Sunday. Turnout was low in the north.\n\n"
    "Counting resumes at 10 a.m. Monday (4 a.m. ET), the electoral commission said."
)


def only_article(desk: Newsdesk, items: list[str]) -> Article:
    [article] = [s.article for s in desk.add(items) if s.article is not None]
    return article


def test_a_wire_dateline_is_kept_apart_from_title_and_quotes(
    fake_desk: Newsdesk, tmp_path: Path
) -> None:
    path = tmp_path / "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b.txt"  # a hash-named file
    path.write_text(WIRE, encoding="utf-8")
    article = only_article(fake_desk, [str(path)])
    assert article.title == (
        "With partial results in, the race for governor is too close to call, officials said"
        " on Sunday."
    )
    paragraphs = [p.text for p in fake_desk.library.paragraphs(article.id)]
    assert paragraphs[0].startswith("With partial results in")
    assert not any("(CNN)" in p for p in paragraphs)
    assert fake_desk.library.body(article.id).startswith("Lagos, Nigeria (CNN)\n\n")


@pytest.mark.parametrize(
    ("opening", "place", "source"),
    [
        ("Lagos, Nigeria (CNN)With", "Lagos, Nigeria", "CNN"),
        ("(CNN)The", None, "CNN"),
        ("WASHINGTON (Reuters) - The", "WASHINGTON", "Reuters"),
        ("Rio de Janeiro, Brazil (AP) — Police", "Rio de Janeiro, Brazil", "AP"),
        ("LONDON — Prices", "LONDON", None),
    ],
)
def test_datelines_give_place_and_source(opening: str, place: str | None, source: str) -> None:
    found = match_dateline(opening + " rose.")
    assert found is not None
    assert (found.group("place"), found.group("source")) == (place, source)


@pytest.mark.parametrize(
    "text", ["Apple (AAPL) shares rose on Monday.", "The Senate (upper house) voted.", "NATO said."]
)
def test_ordinary_openings_are_not_datelines(text: str) -> None:
    assert match_dateline(text) is None


@pytest.mark.parametrize(
    "stem",
    [
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
        "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b",
        "a8Fk2LmQ9x7Z",
        "xsum-sample-07",
        "article_3",
        "story12",
    ],
)
def test_generated_file_names_never_become_titles(tmp_path: Path, stem: str) -> None:
    path = tmp_path / f"{stem}.txt"
    path.write_text("The council approved the budget on Monday. It passed 7 to 2.\n")
    [draft] = read_file(path, IngestSettings())
    assert draft.title == "The council approved the budget on Monday."


def test_a_title_from_the_text_keeps_no_stray_spaces(tmp_path: Path) -> None:
    path = tmp_path / "e138e84adfc4a2b0e138e84adfc4a2b0.txt"
    path.write_text("A  Los Angeles officer was charged , police said . He denies it.\n")
    [draft] = read_file(path, IngestSettings())
    assert draft.title == "A Los Angeles officer was charged, police said."


def test_a_file_name_of_words_is_the_title_when_the_text_has_none(tmp_path: Path) -> None:
    path = tmp_path / "council-budget-vote.txt"
    path.write_text("The council approved the budget on Monday. It passed 7 to 2.\n")
    [draft] = read_file(path, IngestSettings())
    assert draft.title == "Council budget vote"


def test_a_page_s_player_notice_and_time_stamp_are_not_the_title(tmp_path: Path) -> None:
    """A BBC page copied as text: the notice and the stamp open it, the stamp gives the date."""
    path = tmp_path / "storm.txt"
    path.write_text(
        "Media playback is unsupported on your device\n\n"
        "2 November 2014 Last updated at 17:20 GMT\n\n"
        "Homes and businesses were damaged in the storm.\n\nNavtej Johal reports.\n"
    )
    [draft] = read_file(path, IngestSettings())
    assert draft.title == "Storm"
    assert draft.published == "2014-11-02"
    assert draft.text.startswith("Homes and businesses")


def test_a_plain_text_headline_line_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Budget passes after long debate\n\nThe council approved the budget.\n")
    [draft] = read_file(path, IngestSettings())
    assert draft.title == "Budget passes after long debate"
    assert draft.text == "The council approved the budget."


def test_pasted_text_takes_the_date_and_source_given(fake_desk: Newsdesk) -> None:
    steps = fake_desk.add_text(
        "Port strike enters second week\n\nDockworkers stayed out on Monday.",
        published="5 March 2026",
        source="Reuters",
    )
    [article] = [s.article for s in steps if s.article is not None]
    assert (article.title, article.published, article.source) == (
        "Port strike enters second week",
        "2026-03-05",
        "Reuters",
    )
    with pytest.raises(IngestError, match="is not a date: write it as YYYY-MM-DD"):
        fake_desk.add_text("Some text here.", published="next-ish")


def test_any_article_can_get_a_date_and_source(fake_desk: Newsdesk, tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Harbour reopens\n\nThe harbour reopened on Monday after repairs.\n")
    article = only_article(fake_desk, [str(path)])
    assert article.published is None
    changed = fake_desk.set_details(article.id, "2026-03-02", "https://example.com/harbour")
    assert changed is not None
    assert (changed.published, changed.url, changed.source) == (
        "2026-03-02",
        "https://example.com/harbour",
        "https://example.com/harbour",
    )
    assert fake_desk.library.paragraphs(article.id)[0].text.startswith("The harbour reopened")
    cleared = fake_desk.set_details(article.id, "unknown")
    assert cleared is not None and cleared.published is None
    assert cleared.url == "https://example.com/harbour"
    with pytest.raises(ValueError, match="not a date"):
        fake_desk.set_details(article.id, "the other day")
    assert fake_desk.set_details(9999, "2026-01-01") is None


def test_cli_edit_and_list_say_date_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import retrieval.engine
    from desktop.cli.main import main

    real = retrieval.engine.Newsdesk

    def fake(settings):  # noqa: ANN001, ANN202
        return real(settings, embedder=HashingEmbedder(), generator=ScriptedGenerator())

    monkeypatch.setattr(retrieval.engine, "Newsdesk", fake)
    lib = str(tmp_path / "lib")
    monkeypatch.setattr("sys.stdin", io.StringIO("Budget passes\n\nThe council approved it."))
    assert main(["add", "-", "--library", lib]) == 0
    capsys.readouterr()
    assert main(["list", "--library", lib]) == 0
    assert "date unknown" in capsys.readouterr().out
    assert (
        main(["edit", "1", "--date", "March 5, 2026", "--source", "Gazette", "--library", lib]) == 0
    )
    assert "[1] Budget passes: 2026-03-05, Gazette" in capsys.readouterr().out
    assert main(["list", "--library", lib]) == 0
    out = capsys.readouterr().out
    assert "2026-03-05" in out and "date unknown" not in out
    assert main(["edit", "1", "--date", "someday", "--library", lib]) == 1
    assert "is not a date" in capsys.readouterr().err


def test_a_headline_with_brackets_is_not_taken_for_a_dateline(tmp_path: Path) -> None:
    path = tmp_path / "sky.txt"
    path.write_text("Sky (United Kingdom)\n\nSky UK Limited is a British broadcaster.\n")
    [draft] = read_file(path, IngestSettings())
    assert draft.title == "Sky (United Kingdom)"
