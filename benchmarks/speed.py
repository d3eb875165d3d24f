"""Speed and memory on the machine it runs on.

Measures (a) adding articles against the embedder's own encode throughput,
(b) hybrid search latency and memory at 10k, 100k and 1M synthetic
paragraphs, (c) generation decode speed and time to first token (and
llama.cpp on the same GGUF when ``llama_cpp`` is importable), and the same
through ``transformers serve`` on 127.0.0.1 (part ``server``), (d) launch to
window shown and launch to first answer, (e) peak memory of a session that
adds, asks and briefs, (f) seconds per medium briefing of three news articles
(three stories), models loaded (part ``brief``), (g) the PostgreSQL archive
backend on a local server (part ``postgres``, see ``benchmarks.archive``). Usage::

    python -m benchmarks.speed [--quick] [--parts add,search,generate,server,launch,session,brief]
    python -m benchmarks.speed --parts postgres
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.generation_speed import measure_generation, measure_server_generation
from benchmarks.metrics import percentile
from benchmarks.report import ROOT, print_table
from retrieval.ingest.pipeline import add_all

EVAL = ROOT.parent / "shared" / "eval"
SQUAD_ARTICLES = EVAL / "squad" / "articles"
SAMPLE = ROOT / "resources" / "samples" / "baghdad-embassy-rockets.txt"
SAMPLE_QUESTION = "How many rockets were fired at the Green Zone?"
PARTS = ("add", "search", "generate", "server", "launch", "session", "brief", "postgres")


def child(args: Sequence[str], timeout: float = 900, env: dict[str, str] | None = None) -> Any:
    """Run ``python ARGS`` with the repo on the path; the last stdout line parsed as JSON."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    if "NEWSDESK_LIBRARY" in environment and env:  # keep the user's saved settings out
        environment["XDG_CONFIG_HOME"] = str(Path(environment["NEWSDESK_LIBRARY"]) / "config")
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        cwd=ROOT,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()[-800:]}")
    return json.loads(lines[-1])


def measure_add(quick: bool, archive_dsn: str | None = None) -> dict[str, Any]:
    """Paragraphs/s through ``Newsdesk.add`` against ``embedder.encode`` on the same texts.

    With ``archive_dsn`` the articles go to that PostgreSQL archive instead of a folder.
    """
    from retrieval.engine import Newsdesk
    from retrieval.ingest.pipeline import EMBED_BATCH
    from retrieval.settings import ArchiveSettings, Settings

    files = sorted(str(p) for p in SQUAD_ARTICLES.glob("*.txt"))[: 3 if quick else None]
    archive = ArchiveSettings(backend="postgres" if archive_dsn else "local", dsn=archive_dsn or "")
    with tempfile.TemporaryDirectory(prefix="newsdesk-speed-") as folder:
        desk = Newsdesk(Settings(library=Path(folder), archive=archive))
        embedder = desk.embedder
        embedder.encode(["warm up"] * 8)
        started = time.perf_counter()
        added, _ = add_all(desk.library, files)
        add_seconds = time.perf_counter() - started
        batches = []
        for article in added:
            texts = [p.text for p in desk.library.paragraphs(article.id)]
            batches += [texts[i : i + EMBED_BATCH] for i in range(0, len(texts), EMBED_BATCH)]
        started = time.perf_counter()
        for batch in batches:
            embedder.encode(batch)
        encode_seconds = time.perf_counter() - started
        count = sum(len(b) for b in batches)
        with (EVAL / "squad" / "qa_sample.jsonl").open(encoding="utf-8") as handle:
            questions = [json.loads(line)["question"] for line in handle][:50]
        query_ms = []
        for question in questions:
            started = time.perf_counter()
            embedder.encode([question])
            query_ms.append(1000 * (time.perf_counter() - started))
        desk.close()
    add_rate, encode_rate = count / add_seconds, count / encode_seconds
    return {
        "add_paragraphs": count,
        "add_paragraphs_per_s": add_rate,
        "encode_paragraphs_per_s": encode_rate,
        "add_vs_encode": add_rate / encode_rate,
        "query_embedding_p50_ms": percentile(query_ms, 50),
    }


