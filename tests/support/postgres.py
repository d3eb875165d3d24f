"""A real PostgreSQL 16 + pgvector server for the tests, from the ``pgserver`` wheel.

One server per test session on a local socket (``TestServer``); each test gets
its own database cloned from a template that already holds the ``vector``
extension, and dropped after. There is no skip: a server that cannot start
fails the tests that need it, with pgserver's log.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import psycopg
from psycopg import sql

from retrieval.settings import ArchiveSettings

TEMPLATE = "newsdesk_template"


class TestServer:
    """A started server and the databases made on it."""

    __test__ = False  # not a test class, despite the name

    def __init__(self, data: Path) -> None:
        import pgserver

        self.data = data
        try:
            self.server = pgserver.get_server(data, cleanup_mode="delete")
        except Exception as error:  # the log says why; the tests must fail, not skip
            log = data / "log"
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"pgserver could not start PostgreSQL in {data}: {error}\n{detail}"
            ) from error
        self._numbers = itertools.count(1)
        self._require_passwords()
        with self.admin() as db:
            # A test server: durability across a server crash is not what is tested.
            db.execute("ALTER SYSTEM SET fsync = off")
            db.execute("ALTER SYSTEM SET synchronous_commit = off")
            db.execute("ALTER SYSTEM SET full_page_writes = off")
            db.execute("SELECT pg_reload_conf()")
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
        with psycopg.connect(self.uri(TEMPLATE), autocommit=True) as db:
            db.execute("CREATE EXTENSION vector")

    def _require_passwords(self) -> None:
        """Roles named ``pw_…`` log in with a password (SCRAM); the rest are trusted."""
        hba = self.data / "pg_hba.conf"
        stat = hba.stat()
        hba.write_text("local all /^pw_ scram-sha-256\n" + hba.read_text())
        os.chown(hba, stat.st_uid, stat.st_gid)
        with self.admin() as db:
            db.execute("SELECT pg_reload_conf()")

    def add_role(self, name: str, password: str, database: str, read_only: bool) -> None:
        """A login role (``pw_…``: it needs its password) that may read, or read and write."""
        assert name.startswith("pw_")
        with self.admin() as db:
            db.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(name), sql.Literal(password)
                )
            )
        rights = "SELECT" if read_only else "SELECT, INSERT, UPDATE, DELETE"
        with psycopg.connect(self.uri(database), autocommit=True) as db:
            role = sql.Identifier(name)
            db.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role))
            db.execute(
                sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA public TO {}").format(
                    sql.SQL(rights), role
                )
            )
            if not read_only:
                db.execute(
                    sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}").format(role)
                )

    def login(self, name: str, password: str, database: str, read_only: bool) -> ArchiveSettings:
        """Archive settings for a new login role ``name`` (see :meth:`add_role`)."""
        self.add_role(name, password, database, read_only)
        return ArchiveSettings(backend="postgres", dsn=self.role_uri(name, database))

    def role_uri(self, name: str, database: str) -> str:
        """A connection string for role ``name`` on ``database``, without a password."""
        return f"postgresql://{name}@/{database}?host={self.socket_dir}"

    def uri(self, database: str = "postgres") -> str:
        """A connection string for ``database`` as the superuser ``postgres``."""
        return str(self.server.get_uri(database))

    @property
    def socket_dir(self) -> str:
        """The folder holding the server's Unix socket."""
        return str(psycopg.conninfo.conninfo_to_dict(self.uri())["host"])

    def admin(self) -> psycopg.Connection:  # type: ignore[type-arg]
        """An autocommit superuser connection to the ``postgres`` database."""
        return psycopg.connect(self.uri(), autocommit=True)

    def new_database(self, empty: bool = False) -> str:
        """A fresh database's name (with pgvector installed unless ``empty``)."""
        name = f"newsdesk_test_{os.getpid()}_{next(self._numbers)}"
        template = "template0" if empty else TEMPLATE
        with self.admin() as db:
            db.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, closing the sessions still connected to it."""
        with self.admin() as db:
            db.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def archive(self, database: str, **changes: object) -> ArchiveSettings:
        """Archive settings pointing at ``database`` (as ``postgres`` unless changed)."""
        return ArchiveSettings(backend="postgres", dsn=self.uri(database), **changes)  # type: ignore[arg-type]

    def stop(self) -> None:
        """Stop the server and delete its data."""
        self.server.cleanup()
        shutil.rmtree(self.data.parent, ignore_errors=True)
