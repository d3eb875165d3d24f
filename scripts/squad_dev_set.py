"""Write a development set for the whole answer pipeline from SQuAD 2.0 dev articles.

The benchmark's 12 articles are for reporting only. To see where the answer's
checks and the verifier's threshold put their declines, the same harness
(``python -m benchmarks.quality``) is run on other SQuAD 2.0 dev articles,
written here in the benchmark's layout: ``articles/<slug>.txt`` (title, blank
line, paragraphs separated by blank lines) and ``questions.jsonl`` (the fields
of ``../shared/eval/squad/qa_sample.jsonl``).

``--split alternate`` takes every other one of the 23 articles outside the benchmark
(file order), the first 12, and 20 answerable and 5 unanswerable questions of each
(seed 13): the development set of the thirteenth session, whose numbers the README
gives.

``--split stack`` (the default) takes the five articles that
``scripts/train_abstention.py --answer-stack 5`` fits its stack on, which the
answer-sentence cross-encoder and the features' weights never saw; ``held``
takes the seven whose questions chose the features' own threshold. The
articles are shuffled exactly as the training script shuffles them (seed 13).

    python scripts/squad_dev_set.py --out .dev/squad-stack [--per-article 30]
    python -m benchmarks.quality --articles .dev/squad-stack/articles \\
        --questions .dev/squad-stack/questions.jsonl --out .dev/squad-stack/results
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQUAD = ROOT.parent / "shared" / "eval" / "squad"


def _slug(title: str) -> str:
    """The benchmark's file name for a SQuAD title ("Fresno,_California" -> "fresno_california")."""
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


def split(name: str, held_out: int = 7, stacked: int = 5) -> list[dict]:
    """The SQuAD 2.0 dev articles of ``name`` ("stack" or "held"), never the benchmark's.

    Raises:
        SystemExit: the benchmark's articles could not be told apart.
    """
    benchmark = {p.stem for p in (SQUAD / "articles").glob("*.txt")}
    data = json.loads((SQUAD / "dev-v2.0.json").read_text(encoding="utf-8"))["data"]
    articles = [a for a in data if _slug(a["title"]) not in benchmark]
    if len(data) - len(articles) != len(benchmark):
        raise SystemExit("could not tell the benchmark's articles apart")
    if name == "alternate":
        return articles[::2][:12]
    random.Random(13).shuffle(articles)
    return articles[:held_out] if name == "held" else articles[len(articles) - stacked :]


def write(
    articles: list[dict],
    out: Path,
    per_article: int,
    seed: int,
    unanswerable: int | None = None,
) -> int:
    """Write the articles and ``per_article`` answerable plus ``unanswerable`` (as many,
    by default) unanswerable questions of each; returns the number of questions
    written. With ``unanswerable`` given, the answerable ones are drawn first."""
    rng = random.Random(seed)
    wanted = {True: per_article if unanswerable is None else unanswerable, False: per_article}
    order = (True, False) if unanswerable is None else (False, True)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    written = 0
    with (out / "questions.jsonl").open("w", encoding="utf-8") as handle:
        for article in articles:
            slug = _slug(article["title"])
            contexts = [p["context"] for p in article["paragraphs"]]
            title = article["title"].replace("_", " ")
            text = title + "\n\n" + "\n\n".join(contexts) + "\n"
            (out / "articles" / f"{slug}.txt").write_text(text, encoding="utf-8")
            items: dict[bool, list[dict]] = {True: [], False: []}
            for index, paragraph in enumerate(article["paragraphs"]):
                for qa in paragraph["qas"]:
                    impossible = bool(qa.get("is_impossible"))
                    items[impossible].append(
                        {
                            "id": qa["id"],
                            "article": f"{slug}.txt",
                            "question": qa["question"],
                            "answers": sorted({a["text"] for a in qa["answers"]}),
                            "is_impossible": impossible,
                            "paragraph_index": index,
                            "paragraph_text": paragraph["context"],
                        }
                    )
            for impossible in order:
                group = items[impossible]
                for item in rng.sample(group, min(wanted[impossible], len(group))):
                    handle.write(json.dumps(item, ensure_ascii=False) + "\n")
                    written += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--split", choices=("stack", "held", "alternate"), default="stack")
    parser.add_argument("--per-article", type=int, default=None, help="30; alternate: 20")
    parser.add_argument("--seed", type=int, default=None, help="7; alternate: 13")
    args = parser.parse_args()
    articles = split(args.split)
    alternate = args.split == "alternate"
    per_article = args.per_article if args.per_article is not None else (20 if alternate else 30)
    seed = args.seed if args.seed is not None else (13 if alternate else 7)
    count = write(articles, args.out, per_article, seed, 5 if alternate else None)
    names = ", ".join(a["title"] for a in articles)
    print(f"{len(articles)} articles ({names}); {count} questions in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
