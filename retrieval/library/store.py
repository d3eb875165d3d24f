"""The library's SQLite database: articles, paragraphs, their vectors and FTS5.

The database is the source of truth. An article, its paragraphs, their
vectors and their keyword-index rows are written in ONE transaction, which
also bumps the ``generation`` counter; the FAISS index is a cache rebuilt
from the stored vectors whenever its saved generation differs (see
``retrieval.library.library``).

The schema is versioned with SQLite's ``user_version``
(:mod:`retrieval.library.store_schema`): each migration brings the file one
version up, in its own transaction, so a crash during an upgrade leaves the
old version intact and the next open tries again.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from retrieval.library.store_fts import bm25_sql
from retrieval.library.store_schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION, statements
from retrieval.library.store_vectors import StoredVectors, vector_blob
from retrieval.text.keywords import COMMON_FROM, plan_keyword_query
from retrieval.types import Article, ArticleDraft, Paragraph, ParagraphSpan, now_iso


class NewerLibraryError(RuntimeError):
    """The library file was written by a newer Newsdesk (a schema this one does not know)."""


class Store(StoredVectors):
    """Thread-safe access to one library database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Bring the file up to :data:`SCHEMA_VERSION`, one transaction per step.

        Raises:
            NewerLibraryError: The file's version is newer than this program knows.
        """
        with self._lock:
            version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise NewerLibraryError(
                    f"{self.path} was written by a newer Newsdesk (library format {version}, "
                    f"this one reads up to {SCHEMA_VERSION}); update Newsdesk to open it"
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    # Checked again inside the write lock: another process may have upgraded.
                    now = int(self._db.execute("PRAGMA user_version").fetchone()[0])
                    if now < target:
                        for statement in statements(MIGRATIONS[target - 1]):
                            self._db.execute(statement)
                        self._db.execute(f"PRAGMA user_version = {target}")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")

    def schema_version(self) -> int:
        """The file's schema version (``PRAGMA user_version``)."""
        with self._lock:
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self, bump_generation: bool = True) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside commits together or not at all.

        Args:
            bump_generation: Count the write in ``generation``, which tells the
                FAISS index it is stale. Writes that touch no paragraph (the
                history) pass False, so they never cost an index rebuild.
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            if bump_generation:
                self._db.execute(
                    "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) "
                    "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                )
            self._db.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, held for a few reads that belong together."""
        with self._lock:
            yield self._db

    def meta(self, key: str) -> str | None:
        """A value of the meta table."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def generation(self) -> int:
        """Counter bumped by every committed write."""
        return int(self.meta("generation") or 0)

    # -- writing ---------------------------------------------------------

    def insert_article(
        self,
        draft: ArticleDraft,
        content_hash: str,
        spans: Sequence[ParagraphSpan],
        vectors: np.ndarray,
    ) -> tuple[int, list[int]]:
        """Store an article with its paragraphs; returns its id and paragraph ids."""
        with self.transaction() as db:
            article_id = _reserve_ids(db, "articles", 1)
            db.execute(
                "INSERT INTO articles (id, title, source, url, published, author, file,"
                " added, content_hash, body) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    article_id,
                    draft.title,
                    draft.source,
                    draft.url,
                    draft.published,
                    draft.author,
                    draft.file,
                    now_iso(),
                    content_hash,
                    draft.text,
                ),
            )
            paragraph_ids = _insert_paragraphs(db, article_id, draft.title, spans, vectors)
        return article_id, paragraph_ids

    def replace_paragraphs(
        self,
        article_id: int,
        title: str,
        spans: Sequence[ParagraphSpan],
        vectors: np.ndarray,
    ) -> list[int]:
        """Swap an article's paragraphs for a new split (settings changed)."""
        with self.transaction() as db:
            _delete_paragraphs(db, article_id)
            return _insert_paragraphs(db, article_id, title, spans, vectors)

    def delete_article(self, article_id: int) -> list[int]:
        """Remove an article; returns the ids of the paragraphs it had."""
        with self.transaction() as db:
            ids = _delete_paragraphs(db, article_id)
            db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return ids

    def set_details(
        self, article_id: int, published: str | None, source: str, url: str | None
    ) -> bool:
        """Overwrite an article's publication date, source and web address.

        Returns:
            False when no article has this id.
        """
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE articles SET published = ?, source = ?, url = ? WHERE id = ?",
                (published, source, url, article_id),
            )
        return cursor.rowcount > 0

    def set_meta(self, key: str, value: str) -> None:
        """Write one meta value (in its own transaction)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
                (key, value, value),
            )

    # -- reading ---------------------------------------------------------

    def find_by_hash(self, content_hash: str) -> Article | None:
        """The stored article with this content hash, if any."""
        rows = self._articles("WHERE a.content_hash = ?", (content_hash,))
        return rows[0] if rows else None

    def article(self, article_id: int) -> Article | None:
        """One article by id."""
        rows = self._articles("WHERE a.id = ?", (article_id,))
        return rows[0] if rows else None

    def articles(self) -> list[Article]:
        """Every article, oldest first."""
        return self._articles("", ())

    def body(self, article_id: int) -> str:
        """The full body text of an article."""
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return row[0] if row else ""

    def paragraphs(
        self, article_id: int | None = None, ids: Sequence[int] | None = None
    ) -> list[Paragraph]:
        """Paragraphs of one article, or those with the given ids (in that order)."""
        query = (
            "SELECT p.id, p.article_id, p.position, p.text, p.start, p.end, a.title"
            " FROM paragraphs p JOIN articles a ON a.id = p.article_id"
        )
        with self._lock:
            if ids is not None:
                found: dict[int, Paragraph] = {}
                for chunk in _chunks(list(ids), 500):
                    marks = ",".join("?" * len(chunk))
                    for row in self._db.execute(f"{query} WHERE p.id IN ({marks})", chunk):
                        found[row[0]] = Paragraph(*row)
                return [found[i] for i in ids if i in found]
            where, args = ("WHERE p.article_id = ?", (article_id,)) if article_id else ("", ())
            rows = self._db.execute(f"{query} {where} ORDER BY p.article_id, p.position", args)
            return [Paragraph(*row) for row in rows]

    def paragraph_ids(self, article_ids: Sequence[int] | None = None) -> list[int]:
        """Ids of every paragraph, or of those in the given articles."""
        with self._lock:
            if article_ids is None:
                return [r[0] for r in self._db.execute("SELECT id FROM paragraphs")]
            marks = ",".join("?" * len(article_ids))
            sql = f"SELECT id FROM paragraphs WHERE article_id IN ({marks})"
            return [r[0] for r in self._db.execute(sql, list(article_ids))]

    def paragraph_count(self) -> int:
        """How many paragraphs the library holds."""
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM paragraphs").fetchone()[0])

    def keyword_search(
        self,
        question: str,
        k: int,
        article_ids: Sequence[int] | None = None,
        common_from: int = COMMON_FROM,
    ) -> list[tuple[int, float]]:
        """Best ``k`` paragraphs by BM25 (higher score = better).

        Only paragraphs holding a word found in fewer than ``common_from``
        paragraphs are scored when the question has one; see ``retrieval.text.keywords``.
        """
        with self._lock:
            largest_id = self._db.execute("SELECT MAX(rowid) FROM paragraph_fts").fetchone()[0]
        # No word can be common in a library smaller than ``common_from``: skip the counting.
        counter = self._paragraphs_with if (largest_id or 0) >= common_from else _never_common
        query = plan_keyword_query(question, counter, common_from)
        if query is None:
            return []
        sql, args = bm25_sql(query, k, article_ids)
        with self._lock:
            return [(int(r[0]), float(r[1])) for r in self._db.execute(sql, args)]

    def _paragraphs_with(self, word: str, limit: int) -> int:
        """How many paragraphs hold ``word`` (already quoted-safe), counting up to ``limit``."""
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM (SELECT 1 FROM paragraph_fts"
                " WHERE paragraph_fts MATCH ? LIMIT ?)",
                (f'"{word}"', limit),
            ).fetchone()
        return int(row[0])

    def _articles(self, where: str, args: tuple[object, ...]) -> list[Article]:
        sql = (
            "SELECT a.id, a.title, a.source, a.url, a.published, a.author, a.file,"
            " a.added, a.content_hash,"
            " (SELECT COUNT(*) FROM paragraphs p WHERE p.article_id = a.id)"
            f" FROM articles a {where} ORDER BY a.id"
        )
        with self._lock:
            return [Article(*row) for row in self._db.execute(sql, args)]


def _insert_paragraphs(
    db: sqlite3.Connection,
    article_id: int,
    title: str,
    spans: Sequence[ParagraphSpan],
    vectors: np.ndarray,
) -> list[int]:
    ids = []
    first = _reserve_ids(db, "paragraphs", len(spans))
    for position, (span, vector) in enumerate(zip(spans, vectors, strict=False)):
        paragraph_id = first + position
        db.execute(
            "INSERT INTO paragraphs (id, article_id, position, text, start, end, vector)"
            " VALUES (?,?,?,?,?,?,?)",
            (
                paragraph_id,
                article_id,
                position,
                span.text,
                span.start,
                span.end,
                vector_blob(vector),
            ),
        )
        ids.append(paragraph_id)
        db.execute(
            "INSERT INTO paragraph_fts (rowid, text, title) VALUES (?,?,?)",
            (paragraph_id, span.text, title),
        )
    return ids


def _reserve_ids(db: sqlite3.Connection, table: str, count: int) -> int:
    """The first of ``count`` fresh ids for ``table``, never used before.

    Ids are citation keys: an answer on screen or exported names article and
    paragraph ids, so an id freed by a removal must never come back as
    another article's. The highest id ever handed out is kept in ``meta``
    (SQLite alone would reuse the ids of the newest rows once removed).
    """
    key = f"last_{table}_id"
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    (largest,) = db.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()
    last = max(int(row[0]) if row else 0, int(largest))
    db.execute(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, str(last + count)),
    )
    return last + 1


def _delete_paragraphs(db: sqlite3.Connection, article_id: int) -> list[int]:
    ids = [
        r[0] for r in db.execute("SELECT id FROM paragraphs WHERE article_id = ?", (article_id,))
    ]
    db.executemany("DELETE FROM paragraph_fts WHERE rowid = ?", [(i,) for i in ids])
    db.execute("DELETE FROM paragraphs WHERE article_id = ?", (article_id,))
    return ids


def _never_common(word: str, limit: int) -> int:
    return 0


def _chunks(items: list, size: int) -> Iterator[list]:  # type: ignore[type-arg]
    for start in range(0, len(items), size):
        yield items[start : start + size]
