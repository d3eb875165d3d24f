"""Generation speed: decode tokens/s and time to first token, in process and through a server.

Part of the speed harness (``python -m benchmarks.speed --parts generate,server``):
both packaged models (the default Qwen2.5-Coder-0.5B and the fast SmolLM2-135M)
with their weights as configured, the default also in float32, llama.cpp on each
one's GGUF when ``llama-cpp-python`` is installed (the ``bench`` extra), and the
fast model behind a ``transformers serve``-style local server.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.report import ROOT
from retrieval.types import Piece, Restart

SAMPLE = ROOT / "resources" / "samples" / "baghdad-embassy-rockets.txt"
SAMPLE_QUESTION = "How many rockets were fired at the Green Zone?"


def _prompt_messages(tokenizer: Any, tokens: int = 250) -> list[dict[str, str]]:
    words = SAMPLE.read_text(encoding="utf-8").split()
    count = tokens // 2
    while True:
        messages = [
            {
                "role": "user",
                "content": "Summarise this news text in two sentences:\n\n"
                + " ".join(words[:count]),
            }
        ]
        if _count_tokens(tokenizer, messages) >= tokens or count >= len(words):
            return messages
        count += 5


def _count_tokens(tokenizer: Any, messages: list[dict[str, str]]) -> int:
    text = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    return len(tokenizer(text, add_special_tokens=False)["input_ids"])


def measure_generation(quick: bool) -> dict[str, Any]:
    """Decode tok/s and time to first token of both packaged models, llama.cpp alongside.

    The default model (Qwen2.5-Coder-0.5B, keys without a prefix) and the fast
    one (SmolLM2-135M, keys prefixed ``fast_``), each with the weights as
    configured, each against llama.cpp on the same GGUF in the same run; the
    default model also in float32 (``float32_`` keys). A ~250-token prompt of
    one message (no cached prefix), and the answer path's own prompt, whose
    system prompt and worked example are prefix-cached (``answer_`` keys).
    """
    from retrieval.backends.packaged import joined_qwen_gguf, smollm2_gguf_path
    from retrieval.settings import PACKAGED_GENERATOR, PACKAGED_QWEN, Settings

    cache = Settings(library=Path(tempfile.mkdtemp())).cache_dir
    metrics: dict[str, Any] = {}
    for prefix, model, weights, gguf in (
        ("", PACKAGED_QWEN, "int8", lambda: joined_qwen_gguf(cache / "models")),
        ("float32_", PACKAGED_QWEN, "float32", None),
        ("fast_", PACKAGED_GENERATOR, "int8", smollm2_gguf_path),
    ):
        print(f"  generate: {prefix or 'default_'}{weights}", flush=True)
        metrics.update(_model_speed(prefix, model, weights, gguf, quick))
    return metrics


def _model_speed(
    prefix: str, model: str, weights: str, gguf: Callable[[], Path] | None, quick: bool
) -> dict[str, Any]:
    from retrieval.answer.prompts import answer_messages
    from retrieval.backends.local import TransformersGenerator
    from retrieval.settings import Settings

    settings = Settings(library=Path(tempfile.mkdtemp()))
    generator = TransformersGenerator(model, settings.cache_dir, weights=weights)
    generator.load()
    tokenizer = generator._tokenizer  # no public accessor
    messages = _prompt_messages(tokenizer)
    new_tokens = 32 if quick else 96
    runs = 1 if quick else 3
    generator.generate(messages, 4)  # warm up
    ttft, decode = _time_stream(generator, tokenizer, messages, new_tokens, runs)
    answer = answer_messages(SAMPLE_QUESTION, _sample_evidence())
    generator.generate(answer, 4)  # fills the prefix cache, as the first answer does
    answer_ttft, _ = _time_stream(generator, tokenizer, answer, 4, runs)
    metrics: dict[str, Any] = {
        f"{prefix}prompt_tokens": _count_tokens(tokenizer, messages),
        f"{prefix}ttft_seconds": ttft,
        f"{prefix}decode_tokens_per_s": decode,
        f"{prefix}answer_prompt_tokens": _count_tokens(tokenizer, answer),
        f"{prefix}answer_ttft_seconds": answer_ttft,
    }
    generator.close()
    if gguf is None:
        return metrics
    llama = _llama_cpp(gguf(), messages, new_tokens)
    if llama is None:
        metrics[f"{prefix}decode_vs_llamacpp"] = None
        metrics[f"{prefix}llamacpp_tokens_per_s_note"] = "llama-cpp-python not installed"
        return metrics
    rate, first = llama
    metrics.update(
        {
            f"{prefix}llamacpp_tokens_per_s": rate,
            f"{prefix}llamacpp_ttft_seconds": first,
            f"{prefix}decode_vs_llamacpp": decode / rate,
        }
    )
    return metrics


def _sample_evidence() -> list[Any]:
    """The sample's evidence for its question, as the answer path selects it (no model)."""
    from retrieval.answer.answer import prepare
    from retrieval.engine import Newsdesk
    from retrieval.settings import Settings

    desk = Newsdesk(Settings(library=Path(tempfile.mkdtemp())))
    try:
        list(desk.add([str(SAMPLE)]))
        return list(prepare(SAMPLE_QUESTION, desk.library, desk.settings).evidence)
    finally:
        desk.close()


