"""The input cases of ../shared/cases (04, 05, 08, 11) answered on the real packaged models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.engine import Newsdesk
from retrieval.settings import Settings
from retrieval.types import Answer
from tests.conftest import EVAL

pytestmark = pytest.mark.models
CASES = EVAL.parent / "cases"


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newsdesk]:
    """One library holding the four cases' files, as a user would add them."""
    newsdesk = Newsdesk(Settings(library=tmp_path_factory.mktemp("cases") / "library"))
    files = [
        CASES / "04-pdf-hyphenation" / "tarrow-reservoir.pdf",
        CASES / "05-pdf-running-headers" / "ferry-terminal.pdf",
        CASES / "08-feed-cdata-entities" / "feed.xml",
        CASES / "11-rtl-emoji-pdf-export" / "book-fair.txt",
    ]
    errors = [s.error for s in newsdesk.add([str(f) for f in files]) if s.error is not None]
    assert errors == []
    yield newsdesk
    newsdesk.close()


def cited(answer: Answer, title: str) -> list[tuple[int, str]]:
    return [(c.paragraph_index + 1, c.quote) for c in answer.citations if c.article_title == title]


def test_reservoir_level_cites_the_first_paragraph(desk: Newsdesk) -> None:
    answer = desk.ask("What level did the reservoir fall to?")
    assert not answer.declined and "38" in answer.text
    # The short answer's wording ("38" rather than "38 percent of capacity") is
    # the answer step's; what reading the PDF decides is the cited paragraph.
    [(number, quote), *_] = cited(answer, "Reservoir hits record low in Tarrow Valley")
    assert number == 1 and "38 percent of capacity" in quote
    assert "Reservoir hits record low" not in quote  # the headline is not glued on


def test_water_saving_rules_cite_the_second_paragraph(desk: Newsdesk) -> None:
    question = "What are households banned from doing under the new water-saving rules?"
    answer = desk.ask(question)
    assert not answer.declined
    said = answer.text.lower()
    assert "swimming pools" in said or "washing cars" in said
    quotes = cited(answer, "Reservoir hits record low in Tarrow Valley")
    assert quotes and quotes[0][0] == 2 and "water-saving" in quotes[0][1]


def test_ferry_terminal_cost_quotes_the_sentence_as_the_article_has_it(desk: Newsdesk) -> None:
    answer = desk.ask("How much will the new ferry terminal cost?")
    assert not answer.declined and "14 million dollars" in answer.text
    [(_, quote), *_] = cited(answer, "Ferry terminal plan moves ahead in Hollins Gap")
    assert quote == (
        "The new ferry terminal will cost an estimated 14 million dollars and is due to open"
        " in the spring of next year."
    )


def test_ferry_crossings_cite_the_feed_entry(desk: Newsdesk) -> None:
    answer = desk.ask("How many ferry crossings a day will there be to Gorsedd Island from June?")
    assert not answer.declined and "12" in answer.text
    assert cited(answer, "More ferry crossings from June")


def test_the_organisers_words_cite_paragraph_two(desk: Newsdesk, tmp_path: Path) -> None:
    answer = desk.ask("What did organiser Salma Haddad tell visitors?")
    assert not answer.declined
    quotes = cited(answer, "Book fair in Alexandria draws record crowds 📚")
    assert quotes and quotes[0][0] == 2
