"""Nothing is cut at the common screen sizes: each panel rendered at each size."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QWidget

from desktop.gui.article_list import fitted_details
from desktop.gui.main_window import MainWindow
from desktop.gui.settings_dialog import MAX_HEIGHT, SettingsDialog
from desktop.gui.shortcuts_dialog import ShortcutsDialog
from tests.conftest import EVAL, SAMPLE
from tests.gui.layout_check import text_problems
from tests.gui.test_window import add_and_wait, ask_and_wait, close_window, make_window

SIZES = [(1024, 700), (1280, 800), (1366, 768), (1920, 1080)]
SQUAD = EVAL / "squad" / "articles"


@pytest.fixture
def filled(qtbot, tmp_path: Path):  # noqa: ANN001
    """A window with articles, two answers, a briefing and a history."""
    window = make_window(qtbot, tmp_path)
    items = [str(SAMPLE), *(str(p) for p in sorted(SQUAD.glob("*.txt"))[:3])]
    add_and_wait(qtbot, window, items, len(items))
    window.library.select_ids([window.library.model.articles()[0].id])
    ask_and_wait(qtbot, window)
    ask_and_wait(qtbot, window, "Who fired the rockets at the embassy in Baghdad?")
    window.briefing.generate()
    qtbot.waitUntil(lambda: window.briefing.briefing is not None, timeout=60000)
    qtbot.waitUntil(lambda: not window.worker.is_busy(), timeout=60000)
    yield qtbot, window
    close_window(qtbot, window)


def settle(qtbot, widget: QWidget) -> None:  # noqa: ANN001
    QApplication.processEvents()
    qtbot.wait(30)
    QApplication.processEvents()


def test_every_panel_and_dialog_fits_at_every_screen_size(filled) -> None:  # noqa: ANN001
    qtbot, window = filled
    problems: list[str] = []
    for size in SIZES:
        window.resize(*size)
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            settle(qtbot, window)
            where = f"{size[0]}×{size[1]} {window.tabs.tabText(index)}"
            if window.width() > size[0] or window.height() > size[1]:
                problems.append(f"{where}: the window is {window.width()}×{window.height()}")
            problems += [f"{where}: {p}" for p in text_problems(window)]
            problems += [f"{where}: {p}" for p in _cut_dates(window)]
        for dialog in (SettingsDialog(window.settings, window),
                       ShortcutsDialog(window.shortcut_rows(), window)):  # fmt: skip
            dialog.show()
            settle(qtbot, dialog)
            name = f"{size[0]}×{size[1]} {type(dialog).__name__}"
            if dialog.height() > min(MAX_HEIGHT, size[1]):
                problems.append(f"{name}: {dialog.height()} px tall")
            problems += [f"{name}: {p}" for p in text_problems(dialog)]
            dialog.close()
            dialog.deleteLater()
    assert problems == []


def _cut_dates(window: MainWindow) -> list[str]:
    """Library rows whose date would be cut (only the source may be shortened)."""
    view = window.library.view
    small = QFont(view.font())
    small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
    width = view.viewport().width() - 2 * 10 - 4
    cut = []
    for article in window.library.model.articles():
        date = article.published or "date unknown"
        if date not in fitted_details(article, QFontMetrics(small), width):
            cut.append(f"the library row of {article.title!r} cuts its date")
    return cut


def test_the_checker_finds_cut_text(filled) -> None:  # noqa: ANN001
    """The check itself: a squeezed button and overlapping labels are reported."""
    qtbot, window = filled
    button = window.ask.copy_button
    old = button.minimumWidth(), button.maximumWidth()
    button.setFixedWidth(20)
    settle(qtbot, window)
    try:
        assert any("Copy" in p for p in text_problems(window.ask))
    finally:
        button.setMinimumWidth(old[0])
        button.setMaximumWidth(old[1])


def test_settings_disable_server_fields_for_the_local_model(filled) -> None:  # noqa: ANN001
    _qtbot, window = filled
    dialog = SettingsDialog(window.settings, window)
    backend = dialog.backend
    backend.kind.setCurrentIndex(backend.kind.findData("local"))
    assert not any(f.isEnabled() for f in (backend.url, backend.model, backend.key,
                                           backend.timeout, backend.fallback))  # fmt: skip
    backend.kind.setCurrentIndex(backend.kind.findData("server"))
    assert all(f.isEnabled() for f in (backend.url, backend.model, backend.key))
    texts = [dialog.answer_length.itemText(i) for i in range(dialog.answer_length.count())]
    assert not any("token" in t for t in texts), "no jargon"
    dialog.deleteLater()


def test_the_window_opens_at_its_saved_size_on_a_small_screen(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    window: MainWindow = make_window(qtbot, tmp_path)
    try:
        window.resize(1024, 700)
        settle(qtbot, window)
        assert window.size().width() == 1024
        assert text_problems(window) == []
    finally:
        close_window(qtbot, window)
