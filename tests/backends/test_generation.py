"""End-to-end tests of the packaged SmolLM2 generator (the model users run).

The converted model is cached in ``NEWSDESK_CACHE_DIR`` (or the user cache
folder), so only the very first run pays for the GGUF conversion.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from retrieval.backends import model_files
from retrieval.backends.base import GeneratorError
from retrieval.backends.factory import make_generator
from retrieval.backends.local import (
    PACKAGED_NAME,
    REPETITION_PENALTY,
    TransformersGenerator,
    converted_gguf,
)
from retrieval.backends.model_files import CONVERSION_MARKER
from retrieval.backends.packaged import smollm2_gguf_path as packaged_gguf_path
from retrieval.settings import PACKAGED_GENERATOR, GenerationSettings, Settings
from retrieval.types import Piece

pytestmark = pytest.mark.models

EVIDENCE = (
    "An Iraqi military statement on Sunday said an \u201can outlawed group\u201d launched "
    "eight rockets targeting the Green Zone, injuring one Iraqi security person "
    "manning a checkpoint."
)
QUESTION = "How many rockets were fired at the Green Zone?"
MESSAGES = [
    {
        "role": "system",
        "content": "Answer the question using only the evidence. Reply with one short sentence.",
    },
    {
        "role": "user",
        "content": f"Evidence: {EVIDENCE}\n\nQuestion: {QUESTION}",
    },
]


@pytest.fixture(scope="module")
def settings() -> Settings:
    # The packaged SmolLM2 (this file tests its packaging and conversion);
    # NEWSDESK_CACHE_DIR, if set, picks the shared cache.
    return Settings(generation=GenerationSettings(model=PACKAGED_GENERATOR))


@pytest.fixture(scope="module")
def generator(settings: Settings) -> TransformersGenerator:
    made = make_generator(settings)
    assert isinstance(made, TransformersGenerator)
    made.load()
    return made


def _cache_folder(settings: Settings) -> Path:
    return converted_gguf(packaged_gguf_path(), settings.cache_dir)


def test_packaged_model_answers_from_evidence(generator: TransformersGenerator) -> None:
    answer = generator.generate(MESSAGES, 48)
    assert generator.name == PACKAGED_NAME
    assert answer.strip()
    assert "eight" in answer.lower()


def test_int8_weights_answer_like_float32(settings: Settings, tmp_path: Path) -> None:
    """int8 weights are the default; they cost a quarter of the memory and give the same reply."""
    assert settings.generation.weights == "int8"
    int8 = TransformersGenerator(PACKAGED_GENERATOR, settings.cache_dir)
    full = TransformersGenerator(PACKAGED_GENERATOR, settings.cache_dir, weights="float32")
    try:
        assert "eight" in int8.generate(MESSAGES, 16).lower()
        assert int8.generate(MESSAGES, 16) == full.generate(MESSAGES, 16)
        folder = _cache_folder(settings)
        assert (folder / "int8-weights.safetensors").is_file()  # quantized once, then reused
    finally:
        int8.close()
        full.close()


def test_generation_is_deterministic(generator: TransformersGenerator) -> None:
    assert generator.generate(MESSAGES, 16) == generator.generate(MESSAGES, 16)


def test_stream_pieces_join_to_generate(generator: TransformersGenerator) -> None:
    pieces = list(generator.stream(MESSAGES, 48))
    assert len(pieces) > 1
    assert all(isinstance(p, Piece) and p.text for p in pieces)
    assert "".join(p.text for p in pieces if isinstance(p, Piece)) == generator.generate(
        MESSAGES, 48
    )


def test_replies_are_those_of_transformers_generate(generator: TransformersGenerator) -> None:
    """The own decoding loop, with its fused decode steps, picks the tokens
    transformers' greedy ``generate`` picks after the same prefill (the saved
    prefix KV cache: a prompt prefilled whole rounds a little differently, which
    can tip a near tie between two words)."""
    import torch
    from transformers import GenerationConfig

    model, tokenizer = generator._model, generator._tokenizer
    assert generator._decoder is not None  # the int8 SmolLM2 decodes through decode_step
    story = [{"role": "user", "content": "Write a long story about a fox and a crow."}]
    for messages, tokens in ((MESSAGES, 48), (story, 64)):
        inputs = generator._with_prefix_cache(messages, generator._encode(messages))
        config = GenerationConfig(
            max_new_tokens=tokens,
            do_sample=False,
            repetition_penalty=REPETITION_PENALTY,
            eos_token_id=model.generation_config.eos_token_id,
            pad_token_id=tokenizer.eos_token_id,
        )
        with torch.inference_mode():
            output = model.generate(**inputs, generation_config=config)
        expected = tokenizer.decode(
            output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True
        )
        assert generator.generate(messages, tokens) == expected


def _assert_tokenizer_reads_as_the_models_own(generator: TransformersGenerator) -> None:
    from transformers import AutoTokenizer

    generator.load()
    own = AutoTokenizer.from_pretrained(generator._folder)
    used = generator._tokenizer
    texts = [EVIDENCE, QUESTION, "Ünïcode \u201cquotes\u201d \u2014 1,234.5 km\n\tend"]
    for text in texts:
        assert used(text).input_ids == own(text).input_ids
        assert used.decode(own(text).input_ids) == own.decode(own(text).input_ids)
    prompt = {"tokenize": False, "add_generation_prompt": True}
    assert used.apply_chat_template(MESSAGES, **prompt) == own.apply_chat_template(
        MESSAGES, **prompt
    )
    assert (used.eos_token_id, used.all_special_ids) == (own.eos_token_id, own.all_special_ids)


def test_converted_tokenizer_reads_as_the_models_own(generator: TransformersGenerator) -> None:
    """The converted folder's tokenizer.json, read by the generic fast tokenizer,
    gives the ids, chat prompt and text of the model's own tokenizer class."""
    _assert_tokenizer_reads_as_the_models_own(generator)


