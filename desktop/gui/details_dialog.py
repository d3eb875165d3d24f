"""Setting an article's publication date and source, or those of pasted text."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from retrieval.ingest.details import parse_published, source_and_url
from retrieval.types import Article

DATE_HINT = "e.g. 2026-03-05 or 5 March 2026; empty when unknown"
SOURCE_HINT = "a name (Reuters) or a web address"


class DetailsFields(QWidget):
    """A date field and a source field that check what is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date = QLineEdit()
        self.date.setPlaceholderText(DATE_HINT)
        self.date.setAccessibleName("Publication date")
        self.source = QLineEdit()
        self.source.setPlaceholderText(SOURCE_HINT)
        self.source.setAccessibleName("Source")
        self.problem = QLabel("")
        self.problem.setObjectName("muted")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Published:", self.date)
        form.addRow("Source:", self.source)
        form.addRow(self.problem)

    def check(self) -> bool:
        """Whether the date can be read; shows why not under the fields."""
        try:
            parse_published(self.date.text())
            if self.source.text().strip():
                source_and_url(self.source.text())
        except ValueError as error:
            self.problem.setText(str(error))
            self.problem.show()
            self.date.setFocus()
            return False
        self.problem.hide()
        return True


class DetailsDialog(QDialog):
    """Asks for an article's publication date and source ("date unknown" when empty)."""

    def __init__(self, article: Article, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Date and source")
        self.fields = DetailsFields(self)
        self.fields.date.setText(article.published or "")
        self.fields.source.setText(
            article.url or ("" if article.source == "pasted" else article.source)
        )
        heading = QLabel(article.title)
        heading.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.fields)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Close only when the date can be read."""
        if self.fields.check():
            super().accept()

    def published(self) -> str:
        """The typed date ("" = unknown)."""
        return self.fields.date.text().strip()

    def source(self) -> str | None:
        """The typed source, or None to leave it as it is."""
        return self.fields.source.text().strip() or None
