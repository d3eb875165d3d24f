"""The benchmark harness: scoring helpers, the report, and short real runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import briefings, metrics, quality, report, speed

ROOT = Path(__file__).resolve().parents[1]
SQUAD = ROOT.parent / "shared" / "eval" / "squad"
ANSWER_KEYS = {"id", "question", "answer", "declined", "citations", "seconds"}
CITATION_KEYS = {"article_file", "paragraph_index", "paragraph_text", "quote"}


def test_squad_normalisation_and_f1() -> None:
    assert metrics.normalize_answer("The  Eiffel, Tower!") == "eiffel tower"
    assert metrics.token_f1("the Eiffel Tower", "Eiffel Tower") == 1.0
    assert metrics.token_f1("Paris", "London") == 0.0
    assert metrics.contains_gold("It is in France, they say.", ["France"])
    assert not metrics.contains_gold("Franceville", ["France"])


def test_paragraph_overlap_accepts_passages_of_the_gold_paragraph() -> None:
    gold = "First sentence here. Second sentence is longer than the first one. Third."
    assert metrics.paragraphs_overlap("Second sentence is longer than the first one.", gold)
    assert metrics.paragraphs_overlap(gold + " Extra.", gold)
    assert not metrics.paragraphs_overlap("Something else entirely, about cats.", gold)
    assert not metrics.paragraphs_overlap(None, gold)


def test_readme_section_is_added_then_replaced(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Project\n\nIntro.\n", encoding="utf-8")
    results = {"quality": {"metrics": {"f1": 0.6, "answerable_declined": 0.2}}}
    report.update_readme(results, readme)
    first = readme.read_text(encoding="utf-8")
    assert first.startswith("# Project\n\nIntro.\n") and "## Benchmarks" in first
    assert "| Token F1 (answerable) | 0.6 | >= 0.5 | PASS |" in first
    readme.write_text(first + "\nAfter.\n", encoding="utf-8")
    report.update_readme({"quality": {"metrics": {"f1": 0.4}}}, readme)
    second = readme.read_text(encoding="utf-8")
    assert second.count(report.START) == 1 and second.endswith("\nAfter.\n")
    assert "| 0.4 | >= 0.5 | FAIL |" in second


def _questions_for(articles: set[str], out: Path) -> Path:
    lines = [json.loads(x) for x in (SQUAD / "qa_sample.jsonl").read_text("utf-8").splitlines()]
    path = out / "questions.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in lines if q["article"] in articles))
    return path


@pytest.mark.models
def test_quality_writes_answers_and_summary(tmp_path: Path) -> None:
    names = {"normans.txt", "prime_number.txt"}
    questions = _questions_for(names, tmp_path)
    articles = [str(SQUAD / "articles" / name) for name in sorted(names)]
    out = tmp_path / "quality"
    assert (
        quality.main(
            [
                "--articles",
                *articles,
                "--questions",
                str(questions),
                "--out",
                str(out),
                "--limit",
                "6",
            ]
        )
        == 0
    )
    lines = [json.loads(x) for x in (out / "answers.jsonl").read_text("utf-8").splitlines()]
    assert len(lines) == 6
    for line in lines:
        assert line.keys() >= ANSWER_KEYS
        for citation in line["citations"]:
            assert citation.keys() >= CITATION_KEYS
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["articles"] == 2 and summary["questions"] == 6
    assert summary["unanswerable"] >= 1
    for key in (
        "first_citation_gold",
        "answer_contains_gold",
        "f1",
        "median_answer_words",
        "unanswerable_declined",
        "answerable_declined",
        "retrieval_r1",
        "retrieval_r3",
        "retrieval_r5",
    ):
        assert key in summary["metrics"]


@pytest.mark.models
def test_briefings_writes_scores_and_markdown(tmp_path: Path) -> None:
    out = tmp_path / "briefings"
    assert briefings.main(["--limit", "2", "--no-groups", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["articles"] == 2
    for key in (
        "rouge1",
        "rouge2",
        "rougeL",
        "lead3_rouge1",
        "lead3_rouge2",
        "lead3_rougeL",
        "points_cited",
        "points_supported",
    ):
        assert key in summary["metrics"]
    assert len(list(out.glob("*.md"))) == 2


@pytest.mark.models
def test_speed_quick_search(tmp_path: Path) -> None:
    out = tmp_path / "speed.json"
    assert speed.main(["--quick", "--parts", "search", "--out", str(out)]) == 0
    result = json.loads(out.read_text("utf-8"))
    assert not result["errors"]
    for key in ("search_p50_ms_10k", "search_p95_ms_10k", "search_peak_rss_mb_10k"):
        assert result["metrics"][key] is not None