def test_default_models_converted_tokenizer_reads_as_its_own(real_desk) -> None:  # noqa: ANN001
    """The same for the default Qwen2.5 model, whose own class is Qwen2Tokenizer."""
    generator = real_desk.generator
    assert isinstance(generator, TransformersGenerator)
    _assert_tokenizer_reads_as_the_models_own(generator)


def test_fused_decoding_is_only_for_the_architectures_it_knows(
    settings: Settings, generator: TransformersGenerator
) -> None:
    """float32 weights (no int8 matrices to fuse) decode through transformers, same reply."""
    from retrieval.backends.decode_step import StaticDecoder, supported

    full = TransformersGenerator(PACKAGED_GENERATOR, settings.cache_dir, weights="float32")
    full.load()
    assert not supported(full._model) and full._decoder is None
    assert supported(generator._model) and isinstance(generator._decoder, StaticDecoder)
    generator._model.config.model_type = "gpt2"
    try:
        assert not supported(generator._model)
    finally:
        generator._model.config.model_type = "llama"
    full.close()


def test_prompt_prefix_is_kept_for_the_next_launch(settings: Settings, tmp_path: Path) -> None:
    """The system prompt's KV cache is saved once; a new process reuses it, same reply."""
    first = TransformersGenerator(PACKAGED_GENERATOR, settings.cache_dir)
    first.prefix_dir = tmp_path
    reply = first.generate(MESSAGES, 16)
    saved = list(tmp_path.glob("*.safetensors"))
    assert len(saved) == 1
    first.close()
    again = TransformersGenerator(PACKAGED_GENERATOR, settings.cache_dir)
    again.prefix_dir = tmp_path
    before = saved[0].stat().st_mtime_ns
    assert again.generate(MESSAGES, 16) == reply
    assert saved[0].stat().st_mtime_ns == before  # read, not prefilled and written again
    saved[0].write_bytes(b"not a cache")  # a damaged file is prefilled again, not trusted
    damaged = TransformersGenerator(PACKAGED_GENERATOR, settings.cache_dir)
    damaged.prefix_dir = tmp_path
    assert damaged.generate(MESSAGES, 16) == reply
    assert saved[0].stat().st_size > 1000


