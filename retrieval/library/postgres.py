"""A shared archive on PostgreSQL with pgvector: the library for a team.

Same contract as the local library (:class:`retrieval.library.base.ArticleLibrary`):

- The schema is created and migrated by the app (``MIGRATIONS``, versioned in
  ``newsdesk_meta``), under an advisory lock so two clients starting at once
  migrate once. Articles; paragraphs with their offsets, a generated
  ``tsvector`` (paragraph text weighted A, title B) with a GIN index, and a
  ``vector(dimension)`` column with an HNSW index for cosine distance.
- One transaction per article: the article row (its content hash is UNIQUE)
  and its paragraphs (binary COPY) commit together or not at all. A client
  killed mid-add leaves nothing; two clients adding the same story store it
  once (``ON CONFLICT DO NOTHING``; the loser gets the winner's article).
- Hybrid search runs on the server in one statement: a kNN query and a
  ``ts_rank_cd`` keyword query, each ``depth`` deep, fused by reciprocal rank
  fusion exactly as :func:`retrieval.search.hybrid.reciprocal_rank_fusion`
  fuses them locally (same constant, same tie order).
- Every failure becomes an :class:`~retrieval.library.base.ArchiveError`
  saying in words what happened: server down, too slow, login refused,
  read-only role, pgvector missing.

The password is never a setting: ``NEWSDESK_DB_PASSWORD``, then the system
keyring (service ``Newsdesk``, entry ``postgres:USER@HOST/DBNAME``), then
libpq's own ``~/.pgpass`` / ``PGPASSFILE``.

HNSW: Malkov and Yashunin, "Efficient and robust approximate nearest neighbor
search using Hierarchical Navigable Small World graphs" (2016), as implemented
by pgvector (https://github.com/pgvector/pgvector).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np
import psycopg
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict

from retrieval.backends.base import Embedder
from retrieval.library.base import ArchiveError, ArticleLibrary
from retrieval.settings import ArchiveSettings, IngestSettings
from retrieval.text.keywords import content_words
from retrieval.types import Article, ArticleDraft, Paragraph, ParagraphSpan, now_iso

PASSWORD_ENV = "NEWSDESK_DB_PASSWORD"
KEYRING_SERVICE = "Newsdesk"
SCHEMA_VERSION = 1
EF_SEARCH = 200
"""HNSW candidates per query (pgvector's ``hnsw.ef_search``); must exceed the fused depth."""
SCORED_ROWS = 2_000
"""About how many rows a keyword query scores at most (see ``PostgresStore.keyword_plan``)."""
STATISTICS_SECONDS = 60.0
"""How long the server's word-frequency estimates are reused before they are read again."""
_LOCK_KEY = 0x4E455753  # pg_advisory_xact_lock key for migrations ("NEWS")

T = TypeVar("T")


def _migration_1(dimension: int) -> sql.Composed:
    return sql.SQL(
        """
        CREATE TABLE IF NOT EXISTS articles (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            title text NOT NULL,
            source text NOT NULL,
            url text,
            published text,
            author text,
            file text,
            added text NOT NULL,
            content_hash text NOT NULL UNIQUE,
            paragraph_count integer NOT NULL,
            body text NOT NULL
        );
        CREATE TABLE IF NOT EXISTS paragraphs (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            article_id bigint NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            position integer NOT NULL,
            title text NOT NULL,
            text text NOT NULL,
            start_offset integer NOT NULL,
            end_offset integer NOT NULL,
            embedding vector({dimension}) NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', text), 'A')
                || setweight(to_tsvector('english', title), 'B')
            ) STORED,
            UNIQUE (article_id, position)
        );
        CREATE INDEX IF NOT EXISTS paragraphs_tsv ON paragraphs USING gin (tsv);
        CREATE INDEX IF NOT EXISTS paragraphs_embedding
            ON paragraphs USING hnsw (embedding vector_cosine_ops);
        """
    ).format(dimension=sql.Literal(dimension))


MIGRATIONS: list[tuple[int, Callable[[int], sql.Composed]]] = [(1, _migration_1)]
"""(version, SQL builder taking the vector dimension), applied in order."""


# -- connecting ----------------------------------------------------------------


def describe(dsn: str) -> str:
    """``user@host:port/dbname`` of a connection string, never its password."""
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "the server in archive.dsn"
    user = parts.get("user") or os.environ.get("PGUSER") or os.environ.get("USER", "")
    host = str(parts.get("host") or os.environ.get("PGHOST") or "localhost")
    if host.startswith("/"):
        host = f"socket {host}"
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"{user}@{host}{port}/{parts.get('dbname') or user}"


def keyring_entry(dsn: str) -> str:
    """The keyring entry name under service ``Newsdesk`` for this connection."""
    return f"postgres:{describe(dsn)}"


def database_password(dsn: str) -> str | None:
    """``NEWSDESK_DB_PASSWORD``, else the keyring's entry; None lets libpq read ``.pgpass``."""
    from_env = os.environ.get(PASSWORD_ENV, "")
    if from_env:
        return from_env
    with contextlib.suppress(Exception):  # no keyring, or a locked one: fall through to .pgpass
        import keyring

        stored = keyring.get_password(KEYRING_SERVICE, keyring_entry(dsn))
        if stored:
            return str(stored)
    return None


def connect(settings: ArchiveSettings) -> psycopg.Connection[Any]:
    """An autocommit connection to the archive, with pgvector's types registered.

    Raises:
        ArchiveError: No connection string, the server cannot be reached, does
            not answer within ``connect_timeout_seconds``, or refuses the login.
    """
    if not settings.dsn.strip():
        raise ArchiveError(
            "archive.backend is 'postgres' but no server is set: give archive.dsn "
            "(NEWSDESK_ARCHIVE__DSN), e.g. postgresql://analyst@db.example.org/news"
        )
    options: dict[str, Any] = {
        "connect_timeout": settings.connect_timeout_seconds,
        "application_name": "Newsdesk",
        "options": f"-c statement_timeout={int(settings.statement_timeout_seconds * 1000)}",
        "autocommit": True,
    }
    if settings.sslmode:
        options["sslmode"] = settings.sslmode
    password = database_password(settings.dsn)
    if password is not None:
        options["password"] = password
    try:
        return psycopg.connect(settings.dsn, **options)
    except psycopg.Error as error:
        raise ArchiveError(explain(error, settings)) from error


def explain(error: BaseException, settings: ArchiveSettings) -> str:
    """A PostgreSQL or connection error in words, naming the server (never the password)."""
    where = describe(settings.dsn)
    text = str(error).strip()
    lower = text.lower()
    if isinstance(error, errors.InsufficientPrivilege) or "permission denied" in lower:
        return (
            f"The archive {where} is read-only for this login: you can ask and brief, but "
            "adding or removing articles needs write access (ask the archive's administrator)."
        )
    if isinstance(error, errors.QueryCanceled) or "statement timeout" in lower:
        return (
            f"The archive {where} did not finish within {settings.statement_timeout_seconds:g} s "
            "(archive.statement_timeout_seconds): the server is busy or slow. Nothing was lost; "
            "try again."
        )
    if "password authentication failed" in lower or "no password supplied" in lower:
        return (
            f"The archive {where} refused the login: check the password ({PASSWORD_ENV}, "
            "the system keyring or ~/.pgpass) and the user name in archive.dsn."
        )
    if "timeout expired" in lower:
        return (
            f"The archive {where} did not answer within {settings.connect_timeout_seconds} s "
            "(archive.connect_timeout_seconds): the server is down, slow or unreachable."
        )
    if "does not exist" in lower and "database" in lower:
        return f"The archive {where}: the database does not exist on that server ({text})."
    if "no pg_hba.conf entry" in lower or "authentication" in lower:
        return f"The archive {where} refused the login ({text})."
    if isinstance(error, psycopg.OperationalError):
        return (
            f"The archive {where} cannot be reached: is the server running and the address "
            f"right? ({text.splitlines()[0] if text else type(error).__name__})"
        )
    return f"The archive {where} failed: {text or type(error).__name__}"


# -- the schema ------------------------------------------------------------------


def ensure_schema(
    db: psycopg.Connection[Any], embedder: Embedder, settings: ArchiveSettings
) -> None:
    """Create or migrate the archive's tables; check it was built with ``embedder``.

    Raises:
        ArchiveError: pgvector is missing and this login may not create it; the
            archive is newer than this Newsdesk; the login may not create the
            tables of a new archive; or the archive was built with another
            embedding model (its vectors would mean nothing to this one).
    """
    version = _schema_version(db)
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"The archive {describe(settings.dsn)} was made by a newer Newsdesk (schema "
            f"{version}; this one knows {SCHEMA_VERSION}): update Newsdesk."
        )
    if version < SCHEMA_VERSION:
        try:
            with db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                version = _schema_version(db)  # another client may have migrated meanwhile
                if version < SCHEMA_VERSION:
                    _create_extension(db, settings)
                    db.execute(
                        "CREATE TABLE IF NOT EXISTS newsdesk_meta"
                        " (key text PRIMARY KEY, value text NOT NULL)"
                    )
                    for number, migration in MIGRATIONS:
                        if number > version:
                            db.execute(migration(embedder.dimension))
                    _set_meta(db, "schema_version", str(SCHEMA_VERSION))
                    _set_meta(db, "embedding_model", embedder.name)
                    _set_meta(db, "dimension", str(embedder.dimension))
        except ArchiveError:
            raise
        except errors.InsufficientPrivilege as error:
            raise ArchiveError(
                f"The archive {describe(settings.dsn)} has no Newsdesk tables yet, and this "
                "login may not create them: connect once as the archive's owner (see the "
                "README, 'A shared archive on PostgreSQL')."
            ) from error
        except psycopg.Error as error:
            raise ArchiveError(explain(error, settings)) from error
    model = _meta(db, "embedding_model")
    if model is not None and model != embedder.name:
        raise ArchiveError(
            f"The archive {describe(settings.dsn)} was built with the embedding model {model!r}; "
            f"this Newsdesk uses {embedder.name!r}. Choose that model in Settings "
            "(retrieval.embedding_model) to use this archive."
        )


