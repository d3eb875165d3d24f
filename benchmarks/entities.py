"""Entity typing: precision per kind on a hand-labelled sample, spaCy alone vs Newsdesk.

The sample (``benchmarks/data/entity_sample.json``) labels every name found
in five news articles as person, place, organisation or none. For each
article, the names listed under each kind are scored: precision is the share
whose label is that kind (a name not in the sample counts as wrong).

*Before* is spaCy's small English pipeline as packaged, with the same
cleaning of mentions and each surface form given its majority label, but
none of Newsdesk's corrections; *after* is
:func:`retrieval.briefing.entities.extract_entities`. Usage::

    python -m benchmarks.entities [--out DIR]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.briefings import NEWS_ARTICLES
from benchmarks.report import print_table

SAMPLE = Path(__file__).resolve().parent / "data" / "entity_sample.json"
KINDS = ("people", "places", "organisations")
LABEL = {"people": "person", "places": "place", "organisations": "organisation"}
LIMIT = 30


def paragraphs(text: str, article_id: int) -> list[Any]:
    """The article's blank-line blocks as paragraphs."""
    from retrieval.types import Paragraph

    blocks = [b for b in text.split("\n\n") if b.strip()]
    return [Paragraph(i, article_id, i, b, 0, len(b), "") for i, b in enumerate(blocks)]


def spacy_alone(texts: Sequence[str]) -> dict[str, list[str]]:
    """Names per kind as the packaged pipeline labels them (majority per surface form)."""
    from retrieval.briefing import entities as ent
    from retrieval.briefing.mention_context import LABEL_KINDS

    nlp = ent._load_ner_pipeline(ent.model_path())
    nlp.remove_pipe("entity_ruler")
    votes: dict[str, Counter[str]] = {}
    for doc in nlp.pipe(texts):
        for span in doc.ents:
            kind = LABEL_KINDS.get(span.label_)
            name = ent.clean_name(span.text)
            if kind and ent.is_plausible_name(name):
                votes.setdefault(name, Counter())[kind] += 1
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for name, counts in sorted(votes.items(), key=lambda item: -sum(item[1].values())):
        found[counts.most_common(1)[0][0]].append(name)
    return {kind: names[:LIMIT] for kind, names in found.items()}


def newsdesk(texts: Sequence[str], article_id: int) -> dict[str, list[str]]:
    """Names per kind as a briefing lists them."""
    from retrieval.briefing.entities import extract_entities

    found = extract_entities(
        [p for text in texts for p in paragraphs(text, article_id)], limit=LIMIT
    )
    return {kind: list(getattr(found, kind)) for kind in KINDS}


def score(found: dict[str, list[str]], labels: dict[str, str]) -> dict[str, tuple[int, int]]:
    """``(right, listed)`` per kind."""
    return {
        kind: (sum(labels.get(name) == LABEL[kind] for name in names), len(names))
        for kind, names in found.items()
    }


def run(out: Path, sample: Path = SAMPLE) -> dict[str, Any]:
    """Score both on every sample article; write ``out/summary.json``."""
    data = json.loads(sample.read_text(encoding="utf-8"))
    labels: dict[str, str] = data["labels"]
    totals = {side: {kind: [0, 0] for kind in KINDS} for side in ("before", "after")}
    wrong: dict[str, list[str]] = {"before": [], "after": []}
    for n, stem in enumerate(data["articles"], 1):
        text = (NEWS_ARTICLES / f"{stem}.txt").read_text(encoding="utf-8")
        blocks = [p.text for p in paragraphs(text, n)]
        for side, found in (("before", spacy_alone(blocks)), ("after", newsdesk([text], n))):
            for kind, (right, listed) in score(found, labels).items():
                totals[side][kind][0] += right
                totals[side][kind][1] += listed
            wrong[side] += [
                f"{name} ({kind})" for kind in KINDS for name in found[kind]
                if labels.get(name) != LABEL[kind]
            ]  # fmt: skip
    metrics: dict[str, Any] = {}
    for side in ("before", "after"):
        for kind in KINDS:
            right, listed = totals[side][kind]
            metrics[f"{kind}_precision_{side}"] = right / listed if listed else None
            metrics[f"{kind}_listed_{side}"] = listed
    summary = {"articles": len(data["articles"]), "metrics": metrics, "wrong": wrong}
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.entities",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/entities"))
    args = parser.parse_args(argv)
    summary = run(args.out)
    print_table("entities", summary["metrics"])
    for side in ("before", "after"):
        print(f"\nwrong {side}: {', '.join(summary['wrong'][side])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
