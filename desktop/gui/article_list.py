"""The library's list of articles: a Qt model, a filter and a two-line delegate."""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import urlparse

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.gui.theme import current
from retrieval.ingest.details import is_named_source
from retrieval.types import Article

ArticleRole = Qt.ItemDataRole.UserRole + 1
SearchRole = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex


def source_label(article: Article) -> str:
    """Where an article came from, short: the name given, a host, a file name or "Pasted"."""
    if is_named_source(article.source):
        return article.source
    if article.url:
        return urlparse(article.url).netloc or article.url
    if article.source == "pasted":
        return "Pasted text"
    if article.file:
        return article.file
    return PurePath(article.source).name or article.source


def details_line(article: Article) -> str:
    """The second line of a list entry: source, date and paragraph count."""
    return f"{source_label(article)} · {details_tail(article)}"


def details_tail(article: Article) -> str:
    """The part of the details line that is never shortened: paragraph count and date."""
    date = article.published or "date unknown"
    return f"{article.paragraph_count} ¶ · {date}"


def fitted_details(article: Article, metrics: QFontMetrics, width: int) -> str:
    """The details line fitted to ``width`` pixels: only the source is shortened.

    The date and paragraph count matter when choosing an article, so when the
    line is too long the source gives way ("reuters.c… · 23 ¶ · 2020-12-20").
    """
    full = details_line(article)
    if metrics.horizontalAdvance(full) <= width:
        return full
    tail = f" · {details_tail(article)}"
    room = width - metrics.horizontalAdvance(tail)
    source = metrics.elidedText(source_label(article), Qt.TextElideMode.ElideRight, max(room, 0))
    return f"{source}{tail}" if source else details_tail(article)


class ArticleListModel(QAbstractListModel):
    """The articles of the library, in the order they were added."""

    def __init__(self) -> None:
        super().__init__()
        self._articles: list[Article] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._articles)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._articles):
            return None
        article = self._articles[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return article.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{article.title}\n{article.source}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{article.title}, {details_line(article)}"
        if role == ArticleRole:
            return article
        if role == SearchRole:
            return f"{article.title} {article.source} {article.published or ''}".lower()
        return None

    def articles(self) -> list[Article]:
        """Every article shown."""
        return list(self._articles)

    def reset(self, articles: list[Article]) -> None:
        """Show exactly ``articles``."""
        self.beginResetModel()
        self._articles = list(articles)
        self.endResetModel()

    def append(self, article: Article) -> None:
        """Add one article at the end (ignored when already shown)."""
        if any(a.id == article.id for a in self._articles):
            return
        row = len(self._articles)
        self.beginInsertRows(QModelIndex(), row, row)
        self._articles.append(article)
        self.endInsertRows()

    def remove_id(self, article_id: int) -> None:
        """Drop the article with ``article_id``."""
        for row, article in enumerate(self._articles):
            if article.id == article_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._articles[row]
                self.endRemoveRows()
                return

    def row_of(self, article_id: int) -> int:
        """Row of an article, or -1."""
        return next((r for r, a in enumerate(self._articles) if a.id == article_id), -1)


class ArticleFilter(QSortFilterProxyModel):
    """Keeps the articles whose title, source or date contain every typed word."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        """Filter on ``text`` (case-insensitive words)."""
        self.beginFilterChange()
        self._words = text.lower().split()
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: AnyIndex) -> bool:  # noqa: N802
        if not self._words:
            return True
        haystack = str(self.sourceModel().index(row, 0, parent).data(SearchRole) or "")
        return all(word in haystack for word in self._words)


class ArticleDelegate(QStyledItemDelegate):
    """Draws an article as a bold title over a muted line of details."""

    PADDING = 10

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        metrics = QFontMetrics(option.font)  # type: ignore[attr-defined]
        return QSize(200, metrics.height() * 2 + self.PADDING * 2 + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        article: Article | None = index.data(ArticleRole)
        if article is None:
            return
        colors = current()
        rect = option.rect  # type: ignore[attr-defined]
        state = option.state  # type: ignore[attr-defined]
        painter.save()
        if state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor(colors.selection_soft))
            painter.fillRect(rect.adjusted(0, 0, -rect.width() + 3, 0), QColor(colors.accent))
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor(colors.hover))
        if state & QStyle.StateFlag.State_HasFocus:  # the keyboard's row, selected or not
            pen = QPen(QColor(colors.accent))
            pen.setWidth(2)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.setPen(QColor(colors.border))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        inner = rect.adjusted(self.PADDING + 4, self.PADDING, -self.PADDING, -self.PADDING)
        title_font = QFont(option.font)  # type: ignore[attr-defined]
        title_font.setWeight(QFont.Weight.DemiBold)
        title_metrics = QFontMetrics(title_font)
        painter.setFont(title_font)
        painter.setPen(QColor(colors.text))
        title = title_metrics.elidedText(article.title, Qt.TextElideMode.ElideRight, inner.width())
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title)
        small = QFont(option.font)  # type: ignore[attr-defined]
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        painter.setFont(small)
        painter.setPen(QColor(colors.muted))
        details = fitted_details(article, QFontMetrics(small), inner.width())
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, details)
        painter.restore()
