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


@pytest.mark.models
def test_the_two_models_loading_on_two_threads_at_once_both_work(settings: Settings) -> None:
    """The window loads the language model in the background while the embedder loads.

    transformers swaps ``tie_weights`` out and back during every load; two
    overlapping loads once left it switched off for good, and the language
    model then wrote nonsense for the rest of the session.
    """
    from transformers import PreTrainedModel

    from retrieval.embedding import _load_sentence_transformer
    from retrieval.generation import TransformersGenerator
    from retrieval.settings import PACKAGED_EMBEDDER, PACKAGED_GENERATOR

    originals = (PreTrainedModel.tie_weights, PreTrainedModel.init_weights)
    generators = [TransformersGenerator(PACKAGED_GENERATOR, settings.cache_dir) for _ in range(5)]
    done = threading.Event()
    _load_sentence_transformer(PACKAGED_EMBEDDER)  # imports done: the loads themselves overlap

    def load_embedders() -> None:
        while not done.is_set():
            _load_sentence_transformer(PACKAGED_EMBEDDER)

    embedders = threading.Thread(target=load_embedders)
    embedders.start()
    try:
        for generator in generators:
            generator.load()
    finally:
        done.set()
        embedders.join()

    assert (PreTrainedModel.tie_weights, PreTrainedModel.init_weights) == originals
    messages = [{"role": "user", "content": "What is the capital of France?"}]
    assert "Paris" in generators[-1].generate(messages, 12)
    assert "Paris" in TransformersGenerator(PACKAGED_GENERATOR, settings.cache_dir).generate(
        messages, 12
    )
