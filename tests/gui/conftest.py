from __future__ import annotations

import gc

import pytest

from desktop.gui.worker import Worker


@pytest.fixture(autouse=True)
def no_thread_left_running(qapp):  # noqa: ANN001
    """Fail any test that leaves a worker QThread running (it would crash at exit)."""
    yield
    leftover = Worker.live_threads()
    for thread in leftover:
        thread.requestInterruption()
    assert not leftover, "a test left a worker QThread running"
    gc.collect()  # free Qt objects now, not while a later test's worker runs


@pytest.fixture
def window(qtbot, tmp_path):  # noqa: ANN001
    """A main window on a fresh library with the fake models, closed after the test."""
    from tests.gui.test_window import close_window, make_window

    made = make_window(qtbot, tmp_path)
    yield made
    close_window(qtbot, made)