def _create_extension(db: psycopg.Connection[Any], settings: ArchiveSettings) -> None:
    if db.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone():
        return
    try:
        with db.transaction():
            db.execute("CREATE EXTENSION IF NOT EXISTS vector")
    except psycopg.Error as error:
        raise ArchiveError(
            f"The archive {describe(settings.dsn)} lacks the pgvector extension and this login "
            "may not install it: a database administrator must run CREATE EXTENSION vector; "
            f"({str(error).strip().splitlines()[0]})"
        ) from error


def _schema_version(db: psycopg.Connection[Any]) -> int:
    row = db.execute("SELECT to_regclass('newsdesk_meta') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return 0
    value = _meta(db, "schema_version")
    return int(value) if value else 0


def _meta(db: psycopg.Connection[Any], key: str) -> str | None:
    row = db.execute("SELECT value FROM newsdesk_meta WHERE key = %s", (key,)).fetchone()
    return str(row[0]) if row else None


def _set_meta(db: psycopg.Connection[Any], key: str, value: str) -> None:
    db.execute(
        "INSERT INTO newsdesk_meta VALUES (%s, %s)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


# -- reading and writing -------------------------------------------------------

_ARTICLE_COLUMNS = (
    "a.id, a.title, a.source, a.url, a.published, a.author, a.file, a.added,"
    " a.content_hash, a.paragraph_count"
)
_PARAGRAPH_QUERY = (
    "SELECT p.id, p.article_id, p.position, p.text, p.start_offset, p.end_offset, p.title"
    " FROM paragraphs p"
)


def _any_lexeme(name: str) -> str:
    """SQL: a tsquery OR-ing the stems in parameter ``name`` ('simple' keeps them as
    they are); NULL when there are none, which matches nothing."""
    return (
        "(SELECT to_tsquery('simple', string_agg(quote_literal(lexeme), ' | '))"
        f" FROM unnest(%({name})s::text[]) AS lexeme)"
    )


# The kNN (HNSW, or exact in chosen articles), equal distances in id order.
_DENSE = (
    "SELECT id, row_number() OVER (ORDER BY distance, id) AS rank FROM ("
    " SELECT id, embedding <=> %(query)s AS distance FROM {source}"
    " ORDER BY embedding <=> %(query)s LIMIT %(depth)s) nearest"
)
# Every stem of the question scores (ts_rank_cd, text weighted 1.0, title 0.4
# as the local BM25 weights them); only rows holding a selective stem are scored.
_KEYWORD = (
    "SELECT id, score, row_number() OVER (ORDER BY score DESC, id) AS rank FROM ("
    " SELECT p.id, ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', p.tsv, q.every) AS score"
    f" FROM paragraphs p, (SELECT {_any_lexeme('every')} AS every,"
    f" {_any_lexeme('selective')} AS selective) q"
    " WHERE p.tsv @@ q.selective {scope} ORDER BY score DESC, p.id LIMIT %(depth)s) best"
)
# Exact search inside chosen articles (HNSW would filter after its candidate
# list and could miss them); OFFSET 0 keeps the planner from using HNSW.
_CHOSEN = (
    "(SELECT * FROM (SELECT id, embedding FROM paragraphs"
    " WHERE article_id = ANY(%(articles)s) OFFSET 0) chosen)"
)


class PostgresStore:
    """The archive's rows: what :class:`PostgresLibrary` and hybrid search read and write.

    One connection, used under a lock (the window's reader and its worker
    thread may ask at once). A broken connection (server restarted) is
    reopened once before a read gives up.
    """

    def __init__(self, settings: ArchiveSettings, embedder: Embedder) -> None:
        from pgvector.psycopg import register_vector

        self.settings = settings
        self._register = register_vector
        self._lock = threading.RLock()
        self._stem_cache: dict[str, list[str]] = {}
        self._counts: dict[str, float] = {}
        self._counts_read = -float("inf")
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
            db.execute(sql.SQL("SET hnsw.ef_search = {}").format(sql.Literal(EF_SEARCH)))
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
                if self._db.closed or self._db.broken:
                    self._db = connect(self.settings)
                    self._prepare(self._db)
                try:
                    return work(self._db)
                except psycopg.OperationalError as error:
                    if attempt == 1 and retry and (self._db.closed or self._db.broken):
                        continue
                    raise ArchiveError(explain(error, self.settings)) from error
                except psycopg.Error as error:
                    raise ArchiveError(explain(error, self.settings)) from error
        raise AssertionError("unreachable")

    # -- writing ---------------------------------------------------------

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

    def dense_search(
        self, query: np.ndarray, k: int, article_ids: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (paragraph id, cosine similarity) pairs by HNSW (exact in chosen articles)."""
        source = "paragraphs" if article_ids is None else _CHOSEN
        statement = (
            "SELECT id, 1 - distance FROM ("
            f" SELECT id, embedding <=> %(query)s AS distance FROM {source}"
            " ORDER BY embedding <=> %(query)s LIMIT %(depth)s) nearest ORDER BY distance, id"
        )
        args = {"query": _vector(query), "depth": k, "articles": list(article_ids or [])}
        return self._run(lambda db: [(int(r[0]), float(r[1])) for r in db.execute(statement, args)])

    def keyword_search(
        self, question: str, k: int, article_ids: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (paragraph id, ``ts_rank_cd`` score) pairs, best first."""
        every, selective = self.keyword_plan(question)
        if not every:
            return []
        scope = "" if article_ids is None else "AND p.article_id = ANY(%(articles)s)"
        statement = _KEYWORD.format(scope=scope) + " ORDER BY rank"
        args = {
            "every": every,
            "selective": selective,
            "depth": k,
            "articles": list(article_ids or []),
        }
        return self._run(lambda db: [(int(r[0]), float(r[1])) for r in db.execute(statement, args)])

    def keyword_plan(self, question: str) -> tuple[list[str], list[str]]:
        """The question's English stems: all of them (they score), and those that pick the rows.

        ``ts_rank_cd`` reads each scored row's ``tsvector`` from the table, so
        the cost is in rows scored. As locally
        (``retrieval.text.keywords.plan_keyword_query``) every stem scores but
        only rows holding one of the question's rarer stems are scored: here
        the rarest stems whose paragraphs add up to at most ``SCORED_ROWS``
        (always at least the rarest one). A row holding none of them holds
        only the question's common words and ranks low anyway. How many
        paragraphs hold a stem is PostgreSQL's own estimate
        (``pg_stats.most_common_elems`` of ``tsv``, kept by ANALYZE; a stem not
        listed is rarer than every listed one), read at most once a minute.
        """
        every = list(dict.fromkeys(s for w in content_words(question) for s in self._stems(w)))
        counts = self._stem_counts()
        floor = min(counts.values(), default=0.0)
        estimate = {stem: counts.get(stem, floor) for stem in every}
        if sum(estimate.values()) <= SCORED_ROWS:
            return every, every
        selective: list[str] = []
        rows = 0.0
        for stem in sorted(every, key=lambda stem: estimate[stem]):
            if selective and rows + estimate[stem] > SCORED_ROWS:
                break
            selective.append(stem)
            rows += estimate[stem]
        return every, selective

    def _stems(self, word: str) -> list[str]:
        """The English stems of one word, as ``to_tsvector('english', …)`` makes them."""
        if word not in self._stem_cache:
            rows = self._run(
                lambda db: db.execute(
                    "SELECT tsvector_to_array(to_tsvector('english', %s))", (word,)
                ).fetchall()
            )
            if len(self._stem_cache) > 50_000:
                self._stem_cache.clear()
            self._stem_cache[word] = list(rows[0][0] or [])
        return self._stem_cache[word]

    def _stem_counts(self) -> dict[str, float]:
        """Estimated paragraphs holding each common stem (empty before the first ANALYZE)."""
        now = time.monotonic()
        if now - self._counts_read < STATISTICS_SECONDS:
            return self._counts
        rows = self._run(
            lambda db: db.execute(
                "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs,"
                " c.reltuples FROM pg_stats s JOIN pg_class c ON c.oid = 'paragraphs'::regclass"
                " WHERE s.schemaname = current_schema() AND s.tablename = 'paragraphs'"
                " AND s.attname = 'tsv'"
            ).fetchall()
        )
        counts: dict[str, float] = {}
        if rows and rows[0][0] and rows[0][1]:
            stems, frequencies, total = rows[0]
            counts = {s: f * max(total, 0) for s, f in zip(stems, frequencies, strict=False)}
        self._counts, self._counts_read = counts, now
        return counts

    def hybrid_ranking(
        self,
        query: np.ndarray,
        question: str,
        depth: int,
        limit: int,
        article_ids: Sequence[int] | None,
        rrf_k: int,
    ) -> list[tuple[int, float, int | None, int | None]]:
        """Dense and keyword rankings fused by reciprocal rank fusion, in one statement.

        ``score = 1/(rrf_k + dense rank) + 1/(rrf_k + keyword rank)`` (a missing
        rank adds nothing); ties keep the dense ranking's order, then the
        keyword ranking's, as the local fusion does (Cormack, Clarke and
        Büttcher, SIGIR 2009).

        Returns:
            Up to ``limit`` ``(paragraph id, score, dense rank, keyword rank)``, best first.
        """
        source = "paragraphs" if article_ids is None else _CHOSEN
        scope = "" if article_ids is None else "AND p.article_id = ANY(%(articles)s)"
        every, selective = self.keyword_plan(question)
        statement = (
            f"WITH dense AS ({_DENSE.format(source=source)}),"
            f" keyword AS ({_KEYWORD.format(scope=scope)})"
            " SELECT coalesce(d.id, k.id),"
            " coalesce(1.0::float8 / (%(rrf)s + d.rank), 0) + coalesce(1.0::float8 / (%(rrf)s"
            " + k.rank), 0) AS score, d.rank, k.rank"
            " FROM dense d FULL OUTER JOIN keyword k ON k.id = d.id"
            " ORDER BY score DESC, d.rank NULLS LAST, k.rank LIMIT %(limit)s"
        )
        args = {
            "query": _vector(query),
            "every": every,
            "selective": selective,
            "depth": depth,
            "limit": limit,
            "rrf": rrf_k,
            "articles": list(article_ids or []),
        }
        return self._run(
            lambda db: [
                (int(r[0]), float(r[1]), _rank(r[2]), _rank(r[3]))
                for r in db.execute(statement, args)
            ]
        )


class PostgresVectors:
    """The archive's dense index seen as a :class:`~retrieval.library.base.DenseIndex`.

    The HNSW index lives in the server and follows every committed write, so
    there is nothing to add, remove or save here.
    """

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def __len__(self) -> int:
        return self.store.paragraph_count()

    def search(
        self, query: np.ndarray, k: int, allowed: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (paragraph id, cosine similarity), optionally among ``allowed`` ids."""
        if allowed is None:
            return self.store.dense_search(query, k)
        wanted = set(allowed)
        # Rank the allowed paragraphs exactly: their articles, then keep only those ids.
        articles = sorted({p.article_id for p in self.store.paragraphs(ids=list(wanted))})
        found = self.store.dense_search(query, len(wanted), articles)
        return [(pid, score) for pid, score in found if pid in wanted][:k]

    def ids(self) -> set[int]:
        """Every paragraph id in the archive."""
        return set(self.store.paragraph_ids())


class PostgresLibrary(ArticleLibrary):
    """A shared archive on a PostgreSQL server: an :class:`~retrieval.library.base.ArticleLibrary`.

    Raises (on construction):
        ArchiveError: The server cannot be reached, refuses the login, lacks
            pgvector, or holds an archive of another embedding model.
    """

    def __init__(
        self, settings: ArchiveSettings, embedder: Embedder, ingest: IngestSettings
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.ingest = ingest
        self.store: PostgresStore = PostgresStore(settings, embedder)
        self._vectors = PostgresVectors(self.store)

    @property
    def where(self) -> str:
        """``user@host/dbname``, for messages."""
        return describe(self.settings.dsn)

    def vectors(self) -> PostgresVectors:
        """The dense index (kept by the server)."""
        return self._vectors

    def close(self) -> None:
        """Close the connection."""
        self.store.close()

    def store_article(
        self,
        draft: ArticleDraft,
        digest: str,
        spans: Sequence[ParagraphSpan],
        vectors: np.ndarray,
        added: str | None = None,
    ) -> Article:
        """Write one article with its paragraphs and vectors in one transaction.

        When another client stored the same text first, its article is
        returned and nothing is written.

        Raises:
            ArchiveError: The login is read-only, or the server failed (nothing is written).
        """
        article_id = self.store.insert_article(draft, digest, spans, vectors, added)
        article = self.find_by_hash(digest) if article_id is None else self.article(article_id)
        if article is None:  # stored, then removed by another client at once
            raise ArchiveError(f"The article was removed from the archive {self.where} meanwhile.")
        return article

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Nothing to group: the server indexes every committed article at once."""
        yield

    def remove(self, article_id: int) -> bool:
        """Remove an article and its paragraphs; False when it was not there."""
        return self.store.delete_article(article_id)


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
                (article_id, position, title, span.text, span.start, span.end, _vector(vector))
            )


def _vector(vector: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(vector, dtype=np.float32)


def _rank(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]
