"""The one background worker that runs every model and index job.

Every job is a plain function of the engine (a :class:`retrieval.engine.Newsdesk`)
that returns a value or a Qt-free generator. A generator's items are sent back
to the GUI thread as progress and its last item is the result; cancelling closes
the generator at its next ``yield``. Jobs run one at a time, in order, on one
``QThread``; a newer job with the same ``key`` supersedes an older one still
waiting in the queue (a newer question replaces an unanswered older one).

Each UI action is then a few lines::

    worker.op(lambda desk: desk.ask_stream(question)) \\
        .on_success(show_answer).with_progress(show_piece).start()

Failures that no ``on_failure`` handler takes reach :attr:`Worker.failed`,
which the main window turns into one status-bar message plus a dialog.
"""

from __future__ import annotations

import threading
import traceback
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

Job = Callable[[Any], Any]


@dataclass(eq=False)
class _Task:
    """One queued job and what to do with its outcome (GUI side)."""

    id: int
    fn: Job
    key: str | None
    label: str
    success: list[Callable[[Any], None]] = field(default_factory=list)
    failure: list[Callable[[BaseException], None]] = field(default_factory=list)
    progress: list[Callable[[Any], None]] = field(default_factory=list)
    cancelled_cb: list[Callable[[], None]] = field(default_factory=list)
    cancel_event: threading.Event = field(default_factory=threading.Event)
    needs_engine: bool = True


class Op:
    """A background operation, configured by chaining, then started.

    Args:
        worker: The worker that runs it.
        fn: Called on the worker thread with the engine (None until loaded).
        key: Jobs sharing a key supersede each other while queued.
        label: What the job does, in words, for error messages.
    """

    def __init__(self, worker: Worker, fn: Job, key: str | None = None, label: str = "") -> None:
        self._worker = worker
        self._task = _Task(worker.next_id(), fn, key, label or "The operation")
        self._started = False

    @property
    def id(self) -> int:
        """The job's id."""
        return self._task.id

    def on_success(self, callback: Callable[[Any], None]) -> Op:
        """Call ``callback(result)`` on the GUI thread when the job finishes."""
        self._task.success.append(callback)
        return self

    def on_failure(self, callback: Callable[[BaseException], None]) -> Op:
        """Call ``callback(error)`` on the GUI thread when the job fails.

        The error is still reported to the user through :attr:`Worker.failed`
        unless ``callback`` returns True.
        """
        self._task.failure.append(callback)
        return self

    def with_progress(self, callback: Callable[[Any], None]) -> Op:
        """Call ``callback(item)`` on the GUI thread for each item yielded."""
        self._task.progress.append(callback)
        return self

    def on_cancel(self, callback: Callable[[], None]) -> Op:
        """Call ``callback()`` when the job is cancelled or superseded."""
        self._task.cancelled_cb.append(callback)
        return self

    def without_engine(self) -> Op:
        """Let the job run before the engine is open (the job that opens it)."""
        self._task.needs_engine = False
        return self

    def start(self, first: bool = False) -> Op:
        """Queue the job (ahead of all waiting jobs when ``first``); returns self."""
        if not self._started:
            self._started = True
            self._worker.submit(self._task, first)
        return self

    def cancel(self) -> None:
        """Cancel the job: dropped if queued, stopped at its next step if running."""
        self._worker.cancel(self._task.id)


