"""The same wire story on two sites (../shared/cases/09-duplicate-syndicated)."""

from __future__ import annotations

from retrieval.engine import Newsdesk
from retrieval.ingest.duplicates import SAME_STORY, signature
from retrieval.search.hybrid import hybrid_search
from tests.conftest import EVAL

CASE = EVAL.parent / "cases" / "09-duplicate-syndicated"
QUESTION = "How much barley was lost in the Dunmore silo fire?"


def add(desk: Newsdesk, name: str) -> list:
    return list(desk.add([str(CASE / name)]))


def test_the_second_copy_is_reported_as_the_same_story(fake_desk: Newsdesk) -> None:
    [first] = [s.article for s in add(fake_desk, "wire-story-site-a.html") if s.article]
    steps = add(fake_desk, "wire-story-site-b.html")
    [copy] = [s for s in steps if s.article is not None]
    assert copy.same_story_as is not None and copy.same_story_as.id == first.id
    assert "Same story as" in copy.message and first.title in copy.message


def test_search_shows_a_repeated_paragraph_once(fake_desk: Newsdesk) -> None:
    add(fake_desk, "wire-story-site-a.html")
    add(fake_desk, "wire-story-site-b.html")
    library = fake_desk.library
    hits = hybrid_search(library.store, library.vectors(), library.embedder, QUESTION, k=8)
    texts = [" ".join(h.paragraph.text.lower().split()) for h in hits]
    assert len(texts) == len(set(texts))


def test_different_stories_on_one_topic_are_not_the_same_story() -> None:
    fire = (CASE / "wire-story-site-a.html").read_text(encoding="utf-8")
    other = (EVAL / "seed-article.txt").read_text(encoding="utf-8")
    shared = (signature(fire) == signature(other)).mean()
    assert shared < SAME_STORY / 3
