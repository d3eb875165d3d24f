"""The history: every question, answer and briefing, kept in the library's database.

A *conversation* is the questions asked one after another in the Ask panel,
each with its answer, its citations and the articles it was asked over; a
*briefing* entry holds one briefing. Both are :class:`HistoryEntry` rows that
people can reopen, rename, delete and export.

Crash safety follows the library's rules (see :mod:`retrieval.library.library`):
the database is in WAL mode with ``synchronous=FULL`` and every change here —
a new answer together with the conversation it starts, a rename, a delete —
is ONE transaction, so a kill or power loss leaves either all of it or none.
History writes do not bump the library's ``generation`` (they touch no
paragraph), so they never make the FAISS index look stale.

On a shared PostgreSQL archive the same tables hold every login's history,
but each login sees and changes only its own entries (the archive's
``history_entries`` and ``history_results`` are views selecting the rows of
``current_user``; see :mod:`retrieval.library.archive_server`).

A result is stored as JSON made from its dataclass fields (:func:`encode`), and
read back field by field (:func:`decode`; both through
:mod:`retrieval.library.dataclass_json`): a field added to
:class:`~retrieval.types.Answer` or :class:`~retrieval.briefs.Briefing` later
is simply absent from older rows and takes its default, and a field a newer
version wrote is ignored, so neither needs a migration. Removing an article
does not touch the history: its citations keep their quotes.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from retrieval.briefs import Briefing
from retrieval.library.dataclass_json import from_plain, to_plain
from retrieval.types import Answer, Article, now_iso

EntryKind = Literal["conversation", "briefing"]
TITLE_CHARS = 120
KEPT_CONSIDERED = 3
"""Paragraphs kept of those retrieved for an answer: a declined answer shows them."""


class HistoryError(Exception):
    """A history row that cannot be read back, or a change that cannot be made."""


class HistoryDatabase(Protocol):
    """Where the history's two tables live: the local library's SQLite file
    (:class:`retrieval.library.store.Store`) or the shared archive
    (:class:`retrieval.library.archive_store.PostgresStore`, where each login
    sees only its own entries).

    Both yield a connection whose ``execute(sql, params)`` takes ``?``
    placeholders and returns a cursor (``fetchone``, ``fetchall``,
    ``rowcount``, iteration; ``lastrowid`` after an INSERT); the SQL here is
    what both databases read alike.
    """

    def transaction(self, bump_generation: bool = True) -> AbstractContextManager[Any]:
        """One atomic write (the history passes ``bump_generation=False``)."""
        ...

    def reading(self) -> AbstractContextManager[Any]:
        """The connection, for a few reads that belong together."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...


@dataclass(frozen=True)
class HistoryEntry:
    """A conversation or a briefing, as the history list shows it.

    Attributes:
        id: Stable id.
        kind: ``"conversation"`` or ``"briefing"``.
        title: Shown in the list (the first question, or the briefing's
            subject); people may rename it.
        created: When it began (ISO-8601, UTC).
        updated: When an answer was last added or it was renamed.
        count: How many results (answers, or the one briefing) it holds.
    """

    id: int
    kind: EntryKind
    title: str
    created: str
    updated: str
    count: int


@dataclass(frozen=True)
class HistoryRecord:
    """One stored result.

    Attributes:
        id: Stable id.
        entry_id: The conversation or briefing entry it belongs to.
        position: 0-based place in its conversation.
        result: The answer or briefing, with every citation.
        scope: Ids of the articles it was asked over; None for the whole library.
    """

    id: int
    entry_id: int
    position: int
    result: Answer | Briefing
    scope: tuple[int, ...] | None


