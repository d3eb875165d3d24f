"""Hybrid search at scale on a synthetic library (no embedding model involved).

Paragraphs are random word sequences drawn from the SQuAD texts (so word
frequencies are natural), with random unit vectors; they are added through
the ordinary ``Library.add_drafts`` path with an embedder that returns random
vectors, so the database, the FTS5 index and FAISS are exactly what the app
builds. Questions are real SQuAD questions (keyword side) with random query
vectors (dense side); query embedding is timed separately by ``speed``.

Run by ``benchmarks.speed`` in subprocesses: ``build`` then ``search``, so each
phase's peak memory is its own.
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

import numpy as np

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval" / "squad"
DIMENSION = 384
WORDS_PER_PARAGRAPH = 70
PARAGRAPHS_PER_ARTICLE = 100


class RandomEmbedder:
    """Random unit vectors, seeded by the text so repeated texts agree."""

    name = "benchmark-random"
    dimension = DIMENSION

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One random unit vector per text."""
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            rows.append(np.random.default_rng(seed).standard_normal(DIMENSION))
        matrix = np.asarray(rows, dtype=np.float32).reshape(len(texts), DIMENSION)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12
        return matrix


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
    from retrieval.library import Library
    from retrieval.settings import IngestSettings

    library = Library(folder, RandomEmbedder(), IngestSettings())  # type: ignore[arg-type]
    started = time.perf_counter()
    for _ in library.add_drafts(synthetic_articles(paragraphs)):
        pass
    seconds = time.perf_counter() - started
    held = len(library.vectors())
    library.close()
    return {"paragraphs": held, "build_seconds": seconds, "build_peak_rss_mb": peak_rss_mb()}


def search(folder: Path, queries: int) -> dict[str, float]:
    """Open the library at ``folder`` and time ``hybrid_search`` on real questions."""
    from benchmarks.metrics import percentile
    from retrieval.library import Library
    from retrieval.search import hybrid_search
    from retrieval.settings import IngestSettings

    with (EVAL / "qa_sample.jsonl").open(encoding="utf-8") as handle:
        questions = [json.loads(line)["question"] for line in handle][:queries]
    started = time.perf_counter()
    library = Library(folder, RandomEmbedder(), IngestSettings())  # type: ignore[arg-type]
    library.vectors()
    open_seconds = time.perf_counter() - started
    hybrid_search(library, questions[0], k=8)  # warm caches
    times, dense, keyword = [], [], []
    for question in questions:
        started = time.perf_counter()
        hybrid_search(library, question, k=8)
        times.append(1000 * (time.perf_counter() - started))
        vector = library.embedder.encode([question])[0]
        started = time.perf_counter()
        library.vectors().search(vector, 50)
        dense.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        library.store.keyword_search(question, 50)
        keyword.append(1000 * (time.perf_counter() - started))
    library.close()
    return {
        "open_seconds": open_seconds,
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "dense_p50_ms": percentile(dense, 50),
        "keyword_p50_ms": percentile(keyword, 50),
        "keyword_p95_ms": percentile(keyword, 95),
        "queries": len(times),
        "search_peak_rss_mb": peak_rss_mb(),
    }


def main(argv: Sequence[str]) -> int:
    """``build FOLDER N`` or ``search FOLDER QUERIES``; prints one JSON line."""
    phase, folder, number = argv[0], Path(argv[1]), int(argv[2])
    result = build(folder, number) if phase == "build" else search(folder, number)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
