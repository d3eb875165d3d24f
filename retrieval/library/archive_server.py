"""Reaching the shared archive's server: connecting, the password, errors in
words, and the schema the app creates and migrates.

The password is never a setting: ``NEWSDESK_DB_PASSWORD``, then the system
keyring (service ``Newsdesk``, entry ``postgres:USER@HOST/DBNAME``), then
libpq's own ``~/.pgpass`` / ``PGPASSFILE``.

The schema is versioned in ``newsdesk_meta`` and brought up to
:data:`SCHEMA_VERSION` by :func:`ensure_schema`, one :data:`MIGRATIONS` step
after another (their SQL in :mod:`retrieval.library.archive_schema`), all in
one transaction under an advisory lock so two clients
starting at once migrate once.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict

from retrieval.backends.base import Embedder
from retrieval.library.archive_schema import MIGRATIONS, SCHEMA_VERSION
from retrieval.library.base import ArchiveError
from retrieval.settings import ArchiveSettings

PASSWORD_ENV = "NEWSDESK_DB_PASSWORD"
KEYRING_SERVICE = "Newsdesk"
_LOCK_KEY = 0x4E455753  # pg_advisory_xact_lock key for migrations ("NEWS")


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
