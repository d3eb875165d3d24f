"""The words a question and a text are compared by."""

from __future__ import annotations

import pytest

from retrieval.text.terms import claim_terms, spelled_out_acronyms


@pytest.mark.parametrize(
    ("acronym", "text", "expected"),
    [
        ("UC", "at another University of California campus in Davis", True),
        ("LAPD", "a Los Angeles Police Department rookie", True),
        ("LA", "a Los Angeles Police Department rookie", True),
        ("UN", "The United Nations Security Council met on Friday.", True),
        ("TUN", "The United Nations Security Council met on Friday.", False),
        ("PD", "a Los Angeles Police Department rookie", False),  # not a name's opening
        ("UC", "the university in California", False),  # no name of capitalised words
    ],
)
def test_a_name_spells_out_the_acronym_a_question_uses(
    acronym: str, text: str, expected: bool
) -> None:
    assert (claim_terms(acronym) <= spelled_out_acronyms(text)) is expected


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("Who refereed the game?", "Referee: David Wilkinson (Ireland)"),
        ("How many referees were there?", "The referee sent him off."),
        ("What was agreed?", "They agree on the price."),
        ("Who were the employees?", "An employee of the bank"),
    ],
)
def test_a_word_ending_in_ee_matches_its_other_forms(asked: str, said: str) -> None:
    assert claim_terms(asked) & claim_terms(said)


def test_an_acronym_of_lower_case_words_is_spelled_out_for_the_question_using_it() -> None:
    question = "How many IEDs did Iraqi forces deal with in Tikrit?"
    text = "the forces dealt with more than 300 improvised explosive devices planted there"
    assert "ied" in claim_terms(question) & spelled_out_acronyms(text, question)
    assert not claim_terms("Did the war end?") & spelled_out_acronyms(
        "with a rifle", "Did the war end?"
    )  # initials of words in a row are no acronym the question lacks capitals for