class History:
    """Read and change the history kept in a library's database (a :class:`HistoryDatabase`).

    Thread-safe as the store is; every method is a few small SQL statements.
    """

    def __init__(self, store: HistoryDatabase) -> None:
        self.store = store

    # -- writing -------------------------------------------------------------

    def add_answer(
        self,
        answer: Answer,
        scope: Sequence[int] | None = None,
        entry_id: int | None = None,
    ) -> HistoryRecord:
        """Keep ``answer`` at the end of a conversation.

        Args:
            answer: The checked answer (declined ones too).
            scope: The article ids it was asked over; None for all articles.
            entry_id: The conversation to continue; None starts a new one
                titled with the question (in the same transaction).

        Returns:
            The stored record.

        Raises:
            HistoryError: ``entry_id`` names no conversation (it was deleted).
        """
        payload = encode(_trimmed(answer))
        scope_json = _scope_json(scope)
        with self.store.transaction(bump_generation=False) as db:
            if entry_id is None:
                title = _title(answer.question)
                entry_id = _insert_entry(db, "conversation", title, answer.created)
            else:
                row = db.execute(
                    "SELECT kind FROM history_entries WHERE id = ?", (entry_id,)
                ).fetchone()
                if row is None or row[0] != "conversation":
                    raise HistoryError(f"conversation {entry_id} is not in the history")
                db.execute(
                    "UPDATE history_entries SET updated = ? WHERE id = ?", (now_iso(), entry_id)
                )
            (position,) = db.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM history_results WHERE entry_id = ?",
                (entry_id,),
            ).fetchone()
            cursor = db.execute(
                "INSERT INTO history_results (entry_id, position, kind, created, scope, payload)"
                " VALUES (?, ?, 'answer', ?, ?, ?)",
                (entry_id, position, answer.created, scope_json, payload),
            )
            record_id = int(cursor.lastrowid or 0)
        return HistoryRecord(record_id, entry_id, int(position), answer, _scope(scope_json))

    def add_briefing(self, briefing: Briefing, scope: Sequence[int] | None = None) -> HistoryRecord:
        """Keep ``briefing`` as a new history entry.

        Args:
            briefing: The checked briefing.
            scope: The article ids it covers; None for the whole library.

        Returns:
            The stored record (its ``entry_id`` is the new entry).
        """
        payload = encode(briefing)
        scope_json = _scope_json(scope)
        with self.store.transaction(bump_generation=False) as db:
            entry_id = _insert_entry(db, "briefing", briefing_title(briefing), briefing.created)
            cursor = db.execute(
                "INSERT INTO history_results (entry_id, position, kind, created, scope, payload)"
                " VALUES (?, 0, 'briefing', ?, ?, ?)",
                (entry_id, briefing.created, scope_json, payload),
            )
            record_id = int(cursor.lastrowid or 0)
        return HistoryRecord(record_id, entry_id, 0, briefing, _scope(scope_json))

    def rename(self, entry_id: int, title: str) -> None:
        """Give an entry a new title.

        Raises:
            HistoryError: The title is empty, or there is no such entry.
        """
        title = " ".join(title.split())
        if not title:
            raise HistoryError("a history entry needs a title")
        with self.store.transaction(bump_generation=False) as db:
            cursor = db.execute(
                "UPDATE history_entries SET title = ?, updated = ? WHERE id = ?",
                (title[:TITLE_CHARS], now_iso(), entry_id),
            )
            if cursor.rowcount == 0:
                raise HistoryError(f"history entry {entry_id} is not in the history")

    def delete(self, entry_id: int) -> bool:
        """Delete an entry and every result in it; False when it was not there."""
        with self.store.transaction(bump_generation=False) as db:
            cursor = db.execute("DELETE FROM history_entries WHERE id = ?", (entry_id,))
            return cursor.rowcount > 0

    def delete_record(self, record_id: int) -> bool:
        """Delete one result (an entry left empty goes too); False when it was not there."""
        with self.store.transaction(bump_generation=False) as db:
            row = db.execute(
                "SELECT entry_id FROM history_results WHERE id = ?", (record_id,)
            ).fetchone()
            if row is None:
                return False
            db.execute("DELETE FROM history_results WHERE id = ?", (record_id,))
            db.execute(
                "DELETE FROM history_entries WHERE id = ? AND NOT EXISTS"
                " (SELECT 1 FROM history_results WHERE entry_id = ?)",
                (row[0], row[0]),
            )
            return True

    # -- reading -------------------------------------------------------------

    def entries(self, kind: EntryKind | None = None) -> list[HistoryEntry]:
        """Every entry (or those of one kind), most recently updated first."""
        where, args = ("WHERE e.kind = ?", (kind,)) if kind else ("", ())
        sql = (
            "SELECT e.id, e.kind, e.title, e.created, e.updated,"
            " (SELECT COUNT(*) FROM history_results r WHERE r.entry_id = e.id)"
            f" FROM history_entries e {where} ORDER BY e.updated DESC, e.id DESC"
        )
        with self.store.reading() as db:
            return [HistoryEntry(*row) for row in db.execute(sql, args)]

    def entry(self, entry_id: int) -> HistoryEntry | None:
        """One entry, or None."""
        return next((e for e in self.entries() if e.id == entry_id), None)

    def latest(self, kind: EntryKind) -> HistoryEntry | None:
        """The most recently updated entry of ``kind``, or None."""
        entries = self.entries(kind)
        return entries[0] if entries else None

    def records(self, entry_id: int) -> list[HistoryRecord]:
        """The results of one entry, in the order they were added.

        Raises:
            HistoryError: A stored result cannot be read back.
        """
        return [_record(row) for row in self._rows("entry_id = ? ORDER BY position", entry_id)]

    def record(self, record_id: int) -> HistoryRecord | None:
        """One result, or None."""
        rows = self._rows("id = ?", record_id)
        return _record(rows[0]) if rows else None

    def _rows(self, where: str, key: int) -> list[Any]:
        with self.store.reading() as db:
            return db.execute(
                "SELECT id, entry_id, position, kind, scope, payload FROM history_results"
                f" WHERE {where}",
                (key,),
            ).fetchall()

    def citing(self, article_ids: Sequence[int]) -> list[HistoryEntry]:
        """The entries with a result citing any of ``article_ids``."""
        wanted = set(article_ids)
        found = []
        for entry in self.entries():
            records = self.records(entry.id)
            if any(c.article_id in wanted for r in records for c in r.result.citations):
                found.append(entry)
        return found


