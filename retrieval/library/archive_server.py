"""Reaching the shared archive's server: connecting, the password, errors in
words, and the schema the app creates and migrates.

The password is never a setting: ``NEWSDESK_DB_PASSWORD``, then the system
keyring (service ``Newsdesk``, entry ``postgres:USER@HOST/DBNAME``), then
libpq's own ``~/.pgpass`` / ``PGPASSFILE``.

The schema is versioned in ``newsdesk_meta`` and brought up to
:data:`SCHEMA_VERSION` by :func:`ensure_schema`, one :data:`MIGRATIONS` step
after another, all in one transaction under an advisory lock so two clients
starting at once migrate once.
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict

from retrieval.backends.base import Embedder
from retrieval.library.base import ArchiveError
from retrieval.settings import ArchiveSettings

PASSWORD_ENV = "NEWSDESK_DB_PASSWORD"
KEYRING_SERVICE = "Newsdesk"
_LOCK_KEY = 0x4E455753  # pg_advisory_xact_lock key for migrations ("NEWS")


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


def _migration_2(dimension: int) -> sql.Composed:
    """The history of questions, answers and briefings (:mod:`retrieval.library.history`).

    The rows of every login are kept in ``history_entry_rows`` and
    ``history_result_rows`` with the login's name (``user_name``, filled in
    by the server); the history reads and writes the views
    ``history_entries`` and ``history_results``, which hold only the rows of
    ``current_user`` and refuse any other (``WITH CHECK OPTION``). So on a
    shared archive each login lists, renames and deletes only its own entries,
    and a result can only join its own login's entry (the composite foreign
    key). Every login may keep its own history, a read-only one too: the
    views are granted to PUBLIC, the tables behind them are not. Columns
    match the local library's history tables, so one SQL serves both.
    """
    del dimension  # the history holds no vectors
    return sql.SQL(
        """
        CREATE TABLE history_entry_rows (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_name text NOT NULL DEFAULT current_user,
            kind text NOT NULL CHECK (kind IN ('conversation', 'briefing')),
            title text NOT NULL,
            created text NOT NULL,
            updated text NOT NULL,
            UNIQUE (id, user_name)
        );
        CREATE TABLE history_result_rows (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            user_name text NOT NULL DEFAULT current_user,
            entry_id bigint NOT NULL,
            position integer NOT NULL,
            kind text NOT NULL CHECK (kind IN ('answer', 'briefing')),
            created text NOT NULL,
            scope text,
            payload text NOT NULL,
            UNIQUE (entry_id, position),
            FOREIGN KEY (entry_id, user_name)
                REFERENCES history_entry_rows (id, user_name) ON DELETE CASCADE
        );
        CREATE INDEX history_entry_rows_user ON history_entry_rows (user_name, updated);
        CREATE VIEW history_entries WITH (security_barrier) AS
            SELECT id, kind, title, created, updated FROM history_entry_rows
            WHERE user_name = current_user::text WITH CASCADED CHECK OPTION;
        CREATE VIEW history_results WITH (security_barrier) AS
            SELECT id, entry_id, position, kind, created, scope, payload FROM history_result_rows
            WHERE user_name = current_user::text WITH CASCADED CHECK OPTION;
        GRANT SELECT, INSERT, UPDATE, DELETE ON history_entries, history_results TO PUBLIC;
        """
    ).format()


# What SQLite FTS5's unicode61 tokenizer treats as separators: white space and
# punctuation (ASCII, Latin-1, general and CJK), currency signs, arrows,
# mathematical and other symbols, emoji. A token is a run of anything else.
SEPARATORS = (
    r"[\s!-/:-@\[-`{-~\u00A0-\u00BF\u00D7\u00F7\u2000-\u206F\u20A0-\u20CF"
    r"\u2190-\u2BFF\u2E00-\u2E7F\u3000-\u303F\U0001F000-\U0001FAFF]+"
)
TOKEN_PATTERN = "[^" + SEPARATORS[1:]


def _accent_folding() -> tuple[str, str]:
    """Latin letters with diacritics (U+00C0–U+024F) and their bare letters, as
    unicode61's ``remove_diacritics`` folds them (``translate`` arguments)."""
    accented, bare = [], []
    for code in range(0xC0, 0x250):
        letter = chr(code)
        base = unicodedata.normalize("NFKD", letter)[:1]
        if base != letter and base.isascii() and base.isalpha():
            accented.append(letter)
            bare.append(base)
    return "".join(accented), "".join(bare)


