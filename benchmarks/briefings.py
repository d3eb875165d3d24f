"""Briefing quality on news articles: ROUGE against reference highlights, citations.

Single articles: every article is added to a fresh library and briefed
alone (length "short"). The lead-3 baseline (the article's first three
sentences) is scored in the same run. Scored: ROUGE of the overview plus the
key points; every point and overview sentence cited; points supported by
their cited paragraph, overview sentences by their cited sentences together
(the check the briefing itself runs); the share of the model's overview
sentences kept as written.

Groups: a fixed set of article groups (:data:`GROUPS`, chosen from
``../shared/eval/news/articles``) is briefed at length "medium"; the stories
found are compared with the stories expected, and the seconds per briefing
are recorded. Usage::

    python -m benchmarks.briefings [--limit N] [--no-groups] [--groups-only] [--out DIR]
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

#: Multi-article groups: name -> the stories expected, each a tuple of file stems.
GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
    "MH370 report, Nigerian election, Sunderland (three stories)": (
        ("8569a517d115d140fbf3550ee0c14bc42477b108",),
        ("79c9f7c234eb43aaef887b4194f1ef41b0171f6a",),
        ("xsum-sample-01",),
    ),
    "Two MH370 articles and the Nigerian election": (
        ("8569a517d115d140fbf3550ee0c14bc42477b108", "aafc78b914521d432f5b224157d88d08f36dcb9a"),
        ("79c9f7c234eb43aaef887b4194f1ef41b0171f6a",),
    ),
    "Tunis museum attack (two articles) and a US ISIS plot": (
        ("37b24ca5e6a2c2e8b19aefad533900a7fd79487f", "8ddd79adc0c21b44fc37917f9120b5d90b5dac52"),
        ("3b89d00750a21dbb02b82d30653f0a5315013f7c",),
    ),
    "Israeli election (four articles) and Jews in the United States": (
        (
            "8215a8d8dd9d94a4a0b4e01d2161914a1a855f29",
            "b8ccb86c2daa148130493cefb1368500ab73fc14",
            "cbe86affa7a7064d97c3edb23855e5f039cccac4",
            "d4094bbe4c1d30d4920d41fe21751a8277f4b95c",
        ),
        ("cc4f8f7e434ee852a0de48287a0b761c48c315fc",),
    ),
}


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


def overview_scores(briefing: Any) -> list[dict[str, bool]]:
    """For each overview sentence: cited, supported by its cited sentences together, as written."""
    from retrieval.grounding.checks import is_supported

    return [
        {
            "cited": bool(s.citations),
            "supported": is_supported(s.text, " ".join(c.quote for c in s.citations)),
            "as_written": not s.repaired,
        }
        for s in briefing.overview
    ]


def run(
    out: Path,
    limit: int | None = None,
    articles_dir: Path = NEWS_ARTICLES,
    highlights_file: Path = HIGHLIGHTS,
    groups: bool = True,
    singles: bool = True,
) -> dict[str, Any]:
    """Brief every article with highlights, then the groups; write ``out/summary.json``."""
    from rouge_score import rouge_scorer

    from retrieval.engine import Newsdesk
    from retrieval.export import export
    from retrieval.settings import Settings

    out.mkdir(parents=True, exist_ok=True)
    highlights = load_highlights(highlights_file)
    files = [f for f in sorted(articles_dir.glob("*.txt")) if f.stem in highlights][:limit]
    files = files if singles else []
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
                "overview_text": [s.text for s in briefing.overview],
                "points_text": [p.text for p in briefing.points],
                "lead3": lead3(file.read_text(encoding="utf-8")),
                "points": point_scores(briefing),
                "overview": overview_scores(briefing),
                "overview_written": briefing.overview_written,
                "overview_shortened": briefing.overview_shortened,
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
    if groups:
        summary["metrics"].update(run_groups(out, embedder, generator))
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
    sentences = [s for line in lines for s in line.get("overview", [])]
    written = sum(line.get("overview_written", 0) for line in lines)
    metrics["overview_cited"] = rate(s["cited"] for s in sentences)
    metrics["overview_supported"] = rate(s["supported"] for s in sentences)
    shortened = sum(line.get("overview_shortened", 0) for line in lines)
    metrics["overview_kept"] = (
        (sum(s["as_written"] for s in sentences) - shortened) / written if written else None
    )
    metrics["overview_shortened_share"] = shortened / written if written else None
    metrics["overview_repaired_share"] = (
        sum(not s["as_written"] for s in sentences) / written if written else None
    )
    metrics["points_per_briefing"] = len(points) / len(lines) if lines else None
    metrics["seconds_per_briefing"] = mean(line["seconds"] for line in lines)
    return {"articles": len(lines), "points": len(points), "metrics": metrics}


def run_groups(out: Path, embedder: Any, generator: Any) -> dict[str, Any]:
    """Brief each of :data:`GROUPS` (medium); compare the stories found with those expected."""
    from retrieval.engine import Newsdesk
    from retrieval.export import export
    from retrieval.settings import Settings

    results = []
    for n, (name, expected) in enumerate(GROUPS.items(), 1):
        files = [_article_file(stem) for story in expected for stem in story]
        with tempfile.TemporaryDirectory(prefix="newsdesk-group-") as folder:
            desk = Newsdesk(Settings(library=Path(folder)), embedder, generator)
            try:
                added, _ = add_all(desk.library, [str(f) for f in files])
                stem_of = {a.id: Path(a.file or a.source).stem for a in added}
                started = time.perf_counter()
                briefing = desk.brief([a.id for a in added], "medium")
                seconds = time.perf_counter() - started
            finally:
                desk.close()
        export(briefing, out / f"group-{n}.md")
        found = [sorted(stem_of[i] for i in story.article_ids) for story in briefing.stories]
        wanted = [sorted(_article_file(stem).stem for stem in story) for story in expected]
        line = {
            "group": name,
            "stories_expected": wanted,
            "stories_found": found,
            "headings": [story.heading for story in briefing.stories],
            "correct": sorted(found) == sorted(wanted),
            "overview": [s.text for s in briefing.overview],
            "overview_written": briefing.overview_written,
            "differences": [[s.text for s in d.sides] for d in briefing.differences],
            "seconds": round(seconds, 3),
        }
        results.append(line)
        print(f"[group {n}] {seconds:.1f}s {'ok' if line['correct'] else 'WRONG'} {name}")
    (out / "groups.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    three = [r["seconds"] for r in results if sum(len(s) for s in r["stories_expected"]) == 3]
    return {
        "groups_correct": rate(r["correct"] for r in results),
        "seconds_medium_3_articles": mean(three),
    }


def _article_file(stem: str) -> Path:
    """The article whose file name starts with ``stem`` (a full or shortened id)."""
    matches = sorted(NEWS_ARTICLES.glob(f"{stem}*.txt"))
    if len(matches) != 1:
        raise FileNotFoundError(f"no single article starts with {stem!r} in {NEWS_ARTICLES}")
    return matches[0]


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.briefings",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--limit", type=int, help="brief only the first N articles")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/briefings"))
    parser.add_argument("--no-groups", action="store_true", help="single articles only")
    parser.add_argument("--groups-only", action="store_true", help="the article groups only")
    args = parser.parse_args(argv)
    summary = run(args.out, args.limit, groups=not args.no_groups, singles=not args.groups_only)
    print(f"\n{summary['articles']} articles, {summary['points']} key points")
    print_table("briefings", summary["metrics"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
