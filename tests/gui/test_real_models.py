"""The window on the REAL packaged models: launch, ask, click the citation."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings  # noqa: E402

from desktop.gui.app import create_window  # noqa: E402
from desktop.gui.startup import READY  # noqa: E402
from retrieval.settings import Settings  # noqa: E402
from tests.gui.test_window import QUESTION, click_link  # noqa: E402

pytestmark = pytest.mark.models


def test_first_launch_adds_the_sample_and_a_real_answer_cites_eight_rockets(
    qtbot,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    gc.collect()  # no collection of earlier tests' widgets while the worker loads models
    settings = Settings(library=tmp_path / "library")
    state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    started = time.perf_counter()
    window = create_window(settings, state=state, settings_path=tmp_path / "settings.json")
    shown_after = time.perf_counter() - started
    try:
        assert window.isVisible()
        assert shown_after < 2.0, f"the window took {shown_after:.1f} s to show"
        turn = window.ask.ask(QUESTION)  # typed before the models are ready: it waits
        qtbot.waitUntil(lambda: window.library.model.rowCount() == 1, timeout=120_000)
        qtbot.waitUntil(lambda: turn.answer is not None, timeout=180_000)
        qtbot.waitUntil(lambda: window.model_status.text() == READY, timeout=180_000)
        assert not window.errors, window.errors
        assert not turn.answer.declined
        links = window.ask.citation_links()
        assert links
        first = window.ask.citation(links[0])
        assert "launched eight rockets" in first.paragraph_text
        click_link(qtbot, window.ask.view, links[0])
        qtbot.waitUntil(lambda: window.reader.highlighted_paragraph() is not None)
        paragraph = window.reader.paragraphs[window.reader.highlighted_paragraph()]
        assert "launched eight rockets" in paragraph.text
        assert window.reader.highlighted_text().strip() in paragraph.text
        assert "eight rockets" in window.reader.highlighted_text()
    finally:
        window.close()
        window.deleteLater()
        qtbot.wait(10)
        gc.collect()
