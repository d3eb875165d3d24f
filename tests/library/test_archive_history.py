"""The history on a shared PostgreSQL archive: each login keeps its own, and an
archive made before the history existed (schema 1) is upgraded in place.

What the history does is tested on both backends in test_history.py.
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

import retrieval.library.archive_server as archive_server
from retrieval.briefs import Briefing
from retrieval.ingest.pipeline import add_all
from retrieval.library.archive_store import PostgresStore
from retrieval.library.base import ArchiveError
from retrieval.library.history import History, HistoryError
from retrieval.library.postgres import PostgresLibrary
from retrieval.settings import IngestSettings
from retrieval.types import Answer
from tests.conftest import SAMPLE
from tests.export.samples import answer, briefing  # noqa: F401
from tests.support.fakes import HashingEmbedder
from tests.support.postgres import TestServer


def test_each_login_sees_and_changes_only_its_own_history(
    pg_server: TestServer,
    pg_database: str,
    monkeypatch: pytest.MonkeyPatch,
    answer: Answer,  # noqa: F811
    briefing: Briefing,  # noqa: F811
) -> None:
    owner = PostgresStore(pg_server.archive(pg_database), HashingEmbedder())  # creates the schema
    owners = History(owner)
    owners.add_briefing(briefing)
    # One writer and one read-only login (the password is the same for both here).
    alice_login = pg_server.login("pw_alice", "desk-pw", pg_database, read_only=False)
    bob_login = pg_server.login("pw_bob", "desk-pw", pg_database, read_only=True)
    monkeypatch.setenv("NEWSDESK_DB_PASSWORD", "desk-pw")
    alice_store = PostgresStore(alice_login, HashingEmbedder())
    bob_store = PostgresStore(bob_login, HashingEmbedder())
    try:
        alice, bob = History(alice_store), History(bob_store)
        assert alice.entries() == [] and bob.entries() == [], "the owner's briefing is its own"
        kept = alice.add_answer(answer)
        alice.add_answer(answer, entry_id=kept.entry_id)
        mine = bob.add_answer(answer)  # a read-only login keeps its own history too
        assert [e.id for e in alice.entries()] == [kept.entry_id]
        assert alice.entry(kept.entry_id).count == 2
        assert [e.id for e in bob.entries()] == [mine.entry_id]
        assert [e.kind for e in owners.entries()] == ["briefing"]

        # Bob can neither read nor change Alice's conversation, even by its id.
        assert bob.records(kept.entry_id) == [] and bob.record(kept.id) is None
        with pytest.raises(HistoryError, match="not in the history"):
            bob.rename(kept.entry_id, "taken over")
        with pytest.raises(HistoryError, match="not in the history"):
            bob.add_answer(answer, entry_id=kept.entry_id)
        assert not bob.delete(kept.entry_id) and not bob.delete_record(kept.id)
        assert [r.result.question for r in alice.records(kept.entry_id)] == [answer.question] * 2

        # Nor by hand through the views: another login's rows are not there for him,
        # and a result cannot join another login's conversation.
        with psycopg.connect(bob_store.settings.dsn, password="desk-pw") as db:
            changed = db.execute(
                "UPDATE history_entries SET title = 'x' WHERE id = %s", (kept.entry_id,)
            )
            assert changed.rowcount == 0
            with pytest.raises(psycopg.errors.ForeignKeyViolation):
                db.execute(
                    "INSERT INTO history_results (entry_id, position, kind, created, payload)"
                    " VALUES (%s, 9, 'answer', 'now', '{}')",
                    (kept.entry_id,),
                )
        assert alice.entry(kept.entry_id).count == 2
    finally:
        alice_store.close()
        bob_store.close()
        owner.close()


def test_an_archive_of_schema_1_is_upgraded_and_keeps_its_articles(
    pg_server: TestServer,
    pg_database: str,
    monkeypatch: pytest.MonkeyPatch,
    answer: Answer,  # noqa: F811
) -> None:
    settings = pg_server.archive(pg_database)
    ingest = IngestSettings(max_paragraph_chars=300)
    with monkeypatch.context() as before_history:  # the Newsdesk of schema 1
        before_history.setattr(archive_server, "MIGRATIONS", archive_server.MIGRATIONS[:1])
        before_history.setattr(archive_server, "SCHEMA_VERSION", 1)
        old = PostgresLibrary(settings, HashingEmbedder(), ingest)
        (article,), _ = add_all(old, [str(SAMPLE)])
        old.close()
    with psycopg.connect(settings.dsn) as db:
        assert db.execute("SELECT to_regclass('history_entries')").fetchone() == (None,)
    # A read-only login may not upgrade it: told so in words.
    early_reader = pg_server.login("pw_early_reader", "pw", pg_database, read_only=True)
    monkeypatch.setenv("NEWSDESK_DB_PASSWORD", "pw")
    with pytest.raises(ArchiveError, match=r"needs an upgrade \(schema 1 to 3\)"):
        PostgresLibrary(early_reader, HashingEmbedder(), ingest)

    upgraded = PostgresLibrary(settings, HashingEmbedder(), ingest)
    try:
        assert upgraded.articles() == [article]
        assert len(upgraded.paragraphs(article.id)) == article.paragraph_count
        with psycopg.connect(settings.dsn) as db:
            meta = dict(db.execute("SELECT key, value FROM newsdesk_meta").fetchall())
        assert meta["schema_version"] == "3" and meta["embedding_model"] == HashingEmbedder.name
        # Schema 3 rebuilt the keyword index from the stored paragraphs: BM25 finds them.
        found = upgraded.store.keyword_search("How many rockets hit the Green Zone?", 3)
        best = upgraded.store.paragraphs(ids=[found[0][0]])[0]
        assert "rockets" in best.text and found[0][1] > 0
        history = History(upgraded.store)
        record = history.add_answer(answer)
        assert [e.id for e in history.entries()] == [record.entry_id]
    finally:
        upgraded.close()


def test_a_client_that_waited_for_another_clients_migration_does_not_migrate_again(
    pg_server: TestServer, pg_database: str
) -> None:
    settings = pg_server.archive(pg_database)
    opened: list[PostgresStore] = []
    failed: list[BaseException] = []

    def open_second() -> None:
        try:
            opened.append(PostgresStore(settings, HashingEmbedder()))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failed.append(error)

    with psycopg.connect(settings.dsn, autocommit=True) as first, first.transaction():
        first.execute("SELECT pg_advisory_xact_lock(%s)", (archive_server._LOCK_KEY,))
        second = threading.Thread(target=open_second)
        second.start()  # it finds no tables, then waits for the first client's lock
        deadline = time.monotonic() + 30
        while not _waiting_for_the_lock(first) and time.monotonic() < deadline:
            time.sleep(0.05)
        archive_server.ensure_schema(first, HashingEmbedder(), settings)
    second.join(timeout=60)
    assert not failed, failed
    opened[0].close()


def _waiting_for_the_lock(db: psycopg.Connection) -> bool:  # type: ignore[type-arg]
    row = db.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    ).fetchone()
    return bool(row and row[0])
