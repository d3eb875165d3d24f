"""One notification after the library changes, for every panel (Anki's
``operation_did_execute``): panels subscribe instead of keeping their own state."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class LibraryChange:
    """What one operation changed.

    Attributes:
        added: Ids of articles added.
        removed: Ids of articles removed.
    """

    added: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()


class LibraryEvents(QObject):
    """Announces library changes and remembers which articles were removed this session.

    Signals:
        changed: a :class:`LibraryChange`, after the library has changed.
    """

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.removed: set[int] = set()

    def announce(self, change: LibraryChange) -> None:
        """Record ``change`` and tell every subscriber."""
        self.removed.update(change.removed)
        self.removed.difference_update(change.added)
        self.changed.emit(change)