class _Thread(QThread):
    """The thread: takes tasks off the queue and runs them one by one."""

    progressed = Signal(int, object)
    succeeded = Signal(int, object)
    failed = Signal(int, object, str)
    cancelled = Signal(int)
    started_task = Signal(int)

    def __init__(self, owner: Worker) -> None:
        super().__init__()
        self._owner = owner
        self.engine: Any = None

    def run(self) -> None:
        while True:
            task = self._owner.take()
            if task is None:
                return
            task_id = task.id
            self.started_task.emit(task_id)
            kind, payload = self._execute(task)
            # Drop this thread's references before reporting, so the callbacks
            # (which hold widgets) are always released on the GUI thread.
            del task
            if kind == "done":
                self.succeeded.emit(task_id, payload)
            elif kind == "cancelled":
                self.cancelled.emit(task_id)
            else:
                error, details = payload
                self.failed.emit(task_id, error, details)
            del payload

    def _execute(self, task: _Task) -> tuple[str, Any]:
        if task.cancel_event.is_set():
            return "cancelled", None
        try:
            if task.needs_engine and self.engine is None:
                raise RuntimeError(f"the library is not open: {self._owner.engine_error}")
            result = task.fn(self.engine)
            if isinstance(result, Iterator):
                result = self._drain(task, result)
                if result is _CANCELLED:
                    return "cancelled", None
        except Exception as error:  # noqa: BLE001 - every failure must reach the user
            return "failed", (error, traceback.format_exc())
        return "done", result

    def _drain(self, task: _Task, items: Iterator[Any]) -> Any:
        last: Any = None
        try:
            for item in items:
                if task.cancel_event.is_set():
                    return _CANCELLED
                self.progressed.emit(task.id, item)
                last = item
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # runs the generator's cleanup at the step it reached
        return _CANCELLED if task.cancel_event.is_set() else last


_CANCELLED = object()
_LIVE: weakref.WeakSet[Worker] = weakref.WeakSet()