def _llama_cpp(gguf: Path, messages: list[dict[str, str]], new_tokens: int) -> Any:
    """``(decode tok/s, time to first token s)`` of llama.cpp on ``gguf``, or None."""
    try:
        from llama_cpp import Llama  # type: ignore[import-not-found]
    except ImportError:
        return None
    llama = Llama(model_path=str(gguf), n_threads=2, verbose=False)
    llama.create_chat_completion(messages=messages, max_tokens=4)
    llama.reset()  # forget the warm-up's evaluated prompt, or the timed run reuses it
    started = time.perf_counter()
    first, count = None, 0
    for _ in llama.create_chat_completion(
        messages=messages, max_tokens=new_tokens, stream=True, temperature=0.0
    ):
        first = first or time.perf_counter()
        count += 1
    rate = max(count - 1, 1) / (time.perf_counter() - (first or started))
    return rate, (first or started) - started


def _time_stream(
    generator: Any, tokenizer: Any, messages: list[dict[str, str]], new_tokens: int, runs: int
) -> tuple[float, float]:
    """Median time to first piece (s) and decode tokens/s after it, over ``runs`` streams."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        first, pieces = None, []
        for event in generator.stream(messages, new_tokens):
            first = first or time.perf_counter()
            if isinstance(event, Restart):
                pieces.clear()
            elif isinstance(event, Piece):
                pieces.append(event.text)
        end = time.perf_counter()
        produced = len(tokenizer("".join(pieces), add_special_tokens=False)["input_ids"])
        timings.append((first - started if first else None, produced, end - (first or started)))
    ttft = sorted(t[0] for t in timings if t[0] is not None)[len(timings) // 2]
    decode = sorted(max(t[1] - 1, 1) / t[2] for t in timings)[len(timings) // 2]
    return ttft, decode


def measure_server_generation(quick: bool) -> dict[str, Any]:
    """The same model and prompt through ``transformers serve`` (HTTP + SSE), started here."""
    from transformers import AutoTokenizer

    from benchmarks.local_server import transformers_serve
    from retrieval.backends.server import ServerGenerator
    from retrieval.settings import ServerSettings, Settings

    settings = Settings(library=Path(tempfile.mkdtemp()))
    try:
        with transformers_serve(settings.cache_dir) as served:
            tokenizer = AutoTokenizer.from_pretrained(served.model)
            messages = _prompt_messages(tokenizer)
            config = ServerSettings(
                base_url=served.base_url, model=served.model, timeout_seconds=300
            )
            generator = ServerGenerator(config)
            generator.generate(messages, 4)  # warm up
            ttft, decode = _time_stream(
                generator, tokenizer, messages, 32 if quick else 96, 1 if quick else 3
            )
            generator.close()
    except (RuntimeError, OSError) as error:  # no serving extra, or the server did not start
        why = f"not measured: transformers serve unavailable ({str(error)[:200]})"
        return {
            "server_decode_tokens_per_s": None,
            "server_decode_tokens_per_s_note": why,
            "server_ttft_seconds": None,
        }
    note = "transformers serve on 127.0.0.1, streamed over HTTP"
    return {
        "server_ttft_seconds": ttft,
        "server_ttft_seconds_note": note,
        "server_decode_tokens_per_s": decode,
        "server_decode_tokens_per_s_note": note,
    }
