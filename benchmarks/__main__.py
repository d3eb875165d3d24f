"""Run every benchmark, write ``results/latest.json`` and the README table.

Usage::

    python -m benchmarks [--quick] [--skip quality,briefings,speed]

Full: quality on the whole SQuAD sample (all 12 articles loaded at once),
briefings on all 82 news articles, speed at 10k/100k/1M paragraphs.
``--quick``: 30 questions, 5 briefings, speed at 10k only. Each part's own
files go to ``results/<part>/``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import briefings, quality, speed
from benchmarks.report import RESULTS, flatten, markdown_table, update_readme, write_latest

PARTS = ("quality", "briefings", "speed")


def run_all(quick: bool, skip: Sequence[str] = (), out: Path = RESULTS) -> dict[str, Any]:
    """Run the selected benchmarks; returns their summaries by name."""
    results: dict[str, Any] = {}
    if "quality" not in skip:
        results["quality"] = quality.run(
            [str(quality.SQUAD_ARTICLES)],
            quality.SQUAD_QUESTIONS,
            out / "quality",
            30 if quick else None,
        )
    if "briefings" not in skip:
        results["briefings"] = briefings.run(out / "briefings", 5 if quick else None)
    if "speed" not in skip:
        results["speed"] = speed.run(quick)
        (out / "speed").mkdir(parents=True, exist_ok=True)
        (out / "speed" / "summary.json").write_text(
            json.dumps(results["speed"], indent=2) + "\n", encoding="utf-8"
        )
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="small subsets")
    parser.add_argument("--skip", default="", help=f"comma-separated, of {', '.join(PARTS)}")
    parser.add_argument(
        "--from-summaries",
        type=Path,
        metavar="DIR",
        help="run nothing: report DIR/<part>/summary.json files already written",
    )
    parser.add_argument("--no-readme", action="store_true", help="leave README.md alone")
    args = parser.parse_args(argv)
    if args.from_summaries:
        results = {
            part: json.loads((args.from_summaries / part / "summary.json").read_text("utf-8"))
            for part in PARTS
            if (args.from_summaries / part / "summary.json").is_file()
        }
    else:
        results = run_all(args.quick, [s for s in args.skip.split(",") if s])
    results["mode"] = "quick" if args.quick else "full"
    path = write_latest(results)
    if not args.no_readme:
        update_readme(results)
    print(markdown_table(flatten(results)))
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
