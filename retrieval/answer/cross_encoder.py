"""How likely a sentence states the answer to a question: a small trained cross-encoder.

Answer sentence selection (Garg et al., "TANDA", AAAI 2020): the question and
one candidate sentence are read together by a transformer, and a linear head
over the mean-pooled tokens gives the log-odds that the sentence holds the
answer. The model is the packaged all-MiniLM-L6-v2 with its top layers and the
head fine-tuned on SQuAD 2.0 dev articles outside the benchmark's twelve
(``scripts/train_answer_sentence.py``); the embeddings and lower layers are
the embedder's own, shared with it when the embedder is the packaged model,
so the trained part kept in ``resources/models/answer_sentence/`` is a few MB.

Its score reorders the best evidence sentences
(:func:`retrieval.answer.evidence.rerank`). As a feature of the abstention
verifier it added nothing on held-out articles, so the verifier does not use it.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from retrieval.loading import collection_paused
from retrieval.resources import resources_dir

FOLDER = "answer_sentence"
WEIGHTS = "top_layers.safetensors"
META = "answer_sentence.json"


def pair_text(title: str, sentence: str) -> str:
    """The second text of a (question, text) pair: the article's title, then the sentence."""
    return f"{title.strip()}: {sentence.strip()}" if title.strip() else sentence.strip()


class AnswerSentenceScorer:
    """Scores (question, sentence) pairs: the log-odds that the sentence states the answer.

    Args:
        folder: Where ``top_layers.safetensors`` and ``answer_sentence.json`` are.
        base: An all-MiniLM-L6-v2 ``transformers`` BertModel whose embeddings
            and lower layers are shared (not copied); None loads the packaged
            one.

    Raises:
        FileNotFoundError: The trained weights are missing.
    """

    def __init__(self, folder: Path, base: Any = None) -> None:
        import copy

        import torch
        from safetensors.torch import load_file
        from transformers import AutoTokenizer

        from retrieval.backends.embedding import packaged_embedder_path

        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        tensors = load_file(str(folder / WEIGHTS))
        path = packaged_embedder_path()
        if base is None:
            from transformers import AutoModel

            base = AutoModel.from_pretrained(str(path))
        self.tokenizer = AutoTokenizer.from_pretrained(str(path))
        self.max_length = int(meta["max_length"])
        trained = int(meta["trained_layers"])
        model = _shallow(base)  # the same embeddings and lower layers
        model.encoder = _shallow(base.encoder)
        layers = list(base.encoder.layer)
        first = len(layers) - trained
        top = [copy.deepcopy(layer) for layer in layers[first:]]
        model.encoder.layer = torch.nn.ModuleList(layers[:first] + top)
        own = {k: v.float() for k, v in tensors.items() if not k.startswith("head.")}
        loaded = model.load_state_dict(own, strict=False)
        if loaded.unexpected_keys:
            raise ValueError(f"unexpected weights in {folder / WEIGHTS}: {loaded.unexpected_keys}")
        self.model = model.eval()
        self.head = torch.nn.Linear(base.config.hidden_size, 1)
        self.head.weight.data = tensors["head.weight"].float()
        self.head.bias.data = tensors["head.bias"].float()
        self.base = base  # kept alive: the cache in scorer_for is keyed by its id
        self._lock = threading.Lock()

    def scores(self, question: str, texts: Sequence[str]) -> list[float]:
        """Log-odds for each of ``texts`` (made by :func:`pair_text`) answering ``question``."""
        if not texts:
            return []
        import torch

        with self._lock, torch.inference_mode():
            batch = self.tokenizer(
                [question] * len(texts),
                list(texts),
                padding=True,
                truncation="only_second",
                max_length=self.max_length,
                return_tensors="pt",
            )
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            return [float(x) for x in self.head(pooled).squeeze(-1)]


def _shallow(module: Any) -> Any:
    """A copy of ``module`` holding the same submodules, whose own slots can be replaced."""
    import copy

    twin = copy.copy(module)
    twin._modules = dict(module._modules)  # noqa: SLF001 - else setattr would change ``module``
    return twin


def probability(logit: float) -> float:
    """The logistic function: a score as a probability."""
    return 1.0 / (1.0 + math.exp(-max(min(logit, 60.0), -60.0)))


def weights_folder() -> Path:
    """``resources/models/answer_sentence``."""
    return resources_dir() / "models" / FOLDER


_SCORERS: dict[int, AnswerSentenceScorer] = {}
_SCORERS_LOCK = threading.Lock()


def scorer_for(embedder: object) -> AnswerSentenceScorer | None:
    """The cross-encoder to use beside ``embedder``, loaded once; None when it cannot be.

    Only beside a sentence-transformers embedder (a test's or a server's
    embedder gets none). Beside the packaged all-MiniLM-L6-v2 it shares that
    model's embeddings and lower layers; beside another it loads its own.
    None when the trained weights are not installed.
    """
    from retrieval.backends.embedding import SentenceTransformerEmbedder
    from retrieval.settings import PACKAGED_EMBEDDER

    if not shipped() or not isinstance(embedder, SentenceTransformerEmbedder):
        return None
    base = None
    if embedder.model_ref == PACKAGED_EMBEDDER:
        module = embedder.load()[0]
        base = getattr(module, "model", None) or module.auto_model
    with _SCORERS_LOCK:
        key = id(base)
        if key not in _SCORERS:
            with collection_paused():
                _SCORERS[key] = AnswerSentenceScorer(weights_folder(), base)
        return _SCORERS[key]


@lru_cache(maxsize=1)
def shipped() -> bool:
    """Whether the trained weights are installed."""
    folder = weights_folder()
    return (folder / WEIGHTS).is_file() and (folder / META).is_file()
