"""Hybrid search at scale on a synthetic library (no embedding model involved).

Paragraphs are random word sequences drawn from the SQuAD texts (so word
frequencies are natural); they are added through the ordinary
``Library.add_drafts`` path with a synthetic embedder, so the database, the
FTS5 index and FAISS are exactly what the app builds. Questions are real SQuAD
questions (keyword side) with synthetic query vectors (dense side); query
embedding is timed separately by ``speed``.

The synthetic vectors are clustered in two levels (themes, then topics within
a theme, then paragraphs around a topic), because real sentence embeddings
are: a question's nearest paragraphs share its topic, the next ones its theme.
On uniformly random vectors nearest neighbours are noise and no approximate
index can find them short of scanning everything, which says nothing about
real libraries.

Run by ``benchmarks.speed`` in subprocesses: ``build``, ``search``, then
``recall`` (the approximate index against exact search), so each phase's peak
memory is its own.
"""

from __future__ import annotations

import hashlib
import json
import re
import resource
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.ingest.pipeline import add_drafts, open_library

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "squad"
DIMENSION = 384
WORDS_PER_PARAGRAPH = 70
PARAGRAPHS_PER_ARTICLE = 100
THEMES = 64
TOPICS = 4096
RECALL_DEPTH = 50


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / (np.linalg.norm(matrix, axis=-1, keepdims=True) + 1e-12)


