from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from retrieval.ingest import pipeline
from retrieval.library.archive_store import PostgresStore
from retrieval.library.base import ArticleLibrary
from retrieval.library.history import HistoryDatabase
from retrieval.library.postgres import PostgresLibrary
from retrieval.library.store import Store
from retrieval.settings import IngestSettings
from tests.support.fakes import HashingEmbedder
from tests.support.postgres import TestServer

OpenLibrary = Callable[..., ArticleLibrary]


@pytest.fixture
def open_library(backend: str, request: pytest.FixtureRequest) -> Iterator[OpenLibrary]:
    """``open_library(folder, max_chars=900)`` on the backend under test.

    On PostgreSQL each folder stands for one database, so a test that reopens
    "the same folder" reopens the same archive.
    """
    opened: list[ArticleLibrary] = []
    databases: dict[Path, str] = {}

    def open_one(folder: Path, max_chars: int = 900) -> ArticleLibrary:
        ingest = IngestSettings(max_paragraph_chars=max_chars)
        library: ArticleLibrary
        if backend == "local":
            library = pipeline.open_library(folder, HashingEmbedder(), ingest)
        else:
            server: TestServer = request.getfixturevalue("pg_server")
            if folder not in databases:
                databases[folder] = server.new_database()
            library = PostgresLibrary(server.archive(databases[folder]), HashingEmbedder(), ingest)
        opened.append(library)
        return library

    yield open_one
    for library in opened:
        library.close()
    if databases:
        server = request.getfixturevalue("pg_server")
        for name in databases.values():
            server.drop_database(name)


@pytest.fixture
def history_database(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[HistoryDatabase]:
    """Where a history is kept on the backend under test: a library file, or an archive."""
    database: HistoryDatabase
    if backend == "local":
        database = Store(tmp_path / "library.sqlite3")
    else:
        server: TestServer = request.getfixturevalue("pg_server")
        database = PostgresStore(
            server.archive(request.getfixturevalue("pg_database")), HashingEmbedder()
        )
    yield database
    database.close()