def measure_search(quick: bool) -> dict[str, Any]:
    """Build then search synthetic libraries, each phase in its own process."""
    scales = {"10k": 10_000} if quick else {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
    metrics: dict[str, Any] = {}
    for name, size in scales.items():
        with tempfile.TemporaryDirectory(prefix=f"newsdesk-scale-{name}-") as folder:
            built = child(["-m", "benchmarks.scale", "build", folder, str(size)], timeout=1500)
            queries = "100" if quick else "200"
            found = child(["-m", "benchmarks.scale", "search", folder, queries])
            found.update(child(["-m", "benchmarks.scale", "recall", folder, queries]))
        metrics[f"search_p50_ms_{name}"] = found["p50_ms"]
        metrics[f"search_p95_ms_{name}"] = found["p95_ms"]
        for part in ("dense", "keyword"):
            metrics[f"search_{part}_p50_ms_{name}"] = found[f"{part}_p50_ms"]
            metrics[f"search_{part}_p95_ms_{name}"] = found[f"{part}_p95_ms"]
        metrics[f"search_index_{name}"] = found["index"]
        metrics[f"search_recall_at_50_{name}"] = found["recall_at_50"]
        metrics[f"search_peak_rss_mb_{name}"] = found["search_peak_rss_mb"]
        metrics[f"build_seconds_{name}"] = built["build_seconds"]
        metrics[f"build_peak_rss_mb_{name}"] = built["build_peak_rss_mb"]
        print(f"  search @{name}: {found}", flush=True)
    return metrics


WINDOW_SCRIPT = """
import json, sys, time
from PySide6.QtWidgets import QApplication
from desktop.gui.app import create_window, make_application
from retrieval.settings import load_settings
app = make_application([])
window = create_window(load_settings())
while not window.isVisible():
    app.processEvents()
app.processEvents()
print(json.dumps({"shown": time.time()}), flush=True)
import os; os._exit(0)
"""

ANSWER_SCRIPT = """
import json, sys, time
from pathlib import Path
from retrieval.engine import Newsdesk
from retrieval.settings import load_settings
desk = Newsdesk(load_settings())
list(desk.add([sys.argv[1]]))  # as the window does: the sample, then the models
desk.load_models()
answer = desk.ask(sys.argv[2])
print(json.dumps({"answered": time.time(), "declined": answer.declined, "text": answer.text}))
"""


def measure_launch() -> dict[str, Any]:
    """Launch → window shown (offscreen Qt), launch → first answer (engine, no window) and
    launch → first answer in the window, the sample added and the question typed at once."""
    metrics: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="newsdesk-launch-") as folder:
        env = {"QT_QPA_PLATFORM": "offscreen", "NEWSDESK_LIBRARY": folder}
        started = time.time()
        try:
            metrics["window_seconds"] = child(["-c", WINDOW_SCRIPT], 120, env)["shown"] - started
            metrics["window_seconds_note"] = "desktop.gui.app.create_window, offscreen"
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            metrics["window_seconds"] = None
            metrics["window_error"] = str(error)[-300:]
    with tempfile.TemporaryDirectory(prefix="newsdesk-launch-") as folder:
        started = time.time()
        done = child(
            ["-c", ANSWER_SCRIPT, str(SAMPLE), SAMPLE_QUESTION], 300, {"NEWSDESK_LIBRARY": folder}
        )
        metrics["first_answer_seconds"] = done["answered"] - started
        metrics["first_answer_seconds_note"] = (
            "headless, as the window: sample added, models loaded, then ask"
        )
        metrics["first_answer_text"] = done["text"]
    with tempfile.TemporaryDirectory(prefix="newsdesk-launch-") as folder:
        env = {"QT_QPA_PLATFORM": "offscreen", "NEWSDESK_LIBRARY": folder}
        started = time.time()
        try:
            done = child(["-c", WINDOW_ANSWER_SCRIPT, SAMPLE_QUESTION], 300, env)
            metrics["first_answer_window_seconds"] = done["answered"] - started
            metrics["first_answer_window_seconds_note"] = (
                "the window (offscreen), first launch: sample added, question typed at once"
            )
            metrics["first_answer_window_text"] = done["text"]
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            metrics["first_answer_window_seconds"] = None
            metrics["first_answer_window_error"] = str(error)[-300:]
    return metrics


