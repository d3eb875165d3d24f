"""Where: the place the program finds for the asked action when the model's is refused,
on fake models that answer whatever the evidence's strength
(retrieval/answer/located.py: placed)."""

from __future__ import annotations

from retrieval.engine import Newsdesk
from tests.answer.conftest import asked


def test_a_refused_place_gives_way_to_the_place_the_sentence_gives(lenient_desk: Newsdesk) -> None:
    """A trial's question was declined: the model said the question's own "El Paso"."""
    story = (
        "Victor Solis told FBI agents in Dallas he drove his son to El Paso, dropped him off "
        "at a bus station and doesn't know where he is."
    )
    question = "Where did Victor Solis say he dropped off his son in El Paso?"
    assert asked(lenient_desk, story, "El Paso", question).text == "a bus station"
