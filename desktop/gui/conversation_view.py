"""The conversation as the Ask panel shows it: a question with its answer (:class:`Turn`),
and the view that reads the turns (:class:`ConversationView`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent, QTextCursor
from PySide6.QtWidgets import (
    QTextBrowser,
)

from desktop.gui.worker import Op
from retrieval.types import Answer


@dataclass
class Turn:
    """One question and its answer, as it arrives.

    ``scope`` holds the article ids it was asked over (None: all articles).
    """

    question: str
    text: str = ""
    status: str = "Waiting…"
    answer: Answer | None = None
    op: Op | None = None
    scope: list[int] | None = None


class ConversationView(QTextBrowser):
    """The conversation; Tab enters it at the newest answer's first citation.

    Older turns come after it in the tab order (Shift+Tab walks back to
    them), so the answer just given is one key press away however long the
    conversation is.
    """

    def __init__(self, newest_link: Callable[[], tuple[int, int] | None]) -> None:
        super().__init__()
        self._newest_link = newest_link

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        if event.reason() == Qt.FocusReason.TabFocusReason:
            self.select_newest_link()

    def link_fragments(self) -> list[tuple[int, int, str]]:
        """Every link in the document as ``(position, length, href)``, in order."""
        found: list[tuple[int, int, str]] = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                href = fragment.charFormat().anchorHref()
                if href:
                    found.append((fragment.position(), fragment.length(), href))
                it += 1
            block = block.next()
        return found

    def select_newest_link(self) -> bool:
        """Put the keyboard focus on the newest answer's first citation link."""
        found = self._newest_link()
        if found is None:
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(found[0])
        cursor.setPosition(found[0] + found[1], QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        return True