def test_stream_can_be_abandoned(generator: TransformersGenerator) -> None:
    stream = generator.stream(MESSAGES, 48)
    first = next(stream)
    stream.close()  # must stop decoding, not hang
    assert isinstance(first, Piece) and first.text
    assert generator.generate(MESSAGES, 4)


def test_converted_cache_is_reused(generator: TransformersGenerator, settings: Settings) -> None:
    folder = _cache_folder(settings)
    marker = folder / CONVERSION_MARKER
    assert (folder / "config.json").is_file()
    assert marker.is_file()
    before = marker.stat().st_mtime_ns
    second = TransformersGenerator(PACKAGED_GENERATOR, settings.cache_dir)
    second.load()
    assert not second.converted
    assert marker.stat().st_mtime_ns == before
    assert second.generate(MESSAGES, 8) == generator.generate(MESSAGES, 8)


def test_interrupted_conversion_leaves_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"not really gguf")

    def broken(source: Path, folder: Path) -> None:
        (folder / "model.safetensors").write_bytes(b"half written")
        raise KeyboardInterrupt

    monkeypatch.setattr(model_files, "_convert", broken)
    with pytest.raises(KeyboardInterrupt):
        converted_gguf(gguf, tmp_path / "cache")
    assert list((tmp_path / "cache" / "models").iterdir()) == []


def test_a_new_conversion_deletes_the_ones_it_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def convert(source: Path, folder: Path) -> None:
        marker = {"source": str(source), "size": source.stat().st_size}
        (folder / model_files.CONVERSION_MARKER).write_text(json.dumps(marker))

    monkeypatch.setattr(model_files, "_convert", convert)
    cache = tmp_path / "cache"
    old_install, other_install, new_install = (tmp_path / n for n in ("old", "other", "new"))
    for folder in (old_install, other_install, new_install):
        folder.mkdir()
        (folder / "model.gguf").write_bytes(b"weights")
    (other_install / "unrelated.gguf").write_bytes(b"weights")
    old = converted_gguf(old_install / "model.gguf", cache)
    other = converted_gguf(other_install / "model.gguf", cache)
    unrelated = converted_gguf(other_install / "unrelated.gguf", cache)
    shutil.rmtree(old_install)  # the old install is removed; another one stays
    assert converted_gguf(other_install / "model.gguf", cache) == other  # found: no work
    assert not old.exists() and unrelated.is_dir()
    new = converted_gguf(new_install / "model.gguf", cache)
    assert new.is_dir() and other.is_dir() and unrelated.is_dir()
    (new_install / "model.gguf").write_bytes(b"new weights")  # the same file, updated
    newer = converted_gguf(new_install / "model.gguf", cache)
    assert newer != new and newer.is_dir() and not new.exists() and other.is_dir()


@pytest.mark.parametrize("content", [None, "junk.txt", "config.json", "broken.gguf"])
def test_bad_model_folder_is_a_generator_error(tmp_path: Path, content: str | None) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    if content is not None:
        (folder / content).write_text("{not a model", encoding="utf-8")
    bad = TransformersGenerator(str(folder), tmp_path / "cache")
    with pytest.raises(GeneratorError):
        bad.load()


def test_missing_folder_is_a_generator_error(tmp_path: Path) -> None:
    with pytest.raises(GeneratorError, match="does not exist"):
        TransformersGenerator(str(tmp_path / "absent"), tmp_path).load()


def test_unreachable_hub_model_is_a_generator_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", True)  # as with no network
    with pytest.raises(GeneratorError, match="could not download model"):
        TransformersGenerator("newsdesk-tests/no-such-model", tmp_path).load()
