"""Adding articles in the window: progress that names the file, Cancel, failures by name."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer

from desktop.gui.main_window import MainWindow
from tests.conftest import SAMPLE
from tests.gui.test_window import (
    SQUAD_ARTICLES,
    SlowEmbedder,
    add_and_wait,
    close_window,
    make_window,
)


class SlowerEmbedder(SlowEmbedder):
    """0.2 s a batch: adding 13 articles outlasts the 2 s before the time left is guessed."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(0.15)
        return super().encode(texts)


def test_cancelling_a_long_add_leaves_nothing_half_added(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(qtbot, tmp_path, embedder=SlowEmbedder())
    try:
        desk = window._test_desk
        steps: list[object] = []
        op = window.library.add_items([str(SQUAD_ARTICLES)])
        op.with_progress(steps.append)
        qtbot.waitUntil(lambda: window.library.model.rowCount() >= 1, timeout=20000)
        window.library.cancel_button.click()
        qtbot.waitUntil(lambda: not window.library.is_adding(), timeout=20000)
        qtbot.waitUntil(lambda: not window.worker.is_busy(), timeout=20000)
        stored = desk.articles()
        assert 0 < len(stored) < 12, "the add was cancelled part-way"
        assert [a.id for a in window.library.model.articles()] == [a.id for a in stored]
        for article in stored:
            assert len(desk.library.paragraphs(article.id)) == article.paragraph_count
        assert window.library.progress_box.isHidden()
    finally:
        close_window(qtbot, window)


def test_adding_names_each_file_says_the_time_left_then_what_was_added(
    qtbot,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    window = make_window(qtbot, tmp_path, embedder=SlowerEmbedder())
    try:
        lines: list[str] = []
        notices: list[str] = []
        window.library.notice.connect(notices.append)
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: lines.append(window.library.progress_label.text()))
        timer.start()
        try:
            add_and_wait(qtbot, window, [str(SQUAD_ARTICLES), str(SAMPLE)], 13)
            qtbot.waitUntil(lambda: bool(notices), timeout=20000)
            add_and_wait(qtbot, window, [str(SAMPLE)], 13)  # already there: skipped
            qtbot.waitUntil(lambda: len(notices) == 2, timeout=20000)
        finally:
            timer.stop()
        names = {p.name for p in SQUAD_ARTICLES.glob("*.txt")}
        assert any(name in line for line in lines for name in names), lines[-5:]
        assert any(line.endswith(" left") for line in lines), "no time-left estimate was shown"
        paragraphs = sum(a.paragraph_count for a in window._test_desk.articles())
        assert notices[0] == f"Added 13 articles ({paragraphs} paragraphs)."
        assert notices[1] == "Added 0 articles (0 paragraphs); 1 skipped: 1 already in the library."
    finally:
        close_window(qtbot, window)


def test_the_event_loop_keeps_answering_while_twelve_articles_are_added(
    qtbot,
    window: MainWindow,  # noqa: ANN001
) -> None:
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    try:
        add_and_wait(qtbot, window, [str(SQUAD_ARTICLES)], 12)
    finally:
        timer.stop()
    assert window.library.model.rowCount() == 12
    assert len(gaps) > 10
    assert max(gaps) < 0.2, f"the window froze for {max(gaps) * 1000:.0f} ms"


def test_a_broken_file_is_reported_by_name_while_the_rest_are_added(
    qtbot,
    window: MainWindow,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    broken = tmp_path / "broken-report.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    add_and_wait(qtbot, window, [str(broken), str(SAMPLE)], 1)
    qtbot.waitUntil(lambda: bool(window.errors))
    title, message = window.errors[-1]
    assert "broken-report.pdf" in message
    assert "broken-report.pdf" in window.statusBar().currentMessage() or title in (
        window.statusBar().currentMessage()
    )
    assert window.library.model.rowCount() == 1
