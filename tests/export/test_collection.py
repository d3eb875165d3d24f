"""Exporting a whole conversation, or the whole history, with every citation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.briefs import Briefing
from retrieval.export import ExportError
from retrieval.export.collection import build_collection_document, export_collection
from retrieval.types import Answer
from tests.export.samples import EXTENSIONS, P_NOV, P_SADR, flat, read_back


@pytest.mark.parametrize("suffix", EXTENSIONS)
def test_a_whole_conversation_exports_with_every_citation(
    tmp_path: Path, suffix: str, answer: Answer, declined: Answer, briefing: Briefing
) -> None:
    path = export_collection([answer, declined, briefing], tmp_path / f"talk{suffix}", "Baghdad")
    text = flat(read_back(path))
    for question in (answer.question, declined.question):
        assert question in text
    quotes = {c.quote for r in (answer, briefing) for c in r.citations}
    assert len(quotes) >= 4
    for quote in quotes:
        assert flat(quote)[:60] in text, f"{suffix}: the quote {quote[:40]!r} is missing"
    assert "The loaded articles don't say" in text
    if suffix == ".json":
        data = json.loads(path.read_text("utf-8"))
        assert data["kind"] == "collection" and data["title"] == "Baghdad"
        assert [i["kind"] for i in data["items"]] == ["answer", "answer", "briefing"]
        assert {c["quote"] for i in data["items"] for c in i["citations"]} == quotes
    else:
        assert "Baghdad" in text


def test_references_are_numbered_once_across_the_collection(
    answer: Answer, briefing: Briefing
) -> None:
    doc = build_collection_document([answer, briefing], "History", created="2024-01-06T00:00:00")
    quotes = [r.citation.quote for r in doc.references]
    assert len(quotes) == len(set(quotes)), "a quote cited twice keeps one number"
    assert [r.n for r in doc.references] == list(range(1, len(quotes) + 1))
    by_number = {r.n: r.citation.quote for r in doc.references}
    november = [i for s in doc.sections for i in s.items if "November 17" in i.text]
    assert november and all(by_number[n] for n in november[0].refs)
    assert any(by_number[n] == P_NOV for item in november for n in item.refs)
    assert P_SADR in by_number.values()
    headings = [s.heading for s in doc.sections]
    assert headings[0] == f"1. {answer.question}"
    assert any(h.startswith("2. Briefing") for h in headings)


def test_an_empty_collection_or_unknown_format_is_refused(tmp_path: Path, answer: Answer) -> None:
    with pytest.raises(ExportError, match="nothing to export"):
        export_collection([], tmp_path / "x.md", "Empty")
    with pytest.raises(ExportError, match="unsupported export format"):
        export_collection([answer], tmp_path / "x.rtf", "Odd")
    assert not list(tmp_path.iterdir())
