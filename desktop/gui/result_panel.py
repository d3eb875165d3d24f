"""What the Ask and Briefing panels share: cited results in a text view."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QFrame, QTextBrowser, QToolTip, QWidget

from desktop.gui import rendering
from desktop.gui.library_events import LibraryChange, LibraryEvents
from desktop.gui.theme import document_css
from retrieval.briefs import Briefing
from retrieval.types import Answer, Citation


class ResultPanel(QFrame):
    """A panel that shows cited results and reacts to the library changing.

    Subclasses build ``self.view`` and implement :meth:`citation`,
    :meth:`results` and :meth:`_render`.

    Signals:
        citation_clicked: a :class:`Citation` to show in the reader.
        export_requested: the :class:`Answer` or :class:`Briefing` to export.
        notice: a short confirmation for the status bar ("Copied …").
        paragraph_clicked: ``(article_id, paragraph_index)`` of a ``para:``
            link (a nearest paragraph, a paragraph naming someone) to show.
    """

    citation_clicked = Signal(object)
    export_requested = Signal(object)
    notice = Signal(str)
    paragraph_clicked = Signal(int, int)

    view: QTextBrowser

    def __init__(self, events: LibraryEvents | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.events = events or LibraryEvents(self)
        self.events.changed.connect(self._library_changed)

    @property
    def removed_articles(self) -> set[int]:
        """Articles removed from the library this session (their quotes stay, marked)."""
        return self.events.removed

    def citation(self, href: str) -> Citation | None:
        """The citation a ``cite:`` link points at, or None."""
        raise NotImplementedError

    def results(self) -> list[Answer | Briefing]:
        """The results shown now."""
        raise NotImplementedError

    def restyle(self) -> None:
        """Redraw in the current theme's colours."""
        self.view.document().setDefaultStyleSheet(document_css())
        self._render()

    def _render(self) -> None:
        raise NotImplementedError

    def _library_changed(self, change: LibraryChange) -> None:
        gone = set(change.removed)
        if gone and any(rendering.cites_any(result, gone) for result in self.results()):
            self._render()

    def _link_clicked(self, url: QUrl) -> None:
        paragraph = rendering.parse_para(url.toString())
        if paragraph is not None:
            self.paragraph_clicked.emit(*paragraph)
            return
        citation = self.citation(url.toString())
        if citation is not None:
            self.citation_clicked.emit(citation)

    def _link_hovered(self, url: QUrl) -> None:
        citation = self.citation(url.toString())
        if citation is not None:
            QToolTip.showText(QCursor.pos(), rendering.citation_tooltip(citation), self.view)
        else:
            QToolTip.hideText()