def _migration_3(dimension: int) -> sql.Composed:
    """Keyword search that ranks as the local library's FTS5 BM25 does.

    The ``tsvector`` is rebuilt to hold the terms FTS5's ``porter unicode61``
    tokenizer makes: ``newsdesk_words(text)`` turns separators into spaces
    and folds accents (so PostgreSQL's parser finds no paths, e-mail
    addresses or hyphenated compounds), and the ``newsdesk`` text search
    configuration stems every word with Porter's stemmer (Snowball's
    ``porter``; FTS5 adds the ``-logi``/``-bli`` rules and leaves two-letter
    words, 24 of 12,515 distinct words of the evaluation articles stem
    otherwise) and drops no stop word, as FTS5 does not. ``paragraphs.tokens``: the row's length in
    tokens (text and title, as FTS5 counts them). ``paragraph_totals``: one
    row holding how many paragraphs the archive has and their tokens;
    ``lexeme_hits``: how many paragraphs hold each stem (BM25's document
    frequency). Both are kept by statement triggers in the adding or
    deleting transaction: exact, and read by index per search instead of
    counted over the table.

    On an archive of 10⁶ paragraphs this migration rewrites the table and
    rebuilds the keyword index once (minutes).
    """
    del dimension
    accented, bare = _accent_folding()
    return sql.SQL(
        """
        CREATE TEXT SEARCH DICTIONARY newsdesk_porter (TEMPLATE = snowball, LANGUAGE = porter);
        CREATE TEXT SEARCH CONFIGURATION newsdesk (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION newsdesk ALTER MAPPING FOR asciiword, asciihword,
            hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart
            WITH newsdesk_porter;
        CREATE FUNCTION newsdesk_words(text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            AS $$ SELECT translate(regexp_replace($1, {separators}, ' ', 'g'),
                                   {accented}, {bare}) $$;
        DROP INDEX IF EXISTS paragraphs_tsv;
        ALTER TABLE paragraphs DROP COLUMN tsv;
        ALTER TABLE paragraphs
            ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('newsdesk', newsdesk_words(text)), 'A')
                || setweight(to_tsvector('newsdesk', newsdesk_words(title)), 'B')
            ) STORED,
            ADD COLUMN tokens integer GENERATED ALWAYS AS (
                length(regexp_replace(text || ' ' || title, {token}, '#', 'g'))
                - length(regexp_replace(text || ' ' || title, {token}, '', 'g'))
            ) STORED;
        CREATE INDEX paragraphs_tsv ON paragraphs USING gin (tsv);
        CREATE TABLE paragraph_totals (
            single boolean PRIMARY KEY DEFAULT true CHECK (single),
            paragraphs bigint NOT NULL,
            tokens bigint NOT NULL
        );
        INSERT INTO paragraph_totals (paragraphs, tokens)
            SELECT count(*), coalesce(sum(tokens), 0) FROM paragraphs;
        CREATE TABLE lexeme_hits (
            lexeme text PRIMARY KEY,
            paragraphs bigint NOT NULL
        );
        INSERT INTO lexeme_hits (lexeme, paragraphs)
            SELECT lexeme, count(*) FROM paragraphs, unnest(tsvector_to_array(tsv)) AS lexeme
            GROUP BY lexeme;
        CREATE FUNCTION paragraph_totals_added() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE paragraph_totals SET
                paragraphs = paragraphs + (SELECT count(*) FROM changed),
                tokens = tokens + (SELECT coalesce(sum(tokens), 0) FROM changed);
            -- in lexeme order, so that two adding clients lock rows in one order
            INSERT INTO lexeme_hits AS h (lexeme, paragraphs)
                SELECT lexeme, count(*)
                FROM changed, unnest(tsvector_to_array(changed.tsv)) AS lexeme
                GROUP BY lexeme ORDER BY lexeme
                ON CONFLICT (lexeme) DO UPDATE SET paragraphs = h.paragraphs + excluded.paragraphs;
            RETURN NULL;
        END $$;
        CREATE FUNCTION paragraph_totals_removed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE paragraph_totals SET
                paragraphs = paragraphs - (SELECT count(*) FROM changed),
                tokens = tokens - (SELECT coalesce(sum(tokens), 0) FROM changed);
            PERFORM 1 FROM lexeme_hits WHERE lexeme IN (
                SELECT unnest(tsvector_to_array(tsv)) FROM changed) ORDER BY lexeme FOR UPDATE;
            UPDATE lexeme_hits h SET paragraphs = h.paragraphs - gone.paragraphs
                FROM (SELECT lexeme, count(*) AS paragraphs
                      FROM changed, unnest(tsvector_to_array(changed.tsv)) AS lexeme
                      GROUP BY lexeme) gone
                WHERE h.lexeme = gone.lexeme;
            RETURN NULL;
        END $$;
        CREATE TRIGGER paragraphs_added AFTER INSERT ON paragraphs
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
            EXECUTE FUNCTION paragraph_totals_added();
        CREATE TRIGGER paragraphs_removed AFTER DELETE ON paragraphs
            REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
            EXECUTE FUNCTION paragraph_totals_removed();
        """
    ).format(
        separators=sql.Literal(SEPARATORS),
        token=sql.Literal(TOKEN_PATTERN),
        accented=sql.Literal(accented),
        bare=sql.Literal(bare),
    )