WINDOW_ANSWER_SCRIPT = """
import json, os, sys, time
from retrieval.preload import start_preloading
start_preloading()  # as desktop.launcher.open_window does, before Qt is imported
from PySide6.QtCore import QTimer
from desktop.gui.app import create_window, make_application
from retrieval.settings import load_settings
app = make_application([])
window = create_window(load_settings())
turn = window.ask.ask(sys.argv[1])  # typed at once: it waits for the models
def check():
    if turn.answer is not None:
        print(json.dumps({"answered": time.time(), "declined": turn.answer.declined,
                          "text": turn.answer.text}), flush=True)
        os._exit(0)
timer = QTimer()
timer.timeout.connect(check)
timer.start(20)
app.exec()
"""

SESSION_SCRIPT = """
import json, sys
from benchmarks.scale import peak_rss_mb
from retrieval.engine import Newsdesk
from retrieval.ingest.pipeline import add_all
from retrieval.settings import load_settings
desk = Newsdesk(load_settings())
added, _ = add_all(desk.library, sys.argv[1:])
for q in ("How many rockets were fired at the Green Zone?", "Who was the hostage?",
          "What is the Chinese name for the Yuan dynasty?"):
    desk.ask(q)
desk.brief(None, "short")
print(json.dumps({"peak_rss_mb": peak_rss_mb()}))
"""


def measure_session() -> dict[str, Any]:
    """Peak RSS of a process that adds the sample and SQuAD articles, asks and briefs."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-session-") as folder:
        done = child(
            ["-c", SESSION_SCRIPT, str(SAMPLE), str(SQUAD_ARTICLES)],
            900,
            {"NEWSDESK_LIBRARY": folder},
        )
    return {"session_peak_rss_mb": done["peak_rss_mb"]}


def measure_postgres(quick: bool) -> dict[str, Any]:
    """The archive backend on a local PostgreSQL + pgvector (``benchmarks.archive``), in a child."""
    sizes = ["10000"] if quick else ["100000"]
    return dict(child(["-m", "benchmarks.archive", "run", *sizes], timeout=7200))


def measure_brief() -> dict[str, Any]:
    """Seconds for a medium briefing of the first three-article group of the briefing harness.

    The models are loaded (and spaCy warmed) by a briefing of one article first.
    """
    from benchmarks.briefings import GROUPS, _article_file
    from retrieval.engine import Newsdesk
    from retrieval.settings import Settings

    stories = next(group for group in GROUPS.values() if len(group) == 3)
    files = [str(_article_file(stem)) for story in stories for stem in story]
    with tempfile.TemporaryDirectory(prefix="newsdesk-brief-speed-") as folder:
        desk = Newsdesk(Settings(library=Path(folder)))
        try:
            added, _ = add_all(desk.library, files)
            desk.brief([added[0].id], "short")
            started = time.perf_counter()
            briefing = desk.brief([a.id for a in added], "medium")
            seconds = time.perf_counter() - started
        finally:
            desk.close()
    return {"brief_medium_3_seconds": seconds, "brief_medium_3_stories": len(briefing.stories)}


def run(quick: bool = False, parts: Sequence[str] = PARTS) -> dict[str, Any]:
    """Every selected measurement; returns ``{"metrics": {...}, "errors": {...}}``."""
    steps = {
        "add": lambda: measure_add(quick),
        "search": lambda: measure_search(quick),
        "generate": lambda: measure_generation(quick),
        "server": lambda: measure_server_generation(quick),
        "launch": measure_launch,
        "session": measure_session,
        "postgres": lambda: measure_postgres(quick),
        "brief": measure_brief,
    }
    metrics: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in parts:
        print(f"speed: {name}…", flush=True)
        started = time.perf_counter()
        try:
            metrics.update(steps[name]())
        except Exception as error:  # one failed measurement must not lose the others
            errors[name] = f"{type(error).__name__}: {error}"[-1000:]
        print(f"speed: {name} done in {time.perf_counter() - started:.0f}s", flush=True)
    return {"quick": quick, "metrics": metrics, "errors": errors}


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.speed",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="10k search only, short runs")
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated subset")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    parts = [p for p in args.parts.split(",") if p]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    result = run(args.quick, parts)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print_table("speed", result["metrics"])
    for name, error in result["errors"].items():
        print(f"{name} failed: {error}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
