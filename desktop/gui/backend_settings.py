"""The Settings dialog's choice of who phrases answers: the local model or a server."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from retrieval.backends.api_keys import API_KEY_ENV, api_key, keyring_name
from retrieval.settings import GenerationSettings

LOCAL, SERVER = "local", "server"


class BackendSettings(QGroupBox):
    """Local model or OpenAI-compatible server: URL, model, API key, timeout, fallback.

    The API key is not part of the settings: :meth:`api_key_change` gives the
    key typed here (None when the field was not touched), for the caller to
    keep in the system keyring.
    """

    def __init__(self, generation: GenerationSettings, parent: QWidget | None = None) -> None:
        super().__init__("Who phrases answers", parent)
        server = generation.server
        self.kind = QComboBox()
        self.kind.addItem("The local model, on this computer", LOCAL)
        self.kind.addItem("An OpenAI-compatible server (vLLM, Ollama, TGI, …)", SERVER)
        self.kind.setCurrentIndex(1 if generation.backend == SERVER else 0)
        self.kind.setAccessibleName("Generation backend")
        self.url = QLineEdit(server.base_url)
        self.url.setPlaceholderText(
            "http://host:8000/v1 (vLLM), http://localhost:11434/v1 (Ollama)"
        )
        self.url.setAccessibleName("Server base URL")
        self.model = QLineEdit(server.model)
        self.model.setPlaceholderText("The model name the server serves, e.g. llama3.1:8b")
        self.model.setAccessibleName("Server model name")
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName("Server API key")
        saved = api_key(server.base_url)
        self.key.setPlaceholderText(
            "A key is saved: type to replace it" if saved else "None (most local servers need none)"
        )
        self._key_edited = False
        self.key.textEdited.connect(self._edited)
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(1, 600)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(server.timeout_seconds)
        self.timeout.setAccessibleName("Server timeout in seconds")
        self.fallback = QCheckBox("If the server fails, answer with the local model")
        self.fallback.setChecked(server.allow_fallback)
        self.fallback.setAccessibleName("Fall back to the local model")
        ring = keyring_name()
        where = QLabel(
            "Only the evidence sentences chosen for an answer go to the server; search and "
            "the citation checks stay here. "
            + (f"The API key is kept in the system keyring ({ring})." if ring else
               f"There is no system keyring: a key typed here lasts until Newsdesk closes "
               f"(set {API_KEY_ENV} to keep one).")
        )  # fmt: skip
        where.setObjectName("muted")
        where.setWordWrap(True)
        # The form sizes a wrapped label before its width is known: room for five lines.
        where.setMinimumHeight(where.fontMetrics().lineSpacing() * 5)

        form = QFormLayout(self)
        form.addRow("Backend:", self.kind)
        form.addRow("Base URL:", self.url)
        form.addRow("Model:", self.model)
        form.addRow("API key:", self.key)
        form.addRow("Timeout:", self.timeout)
        form.addRow(self.fallback)
        form.addRow(where)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _edited(self, *_: object) -> None:
        self._key_edited = True

    def _kind_changed(self, *_: object) -> None:
        on_server = self.kind.currentData() == SERVER
        for field in (self.url, self.model, self.key, self.timeout, self.fallback):
            field.setEnabled(on_server)

    def edited(self, generation: GenerationSettings) -> GenerationSettings:
        """``generation`` with the backend choices made here."""
        server = generation.server.model_copy(
            update={
                "base_url": self.url.text().strip() or generation.server.base_url,
                "model": self.model.text().strip(),
                "timeout_seconds": self.timeout.value(),
                "allow_fallback": self.fallback.isChecked(),
            }
        )
        return generation.model_copy(update={"backend": self.kind.currentData(), "server": server})

    def api_key_change(self) -> str | None:
        """The key typed here ('' to forget the saved one), or None when untouched."""
        return self.key.text().strip() if self._key_edited else None
