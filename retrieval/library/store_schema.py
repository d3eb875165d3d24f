"""The library's SQLite tables, as versioned SQL: :data:`SCHEMA`, then :data:`MIGRATIONS`.

:data:`SCHEMA` is version 0 (the first release's tables); ``MIGRATIONS[n]``
turns version ``n`` into ``n + 1``. :class:`retrieval.library.store.Store`
applies them with SQLite's ``user_version``, one transaction per step. The
archive server's SQL is kept the same way in
:mod:`retrieval.library.archive_schema`.
"""

from __future__ import annotations

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    url TEXT,
    published TEXT,
    author TEXT,
    file TEXT,
    added TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS paragraphs (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    vector BLOB NOT NULL,
    UNIQUE (article_id, position)
);
CREATE VIRTUAL TABLE IF NOT EXISTS paragraph_fts USING fts5(
    text, title, tokenize = 'porter unicode61'
);
"""

MIGRATIONS: tuple[str, ...] = (
    # 1: the history of questions, answers and briefings (retrieval.library.history).
    # A result is kept as JSON: fields added to Answer or Briefing later cost no migration.
    """
    CREATE TABLE history_entries (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('conversation', 'briefing')),
        title TEXT NOT NULL,
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE TABLE history_results (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES history_entries(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('answer', 'briefing')),
        created TEXT NOT NULL,
        scope TEXT,
        payload TEXT NOT NULL,
        UNIQUE (entry_id, position)
    );
    CREATE INDEX history_entries_updated ON history_entries(updated);
    """,
)
"""Schema upgrades: ``MIGRATIONS[n]`` turns version ``n`` into version ``n + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """The SQL statements of a migration script (they hold no quoted semicolons)."""
    return [part.strip() for part in script.split(";") if part.strip()]
