"""Opening the library and loading the models after the window is shown.

Everything heavy (torch, the models, FAISS) is imported on the worker thread,
so the window appears at once. A question typed meanwhile is queued behind
these jobs on the same worker, so it simply waits and then runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings

from desktop.gui.worker import Worker
from retrieval.resources import sample_article
from retrieval.settings import Settings
from retrieval.types import AddProgress, Article

SAMPLE = sample_article()
LOADING = "Loading models…"
READY = "Ready"
FAILED = "Models not loaded"
SAMPLE_KEY = "library/sampleAdded"


@dataclass(frozen=True)
class StartupHooks:
    """What the window does as start-up goes on (the window passes these in).

    Attributes:
        set_status: Show the models' state ("Loading models…", "Ready", …).
        say: A short status-bar message.
        engine_opened: The engine exists (the reader can read from it).
        add_step: One step of adding the sample article.
        articles_loaded: The library's articles, once it is open.
    """

    set_status: Callable[[str], None]
    say: Callable[[str], None]
    engine_opened: Callable[[Any], None]
    add_step: Callable[[AddProgress], None]
    articles_loaded: Callable[[Sequence[Article]], None]


class Startup:
    """The jobs that open the engine, seed an empty library and warm the models."""

    def __init__(
        self,
        hooks: StartupHooks,
        worker: Worker,
        settings: Settings,
        state: QSettings,
        desk: Any,
        add_sample: bool,
    ) -> None:
        self.hooks = hooks
        self.worker = worker
        self.settings = settings
        self.state = state
        self.injected = desk is not None
        self.add_sample = add_sample
        self.desk: Any = desk

    def start(self) -> None:
        """Queue the opening and warm-up jobs."""
        self.hooks.set_status(LOADING)
        seed = self.add_sample and not _truthy(self.state.value(SAMPLE_KEY, False))
        settings = self.settings
        worker = self.worker

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
        if isinstance(item, AddProgress):
            self.hooks.add_step(item)
            if item.article is not None:
                self.state.setValue(SAMPLE_KEY, True)
            return
        kind, value = item  # type: ignore[misc]
        if kind == "engine":
            self.desk = value
            self.hooks.engine_opened(value)
            notice = getattr(value, "library_notice", None)
            if notice:  # the archive server failed and the local library stands in
                self.hooks.say(notice)
        elif kind == "articles":
            self.hooks.articles_loaded(value)

    def _ready(self, _result: object) -> None:
        self.hooks.set_status(READY)
        self.hooks.say("Models loaded.")
        # The entity model (briefing timelines) loads in the background while the
        # user reads, but only after what is already queued: a question typed
        # during loading is answered first, not beside a loading spaCy pipeline
        # (0.2-0.3 s slower on two cores).
        self.worker.op(_load_entities, label="Loading the entity model").start()

    def _not_ready(self, _error: BaseException) -> None:
        self.hooks.set_status(FAILED)


def _warm_up(desk: Any) -> None:
    if desk is None:
        raise RuntimeError("the library could not be opened")
    desk.load_models()


def _load_entities(desk: Any) -> None:
    desk.start_loading_entities()  # for the first briefing, on its own thread


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1")
