"""Models load in the background as soon as the engine exists, without losing errors."""

from __future__ import annotations

import threading

import pytest

from retrieval.engine import Newsdesk
from retrieval.generation import GeneratorError
from retrieval.settings import Settings
from tests.fakes import HashingEmbedder, ScriptedGenerator


class SlowGenerator(ScriptedGenerator):
    """A generator whose load takes until the test lets it finish."""

    def __init__(self, error: Exception | None = None) -> None:
        super().__init__()
        self.error = error
        self.release = threading.Event()
        self.started = threading.Event()
        self.loaded_on: str | None = None
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:
            self.started.set()
            self.release.wait(10)
            if self.error is not None:
                raise self.error
            self.loaded_on = self.loaded_on or threading.current_thread().name


def test_the_language_model_loads_while_the_first_article_is_added(settings: Settings) -> None:
    generator = SlowGenerator()
    desk = Newsdesk(settings, embedder=HashingEmbedder(), generator=generator)
    try:
        desk.start_loading()
        assert generator.started.wait(5), "loading did not start in the background"
        list(desk.add_text("Eight rockets hit the Green Zone on Sunday.\n\nNobody was hurt."))
        assert len(desk.articles()) == 1  # adding went ahead while the model was loading
        generator.release.set()
        desk.load_models()  # waits for the background load
        assert generator.loaded_on == "newsdesk-models"
    finally:
        generator.release.set()
        desk.close()


def test_a_background_load_failure_reaches_the_user(settings: Settings) -> None:
    generator = SlowGenerator(GeneratorError("could not load model 'x': broken file"))
    generator.release.set()
    desk = Newsdesk(settings, embedder=HashingEmbedder(), generator=generator)
    try:
        desk.start_loading()
        with pytest.raises(GeneratorError, match="broken file"):
            desk.load_models()
    finally:
        desk.close()
