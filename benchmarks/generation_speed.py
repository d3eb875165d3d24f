"""Generation speed: decode tokens/s and time to first token, in process and through a server.

Part of the speed harness (``python -m benchmarks.speed --parts generate,server``):
the default local model with its weights as configured and in float32, llama.cpp on
the same GGUF when ``llama-cpp-python`` is installed (otherwise its documented
figure), and the same model behind ``transformers serve``-style local server.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.report import ROOT
from retrieval.types import Piece, Restart

SAMPLE = ROOT / "resources" / "samples" / "baghdad-embassy-rockets.txt"
LLAMA_CPP_DOCUMENTED = 70.0  # tok/s, PRODUCT.md's llama.cpp figure for these machines


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


def _float32_generation(
    messages: list[dict[str, str]], new_tokens: int, quick: bool
) -> dict[str, Any]:
    """The same measurement with float32 weights (``generation.weights``), for comparison."""
    from retrieval.backends.factory import make_generator
    from retrieval.settings import GenerationSettings, Settings

    settings = Settings(
        library=Path(tempfile.mkdtemp()), generation=GenerationSettings(weights="float32")
    )
    generator = make_generator(settings)
    generator.load()  # type: ignore[attr-defined]
    tokenizer = generator._tokenizer  # type: ignore[attr-defined]
    generator.generate(messages, 4)  # warm up
    ttft, decode = _time_stream(generator, tokenizer, messages, new_tokens, 1 if quick else 3)
    return {
        "float32_ttft_seconds": ttft,
        "float32_decode_tokens_per_s": decode,
        "float32_decode_vs_llamacpp": decode / LLAMA_CPP_DOCUMENTED,
    }


def _count_tokens(tokenizer: Any, messages: list[dict[str, str]]) -> int:
    text = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    return len(tokenizer(text, add_special_tokens=False)["input_ids"])


def measure_generation(quick: bool) -> dict[str, Any]:
    """Decode tok/s and time to first token of the default model; llama.cpp alongside."""
    from retrieval.backends.factory import make_generator
    from retrieval.backends.packaged import smollm2_gguf_path as packaged_gguf_path
    from retrieval.settings import Settings

    generator = make_generator(Settings(library=Path(tempfile.mkdtemp())))
    generator.load()  # type: ignore[attr-defined]
    tokenizer = generator._tokenizer  # type: ignore[attr-defined]  # no public accessor
    messages = _prompt_messages(tokenizer)
    prompt_tokens = _count_tokens(tokenizer, messages)
    new_tokens = 32 if quick else 96
    generator.generate(messages, 4)  # warm up
    ttft, decode = _time_stream(generator, tokenizer, messages, new_tokens, 1 if quick else 3)
    metrics: dict[str, Any] = {
        "prompt_tokens": prompt_tokens,
        "ttft_seconds": ttft,
        "decode_tokens_per_s": decode,
    }
    metrics.update(_float32_generation(messages, new_tokens, quick))
    try:
        from llama_cpp import Llama  # type: ignore[import-not-found]
    except ImportError:
        metrics["llamacpp_tokens_per_s"] = None
        metrics["decode_vs_llamacpp"] = decode / LLAMA_CPP_DOCUMENTED
        metrics["decode_vs_llamacpp_note"] = (
            f"vs {LLAMA_CPP_DOCUMENTED:.0f} tok/s documented; llama-cpp-python not installed"
        )
        return metrics
    llama = Llama(model_path=str(packaged_gguf_path()), n_threads=2, verbose=False)
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
    metrics.update(
        llamacpp_tokens_per_s=rate,
        decode_vs_llamacpp=decode / rate,
        llamacpp_ttft_seconds=(first or started) - started,
        float32_decode_vs_llamacpp=metrics["float32_decode_tokens_per_s"] / rate,
    )
    return metrics


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
