"""The dense vector index. The only module that imports faiss."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import faiss
import numpy as np


class VectorStore(Protocol):
    """Vectors keyed by paragraph id, searchable by inner product."""

    def __len__(self) -> int: ...

    def add(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        """Add ``vectors`` (one row per id)."""
        ...

    def remove(self, ids: Iterable[int]) -> None:
        """Drop the vectors of ``ids`` (missing ids are ignored)."""
        ...

    def search(
        self, query: np.ndarray, k: int, allowed: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (id, score) pairs, optionally only among ``allowed`` ids."""
        ...

    def ids(self) -> set[int]:
        """Every id held."""
        ...

    def save(self, path: Path) -> None:
        """Write the index to ``path`` atomically."""
        ...


class FaissVectorStore:
    """Exact inner-product search over unit vectors, ids = paragraph ids."""

    def __init__(self, dimension: int, index: faiss.Index | None = None) -> None:
        self.dimension = dimension
        self._index = index or faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    @classmethod
    def load(cls, path: Path) -> FaissVectorStore:
        """Read an index written by :meth:`save`."""
        index = faiss.read_index(str(path))
        return cls(index.d, index)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def describe(self) -> str:
        """The kind of index, in words (for benchmarks and logs)."""
        return "flat"

    def add(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        if len(ids) == 0:
            return
        matrix = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), -1)
        self._index.add_with_ids(matrix, np.asarray(ids, dtype=np.int64))

    def remove(self, ids: Iterable[int]) -> None:
        wanted = np.fromiter(ids, dtype=np.int64)
        if wanted.size:
            self._index.remove_ids(faiss.IDSelectorBatch(wanted))

    def search(
        self, query: np.ndarray, k: int, allowed: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        if len(self) == 0 or k <= 0:
            return []
        if allowed is not None and len(allowed) == 0:
            return []
        vector = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
            params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
        scores, ids = self._index.search(vector, min(k, len(self)), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=False) if i >= 0]

    def ids(self) -> set[int]:
        if len(self) == 0:
            return set()
        return set(faiss.vector_to_array(self._index.id_map).tolist())  # type: ignore[attr-defined]

    def save(self, path: Path) -> None:
        # Write beside the target and rename: a crash mid-write leaves the old
        # index whole, and the library's generation check catches staleness.
        temp = path.with_suffix(path.suffix + ".tmp")
        faiss.write_index(self._index, str(temp))
        os.replace(temp, path)


def faiss_version() -> str:
    """Version of the faiss library, recorded in the index metadata."""
    return str(faiss.__version__)
