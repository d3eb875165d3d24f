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