MIGRATIONS: list[tuple[int, Callable[[int], sql.Composed]]] = [
    (1, _migration_1),
    (2, _migration_2),
    (3, _migration_3),
]
"""(version, SQL builder taking the vector dimension), applied in order."""

SCHEMA_VERSION = MIGRATIONS[-1][0]


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


def read_only(settings: ArchiveSettings, standby: bool) -> str:
    """Why this archive cannot be written, in words: the login's rights, or the server.

    Args:
        settings: The archive (named in the message).
        standby: The server itself takes no writes (a replica, or
            ``default_transaction_read_only``) rather than the login lacking rights.
    """
    where = describe(settings.dsn)
    if standby:
        return (
            f"The archive {where} is a read-only server (a replica, or writes are switched "
            "off for this login): you can ask and brief, but add or remove articles on the "
            "archive's main server."
        )
    return (
        f"The archive {where} is read-only for this login: you can ask and brief, but "
        "adding or removing articles needs write access (ask the archive's administrator)."
    )


def explain(error: BaseException, settings: ArchiveSettings) -> str:
    """A PostgreSQL or connection error in words, naming the server (never the password)."""
    where = describe(settings.dsn)
    text = str(error).strip()
    lower = text.lower()
    if isinstance(error, errors.InsufficientPrivilege) or "permission denied" in lower:
        return read_only(settings, standby=False)
    if isinstance(error, errors.ReadOnlySqlTransaction):
        return read_only(settings, standby=True)
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
                    if version == 0:  # a new archive is built with this model
                        _set_meta(db, "embedding_model", embedder.name)
                        _set_meta(db, "dimension", str(embedder.dimension))
        except ArchiveError:
            raise
        except errors.InsufficientPrivilege as error:
            needed = (
                "has no Newsdesk tables yet, and this login may not create them"
                if version == 0
                else f"needs an upgrade (schema {version} to {SCHEMA_VERSION}) that this login "
                "may not make"
            )
            raise ArchiveError(
                f"The archive {describe(settings.dsn)} {needed}: connect once as the archive's "
                "owner (see the README, 'A shared archive on PostgreSQL')."
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
    # A query of pg_class, not to_regclass(): to_regclass reads the backend's catalog
    # cache, which waiting for the advisory lock does not refresh, so a client that
    # waited while another created the tables would still see none and migrate again.
    row = db.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c"
        " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relname = 'newsdesk_meta' AND n.nspname = current_schema())"
    ).fetchone()
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
