"""Models load in the background as soon as the engine exists, without losing errors."""

from __future__ import annotations

import threading
import time

import pytest

from retrieval.backends.base import GeneratorError
from retrieval.engine import Newsdesk
from retrieval.settings import Settings
from retrieval.text.english_model import dependency_parser
from tests.support.fakes import HashingEmbedder, ScriptedGenerator


class RecordingGenerator(ScriptedGenerator):
    """A generator that records which thread loaded it, and when."""

    def __init__(self, error: Exception | None = None) -> None:
        super().__init__()
        self.error = error
        self.loaded_on: str | None = None
        self.loaded_at = 0.0

    def load(self) -> None:
        if self.error is not None:
            raise self.error
        self.loaded_on = threading.current_thread().name
        self.loaded_at = time.perf_counter()


class RecordingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.first_encode = 0.0

    def encode(self, texts):  # noqa: ANN001, ANN201
        self.first_encode = self.first_encode or time.perf_counter()
        return super().encode(texts)


def test_the_models_load_one_after_the_other_on_the_callers_thread(settings: Settings) -> None:
    """Side by side they fight over the GIL: the first answer came 2 s later."""
    generator, embedder = RecordingGenerator(), RecordingEmbedder()
    desk = Newsdesk(settings, embedder=embedder, generator=generator)
    try:
        desk.load_models()
        assert generator.loaded_on == threading.current_thread().name
        assert 0 < embedder.first_encode < generator.loaded_at  # the embedder first
        assert desk.ask("How many rockets?").declined  # usable at once (empty library)
    finally:
        desk.close()


def test_ready_means_the_first_answer_loads_nothing_more(settings: Settings) -> None:
    """The parser that checks counts and doers is loaded with the models, not by the
    first "How many …?" question (≈1 s later for the user)."""
    dependency_parser.cache_clear()
    desk = Newsdesk(settings, embedder=RecordingEmbedder(), generator=RecordingGenerator())
    try:
        desk.load_models()
        assert dependency_parser.cache_info().currsize == 1
    finally:
        desk.close()


def test_a_load_failure_reaches_the_user_in_words(settings: Settings) -> None:
    generator = RecordingGenerator(GeneratorError("could not load model 'x': broken file"))
    desk = Newsdesk(settings, embedder=HashingEmbedder(), generator=generator)
    try:
        with pytest.raises(GeneratorError, match="broken file"):
            desk.load_models()
    finally:
        desk.close()


def test_the_entity_model_loads_in_the_background_for_the_first_briefing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval.briefing import entities

    loaded = threading.Event()
    threads: list[str] = []

    def fake_load_nlp() -> None:
        threads.append(threading.current_thread().name)
        loaded.set()

    monkeypatch.setattr(entities, "load_nlp", fake_load_nlp)
    desk = Newsdesk(settings, embedder=HashingEmbedder(), generator=RecordingGenerator())
    try:
        desk.start_loading_entities()
        desk.start_loading_entities()  # once is enough
        assert loaded.wait(5)
        time.sleep(0.1)
        assert threads == ["newsdesk-entities"]
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

    from retrieval.backends.embedding import _load_sentence_transformer
    from retrieval.backends.local import TransformersGenerator
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
