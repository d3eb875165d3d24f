"""The window's one background worker: order, supersede, cancel, errors."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from desktop.gui.worker import Worker  # noqa: E402


@pytest.fixture
def worker(qtbot):  # noqa: ANN001
    worker = Worker(engine="ENGINE")
    yield worker
    worker.stop()


def test_jobs_get_the_engine_and_results_come_back_on_the_gui_thread(qtbot, worker) -> None:
    results: list[tuple[object, bool]] = []
    gui = threading.current_thread()
    worker.op(lambda desk: desk.lower()).on_success(
        lambda value: results.append((value, threading.current_thread() is gui))
    ).start()
    qtbot.waitUntil(lambda: results == [("engine", True)])


def test_a_newer_job_supersedes_a_queued_older_one_with_the_same_key(qtbot, worker) -> None:
    gate = threading.Event()
    worker.op(lambda _: gate.wait(5)).start()  # keeps the worker busy
    outcome: list[str] = []
    first = worker.op(lambda _: "old", key="ask").on_success(outcome.append)
    first.on_cancel(lambda: outcome.append("old superseded")).start()
    worker.op(lambda _: "new", key="ask").on_success(outcome.append).start()
    gate.set()
    qtbot.waitUntil(lambda: "new" in outcome)
    assert outcome == ["old superseded", "new"]


def test_cancel_closes_the_generator_at_its_next_step(qtbot, worker) -> None:
    closed = threading.Event()
    reached = threading.Event()
    release = threading.Event()

    def steps(_desk: object) -> Iterator[int]:
        try:
            for n in range(1000):
                if n == 2:
                    reached.set()
                    release.wait(5)
                yield n
        finally:
            closed.set()

    seen: list[int] = []
    cancelled: list[bool] = []
    op = worker.op(steps).with_progress(seen.append).on_cancel(lambda: cancelled.append(True))
    op.start()
    assert reached.wait(5)
    op.cancel()
    release.set()
    qtbot.waitUntil(lambda: cancelled == [True])
    assert closed.is_set()
    assert len(seen) < 5
    assert not worker.is_busy()


def test_an_unhandled_failure_reaches_the_one_error_signal_in_words(qtbot, worker) -> None:
    with qtbot.waitSignal(worker.failed, timeout=5000) as signal:
        worker.op(lambda _: open("/no/such/file.txt"), label="Reading").start()  # noqa: SIM115
    title, message = signal.args
    assert title == "Reading failed"
    assert "could not be found" in message and "/no/such/file.txt" in message


def test_stop_ends_the_thread(qtbot) -> None:
    worker = Worker()
    assert worker.is_running()
    assert worker.stop()
    assert not worker.is_running()


def test_a_job_started_first_runs_before_those_already_waiting(qtbot, worker) -> None:
    gate = threading.Event()
    worker.op(lambda _: gate.wait(5)).start()
    order: list[str] = []
    worker.op(lambda _: "question").on_success(order.append).start()
    worker.op(lambda _: "open library").on_success(order.append).start(first=True)
    gate.set()
    qtbot.waitUntil(lambda: len(order) == 2)
    assert order == ["open library", "question"]


def test_jobs_needing_the_engine_wait_until_it_is_opened(qtbot) -> None:
    worker = Worker()
    try:
        order: list[str] = []
        worker.op(lambda desk: f"asked {desk}").on_success(order.append).start()
        qtbot.wait(50)
        assert order == [], "the question waits for the engine"

        def open_engine(_: object) -> str:
            worker.adopt_engine("desk")
            return "opened"

        worker.op(open_engine).without_engine().on_success(order.append).start()
        qtbot.waitUntil(lambda: len(order) == 2)
        assert order == ["opened", "asked desk"]
    finally:
        worker.stop()
