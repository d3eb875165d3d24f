"""Train the abstention verifier (retrieval/answer/abstention.py) on SQuAD 2.0 dev.

Split by article, never using the benchmark's 12 articles: the remaining
articles are loaded together into one library (as the app would hold them),
every question is searched and its evidence scored exactly as an answer does,
and a logistic regression learns P(answerable) from the evidence features.
The threshold is chosen on held-out articles: the most unanswerable questions
declined while at most ``--max-answerable-declined`` of answerable ones are.

    python scripts/train_abstention.py [--per-article 120] [--out resources/models/abstention.json]
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.answer.abstention import FEATURES, AbstentionModel, features  # noqa: E402
from retrieval.answer.evidence import Evidence, score_sentences  # noqa: E402
from retrieval.engine import Newsdesk  # noqa: E402
from retrieval.search.hybrid import hybrid_search  # noqa: E402
from retrieval.settings import Settings  # noqa: E402
from retrieval.types import ArticleDraft  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-article", type=int, default=120)
    parser.add_argument("--held-out", type=int, default=7, help="articles kept for the threshold")
    parser.add_argument("--max-answerable-declined", type=float, default=0.08)
    parser.add_argument("--out", type=Path, default=ROOT / "resources/models/abstention.json")
    parser.add_argument(
        "--judge-sample",
        type=int,
        default=0,
        help="also calibrate the local model's yes/no judgement on this many held-out "
        "questions (half answerable), with the packaged Qwen model",
    )
    parser.add_argument(
        "--evidence-cache",
        type=Path,
        help="keep each question's scored evidence here (pickle) and reuse it when present: "
        "features can then be changed and the verifier retrained in seconds",
    )
    args = parser.parse_args()
    benchmark = {p.stem for p in (SQUAD / "articles").glob("*.txt")}
    data = json.loads((SQUAD / "dev-v2.0.json").read_text(encoding="utf-8"))["data"]
    articles = [a for a in data if _slug(a["title"]) not in benchmark]
    if len(data) - len(articles) != len(benchmark):
        raise SystemExit("could not tell the benchmark's articles apart: refusing to train")
    rng = random.Random(13)
    rng.shuffle(articles)
    held_out = {a["title"] for a in articles[: args.held_out]}
    print(f"{len(articles)} articles ({len(held_out)} held out); benchmark's 12 excluded")
    if args.evidence_cache and args.evidence_cache.is_file():
        judged = pickle.loads(args.evidence_cache.read_bytes())
    else:
        judged = _score_questions(articles, held_out, args.per_article, rng)
        if args.evidence_cache:
            args.evidence_cache.write_bytes(pickle.dumps(judged))
    rows = [(features(q, ranked), label, held) for q, label, held, ranked in judged]
    x = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows])
    held = np.array([r[2] for r in rows])
    model = fit(x[~held], y[~held], x[held], y[held], args.max_answerable_declined)
    if args.judge_sample:
        sample = _balanced([j for j in judged if j[2]], args.judge_sample)
        model = calibrate_judge(model, sample, args.max_answerable_declined)
    model.save(args.out)
    print(f"wrote {args.out}")
    return 0


def _score_questions(
    articles: list[dict], held_out: set[str], per_article: int, rng: random.Random
) -> list[tuple[str, int, bool, list[Evidence]]]:
    """Each question with its label, split, and best evidence, as an answer would rank it."""
    judged: list[tuple[str, int, bool, list[Evidence]]] = []
    with tempfile.TemporaryDirectory() as folder:
        desk = Newsdesk(Settings(library=Path(folder)))
        try:
            drafts = [
                ArticleDraft(
                    title=a["title"].replace("_", " "),
                    text="\n\n".join(p["context"] for p in a["paragraphs"]),
                    source="squad-dev",
                )
                for a in articles
            ]
            for _ in desk.add_drafts(drafts):
                pass
            k = desk.settings.retrieval.paragraphs_considered
            memo = _Memo(desk.library.embedder)
            for article in articles:
                questions = [q for p in article["paragraphs"] for q in p["qas"]]
                rng.shuffle(questions)
                for qa in questions[:per_article]:
                    library = desk.library
                    hits = hybrid_search(
                        library.store, library.vectors(), library.embedder, qa["question"], k=k
                    )
                    ranked = score_sentences(qa["question"], hits, memo)  # type: ignore[arg-type]
                    if ranked:
                        label = 0 if qa.get("is_impossible") else 1
                        held = article["title"] in held_out
                        judged.append((qa["question"], label, held, ranked[:8]))
                print(f"  {article['title']}: {len(judged)} questions so far", flush=True)
        finally:
            desk.close()
    return judged


class _Memo:
    """The embedder, remembering each text's vector: questions share their paragraphs' sentences."""

    def __init__(self, embedder: object) -> None:
        self._embedder = embedder
        self._known: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self._known]
        if new:
            for text, vector in zip(new, self._embedder.encode(new), strict=True):  # type: ignore[attr-defined]
                self._known[text] = vector
        return np.stack([self._known[t] for t in texts])


def _balanced(items: list, count: int) -> list:
    rng = random.Random(7)
    answerable = [j for j in items if j[1] == 1]
    unanswerable = [j for j in items if j[1] == 0]
    rng.shuffle(answerable)
    rng.shuffle(unanswerable)
    return answerable[: count // 2] + unanswerable[: count // 2]


def calibrate_judge(model: AbstentionModel, sample: list, max_declined: float) -> AbstentionModel:
    """Thresholds for the verifier together with the model's yes/no judgement.

    A question is declined when the verifier's P(answerable) is below its
    threshold or the judgement is below the judge threshold; both are chosen
    on held-out articles for the most unanswerable questions declined with at
    most ``max_declined`` of answerable ones.
    """
    from dataclasses import replace

    from retrieval.answer.evidence import select_evidence
    from retrieval.answer.prompts import judge_messages
    from retrieval.backends.local import TransformersGenerator
    from retrieval.settings import PACKAGED_QWEN

    settings = Settings()
    generator = TransformersGenerator(PACKAGED_QWEN, settings.cache_dir)
    limit = settings.generation.answer_sentences
    scores, probabilities, labels = [], [], []
    for n, (question, label, _, ranked) in enumerate(sample, 1):
        evidence = select_evidence(ranked, limit)
        scores.append(generator.yes_score(judge_messages(question, evidence)))
        probabilities.append(model.probability(features(question, ranked)))
        labels.append(label)
        if n % 20 == 0:
            print(f"  judged {n}/{len(sample)}", flush=True)
    s, p, y = np.array(scores), np.array(probabilities), np.array(labels)
    best = (-1.0, model.threshold, None)
    for lexical in np.linspace(0.05, model.threshold, 30):
        for judge in np.quantile(s, np.linspace(0.0, 0.6, 61)):
            declined = (p < lexical) | (s < judge)
            if declined[y == 1].mean() <= max_declined and declined[y == 0].mean() > best[0]:
                best = (float(declined[y == 0].mean()), float(lexical), float(judge))
    rate, lexical, judge = best
    declined = (p < lexical) | (s < (judge if judge is not None else -np.inf))
    print(
        f"with the judgement ({len(y)} held-out questions): thresholds {lexical:.2f} and "
        f"{judge}: unanswerable declined {rate:.3f}, answerable declined "
        f"{declined[y == 1].mean():.3f}"
    )
    return replace(model, threshold=lexical, judge_threshold=judge, judge_model=PACKAGED_QWEN)


def _slug(title: str) -> str:
    """The benchmark's file name for a SQuAD title ("Fresno,_California" -> "fresno_california")."""
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


def fit(
    x: np.ndarray,
    y: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    max_declined: float,
) -> AbstentionModel:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    classifier = LogisticRegression(max_iter=2000, C=1.0).fit((x - mean) / scale, y)
    weights = tuple(float(w) for w in classifier.coef_[0])
    model = AbstentionModel(
        weights, float(classifier.intercept_[0]), tuple(mean), tuple(scale), 0.5
    )
    probabilities = np.array([model.probability(row) for row in x_val])
    best = 0.0
    for threshold in np.linspace(0.05, 0.95, 91):
        declined = probabilities < threshold
        if declined[y_val == 1].mean() <= max_declined:
            best = float(threshold)
    declined = probabilities < best
    print(f"features: {dict(zip(FEATURES, (round(w, 3) for w in weights), strict=True))}")
    print(
        f"held out: {len(y_val)} questions; threshold {best:.2f}: unanswerable declined "
        f"{declined[y_val == 0].mean():.3f}, answerable declined {declined[y_val == 1].mean():.3f}"
    )
    return AbstentionModel(weights, model.bias, model.mean, model.scale, best)


if __name__ == "__main__":
    raise SystemExit(main())
