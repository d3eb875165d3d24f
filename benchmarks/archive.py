"""The PostgreSQL archive backend at scale, on a real server started here (pgserver).

The speed harness's ``postgres`` part (``python -m benchmarks.speed --parts
postgres``) runs :func:`measure`: on one local PostgreSQL 16.2 + pgvector
0.6.2 (the ``pgserver`` wheel, default server settings, same machine):

- **search**: a synthetic archive (the same clustered vectors and SQuAD-word
  paragraphs as ``benchmarks.scale``) written through ``PostgresLibrary``,
  then ``hybrid_search`` on real SQuAD questions: p50/p95, and the dense
  (HNSW) and keyword (BM25) queries alone;
- **recall@50** of the HNSW kNN against exact search over the same vectors;
- **4 clients** (processes) asking at once: p50/p95 and errors;
- **add rate**: the SQuAD articles through ``Newsdesk.add`` on the archive,
  against the real embedder's own encode rate on the same paragraphs;
- **same answers**: every SQuAD sample question asked of the local library and
  of the archive holding the same articles (real embedder and verifier; the
  fake generator that phrases with the best evidence sentence, since the real
  model's ~5 s per answer would make this part take an hour).

Phases ``client`` (one of the concurrent askers) run as subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.metrics import percentile
from benchmarks.scale import (
    EVAL,
    RECALL_DEPTH,
    ClusteredEmbedder,
    fill,
    peak_rss_mb,
    time_searches,
)
from retrieval.settings import ArchiveSettings

ROOT = Path(__file__).resolve().parents[1]


def _questions(count: int) -> list[str]:
    with (EVAL / "qa_sample.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line)["question"] for line in handle][:count]


def _archive(dsn: str, embedder: Any = None, ef_search: int | None = None) -> Any:
    from retrieval.library.postgres import PostgresLibrary
    from retrieval.settings import ArchiveSettings, IngestSettings

    settings = ArchiveSettings(backend="postgres", dsn=dsn, statement_timeout_seconds=600)
    if ef_search is not None:
        settings = settings.model_copy(update={"ef_search": ef_search})
    return PostgresLibrary(settings, embedder or ClusteredEmbedder(), IngestSettings())


def start_server(folder: Path) -> Any:
    """A PostgreSQL server with its data in ``folder`` (stopped and deleted at exit)."""
    import pgserver

    return pgserver.get_server(folder, cleanup_mode="delete")


def new_database(server: Any, name: str) -> str:
    """Create database ``name`` with pgvector; its connection string."""
    server.psql(f"CREATE DATABASE {name};")
    dsn = str(server.get_uri(name))
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute("CREATE EXTENSION IF NOT EXISTS vector")
    return dsn


DEFAULT_EF = ArchiveSettings().ef_search
"""``hnsw.ef_search`` of the settings a team gets (the figures without an ``ef`` prefix)."""
EF_SWEEP = (200, 400)
"""Other ``hnsw.ef_search`` values measured on the same archive: recall against latency."""
BULK_FROM = 500_000  # from this size the archive is built as a bulk import is (below)
INDEXES = {
    "paragraphs_tsv": "CREATE INDEX paragraphs_tsv ON paragraphs USING gin (tsv)",
    "paragraphs_embedding": (
        "CREATE INDEX paragraphs_embedding ON paragraphs USING hnsw (embedding vector_cosine_ops)"
    ),
}


def build(dsn: str, paragraphs: int) -> dict[str, float]:
    """Write ``paragraphs`` synthetic paragraphs through the app's own add path.

    From :data:`BULK_FROM` paragraphs, as an archive's first bulk import would
    be done (README, "A newsroom archive"): the keyword (GIN) and HNSW indexes
    are dropped, the rows written through the same add path, then the indexes
    built once (``maintenance_work_mem`` 3 GB, one parallel worker) — inserting
    a million rows one by one into a live HNSW index takes hours here.
    """
    import psycopg

    if paragraphs < BULK_FROM:
        return fill(_archive(dsn), paragraphs)
    library = _archive(dsn)  # creates the schema
    with psycopg.connect(dsn, autocommit=True) as db:
        for name in INDEXES:
            db.execute(f"DROP INDEX IF EXISTS {name}")
    built = fill(library, paragraphs)
    started = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute("SET maintenance_work_mem = '3GB'")
        db.execute("SET max_parallel_maintenance_workers = 1")
        for name, statement in INDEXES.items():
            begun = time.perf_counter()
            db.execute(statement)
            built[f"index_seconds_{name}"] = time.perf_counter() - begun
        db.execute("ANALYZE paragraphs")
    built["index_seconds"] = time.perf_counter() - started
    return built


def search(dsn: str, queries: int, ef_search: int | None = None) -> dict[str, float]:
    """Time ``hybrid_search`` and its two halves on real questions."""
    library = _archive(dsn, ef_search=ef_search)
    timings = time_searches(library, _questions(queries))
    library.close()
    return timings


def recall(dsn: str, queries: int, ef_values: Sequence[int]) -> dict[int, dict[str, float]]:
    """Mean and least recall@50 of the HNSW kNN against exact cosine search, per ``ef_search``.

    The exact top 50 of each question is computed once over the stored vectors
    (read back from the server), then compared with the HNSW answer at each
    ``hnsw.ef_search`` in ``ef_values``.
    """
    import psycopg
    from pgvector.psycopg import register_vector

    embedder = ClusteredEmbedder()
    with psycopg.connect(dsn) as db:
        register_vector(db)
        rows = db.execute("SELECT id, embedding FROM paragraphs").fetchall()
    ids = np.asarray([r[0] for r in rows])
    matrix = np.stack([r[1].to_numpy() for r in rows]).astype(np.float32)
    del rows
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    vectors = [embedder.encode([question])[0] for question in _questions(queries)]
    exact = []
    for vector in vectors:
        best = np.argpartition(-(matrix @ vector), RECALL_DEPTH)[:RECALL_DEPTH]
        exact.append(set(ids[best].tolist()))
    del matrix
    results = {}
    for ef in ef_values:
        library = _archive(dsn, embedder, ef_search=ef)
        found = [
            len(truth & {pid for pid, _ in library.store.dense_search(vector, RECALL_DEPTH)})
            / RECALL_DEPTH
            for vector, truth in zip(vectors, exact, strict=True)
        ]
        library.close()
        results[ef] = {"recall_at_50": float(np.mean(found)), "recall_min": float(np.min(found))}
    return results


def client(dsn: str, queries: int) -> dict[str, Any]:
    """One of the concurrent askers: waits for a line on stdin, then searches."""
    from retrieval.search.hybrid import hybrid_search

    library = _archive(dsn)
    questions = _questions(queries)
    print("ready", flush=True)
    sys.stdin.readline()
    times, errors = [], []
    for question in questions:
        started = time.perf_counter()
        try:
            hybrid_search(library.store, library.vectors(), library.embedder, question, k=8)
        except Exception as error:  # counted: the target is no errors
            errors.append(str(error)[:200])
        times.append(1000 * (time.perf_counter() - started))
    library.close()
    return {"times_ms": times, "errors": errors}


def concurrent(dsn: str, clients: int, queries: int) -> dict[str, Any]:
    """``clients`` processes asking ``queries`` questions each, all at once."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "benchmarks.archive", "client", dsn, str(queries)]
    procs = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                         env=environment, cwd=ROOT)
        for _ in range(clients)
    ]  # fmt: skip
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [json.loads(proc.communicate(timeout=1800)[0].strip().splitlines()[-1])
               for proc in procs]  # fmt: skip
    seconds = time.perf_counter() - started
    times = [t for r in results for t in r["times_ms"]]
    errors = [e for r in results for e in r["errors"]]
    return {
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "searches_per_s": len(times) / seconds,
    }


