"""Opening the library and loading the models after the window is shown.

Everything heavy (torch, the models, FAISS) is imported on the worker thread,
so the window appears at once. A question typed meanwhile is queued behind
these jobs on the same worker, so it simply waits and then runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from retrieval.library import AddProgress
from retrieval.resources import sample_article

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SAMPLE = sample_article()
LOADING = "Loading models…"
READY = "Ready"
FAILED = "Models not loaded"
SAMPLE_KEY = "library/sampleAdded"


class Startup:
    """The jobs that open the engine, seed an empty library and warm the models."""

    def __init__(self, window: MainWindow, desk: Any, add_sample: bool) -> None:
        self.window = window
        self.injected = desk is not None
        self.add_sample = add_sample
        self.desk: Any = desk

    def start(self) -> None:
        """Queue the opening and warm-up jobs."""
        window = self.window
        window.set_model_status(LOADING)
        seed = self.add_sample and not _truthy(window.state.value(SAMPLE_KEY, False))
        settings = window.settings
        worker = window.worker

        def open_library(desk: Any) -> Iterator[object]:
            if desk is None:
                from retrieval.engine import Newsdesk  # torch and friends: worker only

                desk = Newsdesk(settings)
                worker.adopt_engine(desk)
            yield ("engine", desk)
            articles = desk.articles()
            if not articles and seed:
                yield from desk.add([str(SAMPLE)])
                articles = desk.articles()
            yield ("articles", articles)

        # Jobs that need the engine (a question typed early) wait until the
        # opening job hands it over; warm-up goes ahead of them.
        worker.op(_warm_up, label="Loading the models").on_success(self._ready).on_failure(
            self._not_ready
        ).start(first=True)
        worker.op(open_library, label="Opening the library").without_engine().with_progress(
            self._opened
        ).on_failure(lambda error: worker.engine_failed(str(error))).start(first=True)

    def close_engine(self) -> None:
        """Close the engine this window built (an injected one belongs to its owner)."""
        if self.desk is not None and not self.injected:
            self.desk.close()
            self.desk = None

    def _opened(self, item: object) -> None:
        window = self.window
        if isinstance(item, AddProgress):
            window.library.show_add_step(item, [])
            if item.article is not None:
                window.state.setValue(SAMPLE_KEY, True)
            return
        kind, value = item  # type: ignore[misc]
        if kind == "engine":
            self.desk = value
            window.reader.set_engine(value)
        elif kind == "articles":
            window.library.set_articles(value)
            window.library.progress_box.hide()
            window.library.select_ids(window.saved_selection())

    def _ready(self, _result: object) -> None:
        self.window.set_model_status(READY)
        self.window.statusBar().showMessage("Models loaded.", 4000)

    def _not_ready(self, _error: BaseException) -> None:
        self.window.set_model_status(FAILED)


def _warm_up(desk: Any) -> None:
    if desk is None:
        raise RuntimeError("the library could not be opened")
    desk.load_models()
    desk.start_loading_entities()  # for the first briefing, while the user reads


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1")
