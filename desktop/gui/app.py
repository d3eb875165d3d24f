"""The Newsdesk window application: ``run(settings)`` opens it."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop.gui.main_window import MainWindow
from desktop.gui.theme import RESOURCES, app_icon, apply_theme
from retrieval.settings import Settings

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once, named and given the bundled fonts."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Newsdesk")
    app.setOrganizationName("Newsdesk")
    app.setApplicationDisplayName("Newsdesk")
    app.setWindowIcon(app_icon())
    for name in FONT_FILES:
        path = RESOURCES / "fonts" / name
        if path.is_file():
            QFontDatabase.addApplicationFont(str(path))
    return app


def create_window(settings: Settings, desk: Any = None, **options: Any) -> MainWindow:
    """Build, theme and show the main window; the engine loads once it is shown."""
    app = make_application()
    apply_theme(app, settings.ui.theme)
    window = MainWindow(settings, desk=desk, **options)
    window.show()
    QTimer.singleShot(0, window.start)
    return window


def run(settings: Settings) -> int:
    """Open the window and run until it is closed; returns the exit status."""
    app = make_application()
    window = create_window(settings)
    status = app.exec()
    if window.worker.is_running():
        window.shutdown()
    return int(status)
