"""Briefing quality on news articles: ROUGE against reference highlights, citations.

Every article is added to a fresh library and briefed alone (length "short").
The lead-3 baseline (the article's first three sentences) is scored in the
same run. Usage::

    python -m benchmarks.briefings [--limit N] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.metrics import mean, rate
from benchmarks.report import print_table
from retrieval.ingest.pipeline import add_all

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
NEWS_ARTICLES = EVAL / "news" / "articles"
HIGHLIGHTS = EVAL / "news" / "highlights.jsonl"
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
WRITTEN_OUT = 5


def load_highlights(path: Path = HIGHLIGHTS) -> dict[str, list[str]]:
    """Reference highlights by article id (the file stem)."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {row["id"]: list(row["highlights"]) for row in rows}


def lead3(text: str) -> str:
    """The first three sentences of ``text``."""
    from retrieval.text.sentences import split_sentences

    return " ".join(split_sentences(text)[:3])


def briefing_text(briefing: Any) -> str:
    """The overview and the key points, as one text."""
    return " ".join(s.text for s in (*briefing.overview, *briefing.points))


def point_scores(briefing: Any) -> list[dict[str, bool]]:
    """For each key point: is it cited, and does a cited paragraph support it."""
    from retrieval.grounding.checks import is_supported

    return [
        {
            "cited": bool(point.citations),
            "supported": any(is_supported(point.text, c.paragraph_text) for c in point.citations),
        }
        for point in briefing.points
    ]


def run(
    out: Path,
    limit: int | None = None,
    articles_dir: Path = NEWS_ARTICLES,
    highlights_file: Path = HIGHLIGHTS,
) -> dict[str, Any]:
    """Brief every article with highlights; write ``out/results.jsonl`` and ``summary.json``."""
    from rouge_score import rouge_scorer

    from retrieval.engine import Newsdesk
    from retrieval.export import export
    from retrieval.settings import Settings

    out.mkdir(parents=True, exist_ok=True)
    highlights = load_highlights(highlights_file)
    files = [f for f in sorted(articles_dir.glob("*.txt")) if f.stem in highlights][:limit]
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    first = Newsdesk(Settings(library=Path(tempfile.mkdtemp(prefix="newsdesk-brief-"))))
    embedder, generator = first.embedder, first.generator
    first.close()
    lines = []
    with (out / "results.jsonl").open("w", encoding="utf-8") as handle:
        for n, file in enumerate(files, 1):
            reference = " ".join(highlights[file.stem])
            with tempfile.TemporaryDirectory(prefix="newsdesk-brief-") as folder:
                desk = Newsdesk(Settings(library=Path(folder)), embedder, generator)
                try:
                    added, errors = add_all(desk.library, [str(file)])
                    if not added:
                        print(f"[{n}/{len(files)}] {file.name}: not added {errors}", flush=True)
                        continue
                    started = time.perf_counter()
                    briefing = desk.brief([added[0].id], "short")
                    seconds = time.perf_counter() - started
                finally:
                    desk.close()
            if n <= WRITTEN_OUT:
                export(briefing, out / f"{file.stem}.md")
            ours = scorer.score(reference, briefing_text(briefing))
            base = scorer.score(reference, lead3(file.read_text(encoding="utf-8")))
            line = {
                "id": file.stem,
                "briefing": briefing_text(briefing),
                "lead3": lead3(file.read_text(encoding="utf-8")),
                "points": point_scores(briefing),
                "overview_repaired": any(s.repaired for s in briefing.overview),
                "rouge": {k: ours[k].fmeasure for k in ROUGE_TYPES},
                "lead3_rouge": {k: base[k].fmeasure for k in ROUGE_TYPES},
                "seconds": round(seconds, 3),
            }
            lines.append(line)
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
            handle.flush()
            print(
                f"[{n}/{len(files)}] {seconds:.1f}s {file.stem} "
                f"R1 {line['rouge']['rouge1']:.3f} (lead-3 {line['lead3_rouge']['rouge1']:.3f})",
                flush=True,
            )
    summary = summarise(lines)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def summarise(lines: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Mean ROUGE of briefings and lead-3, and the citation shares of the points."""
    points = [p for line in lines for p in line["points"]]
    metrics: dict[str, Any] = {}
    for key in ROUGE_TYPES:
        metrics[key] = mean(line["rouge"][key] for line in lines)
        metrics[f"lead3_{key}"] = mean(line["lead3_rouge"][key] for line in lines)
    metrics["points_cited"] = rate(p["cited"] for p in points)
    metrics["points_supported"] = rate(p["supported"] for p in points)
    metrics["overview_repaired"] = rate(
        line["overview_repaired"] for line in lines if "overview_repaired" in line
    )
    metrics["points_per_briefing"] = len(points) / len(lines) if lines else None
    metrics["seconds_per_briefing"] = mean(line["seconds"] for line in lines)
    return {"articles": len(lines), "points": len(points), "metrics": metrics}


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.briefings",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--limit", type=int, help="brief only the first N articles")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/briefings"))
    args = parser.parse_args(argv)
    summary = run(args.out, args.limit)
    print(f"\n{summary['articles']} articles, {summary['points']} key points")
    print_table("briefings", summary["metrics"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
