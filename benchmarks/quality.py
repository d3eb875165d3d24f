"""Answer quality on SQuAD-style questions: citations, answers, declines, retrieval.

Usage::

    python -m benchmarks.quality --articles ../shared/eval/squad/articles \
        --questions ../shared/eval/squad/qa_sample.jsonl --out /tmp/quality [--limit N]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.metrics import (
    best_f1,
    contains_gold,
    mean,
    median,
    paragraphs_overlap,
    rate,
    word_count,
)
from benchmarks.report import print_table
from retrieval.ingest.pipeline import add_all

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
SQUAD_ARTICLES = EVAL / "squad" / "articles"
SQUAD_QUESTIONS = EVAL / "squad" / "qa_sample.jsonl"
RETRIEVAL_K = 5
_QUESTION_WORD = re.compile(r"\b(what|which|who|whom|whose|when|where|why|how)\b", re.I)


def load_questions(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Questions from a JSONL file; ``limit`` picks that many spread evenly over it."""
    with path.open(encoding="utf-8") as handle:
        questions = [json.loads(line) for line in handle if line.strip()]
    if limit is None or not 0 < limit < len(questions):
        return questions
    impossible = [q for q in questions if q.get("is_impossible")]
    answerable = [q for q in questions if not q.get("is_impossible")]
    share = round(limit * len(impossible) / len(questions))
    wanted = min(len(impossible), max(share, 1 if impossible and limit > 1 else 0))
    picked = {id(q) for q in _spread(impossible, wanted) + _spread(answerable, limit - wanted)}
    return [q for q in questions if id(q) in picked]


