"""The count a "How many …?" question asks, read from the sentence's parse
(retrieval/grounding/counts.py: count_span) and verbs' irregular past forms
(retrieval/grounding/spans.py: word_root)."""

from __future__ import annotations

import pytest

from retrieval.grounding.counts import count_span
from retrieval.grounding.spans import word_root

TIKRIT = (
    "The gains, according to the official, came after a slow advance into the city as the "
    "forces dealt with more than 300 improvised explosive devices planted in the city's streets."
)


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # "did" parsed as the question's verb; the devices hang on "with" in the sentence
        ("How many improvised explosive devices did Iraqi forces deal with in Tikrit?",
         TIKRIT, "more than 300 improvised explosive devices"),
        ("How many people were injured in Sunday's attack?",
         "An outlawed group launched eight rockets, injuring one Iraqi security person.",
         "one Iraqi security person"),
        # the devices were planted, not defused: another action
        ("How many improvised explosive devices did Iraqi forces defuse in Tikrit?",
         TIKRIT, None),
    ],
)  # fmt: skip
def test_the_count_of_the_asked_things_under_the_asked_verb(
    question: str, sentence: str, expected: str | None
) -> None:
    span = count_span(question, sentence)
    assert (span and sentence[span[0] : span[1]]) == expected


@pytest.mark.parametrize(
    ("past", "verb"), [("dealt", "deal"), ("fought", "fight"), ("took", "take"), ("led", "lead")]
)
def test_an_irregular_past_meets_its_verb(past: str, verb: str) -> None:
    assert word_root(past) == word_root(verb)
