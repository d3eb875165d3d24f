"""The window's Settings: the dialog, saving what changed and applying it to the
running window and engine (the theme at once, models and backend after a restart)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from PySide6.QtWidgets import QApplication, QWidget

from desktop.gui.settings_dialog import SettingsDialog
from desktop.gui.theme import apply_theme, refresh_icons
from retrieval.backends.api_keys import store_api_key
from retrieval.settings import Settings


class SettingsActions:
    """The Settings part of the main window (a mixin, as :class:`WindowState` is).

    Uses the window's ``settings``, ``settings_path``, ``ask``, ``briefing``,
    ``reader``, ``worker``, ``statusBar`` and ``report_error``.
    """

    settings: Settings
    settings_path: Path | None
    ask: Any
    briefing: Any
    reader: Any
    worker: Any
    statusBar: Any  # noqa: N815 (Qt's name)
    report_error: Any

    def open_settings(self) -> None:
        """Show the Settings dialog; save and apply what changed."""
        dialog = SettingsDialog(self.settings, cast(QWidget, self))
        if dialog.exec():
            self.apply_settings(
                dialog.edited_settings(), dialog.models_changed(), dialog.backend.api_key_change()
            )

    def apply_settings(
        self, new: Settings, models_changed: bool, api_key: str | None = None
    ) -> None:
        """Save ``new`` (and ``api_key`` apart from it), apply the theme and answer settings."""
        old = self.settings
        self.settings = new
        try:
            new.save(self.settings_path)
        except OSError as error:
            self.report_error("Settings not saved", f"Could not write the settings: {error}")
        key_kept = ""
        if api_key is not None:
            key_kept = " " + store_api_key(new.generation.server.base_url, api_key)
        app = QApplication.instance()
        if new.ui.theme != old.ui.theme and isinstance(app, QApplication):
            apply_theme(app, new.ui.theme)
            refresh_icons(cast(QWidget, self))
            for panel in (self.ask, self.briefing, self.reader):
                panel.restyle()
        # models and the backend are built once: the running engine keeps the old ones
        kept = {name: getattr(old.generation, name) for name in ("model", "backend", "server")}
        runtime = new.model_copy(update={"generation": new.generation.model_copy(
            update=kept), "retrieval": new.retrieval.model_copy(
            update={"embedding_model": old.retrieval.embedding_model})})  # fmt: skip
        self.worker.op(
            lambda desk: setattr(desk, "settings", runtime), label="Applying settings"
        ).start()
        if models_changed:
            message = "Model and backend changes apply after Newsdesk restarts."
            self.statusBar().showMessage(message + key_kept, 15000)
        elif key_kept:
            self.statusBar().showMessage(key_kept.strip(), 15000)