def _spread(items: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    step = len(items) / count if count else 0
    return [items[int(i * step)] for i in range(min(count, len(items)))]


def question_word(question: str) -> str:
    """The question's wh-word (``how many`` and ``how much`` kept apart), or ``other``."""
    match = _QUESTION_WORD.search(question)
    if not match:
        return "other"
    word = match.group(1).lower()
    if word == "how":
        rest = question[match.end() :].split()
        if rest and rest[0].lower() in ("many", "much"):
            return f"how {rest[0].lower()}"
    return word


def score_one(item: dict[str, Any], answer: Any, hits: Sequence[Any]) -> dict[str, Any]:
    """Per-question scores (the gold fields may be null for unanswerable questions)."""
    gold_text = item.get("paragraph_text")
    golds = [a for a in item.get("answers") or [] if a]
    text = "" if answer.declined else answer.text
    citations = answer.citations
    first = citations[0].paragraph_text if citations else None
    rank = next(
        (n for n, hit in enumerate(hits, 1) if paragraphs_overlap(hit.paragraph.text, gold_text)),
        None,
    )
    return {
        "answerable": not item.get("is_impossible", False),
        "question_word": question_word(item["question"]),
        "first_citation_gold": paragraphs_overlap(first, gold_text),
        "any_citation_gold": any(
            paragraphs_overlap(c.paragraph_text, gold_text) for c in citations
        ),
        "contains_gold": contains_gold(text, golds) if golds else False,
        "f1": best_f1(text, golds) if golds else 0.0,
        "words": word_count(text),
        "retrieval_rank": rank,
    }


def summarise(lines: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The quality metrics over every answered question line."""
    answerable = [line for line in lines if line["score"]["answerable"]]
    impossible = [line for line in lines if not line["score"]["answerable"]]
    answered = [line for line in answerable if not line["declined"]]
    ranks = [line["score"]["retrieval_rank"] for line in answerable]
    metrics = {
        "first_citation_gold": rate(line["score"]["first_citation_gold"] for line in answerable),
        "answer_contains_gold": rate(line["score"]["contains_gold"] for line in answerable),
        "f1": mean(line["score"]["f1"] for line in answerable),
        "median_answer_words": median(line["score"]["words"] for line in answered),
        "unanswerable_declined": rate(line["declined"] for line in impossible),
        "answerable_declined": rate(line["declined"] for line in answerable),
        "retrieval_r1": rate(r is not None and r <= 1 for r in ranks),
        "retrieval_r3": rate(r is not None and r <= 3 for r in ranks),
        "retrieval_r5": rate(r is not None and r <= 5 for r in ranks),
        "f1_when_answered": mean(line["score"]["f1"] for line in answered),
        "any_citation_gold": rate(line["score"]["any_citation_gold"] for line in answerable),
        "seconds_per_question_p50": median(line["seconds"] for line in lines),
    }
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in answerable:
        groups[line["score"]["question_word"]].append(line)
    by_word = {
        word: {
            "questions": len(group),
            "contains_gold": rate(x["score"]["contains_gold"] for x in group),
            "first_citation_gold": rate(x["score"]["first_citation_gold"] for x in group),
            "declined": rate(x["declined"] for x in group),
            "retrieval_r1": rate(x["score"]["retrieval_rank"] == 1 for x in group),
        }
        for word, group in sorted(groups.items(), key=lambda kv: -len(kv[1]))
    }
    return {
        "questions": len(lines),
        "answerable": len(answerable),
        "unanswerable": len(impossible),
        "metrics": metrics,
        "by_question_word": by_word,
    }


def run(
    articles: Sequence[str],
    questions_file: Path,
    out: Path,
    limit: int | None = None,
    model: str | None = None,
) -> dict[str, Any]:
    """Load ``articles`` into a fresh library, ask every question, write the results.

    ``model`` is the local generation model (default: the settings' default).

    Returns:
        The summary also written to ``out/summary.json``.
    """
    from retrieval.answer.answer import Conversation
    from retrieval.engine import Newsdesk
    from retrieval.search.hybrid import hybrid_search
    from retrieval.settings import Settings

    out.mkdir(parents=True, exist_ok=True)
    questions = load_questions(questions_file, limit)
    with tempfile.TemporaryDirectory(prefix="newsdesk-quality-") as folder:
        settings = Settings(library=Path(folder))
        if model:
            generation = settings.generation.model_copy(update={"model": model})
            settings = settings.model_copy(update={"generation": generation})
        desk = Newsdesk(settings)
        try:
            started = time.perf_counter()
            added, errors = add_all(desk.library, list(articles))
            add_seconds = time.perf_counter() - started
            paragraphs = sum(a.paragraph_count for a in added)
            lines = []
            with (out / "answers.jsonl").open("w", encoding="utf-8") as handle:
                for n, item in enumerate(questions, 1):
                    desk.conversation = Conversation()  # every question stands alone
                    started = time.perf_counter()
                    answer = desk.ask(item["question"])
                    seconds = time.perf_counter() - started
                    hits = hybrid_search(
                        desk.library.store,
                        desk.library.vectors(),
                        desk.library.embedder,
                        item["question"],
                        k=RETRIEVAL_K,
                    )
                    line = _line(item, answer, seconds)
                    line["p_answerable"] = _p_answerable(desk, item["question"])
                    line["score"] = score_one(item, answer, hits)
                    lines.append(line)
                    handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                    handle.flush()
                    print(
                        f"[{n}/{len(questions)}] {seconds:.1f}s {item['question'][:60]}", flush=True
                    )
        finally:
            desk.close()
    summary = summarise(lines)
    summary.update(
        articles=len(added),
        paragraphs=paragraphs,
        ingest_errors=[f"{e.source}: {e.reason}" for e in errors],
        add_seconds=add_seconds,
        questions_file=str(questions_file),
        model=desk.generator.name,
    )
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def _p_answerable(desk: Any, question: str) -> float | None:
    """The verifier's P(answerable) for ``question`` (None with the verifier off), for
    studying where declines fall; computed apart from the timed answer."""
    from retrieval.answer.abstention import load_model
    from retrieval.answer.answer import prepare

    verifier = load_model() if desk.settings.retrieval.verifier else None
    draft = prepare(question, desk.library, desk.settings)
    if verifier is None or draft.evidence_logit is None:
        return None
    return round(verifier.decision(draft.evidence_logit, draft.answer_logit)[0], 4)


def _line(item: dict[str, Any], answer: Any, seconds: float) -> dict[str, Any]:
    return {
        "id": item.get("id"),
        "question": item["question"],
        "answer": answer.text,
        "declined": answer.declined,
        "citations": [
            {
                "article_file": c.article_file,
                "paragraph_index": c.paragraph_index,
                "paragraph_text": c.paragraph_text,
                "quote": c.quote,
            }
            for c in answer.citations
        ],
        "seconds": round(seconds, 3),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.quality",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--articles",
        nargs="+",
        default=[str(SQUAD_ARTICLES)],
        metavar="PATH",
        help="article files or folders to load",
    )
    parser.add_argument("--questions", type=Path, default=SQUAD_QUESTIONS, metavar="FILE.jsonl")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/quality"))
    parser.add_argument("--limit", type=int, help="ask only N questions, spread over the file")
    parser.add_argument("--model", help="local generation model (default: the settings')")
    args = parser.parse_args(argv)
    summary = run(args.articles, args.questions, args.out, args.limit, args.model)
    print(
        f"\n{summary['questions']} questions ({summary['answerable']} answerable) over "
        f"{summary['articles']} articles, {summary['paragraphs']} paragraphs"
    )
    print_table("quality", summary["metrics"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
