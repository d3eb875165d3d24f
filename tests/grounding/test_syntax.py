"""Who did the asked action, read from the sentence's words and parse
(retrieval/grounding/syntax.py)."""

from __future__ import annotations

import pytest

from retrieval.grounding.roles import another_doer, neither_act_nor_object


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
            "Who at USC said he was disturbed by the report that Taraji P. Henson's son had "
            "been profiled?",
            "Even the University of Southern California stepped in, with its public safety "
            "director, John Thomas, saying he was disturbed by the report of the profiling.",
            False,
            id="'Who at USC …': a preposition is no verb",
        ),
        pytest.param(
            "Who wrote the report on USC?",
            "The University of Southern California said it would look into the matter.",
            False,
            id="an acronym's name spelled out",
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


SAMPLES = (
    "In the laboratory, biostratigraphers analyze rock samples from outcrop and drill cores "
    "for the fossils found in them."
)


@pytest.mark.parametrize(
    ("question", "sentence", "answer", "another"),
    [
        pytest.param(
            "What do geochronologists analyze fossils from drill cores for?", SAMPLES,
            "biostratigraphers", True, id="SQuAD's swapped subject",
        ),
        pytest.param(
            "What do biostratigraphers analyze rock samples for?", SAMPLES,
            "the fossils found in them", False, id="the question's own subject",
        ),
        pytest.param(
            "Which organization is challenging the law?",
            "The American Civil Liberties Union is challenging the law.",
            "American Civil Liberties Union", False, id="a question asking for the subject",
        ),
        pytest.param(
            "Where have some workers made more than $100,000?",
            "Some construction workers in the US/Canada have made more than $100,000.",
            "US/Canada", False, id="a word inside the subject's phrase",
        ),
    ],
)  # fmt: skip
def test_the_doer_of_the_action_where_the_question_names_another(
    question: str, sentence: str, answer: str, another: bool
) -> None:
    start = sentence.index(answer)
    assert another_doer(question, sentence, (start, start + len(answer))) is another


def test_the_object_s_first_name_counts_and_a_possessor_only_places_it() -> None:
    """ "Who plays Nancy, the guidance counselor, in Fear The Walking Dead?" was refused
    from "… Kim Dickens is set to co-star as Nancy …": the object's first word was read
    as the question's first word and dropped, leaving the series' name, which the
    sentence lacks. "Portugal's" only says which Socialist party is asked about."""
    dickens = (
        '"Sons of Anarchy\'s" Kim Dickens is set to co-star as Nancy, a guidance counselor '
        "who works at the school with Sean."
    )
    question = "Who plays Nancy, the guidance counselor, in Fear The Walking Dead?"
    assert not neither_act_nor_object(question, dickens)
    communists = "Portugal's Communist Party said it would back a left-wing government."
    assert neither_act_nor_object("Who leads Portugal's Socialist party?", communists)
