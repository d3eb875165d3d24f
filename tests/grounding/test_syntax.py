"""Who did the asked action, read from the sentence's words and parse
(retrieval/grounding/syntax.py)."""

from __future__ import annotations

import pytest

from retrieval.grounding.syntax import neither_act_nor_object


@pytest.mark.parametrize(
    ("question", "sentence", "neither"),
    [
        pytest.param(
            "Who wrote the book The Myth of Certainty?",
            "I found myself more drawn to Carl Jung than the book of Corinthians.",
            True,
            id="no writing, no Myth of Certainty",
        ),
        pytest.param(
            "Who scored Southampton's penalty equalizer against Chelsea?",
            "Everton won 3-0 over Newcastle, who had Coloccini sent off for a foul on Lennon.",
            True,
            id="another match",
        ),
        pytest.param(
            "Who wrote the book The Myth of Certainty?",
            "A friend gave me The Myth of Certainty by Daniel Taylor.",
            False,
            id="the object named",
        ),
        pytest.param(
            "Who killed Chris Kyle?",
            "Eddie Ray Routh shot them dead at a gun range in 2013.",
            False,
            id="the act in a word of its side ('dead')",
        ),
        pytest.param(
            "Who fired them?", "Commissioners abused their offices.", False,
            id="an object naming nothing is not judged",
        ),
        pytest.param(
            "In what year did Schumer defeat Alfonse D'Amato to win his Senate seat?",
            "He ran the Democratic Senatorial Campaign Committee when it took the majority "
            "in 2006.",
            True,
            id="when: another event's year",
        ),
        pytest.param(
            "When did the Normans conquer England?",
            "The Norman conquest of England took place in 1066.",
            False,
            id="when: the object named, the act in another word",
        ),
    ],
)  # fmt: skip
def test_a_sentence_saying_neither_the_act_nor_its_object(
    question: str, sentence: str, neither: bool
) -> None:
    assert neither_act_nor_object(question, sentence) is neither