def add_rate(dsn: str) -> dict[str, float]:
    """Paragraphs/s through ``Newsdesk.add`` on the archive against the embedder's encode rate."""
    from benchmarks.speed import measure_add

    measured = measure_add(quick=False, archive_dsn=dsn)
    keys = ("add_paragraphs", "add_paragraphs_per_s", "encode_paragraphs_per_s", "add_vs_encode")
    return {key: measured[key] for key in keys}


def same_answers(dsn: str, folder: Path, queries: int) -> dict[str, Any]:
    """The SQuAD sample asked of the local library and of the archive (holding the same articles).

    Compares, per question: the answer text, whether it declined, and each
    citation (article title, paragraph number, quote); and the retrieved
    paragraphs (article title, paragraph number) in order.
    """
    from retrieval.engine import Newsdesk
    from retrieval.settings import ArchiveSettings, Settings
    from tests.support.fakes import ScriptedGenerator

    files = sorted(str(p) for p in (EVAL / "articles").glob("*.txt"))
    desks = {
        "local": Newsdesk(Settings(library=folder), generator=ScriptedGenerator()),
        "postgres": Newsdesk(
            Settings(library=folder, archive=ArchiveSettings(backend="postgres", dsn=dsn)),
            generator=ScriptedGenerator(),
        ),
    }
    for desk in desks.values():
        for _ in desk.add(files):  # the archive already holds them (add_rate): no-op there
            pass
    with (EVAL / "qa_sample.jsonl").open(encoding="utf-8") as handle:
        questions = [json.loads(line)["question"] for line in handle][:queries]
    same_answer = same_hits = 0
    differing: list[str] = []
    for question in questions:
        seen = {}
        for name, desk in desks.items():
            answer = desk.ask(question)
            seen[name] = (
                answer.text,
                answer.declined,
                [(c.article_title, c.paragraph_index, c.quote) for c in answer.citations],
                [(h.paragraph.article_title, h.paragraph.index) for h in answer.considered],
            )
        same_answer += seen["local"][:3] == seen["postgres"][:3]
        same_hits += seen["local"][3] == seen["postgres"][3]
        if seen["local"][:3] != seen["postgres"][:3]:
            differing.append(question)
        asked = questions.index(question) + 1
        if asked % 20 == 0:
            print(f"  asked {asked}: {same_answer} identical", file=sys.stderr, flush=True)
    for desk in desks.values():
        desk.close()
    return {
        "questions": len(questions),
        "identical_answers": same_answer / len(questions),
        "identical_retrieval": same_hits / len(questions),
        "differing_questions": differing[:20],
    }


