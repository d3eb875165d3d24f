"""Write a development set for the whole answer pipeline from SQuAD 2.0 dev articles.

The benchmark's 12 articles are for reporting only. To see where the answer's
checks and the verifier's threshold put their declines, the same harness
(``python -m benchmarks.quality``) is run on other SQuAD 2.0 dev articles,
written here in the benchmark's layout: ``articles/<slug>.txt`` (title, blank
line, paragraphs separated by blank lines) and ``questions.jsonl`` (the fields
of ``../shared/eval/squad/qa_sample.jsonl``).

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
    random.Random(13).shuffle(articles)
    return articles[:held_out] if name == "held" else articles[len(articles) - stacked :]


def write(articles: list[dict], out: Path, per_article: int, seed: int) -> int:
    """Write the articles and ``per_article`` answerable plus as many unanswerable
    questions of each; returns the number of questions written."""
    rng = random.Random(seed)
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
            for group in items.values():
                for item in rng.sample(group, min(per_article, len(group))):
                    handle.write(json.dumps(item, ensure_ascii=False) + "\n")
                    written += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--split", choices=("stack", "held"), default="stack")
    parser.add_argument("--per-article", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    articles = split(args.split)
    count = write(articles, args.out, args.per_article, args.seed)
    names = ", ".join(a["title"] for a in articles)
    print(f"{len(articles)} articles ({names}); {count} questions in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
