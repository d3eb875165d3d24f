"""The window on a PostgreSQL archive that cannot be reached: the reason in words."""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import QSettings

from desktop.gui.app import create_window
from retrieval.settings import ArchiveSettings, Settings


def test_an_unreachable_archive_is_explained_in_the_window(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    down = ArchiveSettings(
        backend="postgres", dsn=f"postgresql://news@/news?host={tmp_path}&port=5999"
    )
    settings = Settings(library=tmp_path / "library", archive=down)
    state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = create_window(
        settings, state=state, settings_path=tmp_path / "settings.json", add_sample=False
    )
    try:
        qtbot.waitUntil(
            lambda: any("cannot be reached" in message for _, message in window.errors),
            timeout=30000,
        )
        shown = next(m for _, m in window.errors if "cannot be reached" in m)
        assert "news@socket" in shown and "is the server running" in shown
        assert not (tmp_path / "library" / "library.sqlite3").exists()
    finally:
        window.close()
        window.deleteLater()
        qtbot.wait(10)
        gc.collect()
