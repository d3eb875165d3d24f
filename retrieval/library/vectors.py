"""The dense vector index. The only module that imports faiss.

Small libraries are searched exactly (a flat index). Above
:attr:`IndexPolicy.approximate_from` vectors the index is an IVF-Flat one:
k-means cells trained on the stored vectors, a query scanning only the
``probes`` cells nearest to it. Both keep the paragraph ids as vector ids and
both can remove ids, which HNSW cannot.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import faiss
import numpy as np

IndexKind = Literal["flat", "ivf"]


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


@dataclass(frozen=True)
class IndexSpec:
    """How an index is built; saved with it so a reopened library knows.

    Attributes:
        kind: ``flat`` (exact) or ``ivf`` (approximate).
        cells: IVF cells (k-means centroids); 0 for flat.
        probes: Cells scanned per query; 0 for flat.
    """

    kind: IndexKind = "flat"
    cells: int = 0
    probes: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, for the index metadata."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> IndexSpec | None:
        """Parse :meth:`as_dict` output; None when it is missing or malformed."""
        if not isinstance(data, dict) or data.get("kind") not in ("flat", "ivf"):
            return None
        try:
            return cls(data["kind"], int(data.get("cells", 0)), int(data.get("probes", 0)))
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True)
class IndexPolicy:
    """Which index suits a library of a given size.

    Attributes:
        approximate_from: Vector count from which IVF replaces exact search.
        probe_share: Share of the cells scanned per query. An eighth gave
            recall@50 of 0.93-0.95 against exact search on real MiniLM
            embeddings of SQuAD and news sentences (more cells, better), and
            1.0 on ``benchmarks/scale.py``; at 1M vectors it scans 128 cells.
        min_probes: Fewest cells scanned per query.
        training_per_cell: k-means training vectors per cell.
    """

    approximate_from: int = 50_000
    probe_share: float = 0.125
    min_probes: int = 16
    training_per_cell: int = 40

    def probes_for(self, cells: int) -> int:
        """Cells to scan per query in an index of ``cells`` cells."""
        return min(cells, max(self.min_probes, round(cells * self.probe_share)))

    def spec_for(self, count: int) -> IndexSpec:
        """The index to build for ``count`` vectors."""
        if count < self.approximate_from:
            return IndexSpec()
        cells = 2 ** round(math.log2(max(math.sqrt(count), 16)))
        return IndexSpec("ivf", cells, self.probes_for(cells))

    def suits(self, spec: IndexSpec, count: int) -> bool:
        """Whether an index built as ``spec`` still fits ``count`` vectors.

        An IVF index is kept until the library shrinks to half the threshold
        or its cells hold four times fewer or more vectors than when trained,
        so adding or removing an article near a boundary does not retrain.
        """
        if spec.kind == "flat":
            return count < self.approximate_from
        return count >= self.approximate_from // 2 and (
            spec.cells / 2 <= math.sqrt(count) <= spec.cells * 2
        )

    def training_size(self, spec: IndexSpec) -> int:
        """How many stored vectors to train ``spec`` on (0: no training)."""
        return spec.cells * self.training_per_cell


class FaissVectorStore:
    """Inner-product search over unit vectors, ids = paragraph ids."""

    def __init__(self, dimension: int, index: faiss.Index | None = None) -> None:
        self.dimension = dimension
        self._index = index or faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        self._ivf = _as_ivf(self._index)

    @classmethod
    def create(
        cls, dimension: int, spec: IndexSpec, training: np.ndarray | None = None
    ) -> FaissVectorStore:
        """An empty index built as ``spec``; IVF cells are trained on ``training``."""
        if spec.kind == "flat":
            return cls(dimension)
        if training is None or len(training) < spec.cells:
            raise ValueError(f"an IVF index of {spec.cells} cells needs that many vectors")
        index = faiss.index_factory(dimension, f"IVF{spec.cells},Flat", faiss.METRIC_INNER_PRODUCT)
        ivf = faiss.extract_index_ivf(index)
        ivf.cp.spherical = True  # unit vectors: centroids on the sphere too
        index.train(np.ascontiguousarray(training, dtype=np.float32))
        ivf.nprobe = spec.probes
        return cls(dimension, index)

    @classmethod
    def load(cls, path: Path, policy: IndexPolicy | None = None) -> FaissVectorStore:
        """Read an index written by :meth:`save`; ``policy`` sets the cells scanned."""
        store = cls(0, faiss.read_index(str(path)))
        store.dimension = int(store._index.d)
        if store._ivf is not None and policy is not None:
            store._ivf.nprobe = policy.probes_for(int(store._ivf.nlist))
        return store

    @property
    def spec(self) -> IndexSpec:
        """How this index was built."""
        if self._ivf is None:
            return IndexSpec()
        return IndexSpec("ivf", int(self._ivf.nlist), int(self._ivf.nprobe))

    def describe(self) -> str:
        """The kind of index, in words (for benchmarks and logs)."""
        spec = self.spec
        return "flat" if spec.kind == "flat" else f"ivf cells={spec.cells} probes={spec.probes}"

    def __len__(self) -> int:
        return int(self._index.ntotal)

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
        with _one_thread():
            scores, ids = self._index.search(
                vector, min(k, len(self)), params=self._search_params(allowed)
            )
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=False) if i >= 0]

    def _search_params(self, allowed: Sequence[int] | None) -> faiss.SearchParameters | None:
        if allowed is None:
            return None
        selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
        if self._ivf is None:
            return faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
        # Scan as many allowed vectors as an unfiltered search scans vectors:
        # a few articles' paragraphs are then searched exhaustively (exactly).
        share = len(allowed) / max(len(self), 1)
        probes = min(self._ivf.nlist, math.ceil(self._ivf.nprobe / max(share, 1e-9)))
        return faiss.SearchParametersIVF(sel=selector, nprobe=probes)  # type: ignore[call-arg]

    def ids(self) -> set[int]:
        if len(self) == 0:
            return set()
        if self._ivf is None:
            return set(faiss.vector_to_array(self._index.id_map).tolist())  # type: ignore[attr-defined]
        return set(np.concatenate(list(_ivf_ids(self._ivf))).tolist())

    def save(self, path: Path) -> None:
        # Write beside the target and rename: a crash mid-write leaves the old
        # index whole, and the library's generation check catches staleness.
        temp = path.with_suffix(path.suffix + ".tmp")
        faiss.write_index(self._index, str(temp))
        os.replace(temp, path)


def _as_ivf(index: faiss.Index) -> Any:
    try:
        return faiss.extract_index_ivf(index)
    except RuntimeError:  # not an IVF index
        return None


def _ivf_ids(ivf: Any) -> Iterator[np.ndarray]:
    lists = ivf.invlists
    yield np.zeros(0, dtype=np.int64)
    for number in range(ivf.nlist):
        size = lists.list_size(number)
        if size:
            yield faiss.rev_swig_ptr(lists.get_ids(number), size).copy()


@contextmanager
def _one_thread() -> Iterator[None]:
    """Search one query on one thread.

    OpenMP threads buy nothing for a single query over a few thousand
    vectors, and when other work (the models, other processes) holds the
    cores their spin-waiting made a 10k-vector flat search take 100+ ms
    instead of under 1 ms.
    """
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(threads)


def faiss_version() -> str:
    """Version of the faiss library, recorded in the index metadata."""
    return str(faiss.__version__)