def briefing_title(briefing: Briefing) -> str:
    """A briefing's default history title: its article (or how many), and its length."""
    if len(briefing.articles) == 1:
        subject = briefing.articles[0].title
    else:
        count = len(briefing.articles)
        subject = f"{count} article{'' if count == 1 else 's'}"
    return _title(f"Briefing ({briefing.length}): {subject}")


# -- storing results as JSON -----------------------------------------------------


def encode(value: Answer | Briefing) -> str:
    """``value`` as JSON: every dataclass field, recursively."""
    return json.dumps(to_plain(value), ensure_ascii=False, separators=(",", ":"))


def decode(kind: str, payload: str) -> Answer | Briefing:
    """An :class:`Answer` (``kind="answer"``) or :class:`Briefing` back from :func:`encode`.

    Fields missing from ``payload`` take their defaults; unknown keys are ignored.

    Raises:
        HistoryError: The payload is not JSON, or lacks a field without default.
    """
    target: type[Answer] | type[Briefing] = Answer if kind == "answer" else Briefing
    try:
        return typing.cast(Answer | Briefing, from_plain(target, json.loads(payload)))
    except (ValueError, TypeError, KeyError) as error:
        raise HistoryError(f"a stored {kind} could not be read back: {error}") from error


# -- rows ----------------------------------------------------------------------------


def _insert_entry(db: Any, kind: EntryKind, title: str, created: str) -> int:
    cursor = db.execute(
        "INSERT INTO history_entries (kind, title, created, updated) VALUES (?, ?, ?, ?)",
        (kind, title, created, now_iso()),
    )
    return int(cursor.lastrowid)


def _record(row: Sequence[Any]) -> HistoryRecord:
    record_id, entry_id, position, kind, scope, payload = row
    return HistoryRecord(record_id, entry_id, position, decode(kind, payload), _scope(scope))


def _trimmed(answer: Answer) -> Answer:
    """The answer as kept: only the nearest paragraphs a declined answer shows."""
    return dataclasses.replace(answer, considered=answer.considered[:KEPT_CONSIDERED])


def _title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"


def _scope_json(scope: Sequence[int] | None) -> str | None:
    return None if scope is None else json.dumps([int(i) for i in scope])


def _scope(text: str | None) -> tuple[int, ...] | None:
    return None if text is None else tuple(int(i) for i in json.loads(text))


__all__ = [
    "Article",
    "History",
    "HistoryDatabase",
    "HistoryEntry",
    "HistoryError",
    "HistoryRecord",
    "briefing_title",
    "decode",
    "encode",
]
