"""The shared PostgreSQL archive: several clients, killed clients, roles, and a
server that is down, slow or refuses the login — each ends in words, nothing lost.

The behaviour both backends share (adding, removing, duplicates, ids, answers)
is tested on both by the parametrized tests in test_library.py and tests/answer.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from retrieval.engine import Newsdesk
from retrieval.ingest.pipeline import add_all
from retrieval.library.archive_server import keyring_entry
from retrieval.library.base import ArchiveError
from retrieval.library.library import content_hash
from retrieval.library.postgres import PostgresLibrary
from retrieval.search.hybrid import hybrid_search
from retrieval.settings import ArchiveSettings, IngestSettings, Settings
from tests.conftest import EVAL, ROOT, SAMPLE
from tests.support.archive_client import MAX_CHARS
from tests.support.fakes import HashingEmbedder, ScriptedGenerator
from tests.support.postgres import TestServer

CLIENT = ROOT / "tests" / "support" / "archive_client.py"
SQUAD = EVAL / "squad" / "articles"
QUESTION = "How many rockets were fired at the Green Zone?"


def archive(settings: ArchiveSettings) -> PostgresLibrary:
    return PostgresLibrary(
        settings, HashingEmbedder(), IngestSettings(max_paragraph_chars=MAX_CHARS)
    )


@pytest.fixture
def archive_settings(pg_server: TestServer, pg_database: str) -> ArchiveSettings:
    return pg_server.archive(pg_database)


@pytest.fixture
def stories(tmp_path: Path) -> Path:
    """A folder of 12 distinct articles (the SQuAD sample texts)."""
    folder = tmp_path / "stories"
    folder.mkdir()
    for path in sorted(SQUAD.glob("*.txt")):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def assert_whole(library: PostgresLibrary) -> None:
    """Every article has all its paragraphs and nothing else; no text is stored twice."""
    articles = library.articles()
    hashes = [a.content_hash for a in articles]
    assert len(hashes) == len(set(hashes))
    for article in articles:
        paragraphs = library.paragraphs(article.id)
        assert len(paragraphs) == article.paragraph_count > 0
        assert [p.index for p in paragraphs] == list(range(article.paragraph_count))
        assert content_hash(library.body(article.id)) == article.content_hash
    assert library.vectors().ids() == set(library.store.paragraph_ids())
    assert len(library.vectors()) == sum(a.paragraph_count for a in articles)


def start_client(dsn: str, *items: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CLIENT), dsn, "add", *items],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ,
    )


def finish(client: subprocess.Popen[str]) -> dict[str, list[int]]:
    out, err = client.communicate(timeout=300)
    assert client.returncode == 0, err[-2000:]
    return json.loads(out.strip().splitlines()[-1])


def test_two_processes_adding_the_same_folder_at_once_store_each_story_once(
    archive_settings: ArchiveSettings, stories: Path
) -> None:
    first = start_client(archive_settings.dsn, str(stories), str(SAMPLE))
    second = start_client(archive_settings.dsn, str(SAMPLE), str(stories))
    done = [finish(first), finish(second)]
    library = archive(archive_settings)
    assert len(library.articles()) == 13  # 12 stories and the sample, none twice
    assert_whole(library)
    stored = {a.id for a in library.articles()}
    for result in done:  # each process ends up holding all 13, its own or the other's
        assert set(result["added"]) | set(result["present"]) == stored


def test_each_client_sees_the_others_articles_on_its_next_search(
    archive_settings: ArchiveSettings,
) -> None:
    reader, writer = archive(archive_settings), archive(archive_settings)
    before = hybrid_search(reader.store, reader.vectors(), reader.embedder, QUESTION, k=3)
    assert before == []
    add_all(writer, [str(SAMPLE)])
    after = hybrid_search(reader.store, reader.vectors(), reader.embedder, QUESTION, k=3)
    assert after and "rockets" in after[0].paragraph.text.lower()
    assert [a.title for a in reader.articles()] == [a.title for a in writer.articles()]


def test_a_client_killed_inside_its_transaction_leaves_nothing_and_blocks_nobody(
    archive_settings: ArchiveSettings, stories: Path
) -> None:
    add_all(archive(archive_settings), [str(SAMPLE)])
    client = start_client(archive_settings.dsn, str(stories), "--pause-in-transaction")
    assert client.stdout is not None
    assert client.stdout.readline().strip() == "ready"
    assert client.stdout.readline().strip() == "inside"  # paragraphs written, not committed
    client.send_signal(signal.SIGKILL)
    client.wait()
    library = archive(archive_settings)
    deadline = time.monotonic() + 30  # the server notices the dead client and rolls back
    while time.monotonic() < deadline and _open_transactions(archive_settings):
        time.sleep(0.2)
    assert [a.title for a in library.articles()] == [
        "Eight rockets target US embassy in Baghdad: Iraq army"
    ]
    assert_whole(library)
    added, errors = add_all(library, [str(stories)])  # running it again completes the job
    assert errors == [] and len(added) == 12
    assert_whole(library)


def fake_engine(settings: Settings, archive: ArchiveSettings) -> Newsdesk:
    """An engine on fake models whose library is the archive ``archive`` names."""
    return Newsdesk(
        settings.model_copy(update={"archive": archive}),
        embedder=HashingEmbedder(),
        generator=ScriptedGenerator(),
    )


def _open_transactions(settings: ArchiveSettings) -> int:
    with psycopg.connect(settings.dsn, autocommit=True) as db:
        row = db.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'Newsdesk'"
            " AND state LIKE 'idle in transaction%'"
        ).fetchone()
    return int(row[0]) if row else 0


def test_a_read_only_login_can_ask_and_brief_but_is_told_it_cannot_add(
    pg_server: TestServer,
    pg_database: str,
    archive_settings: ArchiveSettings,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    owner = fake_engine(settings, archive_settings)
    list(owner.add([str(SAMPLE)]))
    owner.close()
    pg_server.add_role("pw_reader", "s3cret-reader", pg_database, read_only=True)
    monkeypatch.setenv("NEWSDESK_DB_PASSWORD", "s3cret-reader")
    reader = ArchiveSettings(backend="postgres", dsn=pg_server.role_uri("pw_reader", pg_database))
    desk = fake_engine(settings, reader)
    try:
        answer = desk.ask("How many rockets were launched targeting the Green Zone?")
        assert answer.citations and "rockets" in answer.citations[0].quote.lower()
        assert desk.brief().points
        second = tmp_path / "second.txt"
        second.write_text("A second story\n\nThe mayor opened a new bridge on Monday.\n", "utf-8")
        encoded: list[str] = []
        encode = desk.embedder.encode
        monkeypatch.setattr(
            desk.embedder, "encode", lambda texts: encoded.extend(texts) or encode(texts)
        )
        steps = []
        with pytest.raises(ArchiveError, match="read-only for this login"):
            for step in desk.add([str(second)]):
                steps.append(step)
        assert steps == [] and encoded == [], "told before anything is read or embedded"
        with pytest.raises(ArchiveError, match="read-only"):
            desk.remove(desk.articles()[0].id)
        assert len(desk.articles()) == 1
    finally:
        desk.close()


def test_a_server_taking_no_writes_is_named_as_such_before_an_add_starts(
    pg_server: TestServer, pg_database: str, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive(pg_server.archive(pg_database)).close()  # the owner creates the schema
    # A login with write rights on a server that takes no writes (as on a replica).
    standby = pg_server.login("pw_standby", "standby-pw", pg_database, read_only=False)
    with pg_server.admin() as db:
        db.execute("ALTER ROLE pw_standby SET default_transaction_read_only = on")
    monkeypatch.setenv("NEWSDESK_DB_PASSWORD", "standby-pw")
    desk = fake_engine(settings, standby)
    try:
        with pytest.raises(ArchiveError, match="is a read-only server") as told:
            next(iter(desk.add([str(SAMPLE)])))
        assert "main server" in str(told.value)
        assert desk.articles() == []
    finally:
        desk.close()


def test_the_password_comes_from_the_environment_and_a_wrong_one_is_refused_in_words(
    pg_server: TestServer,
    pg_database: str,
    archive_settings: ArchiveSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    archive(archive_settings).close()  # the owner creates the tables
    pg_server.add_role("pw_writer", "right-password", pg_database, read_only=False)
    writer = ArchiveSettings(backend="postgres", dsn=pg_server.role_uri("pw_writer", pg_database))
    assert "password" not in writer.model_dump_json().lower().replace('"dsn"', "")
    monkeypatch.setenv("NEWSDESK_DB_PASSWORD", "wrong-password")
    with pytest.raises(ArchiveError, match="refused the login: check the password"):
        archive(writer)
    monkeypatch.setenv("NEWSDESK_DB_PASSWORD", "right-password")
    library = archive(writer)
    [article], _ = add_all(library, [str(SAMPLE)])
    assert article.paragraph_count > 0
    library.close()
    # Without the variable, the system keyring's entry for this server is used.
    monkeypatch.delenv("NEWSDESK_DB_PASSWORD")
    entry = keyring_entry(writer.dsn)
    assert entry == f"postgres:pw_writer@socket {pg_server.socket_dir}/{pg_database}"
    import keyring

    monkeypatch.setattr(
        keyring,
        "get_password",
        lambda service, name: "right-password" if (service, name) == ("Newsdesk", entry) else None,
    )
    library = archive(writer.model_copy(update={"sslmode": "disable"}))
    assert library.store._db.info.get_parameters()["sslmode"] == "disable"  # passed through
    assert [a.title for a in library.articles()] == [article.title]
    library.close()


def test_a_server_that_is_not_running_is_reported_in_words_and_can_fall_back(
    settings: Settings, tmp_path: Path
) -> None:
    down = ArchiveSettings(
        backend="postgres", dsn=f"postgresql://news@/news?host={tmp_path}&port=5999"
    )
    with pytest.raises(ArchiveError, match="cannot be reached: is the server running"):
        Newsdesk(settings.model_copy(update={"archive": down}), embedder=HashingEmbedder())
    fallback = down.model_copy(update={"allow_fallback": True})
    desk = fake_engine(settings, fallback)
    try:
        assert desk.library_notice is not None
        assert "cannot be reached" in desk.library_notice
        assert "local library instead" in desk.library_notice
        list(desk.add([str(SAMPLE)]))
        assert (settings.library / "library.sqlite3").exists()
        assert len(desk.articles()) == 1
    finally:
        desk.close()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never answers (a hung server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_a_server_that_does_not_answer_times_out_in_words(silent_server: int) -> None:
    slow = ArchiveSettings(
        backend="postgres",
        dsn=f"postgresql://news@127.0.0.1:{silent_server}/news",
        connect_timeout_seconds=1,
        sslmode="disable",
    )
    started = time.monotonic()
    with pytest.raises(ArchiveError, match="did not answer within 1 s"):
        archive(slow)
    assert time.monotonic() - started < 10


def test_a_search_slower_than_the_statement_timeout_is_reported_and_loses_nothing(
    archive_settings: ArchiveSettings,
) -> None:
    library = archive(archive_settings.model_copy(update={"statement_timeout_seconds": 0.5}))
    add_all(library, [str(SAMPLE)])
    with psycopg.connect(archive_settings.dsn) as blocker:  # holds the table: searches wait
        blocker.execute("LOCK TABLE paragraphs IN ACCESS EXCLUSIVE MODE")
        with pytest.raises(ArchiveError, match="did not finish within 0.5 s"):
            hybrid_search(library.store, library.vectors(), library.embedder, QUESTION)
    hits = hybrid_search(library.store, library.vectors(), library.embedder, QUESTION)
    assert hits and len(library.articles()) == 1


def test_the_schema_is_versioned_and_an_archive_of_another_model_is_refused(
    archive_settings: ArchiveSettings,
) -> None:
    first, second = archive(archive_settings), archive(archive_settings)  # migrates once
    with psycopg.connect(archive_settings.dsn) as db:
        meta = dict(db.execute("SELECT key, value FROM newsdesk_meta").fetchall())
        indexes = {r[0] for r in db.execute("SELECT indexdef FROM pg_indexes").fetchall()}
    assert meta["schema_version"] == "3"  # 1: articles, paragraphs; 2: the history; 3: BM25
    assert meta["embedding_model"] == HashingEmbedder.name
    assert any("USING hnsw (embedding vector_cosine_ops)" in i for i in indexes)
    assert any("USING gin (tsv)" in i for i in indexes)
    first.close()
    second.close()

    class OtherEmbedder(HashingEmbedder):
        name = "another-model"

    with pytest.raises(ArchiveError, match="built with the embedding model"):
        PostgresLibrary(archive_settings, OtherEmbedder(), IngestSettings())
    with psycopg.connect(archive_settings.dsn) as db:
        db.execute("UPDATE newsdesk_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ArchiveError, match="made by a newer Newsdesk"):
        archive(archive_settings)


def test_an_archive_without_pgvector_asks_for_the_extension_in_words(
    pg_server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = pg_server.new_database(empty=True)
    try:
        pg_server.add_role("pw_owner", "pw", bare, read_only=False)
        owner = ArchiveSettings(backend="postgres", dsn=pg_server.role_uri("pw_owner", bare))
        monkeypatch.setenv("NEWSDESK_DB_PASSWORD", "pw")
        with pytest.raises(ArchiveError, match="CREATE EXTENSION vector"):
            archive(owner)
    finally:
        pg_server.drop_database(bare)
        with pg_server.admin() as db:
            db.execute("DROP OWNED BY pw_owner")
            db.execute("DROP ROLE pw_owner")
