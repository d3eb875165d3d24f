"""The Paste text dialog: an article's title, text and optional details, typed or pasted."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.gui.details_dialog import DetailsFields


class PasteDialog(QDialog):
    """Asks for a title and the text of an article to paste."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Paste an article")
        self.resize(560, 420)
        self._title = QLineEdit()
        self._title.setPlaceholderText("Title (optional: the first line is used)")
        self._title.setAccessibleName("Article title")
        self._text = QPlainTextEdit()
        self._text.setPlaceholderText("Paste the article text here")
        self._text.setAccessibleName("Article text")
        self.fields = DetailsFields(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add article")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self._text, 1)
        layout.addWidget(self.fields)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Close only when the date can be read."""
        if self.fields.check():
            super().accept()

    def details(self) -> tuple[str | None, str | None]:
        """The typed publication date and source (None when left empty)."""
        date = self.fields.date.text().strip() or None
        return date, self.fields.source.text().strip() or None

    def title(self) -> str:
        """The typed title."""
        return self._title.text().strip()

    def text(self) -> str:
        """The pasted text."""
        return self._text.toPlainText()
