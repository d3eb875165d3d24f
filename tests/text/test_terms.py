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
