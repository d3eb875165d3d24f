"""The Reader panel: one article with numbered paragraphs and highlighted quotes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QFrame, QLabel, QTextBrowser, QTextEdit, QVBoxLayout, QWidget

from desktop.gui.article_list import source_label
from desktop.gui.theme import current
from retrieval.text.injection import is_suspicious
from retrieval.types import Article, Citation, Paragraph

#: Shown before a paragraph holding text aimed at AI tools or ordering the reader.
SUSPICIOUS_MARK = "⚠ Suspicious: addressed to AI tools"
SUSPICIOUS_TIP = (
    "This paragraph tries to instruct AI tools or orders the reader about. "
    "Newsdesk never uses it in a briefing."
)


class ReaderPanel(QFrame):
    """Shows an article; a citation scrolls to its paragraph and highlights the quote.

    The engine is only read here (SQLite reads are quick and thread-safe), so a
    click on a citation answers at once even while the worker is busy.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.desk: Any = None
        self.article: Article | None = None
        self.paragraphs: list[Paragraph] = []
        self._starts: list[int] = []
        self._highlight: tuple[int, int, int] | None = None
        self._answer: tuple[int, int] | None = None  # the short answer, in the paragraph

        self.title = QLabel("No article open")
        self.title.setObjectName("readerTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel("Select an article in the library, or click a citation.")
        self.meta.setObjectName("readerMeta")
        self.meta.setWordWrap(True)
        self.text = QTextBrowser()
        self.text.setAccessibleName("Article text")
        self.text.setOpenLinks(False)
        self.text.document().setDocumentMargin(4)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 16, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addSpacing(6)
        layout.addWidget(self.text, 1)

    def set_engine(self, desk: Any) -> None:
        """Read articles from ``desk`` (a Newsdesk)."""
        self.desk = desk

    def clear(self) -> None:
        """Show nothing."""
        self.article = None
        self.paragraphs = []
        self._starts = []
        self.title.setText("No article open")
        self.meta.setText("Select an article in the library, or click a citation.")
        self.text.clear()
        self.text.setExtraSelections([])

    def show_article(self, article_id: int) -> bool:
        """Open an article at its top; False when it is not in the library."""
        if self.article is not None and self.article.id == article_id:
            return True
        if self.desk is None:
            return False
        article = self.desk.library.article(article_id)
        if article is None:
            self.clear()
            return False
        self.article = article
        self.paragraphs = self.desk.library.paragraphs(article_id)
        self._highlight = None
        self.title.setText(article.title)
        self.meta.setText(self._meta_line(article))
        self._render()
        return True

    def show_citation(self, citation: Citation) -> bool:
        """Open the cited article at the paragraph and highlight the quote."""
        if not self.show_article(citation.article_id):
            return False
        index = citation.paragraph_index
        if not 0 <= index < len(self.paragraphs):
            return False
        start, end = citation.quote_start, citation.quote_end
        if self.paragraphs[index].text[start:end] != citation.quote:
            found = self.paragraphs[index].text.find(citation.quote)
            start, end = (found, found + len(citation.quote)) if found >= 0 else (0, 0)
        span = citation.answer_in_quote
        self._answer = (start + span[0], start + span[1]) if span and end > start else None
        return self.show_paragraph(index, start, end, keep_answer=True)

    def show_paragraph(
        self, index: int, quote_start: int = 0, quote_end: int = 0, keep_answer: bool = False
    ) -> bool:
        """Scroll to paragraph ``index`` and highlight it (and the quote in it, with the
        short answer's words marked when a citation marks them)."""
        if not keep_answer:
            self._answer = None
        if not 0 <= index < len(self.paragraphs):
            return False
        self._highlight = (index, quote_start, quote_end)
        self._apply_highlight()
        # Scroll once layout has settled, so the paragraph lands near the top.
        QTimer.singleShot(0, lambda: self._scroll_to(index))
        self._scroll_to(index)
        return True

    def highlighted_text(self) -> str:
        """The quote highlighted now, or ``""``."""
        selections = self.text.extraSelections()
        return selections[min(1, len(selections) - 1)].cursor.selectedText() if selections else ""

    def answer_text(self) -> str:
        """The short answer's words marked in the quote now, or ``""``."""
        selections = self.text.extraSelections()
        return selections[2].cursor.selectedText() if len(selections) > 2 else ""

    def suspicious_paragraphs(self) -> list[int]:
        """0-based indexes of the paragraphs marked as text aimed at AI tools."""
        return [p.index for p in self.paragraphs if is_suspicious(p.text)]

    def highlighted_paragraph(self) -> int | None:
        """0-based index of the highlighted paragraph, if any."""
        return self._highlight[0] if self._highlight else None

    def restyle(self) -> None:
        """Redraw in the current theme's colours, keeping the highlight and the place read."""
        if self.article is not None:
            position = self.text.verticalScrollBar().value()
            self._render()
            self.text.verticalScrollBar().setValue(position)
            # The new colours' layout settles on the next turn of the event loop.
            QTimer.singleShot(0, lambda: self.text.verticalScrollBar().setValue(position))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._highlight is not None:  # keep the cited paragraph in view as text reflows
            QTimer.singleShot(0, lambda: self._highlight and self._scroll_to(self._highlight[0]))

    # -- drawing -----------------------------------------------------------

    def _meta_line(self, article: Article) -> str:
        parts = [source_label(article)]
        if article.author:
            parts.append(article.author)
        parts.append(article.published or "date unknown")
        parts.append(f"{article.paragraph_count} paragraphs")
        return " · ".join(parts)

    def _render(self) -> None:
        colors = current()
        document = self.text.document()
        document.clear()
        cursor = QTextCursor(document)
        number_format = QTextCharFormat()
        number_format.setForeground(QColor(colors.muted))
        number_format.setFontWeight(QFont.Weight.DemiBold)
        number_format.setFontPointSize(max(7.0, self.font().pointSizeF() - 1.5))
        body_format = QTextCharFormat()
        body_format.setForeground(QColor(colors.text))
        block = QTextBlockFormat()
        block.setBottomMargin(12)
        block.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        warn_format = QTextCharFormat(number_format)
        warn_format.setForeground(QColor(colors.warn))
        warn_format.setToolTip(SUSPICIOUS_TIP)
        self._starts = []
        for position, paragraph in enumerate(self.paragraphs):
            if position:
                cursor.insertBlock(block)
            else:
                cursor.setBlockFormat(block)
            cursor.insertText(f"¶{paragraph.number}  ", number_format)
            if is_suspicious(paragraph.text):
                cursor.insertText(SUSPICIOUS_MARK + "  ", warn_format)
            self._starts.append(cursor.position())
            cursor.insertText(paragraph.text.replace("\r", ""), body_format)
        self.text.setExtraSelections([])
        self.text.moveCursor(QTextCursor.MoveOperation.Start)
        if self._highlight is not None:
            self._apply_highlight()

    def _apply_highlight(self) -> None:
        if self._highlight is None or not self._starts:
            self.text.setExtraSelections([])
            return
        colors = current()
        index, quote_start, quote_end = self._highlight
        start = self._starts[index]
        length = len(self.paragraphs[index].text.replace("\r", ""))
        paragraph = QTextEdit.ExtraSelection()
        paragraph.cursor = self._cursor(start, start + length)
        paragraph.format.setBackground(QColor(colors.paragraph_bg))
        selections = [paragraph]
        if quote_end > quote_start:
            quote = QTextEdit.ExtraSelection()
            quote.cursor = self._cursor(start + quote_start, start + quote_end)
            quote.format.setBackground(QColor(colors.quote_bg))
            quote.format.setForeground(QColor(colors.text))
            selections.append(quote)
            if self._answer is not None:
                answer = QTextEdit.ExtraSelection()
                answer.cursor = self._cursor(start + self._answer[0], start + self._answer[1])
                # Extra selections cannot change the layout (no bold): a deeper
                # highlight and an underline mark the answer's words instead.
                answer.format.setFontUnderline(True)
                answer.format.setBackground(QColor(colors.quote_bg).darker(130))
                answer.format.setForeground(QColor(colors.text))
                selections.append(answer)
        self.text.setExtraSelections(selections)

    def _cursor(self, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _scroll_to(self, index: int) -> None:
        if not self._starts or index >= len(self._starts):
            return
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self._starts[index])
        rect = self.text.cursorRect(cursor)
        bar = self.text.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - 40)
        self.text.setTextCursor(cursor)
