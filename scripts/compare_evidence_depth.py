"""How many retrieved paragraphs evidence selection should consider: measured off the benchmark.

The SQuAD 2.0 dev articles outside the benchmark's twelve are loaded into one
library (as ``scripts/train_abstention.py`` loads them). For each sampled
question and each depth ``k`` (``retrieval.paragraphs_considered``), the
question is searched and its sentences scored exactly as an answer does
(hybrid search, hand-made score, answer-sentence cross-encoder), then:

- ``gold retrieved``: the question's own paragraph is among the ``k`` hits;
- ``best sentence answers``: the best sentence is in that paragraph and holds a
  gold answer (what the answer will cite and quote, model aside);
- ``answer shown to the model``: some sentence the model is shown holds it;
- ``answerable declined`` / ``unanswerable declined``: the shipped verifier's
  decision on these features.

    python scripts/compare_evidence_depth.py [--depths 8,12,16] [--per-article 60]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.answer.abstention import features, load_model  # noqa: E402
from retrieval.answer.cross_encoder import scorer_for  # noqa: E402
from retrieval.answer.evidence import Evidence, score_sentences, select_evidence  # noqa: E402
from retrieval.engine import Newsdesk  # noqa: E402
from retrieval.search.hybrid import hybrid_search  # noqa: E402
from retrieval.settings import Settings  # noqa: E402
from retrieval.types import Paragraph  # noqa: E402
from scripts.train_abstention import SQUAD, _slug, load_articles  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--depths", default="8,12,16")
    parser.add_argument("--per-article", type=int, default=60)
    parser.add_argument("--out", type=Path, help="write the table as JSON here too")
    args = parser.parse_args()
    depths = [int(d) for d in args.depths.split(",")]
    benchmark = {p.stem for p in (SQUAD / "articles").glob("*.txt")}
    data = json.loads((SQUAD / "dev-v2.0.json").read_text(encoding="utf-8"))["data"]
    articles = [a for a in data if _slug(a["title"]) not in benchmark]
    if len(data) - len(articles) != len(benchmark):
        raise SystemExit("could not tell the benchmark's articles apart: refusing to measure")
    verifier = load_model()
    if verifier is None:
        raise SystemExit("the abstention verifier is not installed")
    rows: dict[int, list[dict[str, bool]]] = {k: [] for k in depths}
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as folder:
        desk = Newsdesk(Settings(library=Path(folder)))
        try:
            load_articles(desk, articles)
            library = desk.library
            scorer = scorer_for(library.embedder)
            for article in articles:
                title = article["title"].replace("_", " ")
                asked = [(p["context"], q) for p in article["paragraphs"] for q in p["qas"]]
                rng.shuffle(asked)
                for context, qa in asked[: args.per_article]:
                    question = qa["question"]
                    golds = [a["text"] for a in qa.get("answers", [])]

                    for k in depths:
                        hits = hybrid_search(
                            library.store, library.vectors(), library.embedder, question, k=k
                        )
                        ranked = score_sentences(question, hits, library.embedder, scorer)
                        shown = select_evidence(ranked, desk.settings.generation.answer_sentences)
                        logit = verifier.logit(features(question, ranked)) if ranked else None
                        declined = logit is None or (
                            verifier.probability_from_logit(logit) < verifier.threshold
                        )
                        rows[k].append(
                            {
                                "answerable": not qa.get("is_impossible"),
                                "gold retrieved": any(
                                    _is_gold(h.paragraph, title, context) for h in hits
                                ),
                                "best sentence answers": bool(ranked)
                                and _answers(ranked[0], title, context, golds),
                                "answer shown to the model": any(
                                    _answers(e, title, context, golds) for e in shown
                                ),
                                "declined": declined,
                            }
                        )
                print(f"  {title}: {len(rows[depths[0]])} questions", flush=True)
        finally:
            desk.close()
    table = {k: _summary(r) for k, r in rows.items()}
    for k, summary in table.items():
        print(f"k={k}: " + ", ".join(f"{name} {value:.3f}" for name, value in summary.items()))
    if args.out:
        args.out.write_text(json.dumps(table, indent=2), encoding="utf-8")
    return 0


def _answers(evidence: Evidence, title: str, context: str, golds: list[str]) -> bool:
    """Whether ``evidence`` is a sentence of the question's paragraph holding a gold answer."""
    return _is_gold(evidence.paragraph, title, context) and any(
        g in evidence.sentence for g in golds
    )


def _is_gold(paragraph: Paragraph, title: str, context: str) -> bool:
    """Whether ``paragraph`` is the SQuAD paragraph ``context`` of article ``title``."""
    return paragraph.article_title == title and paragraph.text[:80] in context


def _summary(rows: list[dict[str, bool]]) -> dict[str, float]:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    out = {
        name: float(np.mean([r[name] for r in answerable]))
        for name in ("gold retrieved", "best sentence answers", "answer shown to the model")
    }
    out["answerable declined"] = float(np.mean([r["declined"] for r in answerable]))
    out["unanswerable declined"] = float(np.mean([r["declined"] for r in unanswerable]))
    return out


if __name__ == "__main__":
    raise SystemExit(main())
