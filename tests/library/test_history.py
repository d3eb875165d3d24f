"""The history of questions, answers and briefings, kept in the library's database.

The tests that do not look at SQLite itself run on both backends: the local
library file and a shared PostgreSQL archive (``backend``).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from retrieval.briefs import Briefing
from retrieval.engine import Newsdesk
from retrieval.library.history import History, HistoryDatabase, HistoryError, decode, encode
from retrieval.library.store import SCHEMA_VERSION, NewerLibraryError, Store
from retrieval.settings import Settings
from retrieval.types import Answer
from tests.conftest import SAMPLE
from tests.export.samples import answer, briefing, declined  # noqa: F401
from tests.support.fakes import HashingEmbedder, ScriptedGenerator

QUESTION = "How many rockets were fired at the Green Zone?"


def open_desk(settings: Settings) -> Newsdesk:
    # The hashing embedder scores far below the real model: let it answer.
    answering = settings.model_copy(
        update={"retrieval": settings.retrieval.model_copy(update={"decline_threshold": 0.0})}
    )
    return Newsdesk(answering, embedder=HashingEmbedder(), generator=ScriptedGenerator())


def test_answers_and_a_briefing_come_back_after_a_restart(backend_settings: Settings) -> None:
    settings = backend_settings
    desk = open_desk(settings)
    for _ in desk.add([str(SAMPLE)]):
        pass
    article_id = desk.articles()[0].id
    first = desk.ask(QUESTION)
    second = desk.ask("Who fired the rockets?", [article_id])
    brief = desk.brief([article_id])
    history = History(desk.library.history_database())
    record = history.add_answer(first)
    history.add_answer(second, [article_id], entry_id=record.entry_id)
    history.add_briefing(brief, [article_id])
    history.store.close()
    desk.close()

    reopened = open_desk(settings)
    history = History(reopened.library.history_database())
    try:
        entries = history.entries()
        assert [e.kind for e in entries] == ["briefing", "conversation"]
        conversation = history.latest("conversation")
        assert conversation is not None and conversation.title == QUESTION
        assert conversation.count == 2
        records = history.records(conversation.id)
        assert [r.result.question for r in records] == [QUESTION, "Who fired the rockets?"]
        assert records[0].scope is None and records[1].scope == (article_id,)
        assert records[0].result == _trimmed(first)
        assert records[0].result.citations == first.citations
        cited = records[0].result.citations
        assert cited and cited[0].quote in cited[0].paragraph_text
        (kept,) = history.records(entries[0].id)
        assert kept.result == brief
        assert "Briefing (short)" in entries[0].title
    finally:
        history.store.close()
        reopened.close()


def _trimmed(result: Answer) -> Answer:
    from dataclasses import replace

    return replace(result, considered=result.considered[:3])


def test_rename_and_delete(
    history_database: HistoryDatabase,
    answer: Answer,  # noqa: F811
    briefing: Briefing,  # noqa: F811
) -> None:
    history = History(history_database)
    record = history.add_answer(answer)
    brief = history.add_briefing(briefing)
    history.rename(record.entry_id, "  Rockets   on Baghdad ")
    assert history.entry(record.entry_id).title == "Rockets on Baghdad"
    with pytest.raises(HistoryError, match="needs a title"):
        history.rename(record.entry_id, "   ")
    with pytest.raises(HistoryError, match="not in the history"):
        history.rename(9999, "x")
    assert history.delete(brief.entry_id)
    assert not history.delete(brief.entry_id)
    assert [e.id for e in history.entries()] == [record.entry_id]
    assert history.delete_record(record.id)
    assert history.entries() == [], "a conversation left empty goes too"
    with pytest.raises(HistoryError, match="not in the history"):
        history.add_answer(answer, entry_id=record.entry_id)


def test_history_writes_do_not_make_the_index_look_stale(tmp_path: Path, answer: Answer) -> None:  # noqa: F811
    store = Store(tmp_path / "db.sqlite3")
    before = store.generation()
    History(store).add_answer(answer)
    assert store.generation() == before


def test_a_declined_answer_keeps_its_nearest_paragraphs(
    history_database: HistoryDatabase,
    declined: Answer,  # noqa: F811
) -> None:
    history = History(history_database)
    record = history.add_answer(declined)
    (kept,) = history.records(record.entry_id)
    assert kept.result.declined
    assert [h.paragraph.text for h in kept.result.considered] == [
        h.paragraph.text for h in declined.considered[:3]
    ]


def test_stored_results_tolerate_fields_added_or_dropped(briefing: Briefing) -> None:  # noqa: F811
    data = json.loads(encode(briefing))
    data["storylines"] = [{"title": "a field a newer Newsdesk wrote"}]
    del data["backend"]  # a field an older Newsdesk did not have
    back = decode("briefing", json.dumps(data))
    assert back == briefing
    with pytest.raises(HistoryError, match="could not be read back"):
        decode("answer", "{not json")
    with pytest.raises(HistoryError, match="question"):
        decode("answer", json.dumps({"statements": []}))


def test_an_old_library_is_migrated_and_a_newer_one_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    old = sqlite3.connect(path)
    old.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);")
    old.close()
    store = Store(path)
    assert store.schema_version() == SCHEMA_VERSION >= 1
    assert History(store).entries() == []
    store.close()
    newer = sqlite3.connect(path)
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.commit()
    newer.close()
    with pytest.raises(NewerLibraryError, match="newer Newsdesk"):
        Store(path)


def test_entries_citing_removed_articles_keep_their_quotes(backend_settings: Settings) -> None:
    desk = open_desk(backend_settings)
    history = History(desk.library.history_database())
    try:
        for _ in desk.add([str(SAMPLE)]):
            pass
        article_id = desk.articles()[0].id
        record = history.add_answer(desk.ask(QUESTION))
        assert [e.id for e in history.citing([article_id])] == [record.entry_id]
        desk.remove(article_id)
        (kept,) = history.records(record.entry_id)
        assert kept.result.citations[0].article_id == article_id
        assert "rockets" in kept.result.citations[0].quote
    finally:
        history.store.close()
        desk.close()
