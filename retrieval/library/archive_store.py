"""The archive's rows on PostgreSQL: articles and paragraphs written one
transaction per article, read back for the library, and the history's
connection (:class:`PostgresStore`).

One transaction per article: the article row (its content hash is UNIQUE)
and its paragraphs (binary COPY) commit together or not at all. A client
killed mid-add leaves nothing; two clients adding the same story store it
once (``ON CONFLICT DO NOTHING``; the loser gets the winner's article).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np
import psycopg
from psycopg import sql

from retrieval.backends.base import Embedder
from retrieval.library.archive_search import ArchiveSearch, as_vector
from retrieval.library.archive_server import connect, ensure_schema, explain, read_only
from retrieval.library.base import ArchiveError
from retrieval.settings import ArchiveSettings
from retrieval.types import Article, ArticleDraft, Paragraph, ParagraphSpan, now_iso

T = TypeVar("T")

_ARTICLE_COLUMNS = (
    "a.id, a.title, a.source, a.url, a.published, a.author, a.file, a.added,"
    " a.content_hash, a.paragraph_count"
)
_PARAGRAPH_QUERY = (
    "SELECT p.id, p.article_id, p.position, p.text, p.start_offset, p.end_offset, p.title"
    " FROM paragraphs p"
)


class PostgresStore(ArchiveSearch):
    """The archive's rows: what :class:`PostgresLibrary` and hybrid search read and write.

    One connection, used under a lock (the window's reader and its worker
    thread may ask at once). A broken connection (server restarted) is
    reopened once before a read gives up.
    """

    def __init__(self, settings: ArchiveSettings, embedder: Embedder) -> None:
        from pgvector.psycopg import register_vector

        self.settings = settings
        self._register = register_vector
        super().__init__()
        self._lock = threading.RLock()
        self._db = connect(settings)
        try:
            ensure_schema(self._db, embedder, settings)
            self._prepare(self._db)
        except BaseException:
            self._db.close()
            raise

    def _prepare(self, db: psycopg.Connection[Any]) -> None:
        try:
            self._register(db)
            ef_search = sql.Literal(self.settings.ef_search)
            db.execute(sql.SQL("SET hnsw.ef_search = {}").format(ef_search))
        except psycopg.Error as error:
            raise ArchiveError(explain(error, self.settings)) from error

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def _run(self, work: Callable[[psycopg.Connection[Any]], T], retry: bool = True) -> T:
        """``work(connection)`` under the lock, its errors in words.

        A read (``retry``) is tried once more on a fresh connection when the
        old one broke (the server restarted); a write is not, since it may
        have committed before the connection dropped.
        """
        with self._lock:
            for attempt in (1, 2):
                db = self._connection()
                try:
                    return work(db)
                except psycopg.OperationalError as error:
                    if attempt == 1 and retry and (db.closed or db.broken):
                        continue
                    raise ArchiveError(explain(error, self.settings)) from error
                except psycopg.Error as error:
                    raise ArchiveError(explain(error, self.settings)) from error
        raise AssertionError("unreachable")

    def _connection(self) -> psycopg.Connection[Any]:
        """The connection, reopened when the server dropped it (call under the lock)."""
        if self._db.closed or self._db.broken:
            self._db = connect(self.settings)
            self._prepare(self._db)
        return self._db

    # -- the history's database (retrieval.library.history.HistoryDatabase) ------

    @contextlib.contextmanager
    def transaction(self, bump_generation: bool = True) -> Iterator[QmarkConnection]:
        """One atomic write of the history: all of it commits, or none of it.

        Args:
            bump_generation: Ignored (the local store's signature): the
                server's indexes follow every write by themselves.

        Raises:
            ArchiveError: The server failed; nothing was written.
        """
        del bump_generation
        with self._lock, self._in_words():
            db = self._connection()
            with db.transaction():
                yield QmarkConnection(db)

    @contextlib.contextmanager
    def reading(self) -> Iterator[QmarkConnection]:
        """The connection, held for a few reads that belong together.

        Raises:
            ArchiveError: The server failed.
        """
        with self._lock, self._in_words():
            yield QmarkConnection(self._connection())

    @contextlib.contextmanager
    def _in_words(self) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as error:
            raise ArchiveError(explain(error, self.settings)) from error

    # -- writing ---------------------------------------------------------

    def check_writable(self) -> None:
        """Make sure this login may add articles, before any is read or embedded.

        Raises:
            ArchiveError: The login lacks INSERT on the archive's tables, or the
                server takes no writes (a replica, ``default_transaction_read_only``).
        """
        [(may_insert, read_only_server)] = self._run(
            lambda db: db.execute(
                "SELECT has_table_privilege('articles', 'INSERT')"
                " AND has_table_privilege('paragraphs', 'INSERT'),"
                " current_setting('transaction_read_only') = 'on'"
            ).fetchall()
        )
        if read_only_server:
            raise ArchiveError(read_only(self.settings, standby=True))
        if not may_insert:
            raise ArchiveError(read_only(self.settings, standby=False))

    def insert_article(
        self,
        draft: ArticleDraft,
        content_hash: str,
        spans: Sequence[ParagraphSpan],
        vectors: np.ndarray,
        added: str | None = None,
    ) -> int | None:
        """Store an article and its paragraphs in one transaction; its id.

        Returns:
            The new article's id, or None when an article with this content
            hash is already stored (another client may have just added it).
        """

        def write(db: psycopg.Connection[Any]) -> int | None:
            with db.transaction():
                row = db.execute(
                    "INSERT INTO articles (title, source, url, published, author, file, added,"
                    " content_hash, paragraph_count, body)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (content_hash) DO NOTHING RETURNING id",
                    (
                        draft.title,
                        draft.source,
                        draft.url,
                        draft.published,
                        draft.author,
                        draft.file,
                        added or now_iso(),
                        content_hash,
                        len(spans),
                        draft.text,
                    ),
                ).fetchone()
                if row is None:
                    return None
                _copy_paragraphs(db, int(row[0]), draft.title, spans, vectors)
                return int(row[0])

        return self._run(write, retry=False)

    def delete_article(self, article_id: int) -> bool:
        """Remove an article (its paragraphs go with it); False when it was not there."""

        def delete(db: psycopg.Connection[Any]) -> bool:
            with db.transaction():
                row = db.execute(
                    "DELETE FROM articles WHERE id = %s RETURNING id", (article_id,)
                ).fetchone()
            return row is not None

        return self._run(delete, retry=False)

    def set_details(
        self, article_id: int, published: str | None, source: str, url: str | None
    ) -> bool:
        """Overwrite an article's publication date, source and web address.

        Returns:
            False when no article has this id.
        """

        def update(db: psycopg.Connection[Any]) -> bool:
            with db.transaction():
                row = db.execute(
                    "UPDATE articles SET published = %s, source = %s, url = %s WHERE id = %s"
                    " RETURNING id",
                    (published, source, url, article_id),
                ).fetchone()
            return row is not None

        return self._run(update, retry=False)

    # -- reading ---------------------------------------------------------

    def articles(self, where: str = "", args: Sequence[object] = ()) -> list[Article]:
        """Articles (all, or those ``where`` selects), oldest first."""
        query = f"SELECT {_ARTICLE_COLUMNS} FROM articles a {where} ORDER BY a.id"
        return self._run(lambda db: [Article(*row) for row in db.execute(query, args)])

    def article(self, article_id: int) -> Article | None:
        """One article by id."""
        rows = self.articles("WHERE a.id = %s", (article_id,))
        return rows[0] if rows else None

    def find_by_hash(self, content_hash: str) -> Article | None:
        """The stored article with this content hash, if any."""
        rows = self.articles("WHERE a.content_hash = %s", (content_hash,))
        return rows[0] if rows else None

    def body(self, article_id: int) -> str:
        """The full body text of an article ("" when it is not there)."""
        rows = self._run(
            lambda db: db.execute(
                "SELECT body FROM articles WHERE id = %s", (article_id,)
            ).fetchall()
        )
        return str(rows[0][0]) if rows else ""

    def paragraphs(
        self, article_id: int | None = None, ids: Sequence[int] | None = None
    ) -> list[Paragraph]:
        """Paragraphs of one article, or those with the given ids (in that order)."""
        if ids is not None:
            wanted = list(ids)
            rows = self._run(
                lambda db: db.execute(
                    f"{_PARAGRAPH_QUERY} WHERE p.id = ANY(%s)", (wanted,)
                ).fetchall()
            )
            found = {row[0]: Paragraph(*row) for row in rows}
            return [found[i] for i in wanted if i in found]
        where, args = ("WHERE p.article_id = %s", (article_id,)) if article_id else ("", ())
        query = f"{_PARAGRAPH_QUERY} {where} ORDER BY p.article_id, p.position"
        return self._run(lambda db: [Paragraph(*row) for row in db.execute(query, args)])

    def paragraph_ids(self, article_ids: Sequence[int] | None = None) -> list[int]:
        """Ids of every paragraph, or of those in the given articles."""
        query = "SELECT id FROM paragraphs"
        args: tuple[object, ...] = ()
        if article_ids is not None:
            query, args = f"{query} WHERE article_id = ANY(%s)", (list(article_ids),)
        return self._run(lambda db: [int(r[0]) for r in db.execute(query, args)])

    def paragraph_count(self) -> int:
        """How many paragraphs the archive holds."""
        rows = self._run(lambda db: db.execute("SELECT count(*) FROM paragraphs").fetchall())
        return int(rows[0][0])

    def article_vectors(self, article_id: int) -> np.ndarray:
        """An article's vectors in paragraph order, shape ``(paragraphs, dimension)``."""
        rows = self._run(
            lambda db: db.execute(
                "SELECT embedding FROM paragraphs WHERE article_id = %s ORDER BY position",
                (article_id,),
            ).fetchall()
        )
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([np.asarray(r[0].to_numpy(), dtype=np.float32) for r in rows])


class QmarkConnection:
    """A connection that reads the history's SQL, written for SQLite as well.

    psycopg's placeholders are ``%s``: each ``?`` becomes one (that SQL holds
    no ``?`` or ``%`` of its own). SQLite's ``cursor.lastrowid`` after an
    INSERT is PostgreSQL's ``RETURNING id``, added here.
    """

    def __init__(self, db: psycopg.Connection[Any]) -> None:
        self.db = db

    def execute(self, query: str, params: Sequence[object] = ()) -> Any:
        """Run ``query`` with ``params``; a cursor (``fetchone``, ``rowcount``, ``lastrowid``…)."""
        query = query.replace("?", "%s")
        if not query.lstrip().upper().startswith("INSERT"):
            return self.db.execute(query, params)  # type: ignore[arg-type]
        cursor = self.db.execute(query + " RETURNING id", params)  # type: ignore[arg-type]
        return _Inserted(int(cursor.fetchone()[0]), cursor.rowcount)  # type: ignore[index]


class _Inserted:
    """What the history reads of an INSERT's cursor."""

    def __init__(self, lastrowid: int, rowcount: int) -> None:
        self.lastrowid = lastrowid
        self.rowcount = rowcount


def _copy_paragraphs(
    db: psycopg.Connection[Any],
    article_id: int,
    title: str,
    spans: Sequence[ParagraphSpan],
    vectors: np.ndarray,
) -> None:
    """Write an article's paragraphs by binary COPY (inside the caller's transaction)."""
    with (
        db.cursor() as cursor,
        cursor.copy(
            "COPY paragraphs (article_id, position, title, text, start_offset, end_offset,"
            " embedding) FROM STDIN WITH (FORMAT BINARY)"
        ) as copy,
    ):
        copy.set_types(["int8", "int4", "text", "text", "int4", "int4", "vector"])
        for position, (span, vector) in enumerate(zip(spans, vectors, strict=True)):
            copy.write_row(
                (article_id, position, title, span.text, span.start, span.end, as_vector(vector))
            )
