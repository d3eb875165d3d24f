"""The paragraph vectors kept in the library database: written beside each paragraph,
read back in batches to rebuild the FAISS index, per article, or as a sample to
train an IVF index on (see :mod:`retrieval.library.vectors`). Each vector is the
paragraph row's ``vector`` blob: float32 in the machine's byte order (numpy's ``tobytes``)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np


class StoredVectors:
    """The vector part of :class:`~retrieval.library.store.Store` (a mixin).

    Uses the store's connection ``_db``, its ``_lock``, ``transaction`` and
    ``paragraph_count``.
    """

    _db: sqlite3.Connection
    _lock: threading.RLock

    transaction: Any
    paragraph_count: Any

    def replace_vectors(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        """Overwrite stored vectors (after the embedding model changed)."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE paragraphs SET vector = ? WHERE id = ?",
                [(vector_blob(v), i) for i, v in zip(ids, vectors, strict=False)],
            )

    def iter_vectors(self, batch: int = 4096) -> Iterator[tuple[list[int], np.ndarray]]:
        """Every stored (ids, vectors) batch in id order, for rebuilding the FAISS index.

        Read a batch at a time, so a million vectors are never all held twice.
        """
        last = -1
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT id, vector FROM paragraphs WHERE id > ? ORDER BY id LIMIT ?",
                    (last, batch),
                ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [r[0] for r in rows], _stack(r[1] for r in rows)

    def article_vectors(self, article_id: int) -> np.ndarray:
        """An article's stored vectors in paragraph order, shape ``(paragraphs, dimension)``."""
        with self._lock:
            rows = self._db.execute(
                "SELECT vector FROM paragraphs WHERE article_id = ? ORDER BY position",
                (article_id,),
            ).fetchall()
        return _stack(r[0] for r in rows) if rows else np.zeros((0, 0), dtype=np.float32)

    def sample_vectors(self, count: int) -> np.ndarray:
        """About ``count`` stored vectors spread over the library (for training)."""
        step = max(1, self.paragraph_count() // max(count, 1))
        with self._lock:
            rows = self._db.execute(
                "SELECT vector FROM paragraphs WHERE id % ? = 0", (step,)
            ).fetchall()
            if len(rows) < count // 2:  # ids too sparse for a stride (many removed)
                rows = self._db.execute(
                    "SELECT vector FROM paragraphs WHERE id IN"
                    " (SELECT id FROM paragraphs ORDER BY random() LIMIT ?)",
                    (count,),
                ).fetchall()
        return _stack(r[0] for r in rows) if rows else np.zeros((0, 0), dtype=np.float32)


def _stack(blobs: Iterable[bytes]) -> np.ndarray:
    return np.stack([np.frombuffer(blob, dtype=np.float32) for blob in blobs])


def vector_blob(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()