def measure(sizes: Sequence[int] = (100_000,), queries: int = 200, clients: int = 4,
            squad_questions: int = 300, search_only: bool = False) -> dict[str, Any]:  # fmt: skip
    """Every measurement above; metric names end in the archive size (``_100k``).

    ``search_only``: the archive sizes only (search, recall, concurrent
    askers), not the add rate and same-answers parts, which do not depend on size.
    """
    metrics: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="newsdesk-archive-") as tmp:
        server = start_server(Path(tmp) / "data")
        try:
            for size in sizes:
                tag = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}m"
                dsn = new_database(server, f"bench_{tag}")
                built = build(dsn, size)
                print(f"  postgres build @{tag}: {built}", flush=True)
                found = search(dsn, queries)
                recalls = recall(dsn, queries, (DEFAULT_EF, *EF_SWEEP))
                found.update(recalls.pop(DEFAULT_EF))
                found.update(
                    {f"concurrent_{k}": v for k, v in concurrent(dsn, clients, 50).items()}
                )
                for ef, measured in recalls.items():  # the same archive at other ef_search
                    timed = search(dsn, queries, ef)
                    for key in ("p50_ms", "p95_ms", "dense_p50_ms"):
                        found[f"ef{ef}_{key}"] = timed[key]
                    found.update({f"ef{ef}_{k}": v for k, v in measured.items()})
                print(f"  postgres search @{tag}: {found}", flush=True)
                metrics.update({f"pg_{k}_{tag}": v for k, v in {**built, **found}.items()})
            if search_only:
                return metrics
            dsn = new_database(server, "bench_squad")
            rate = add_rate(dsn)
            print(f"  postgres add: {rate}", flush=True)
            metrics.update({f"pg_{k}": v for k, v in rate.items()})
            same = same_answers(dsn, Path(tmp) / "local", squad_questions)
            print(f"  postgres same answers: {same}", flush=True)
            metrics.update({f"pg_squad_{k}": v for k, v in same.items()})
        finally:
            server.cleanup()
    metrics["pg_client_peak_rss_mb"] = peak_rss_mb()
    return metrics


def main(argv: Sequence[str]) -> int:
    """``client DSN QUERIES`` (one concurrent asker), or ``run [--search-only] [SIZE...]``.

    Prints the metrics as JSON.
    """
    if argv[0] == "client":
        print(json.dumps(client(argv[1], int(argv[2]))))
        return 0
    search_only = "--search-only" in argv
    sizes = [int(s) for s in argv[1:] if s != "--search-only"] or [100_000]
    print(json.dumps(measure(sizes, search_only=search_only)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
