from __future__ import annotations

from retrieval.grounding.checks import (
    adds_information,
    clean_phrase,
    grounded_statement,
    is_supported,
    verify,
)
from retrieval.types import Citation, Statement

PARAGRAPH = (
    "An Iraqi military statement on Sunday said an “an outlawed group” launched eight "
    "rockets targeting the Green Zone, injuring one Iraqi security person manning a "
    "checkpoint and causing material damage to some cars and a residential complex, "
    "which is usually empty."
)


def citation(paragraph: str = PARAGRAPH, quote_end: int | None = None) -> Citation:
    end = len(paragraph) if quote_end is None else quote_end
    return Citation(1, 1, "Eight rockets", 3, paragraph, paragraph[:end], 0, end)


def test_a_phrase_using_only_the_paragraph_and_the_question_is_supported() -> None:
    question = "How many rockets were fired at the Green Zone?"
    assert is_supported("Eight rockets were fired at the Green Zone.", PARAGRAPH, question)
    assert is_supported("eight rockets", PARAGRAPH)


def test_an_invented_number_or_name_is_not_supported() -> None:
    assert not is_supported("Twelve rockets.", PARAGRAPH)
    assert not is_supported("Hezbollah launched eight rockets.", PARAGRAPH)
    assert not is_supported("Paris", PARAGRAPH, "What is the capital of France?")


def test_a_statement_saying_nothing_checkable_is_not_supported() -> None:
    assert not is_supported("Yes.", PARAGRAPH)
    assert not is_supported("", PARAGRAPH)


def test_unsupported_phrasing_is_replaced_by_the_cited_sentence() -> None:
    statement = grounded_statement("Ten rockets hit the White House.", (citation(),))
    assert statement.repaired
    assert statement.text == PARAGRAPH


def test_supported_phrasing_is_kept_and_the_models_own_markers_removed() -> None:
    statement = grounded_statement("Answer: eight rockets [3]\nMore text", (citation(),))
    assert not statement.repaired
    assert statement.text == "eight rockets"


def test_clean_phrase_strips_quotes_and_labels() -> None:
    assert clean_phrase('  "Eight rockets."  ') == "Eight rockets."


def test_verify_drops_citations_whose_quote_is_not_in_the_paragraph() -> None:
    forged = Citation(1, 1, "t", 0, PARAGRAPH, "eight rockets fell", 0, 18)
    kept = verify(
        [Statement("eight rockets", (forged,)), Statement("eight rockets", (citation(),))]
    )
    assert len(kept) == 1
    assert kept[0].citations[0].quote == PARAGRAPH


def test_a_phrase_that_only_restates_the_question_is_repaired() -> None:
    question = "Who launched eight rockets targeting the Green Zone?"
    phrase = "Eight rockets targeting the Green Zone."
    statement = grounded_statement(phrase, (citation(),), question)
    assert statement.repaired


def test_inflections_of_the_same_word_match() -> None:
    paragraph = "In Iraq, the US plans to reduce the number of troops from 3,000 to 2,500."
    assert is_supported("They planned to reduce the number of troops to 2,500", paragraph)


def test_a_lone_letter_adds_nothing_to_the_question_a_lone_digit_does() -> None:
    """SQuAD's "The Pleistocene (P) epoch." restates "The Pleistocene epoch takes place
    during which period?"; "5 people" answers "How many people …?"."""
    period = "The Pleistocene epoch takes place during which period?"
    assert not adds_information("The Pleistocene (P) epoch.", period)
    assert adds_information("The Quaternary period", period)
    assert adds_information("5 people", "How many people were hurt?")
