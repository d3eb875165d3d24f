"""The engine on the real packaged models and the bundled sample article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from retrieval.engine import Newsdesk
from retrieval.export import export
from retrieval.grounding.checks import is_supported
from retrieval.types import Answer, Done, Piece

pytestmark = pytest.mark.models

ROCKETS = "How many rockets were fired at the Green Zone?"


@pytest.fixture(scope="module")
def rockets_answer(real_desk: Newsdesk) -> Answer:
    return real_desk.ask(ROCKETS)


def test_the_answer_says_eight_and_cites_the_paragraph_that_says_so(
    rockets_answer: Answer,
) -> None:
    assert not rockets_answer.declined
    assert "eight" in rockets_answer.text.lower()
    first = rockets_answer.citations[0]
    assert "launched eight rockets" in first.paragraph_text
    assert first.quote in first.paragraph_text
    assert first.paragraph_text[first.quote_start : first.quote_end] == first.quote
    assert first.article_title.startswith("Eight rockets target US embassy")


def test_every_statement_is_supported_by_its_citation(rockets_answer: Answer) -> None:
    from retrieval.grounding.checks import is_supported

    for statement in rockets_answer.statements:
        assert statement.citations
        assert is_supported(statement.text, statement.citations[0].paragraph_text, ROCKETS)


def test_a_question_the_articles_do_not_answer_is_declined(real_desk: Newsdesk) -> None:
    answer = real_desk.ask("What is the capital of France?")
    assert answer.declined
    assert answer.text == "The loaded articles don't say."
    assert answer.considered  # the nearest paragraphs are still shown


def test_answers_stream_before_the_checked_answer_arrives(real_desk: Newsdesk) -> None:
    items = list(real_desk.ask_stream("Who has been blamed for orchestrating the attacks?"))
    assert isinstance(items[-1], Done) and isinstance(items[-1].result, Answer)
    assert all(isinstance(piece, Piece) for piece in items[:-1])


def test_a_follow_up_leans_on_the_previous_question(real_desk: Newsdesk) -> None:
    real_desk.ask("What did the US embassy's C-RAM defence system do?")
    answer = real_desk.ask("And when was it installed?")
    assert not answer.declined
    assert any("C-RAM system was installed" in c.paragraph_text for c in answer.citations)


def test_the_briefing_cites_every_point_and_dates_the_timeline(real_desk: Newsdesk) -> None:
    briefing = real_desk.brief(length="medium")
    assert briefing.points and briefing.overview_written == len(briefing.stories) == 1
    for sentence in briefing.overview:  # the model's sentence, kept only when it stands
        assert is_supported(sentence.text, " ".join(c.quote for c in sentence.citations))
    for statement in briefing.statements:
        assert statement.citations, statement.text
        for citation in statement.citations:
            assert citation.quote in citation.paragraph_text
    dates = " ".join(entry.date for entry in briefing.timeline)
    for day in ("November 17", "December 10", "January 3"):
        assert day in dates
    assert "Qassem Soleimani" in briefing.entities.people


@pytest.mark.parametrize("suffix", [".md", ".html", ".json", ".docx", ".pdf"])
def test_every_export_quotes_the_cited_sentence(
    rockets_answer: Answer, tmp_path: Path, suffix: str
) -> None:
    path = export(rockets_answer, tmp_path / f"answer{suffix}")
    quote_words = "launched eight rockets"
    if suffix == ".docx":
        text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    elif suffix == ".pdf":
        text = " ".join(page.extract_text() for page in PdfReader(str(path)).pages)
        text = " ".join(text.split())
    elif suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        text = data["citations"][0]["quote"]
    else:
        text = path.read_text(encoding="utf-8")
    # The short answer's words are marked inside the quote (bold, <mark>).
    for mark in ("**", "<mark>", "</mark>"):
        text = text.replace(mark, "")
    assert "".join(quote_words.split()) in "".join(text.split())