class Worker(QObject):
    """Owns the queue and the thread; lives on the GUI thread.

    Signals:
        failed: ``(title, message)`` for a job that failed and was not handled.
        busy_changed: True while a job runs or waits.
        task_started: ``(label)`` when a job starts running.
    """

    failed = Signal(str, str)
    busy_changed = Signal(bool)
    task_started = Signal(str)

    def __init__(self, engine: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Condition()
        self._queue: deque[_Task] = deque()
        self._tasks: dict[int, _Task] = {}
        self._ids = 0
        self._stopping = False
        self.engine_error = "it is still opening"
        self._engine_failed = False
        self._thread = _Thread(self)
        self._thread.engine = engine
        self._thread.progressed.connect(self._on_progress)
        self._thread.succeeded.connect(self._on_success)
        self._thread.failed.connect(self._on_failure)
        self._thread.cancelled.connect(self._on_cancelled)
        self._thread.started_task.connect(self._on_started)
        self._thread.start()
        _LIVE.add(self)

    # -- public API ------------------------------------------------------

    @property
    def engine(self) -> Any:
        """The engine handed to jobs (None until loaded)."""
        return self._thread.engine

    def adopt_engine(self, engine: Any) -> None:
        """Hand ``engine`` to every later job (called by a job on the worker thread).

        Until then, jobs that need the engine wait in the queue.
        """
        with self._lock:
            self._thread.engine = engine
            self._lock.notify_all()

    def engine_failed(self, reason: str) -> None:
        """The engine could not be opened: let waiting jobs run and fail with ``reason``."""
        with self._lock:
            self.engine_error = reason
            self._engine_failed = True
            self._lock.notify_all()

    def op(self, fn: Job, key: str | None = None, label: str = "") -> Op:
        """A new operation running ``fn(engine)`` on this worker."""
        return Op(self, fn, key, label)

    def is_busy(self) -> bool:
        """True while any job runs or waits."""
        return bool(self._tasks)

    def pending(self) -> int:
        """How many jobs wait or run."""
        return len(self._tasks)

    def is_running(self) -> bool:
        """True while the thread is alive."""
        return self._thread.isRunning()

    def stop(self, timeout_ms: int | None = None) -> bool:
        """Cancel everything and end the thread; True when it has ended."""
        with self._lock:
            self._stopping = True
            for task in self._tasks.values():
                task.cancel_event.set()
            self._queue.clear()
            self._lock.notify_all()
        ended = self._thread.wait() if timeout_ms is None else self._thread.wait(timeout_ms)
        return bool(ended)

    @staticmethod
    def live_threads() -> list[QThread]:
        """Worker threads still running (tests check that none are left)."""
        return [w._thread for w in list(_LIVE) if w._thread.isRunning()]

    # -- queue (both threads) ----------------------------------------------

    def next_id(self) -> int:
        """A fresh job id."""
        self._ids += 1
        return self._ids

    def submit(self, task: _Task, first: bool = False) -> None:
        """Queue ``task`` (at the front when ``first``), dropping tasks it supersedes."""
        dropped: list[_Task] = []
        with self._lock:
            if self._stopping:
                return
            if task.key is not None:
                dropped = [t for t in self._queue if t.key == task.key]
                for old in dropped:
                    self._queue.remove(old)
            if first:
                self._queue.appendleft(task)
            else:
                self._queue.append(task)
            self._tasks[task.id] = task
            self._lock.notify_all()
        for old in dropped:
            self._finish_cancelled(old)
        self.busy_changed.emit(True)

    def cancel(self, task_id: int) -> None:
        """Cancel a queued or running job."""
        with self._lock:
            task = self._tasks.get(task_id)
            if task is None:
                return
            task.cancel_event.set()
            queued = task in self._queue
            if queued:
                self._queue.remove(task)
        if queued:
            self._finish_cancelled(task)

    def take(self) -> _Task | None:
        """Block (worker thread) until a task is queued; None when stopping."""
        with self._lock:
            while True:
                if self._stopping:
                    return None
                runnable = self._runnable()
                if runnable is not None:
                    self._queue.remove(runnable)
                    return runnable
                self._lock.wait()

    def _runnable(self) -> _Task | None:
        ready = self._thread.engine is not None or self._engine_failed
        return next((t for t in self._queue if ready or not t.needs_engine), None)

    # -- results (GUI thread) ------------------------------------------------

    @Slot(int)
    def _on_started(self, task_id: int) -> None:
        task = self._tasks.get(task_id)
        if task is not None:
            self.task_started.emit(task.label)

    @Slot(int, object)
    def _on_progress(self, task_id: int, item: object) -> None:
        task = self._tasks.get(task_id)
        if task is None or task.cancel_event.is_set():
            return
        for callback in task.progress:
            callback(item)

    @Slot(int, object)
    def _on_success(self, task_id: int, result: object) -> None:
        task = self._pop(task_id)
        if task is not None:
            for callback in task.success:
                callback(result)

    @Slot(int, object, str)
    def _on_failure(self, task_id: int, error: BaseException, details: str) -> None:
        task = self._pop(task_id)
        if task is None:
            return
        handled = False
        for callback in task.failure:
            handled = bool(callback(error)) or handled
        if not handled:
            self.failed.emit(f"{task.label} failed", describe_error(error))

    @Slot(int)
    def _on_cancelled(self, task_id: int) -> None:
        task = self._pop(task_id)
        if task is not None:
            for callback in task.cancelled_cb:
                callback()

    def _finish_cancelled(self, task: _Task) -> None:
        if self._pop(task.id) is not None:
            for callback in task.cancelled_cb:
                callback()

    def _pop(self, task_id: int) -> _Task | None:
        with self._lock:
            task = self._tasks.pop(task_id, None)
            idle = not self._tasks
        if idle:
            self.busy_changed.emit(False)
        return task


def describe_error(error: BaseException) -> str:
    """The cause of a failure in words, for people rather than programmers."""
    text = str(error).strip() or type(error).__name__
    if isinstance(error, MemoryError):
        return "Not enough memory to finish. Close other programs or pick a smaller model."
    if isinstance(error, FileNotFoundError):
        return f"A file could not be found: {text}"
    if isinstance(error, PermissionError):
        return f"Permission denied: {text}"
    if isinstance(error, ImportError):
        return f"A required part of Newsdesk is missing or broken: {text}"
    return text[0].upper() + text[1:] if text else text