class ClusteredEmbedder:
    """Unit vectors around shared topics, seeded by the text so repeated texts agree.

    A text picks a topic; its vector is the topic plus as much noise again
    (cosine 0.7 to its topic, about 0.5 to its topic's other paragraphs); a
    topic is its theme plus as much noise again.
    """

    name = "benchmark-clustered"
    dimension = DIMENSION

    def __init__(self) -> None:
        rng = np.random.default_rng(2024)
        themes = _unit(rng.standard_normal((THEMES, DIMENSION)))
        noise = _unit(rng.standard_normal((TOPICS, DIMENSION)))
        self._topics = _unit(themes[rng.integers(THEMES, size=TOPICS)] + noise)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text."""
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            rng = np.random.default_rng(seed)
            noise = _unit(rng.standard_normal(DIMENSION))
            rows.append(self._topics[rng.integers(TOPICS)] + noise)
        matrix = np.asarray(rows, dtype=np.float32).reshape(len(texts), DIMENSION)
        return _unit(matrix).astype(np.float32)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    ``VmHWM`` rather than ``ru_maxrss``: Linux carries a parent's peak into
    ``ru_maxrss`` across fork and exec, so a child of a process holding the
    models would report the parent's size.
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus_tokens() -> list[str]:
    """Every word of the SQuAD sample articles, in order (repeats kept)."""
    files = sorted((EVAL / "articles").glob("*.txt"))
    text = " ".join(p.read_text(encoding="utf-8") for p in files)
    return re.findall(r"[A-Za-z][A-Za-z'-]*", text)


def synthetic_articles(count: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    """``(title, body)`` pairs totalling ``count`` paragraphs."""
    from retrieval.types import ArticleDraft

    tokens = np.array(corpus_tokens())
    rng = np.random.default_rng(seed)
    made = 0
    number = 0
    while made < count:
        size = min(PARAGRAPHS_PER_ARTICLE, count - made)
        words = rng.choice(tokens, size=(size, WORDS_PER_PARAGRAPH))
        body = "\n\n".join(" ".join(row) + "." for row in words)
        number += 1
        made += size
        yield ArticleDraft(title=f"Synthetic article {number}", text=body, source="synthetic")


def build(folder: Path, paragraphs: int) -> dict[str, float]:
    """Fill a library at ``folder`` with ``paragraphs`` synthetic paragraphs."""
    from retrieval.settings import IngestSettings

    library = open_library(folder, ClusteredEmbedder(), IngestSettings())  # type: ignore[arg-type]
    return {**fill(library, paragraphs), "build_peak_rss_mb": peak_rss_mb()}


def fill(library: Any, paragraphs: int) -> dict[str, float]:
    """Add ``paragraphs`` synthetic paragraphs to ``library`` (any backend), then close it."""
    started = time.perf_counter()
    for _ in add_drafts(library, synthetic_articles(paragraphs)):
        pass
    seconds = time.perf_counter() - started
    held = len(library.vectors())
    library.close()
    return {"paragraphs": held, "build_seconds": seconds, "build_paragraphs_per_s": held / seconds}


def search(folder: Path, queries: int) -> dict[str, float]:
    """Open the library at ``folder`` and time ``hybrid_search`` on real questions."""
    from retrieval.settings import IngestSettings

    with (EVAL / "qa_sample.jsonl").open(encoding="utf-8") as handle:
        questions = [json.loads(line)["question"] for line in handle][:queries]
    started = time.perf_counter()
    library = open_library(folder, ClusteredEmbedder(), IngestSettings())  # type: ignore[arg-type]
    library.vectors()
    open_seconds = time.perf_counter() - started
    timings = time_searches(library, questions)
    index_kind = library.vectors().describe()
    library.close()
    return {
        "open_seconds": open_seconds,
        "index": index_kind,
        **timings,
        "search_peak_rss_mb": peak_rss_mb(),
    }


def time_searches(library: Any, questions: Sequence[str]) -> dict[str, float]:
    """p50/p95 of ``hybrid_search`` and of its dense and keyword halves alone, in ms.

    ``library`` is any backend (``retrieval.library.base.ArticleLibrary``).
    """
    from benchmarks.metrics import percentile
    from retrieval.search.hybrid import hybrid_search

    hybrid_search(library.store, library.vectors(), library.embedder, questions[0], k=8)  # warm
    times, dense, keyword = [], [], []
    for question in questions:
        started = time.perf_counter()
        hybrid_search(library.store, library.vectors(), library.embedder, question, k=8)
        times.append(1000 * (time.perf_counter() - started))
        vector = library.embedder.encode([question])[0]
        started = time.perf_counter()
        library.vectors().search(vector, RECALL_DEPTH)
        dense.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        library.store.keyword_search(question, RECALL_DEPTH)
        keyword.append(1000 * (time.perf_counter() - started))
    return {
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "dense_p50_ms": percentile(dense, 50),
        "dense_p95_ms": percentile(dense, 95),
        "keyword_p50_ms": percentile(keyword, 50),
        "keyword_p95_ms": percentile(keyword, 95),
        "queries": len(times),
    }


def recall(folder: Path, queries: int) -> dict[str, float]:
    """Mean recall@50 of the library's index against exact search over the stored vectors."""
    from retrieval.settings import IngestSettings

    library = open_library(folder, ClusteredEmbedder(), IngestSettings())  # type: ignore[arg-type]
    index = library.vectors()
    ids, parts = [], []
    for batch_ids, batch in library.store.iter_vectors():
        ids.extend(batch_ids)
        parts.append(batch)
    matrix, id_array = np.concatenate(parts), np.asarray(ids)
    del parts
    with (EVAL / "qa_sample.jsonl").open(encoding="utf-8") as handle:
        questions = [json.loads(line)["question"] for line in handle][:queries]
    found = []
    for question in questions:
        vector = library.embedder.encode([question])[0]
        best = np.argpartition(-(matrix @ vector), RECALL_DEPTH)[:RECALL_DEPTH]
        exact = set(id_array[best].tolist())
        approximate = {pid for pid, _ in index.search(vector, RECALL_DEPTH)}
        found.append(len(exact & approximate) / RECALL_DEPTH)
    library.close()
    return {"recall_at_50": float(np.mean(found)), "recall_min": float(np.min(found))}


PHASES = {"build": build, "search": search, "recall": recall}


def main(argv: Sequence[str]) -> int:
    """``build FOLDER N``, ``search FOLDER QUERIES`` or ``recall FOLDER QUERIES``.

    Prints one JSON line.
    """
    phase, folder, number = argv[0], Path(argv[1]), int(argv[2])
    print(json.dumps(PHASES[phase](folder, number)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
