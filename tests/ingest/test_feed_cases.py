"""Every feed entry is added or named with its reason (../shared/cases/08)."""

from __future__ import annotations

from pathlib import Path

from retrieval.engine import Newsdesk
from tests.conftest import EVAL

FEED = EVAL.parent / "cases" / "08-feed-cdata-entities" / "feed.xml"


def test_escaped_cdata_and_entities_are_read(fake_desk: Newsdesk) -> None:
    steps = list(fake_desk.add([str(FEED)]))
    assert [s.error for s in steps if s.error is not None] == []
    added = [s.article for s in steps if s.article is not None]
    assert [a.title for a in added] == [
        "Rates & fees: council cuts parking charges",
        "More ferry crossings from June",
    ]
    parking, ferry = (fake_desk.library.body(a.id) for a in added)
    assert "Councillor Jürgen Vos" in parking and "15 percent on Monday — the first" in parking
    assert ferry == (
        "Ferry crossings between the mainland and Gorsedd Island will rise to 12 a day from"
        " the first of June, the ferry company said on Tuesday."
    )
    assert [a.published for a in added] == ["2026-03-02", "2026-03-03"]
    assert added[1].url == "http://127.0.0.1/news/ferry-crossings"


def test_an_entry_without_text_is_named_with_the_reason(
    fake_desk: Newsdesk, tmp_path: Path
) -> None:
    feed = FEED.read_text(encoding="utf-8").replace(
        "</channel>",
        "<item><title>Photo of the day</title><link>http://127.0.0.1/p</link></item></channel>",
    )
    path = tmp_path / "feed.xml"
    path.write_text(feed, encoding="utf-8")
    steps = list(fake_desk.add([str(path)]))
    errors = [s.error for s in steps if s.error is not None]
    assert [e.reason for e in errors] == [
        "feed entry “Photo of the day”: it has a title but no text"
    ]
    assert len([s for s in steps if s.article is not None]) == 2


def test_one_entry_that_fails_does_not_stop_the_others(fake_desk: Newsdesk, tmp_path: Path) -> None:
    long_entry = "<item><title>Huge</title><description>" + "Word " * 400 + "</description></item>"
    feed = FEED.read_text(encoding="utf-8").replace("<item>", long_entry + "<item>", 1)
    path = tmp_path / "feed.xml"
    path.write_text(feed, encoding="utf-8")
    fake_desk.library.ingest.max_article_chars = 1000
    steps = list(fake_desk.add([str(path)]))
    [error] = [s.error for s in steps if s.error is not None]
    assert error.reason.startswith("feed entry “Huge”: the article is too long")
    assert len([s for s in steps if s.article is not None]) == 2
