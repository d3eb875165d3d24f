"""The window keeps its research: history across a relaunch, export, suggestions, small fixes."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from desktop.gui.main_window import MainWindow
from desktop.gui.startup import READY
from desktop.gui.theme import LIGHT, apply_theme
from retrieval.settings import Settings
from tests.conftest import SAMPLE
from tests.export.samples import read_back
from tests.gui.test_window import (
    QUESTION,
    add_and_wait,
    ask_and_wait,
    close_window,
    make_window,
)

SECOND = "Who fired the rockets?"


def test_a_relaunch_shows_the_questions_briefing_and_length_of_last_time(
    qtbot,  # noqa: ANN001
    tmp_path: Path,
    backend_settings: Settings,
) -> None:
    archive = backend_settings.archive  # the local library, or a shared archive
    first = make_window(qtbot, tmp_path, archive=archive)
    add_and_wait(qtbot, first, [str(SAMPLE)], 1)
    ask_and_wait(qtbot, first)
    ask_and_wait(qtbot, first, SECOND)
    first.briefing.length.setCurrentIndex(1)  # Medium
    first.briefing.scope.setCurrentIndex(1)  # all articles
    first.briefing.generate()
    qtbot.waitUntil(lambda: first.briefing.briefing is not None, timeout=60000)
    quotes = [c.quote for c in first.ask.last_answer().citations]
    close_window(qtbot, first)

    second = make_window(qtbot, tmp_path, archive=archive)
    try:
        # "Ready" (the models) and the opened library (with its history) arrive from two
        # jobs in either order: the history is shown once the library is open.
        qtbot.waitUntil(lambda: second.history is not None, timeout=20000)
        shown = second.ask.view.toPlainText()
        assert QUESTION in shown and SECOND in shown, "yesterday's questions are back"
        assert [t.question for t in second.ask.turns] == [QUESTION, SECOND]
        assert all(q[:40] in " ".join(shown.split()) for q in quotes), "with their sources"
        assert "Key points" in second.briefing.view.toPlainText()
        assert second.briefing.briefing.length == "medium"
        assert second.briefing.length.currentText() == "Medium", "the length choice is kept"
        assert second.briefing.scope.currentIndex() == 1
        titles = [e.title for e in second.history_panel.entries()]
        assert len(titles) == 2 and QUESTION in titles
        # Asking again continues the same conversation in the history.
        ask_and_wait(qtbot, second, "When was the embassy attacked?")
        conversation = second.history.latest("conversation")
        assert conversation.count == 3
    finally:
        close_window(qtbot, second)


def test_history_entries_reopen_rename_and_delete(qtbot, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    window = make_window(qtbot, tmp_path)
    try:
        add_and_wait(qtbot, window, [str(SAMPLE)], 1)
        ask_and_wait(qtbot, window)
        window.ask.clear_button.click()  # a new conversation; the first stays in the history
        assert not window.ask.turns
        ask_and_wait(qtbot, window, SECOND)
        panel = window.history_panel
        assert [e.title for e in panel.entries()] == [SECOND, QUESTION]
        window.history_action.trigger()
        assert window.tabs.currentWidget() is panel
        panel.select_entry(panel.entries()[1].id)
        panel.open_button.click()
        assert window.tabs.currentWidget() is window.ask
        assert [t.question for t in window.ask.turns] == [QUESTION]

        tree = panel.tree
        panel.select_entry(panel.entries()[1].id)
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Rockets on Baghdad", True))
        panel.rename_selected()
        assert "Rockets on Baghdad" in [e.title for e in panel.entries()]
        assert window.ask.conversation_title() == "Rockets on Baghdad"
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("  ", True))
        panel.rename_selected()
        assert window.errors[-1][0] == "Not renamed"

        panel.select_entry(panel.entries()[0].id)
        gone = tree.currentItem().text(0)
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        panel.delete_selected()
        assert gone not in [e.title for e in panel.entries()]
        assert len(window.history.entries()) == 1
    finally:
        close_window(qtbot, window)


def test_keyboard_only_add_ask_open_a_citation_and_export_the_conversation(
    qtbot,
    tmp_path: Path,
    monkeypatch,  # noqa: ANN001
) -> None:
    window = make_window(qtbot, tmp_path)
    try:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (str(SAMPLE), True))
        qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)  # Add from URL
        qtbot.waitUntil(lambda: window.library.model.rowCount() == 1, timeout=20000)
        qtbot.waitUntil(lambda: not window.library.is_adding(), timeout=20000)

        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        assert window.ask.question.hasFocus()
        qtbot.keyClicks(window.ask.question, "How many rockets were fired?")
        qtbot.keyClick(window.ask.question, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.ask.last_answer() is not None, timeout=20000)
        qtbot.keyClicks(window.ask.question, "Who fired the rockets?")
        qtbot.keyClick(window.ask.question, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(window.ask.results()) == 2, timeout=20000)

        # Alt+1 opens the newest answer's first citation in the reader.
        newest = window.ask.last_answer()
        qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
        assert window.reader.highlighted_text() == newest.citations[0].quote
        assert window.library.selected_ids() == [newest.citations[0].article_id]

        # Tab from the question lands on the newest answer's citation, not the first turn's.
        window.reader.clear()
        window.ask.question.setFocus()
        qtbot.keyClick(window.ask.question, Qt.Key.Key_Tab)
        assert window.ask.view.hasFocus()
        selected = window.ask.view.textCursor()
        href = selected.charFormat().anchorHref() or _anchor_at(window, selected.selectionStart())
        assert href.startswith("cite:1."), f"the newest turn's link comes first, got {href!r}"
        qtbot.keyClick(window.ask.view, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(window.reader.highlighted_text()))

        target = tmp_path / "conversation.md"
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Markdown (*.md)")
        )
        ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        qtbot.keyClick(window, Qt.Key.Key_E, ctrl_shift)
        qtbot.waitUntil(target.exists, timeout=20000)
        text = " ".join(read_back(target).split())
        assert "How many rockets were fired?" in text and "Who fired the rockets?" in text
        for result in window.ask.results():
            for citation in result.citations:
                assert " ".join(citation.quote.split())[:50] in text
        assert not window.errors
    finally:
        close_window(qtbot, window)


def _anchor_at(window: MainWindow, position: int) -> str:
    for start, length, href in window.ask._link_fragments():
        if start <= position < start + length:
            return href
    return ""


def test_help_lists_every_toolbar_action_with_its_shortcut(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(qtbot, tmp_path)
    try:
        toolbar_actions = [a for a in window.findChild(type(window.addToolBar("x"))).actions()
                           if a.text()]  # fmt: skip
        for action in toolbar_actions:
            assert not action.shortcut().isEmpty(), f"{action.text()} has no shortcut"
        rows = dict(window.shortcut_rows())
        for action in toolbar_actions:
            assert rows[action.text()] == action.shortcut().toString()
        assert rows["Open citation 1–9 of the newest answer"] == "Alt+1 … Alt+9"
        window.shortcuts_action.trigger()
        from desktop.gui.shortcuts_dialog import ShortcutsDialog

        dialog = window.findChild(ShortcutsDialog)
        qtbot.waitUntil(dialog.isVisible)
        assert ("Add folder…", "Ctrl+Shift+O") in dialog.rows()
        assert dialog.height() <= 700
        dialog.close()
    finally:
        close_window(qtbot, window)


def test_the_smaller_points(qtbot, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    window = make_window(qtbot, tmp_path)
    try:
        add_and_wait(qtbot, window, [str(SAMPLE)], 1)
        article_id = window.library.model.articles()[0].id
        turn = ask_and_wait(qtbot, window)

        # Copy says so.
        window.ask.copy_button.click()
        assert "eight rockets" in QGuiApplication.clipboard().text()
        assert "Copied" in window.statusBar().currentMessage()
        assert window.ask.copy_button.text() == "Copied ✓"

        # The status bar names the job running instead of saying "Ready".
        window.worker.op(lambda desk: time.sleep(0.6), label="Answering the question").start()
        qtbot.waitUntil(lambda: window.model_status.text() == "Answering…")
        qtbot.waitUntil(lambda: window.model_status.text() == READY)

        # The reader keeps its highlight when the theme changes.
        window.library.select_ids([])
        window.show_citation(turn.answer.citations[0])
        assert window.library.selected_ids() == [article_id], "the selection follows"
        quote = window.reader.highlighted_text()
        assert quote
        qtbot.wait(50)
        scrolled = window.reader.text.verticalScrollBar().value()
        dark = window.settings.model_copy(
            update={"ui": window.settings.ui.model_copy(update={"theme": "dark"})}
        )
        try:
            window.apply_settings(dark, models_changed=False)
            qtbot.wait(50)
            assert window.reader.highlighted_text() == quote
            assert window.reader.text.verticalScrollBar().value() == scrolled, "still in view"
        finally:
            apply_theme(QApplication.instance(), LIGHT.name)

        # A cancelled briefing's note does not stay while the next one runs.
        window.briefing.scope.setCurrentIndex(1)
        window.briefing._ended("Cancelled.")
        assert "Cancelled." in window.briefing.view.toPlainText()
        window.briefing.generate()
        assert "Cancelled." not in window.briefing.view.toPlainText()
        assert "1 article" in window.briefing.progress_label.text() or "whole library" in (
            window.briefing.progress_label.text()
        )
        qtbot.waitUntil(lambda: window.briefing.briefing is not None, timeout=60000)
        assert "article(s)" not in window.briefing.view.toPlainText()

        # Remove warns that saved answers cite the article.
        asked: list[str] = []

        def question(_parent, _title, text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
            asked.append(text)
            return QMessageBox.StandardButton.Cancel

        monkeypatch.setattr(QMessageBox, "question", question)
        window.library.select_ids([article_id])
        window.library.remove_selected()
        assert "2 saved conversations or briefings in your history cite it" in asked[0]
        assert "(s)" not in asked[0]
    finally:
        close_window(qtbot, window)


def test_suggested_questions_are_answerable_and_ask_in_one_click(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(qtbot, tmp_path)
    try:
        add_and_wait(qtbot, window, [str(SAMPLE)], 1)
        window.library.select_ids([window.library.model.articles()[0].id])
        qtbot.waitUntil(lambda: bool(window.ask._suggested), timeout=30000)
        suggested = list(window.ask._suggested)
        assert len(suggested) <= 3  # a few links, never a wall of them
        assert all(q.endswith("?") for q in suggested)
        assert any(q.startswith(("Who is", "What happened on")) for q in suggested)
        assert window.ask.suggestions.isVisible()
        window.ask.suggestions.linkActivated.emit("suggest:0")
        qtbot.waitUntil(lambda: window.ask.last_answer() is not None, timeout=20000)
        answer = window.ask.last_answer()
        assert answer.question == suggested[0] and not answer.declined
        window.library.select_ids([])
        qtbot.waitUntil(lambda: not window.ask.suggestions.isVisible())
    finally:
        close_window(qtbot, window)


def test_after_a_relaunch_a_removed_source_is_marked_and_the_history_exports_whole(
    qtbot,
    tmp_path: Path,
    monkeypatch,  # noqa: ANN001
) -> None:
    from desktop.gui.rendering import SOURCE_REMOVED

    first = make_window(qtbot, tmp_path)
    add_and_wait(qtbot, first, [str(SAMPLE)], 1)
    turn = ask_and_wait(qtbot, first)
    quote = turn.answer.citations[0].quote
    first.briefing.scope.setCurrentIndex(1)
    first.briefing.generate()
    qtbot.waitUntil(lambda: first.briefing.briefing is not None, timeout=60000)
    monkeypatch.setattr(first.library, "confirm_remove", lambda articles: True)
    first.library.select_ids([turn.answer.citations[0].article_id])
    first.library.remove_selected()
    qtbot.waitUntil(lambda: first.library.model.rowCount() == 0, timeout=20000)
    close_window(qtbot, first)

    second = make_window(qtbot, tmp_path)
    try:
        shown = " ".join(second.ask.view.toPlainText().split())
        assert SOURCE_REMOVED in shown and quote[:50] in shown, "quotes stay, marked"
        assert SOURCE_REMOVED in second.briefing.view.toPlainText()
        target = tmp_path / "history.docx"
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Word document (*.docx)")
        )
        second.history_panel.export_all()
        qtbot.waitUntil(target.exists, timeout=20000)
        text = " ".join(read_back(target).split())
        assert QUESTION in text and "Key points" in text and quote[:50] in text
    finally:
        close_window(qtbot, second)
