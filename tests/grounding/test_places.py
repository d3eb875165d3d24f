"""Where a sentence says the asked action happened (retrieval/grounding/places.py)."""

from __future__ import annotations

import pytest

from retrieval.grounding.places import place_span

SOLIS = (
    "He told FBI agents he drove his son to El Paso, dropped him off at a bus station "
    "and doesn't know where he is."
)


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("Where did Victor Solis say he dropped off his son in El Paso?", SOLIS,
         "a bus station"),
        ("Where was the driver with the cardboard cutout pulled over?",
         "A state trooper pulled the driver over on Interstate 5 near Fife.",
         "Interstate 5 near Fife"),
        ("Where was the body found?", "The body was found outside Tacoma on Sunday.",
         "outside Tacoma"),
        # no place for the question's action: a date, the question's own place, another verb
        ("Where was the body found?", "The body was found on Sunday.", None),
        ("Where did Solis drop off his son in El Paso?", "He dropped him off in El Paso.", None),
        ("Where was the body found?", "Police held a news conference at the station.", None),
        ("Who found the body?", "The body was found outside Tacoma.", None),
    ],
)  # fmt: skip
def test_the_place_of_the_asked_action(question: str, sentence: str, expected: str | None) -> None:
    span = place_span(question, sentence)
    assert (span and sentence[span[0] : span[1]]) == expected
