"""The name an evidence sentence gives for the one a question describes
(retrieval/grounding/naming.py)."""

from __future__ import annotations

import pytest

from retrieval.grounding.naming import apposed_name_span, cast_span, identity_span
from retrieval.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("question", "sentence", "who"),
    [
        pytest.param(
            "Who is the only person arrested in the killing of Avijit Roy?",
            "The only person arrested in the killing of Roy, the U.S. blogger, is Farabi "
            "Shafiur Rahman, who had called for his death in Facebook posts.",
            "Farabi Shafiur Rahman",
            id="the description first",
        ),
        pytest.param(
            "Who is the new coach of the team?",
            "Dave Bowman is the new coach of the team, the club said.",
            "Dave Bowman",
            id="the name first",
        ),
        pytest.param(
            "Who is the new coach of the team?", "The team is based in Dundee.", None,
            id="no one said to be it",
        ),
        pytest.param("Who is Dave Bowman?", "Dave Bowman is the new coach.", None,
                     id="a name asked about, not for"),
        pytest.param(
            "Who is the chairman of Nigeria's electoral commission?",
            "The count will resume, according to a tweet from Attahiru Jega, the chairman "
            "of the electoral commission.",
            "Attahiru Jega",
            id="the name, then its description in apposition",
        ),
        pytest.param(
            "Who is the police chief at LAX?",
            "The police chief of Los Angeles International Airport, Patrick Gannon, said the "
            "staff were checked.",
            "Patrick Gannon",
            id="the description, then the name in apposition",
        ),
        pytest.param(
            "Who is the chairman of Nigeria's electoral commission?",
            "Goodluck Jonathan, the president, met the electoral commission.",
            None,
            id="a name in apposition to another description",
        ),
        pytest.param(
            "Who was the British explorer chartered the St. John's River?",
            "In 1564, René Goulaine de Laudonnière established the first European "
            "settlement, Fort Caroline, on the St. Johns near the main village of the Saturiwa.",
            None,
            id="a description sharing the question's words but not its noun",
        ),
        pytest.param(
            "Who is the police chief of Miami International Airport?",
            "Patrick Gannon, police chief of Los Angeles International Airport, said the "
            "staff were checked.",
            None,
            id="another place's police chief",
        ),
        pytest.param(
            "Who is the police chief at LAX?",
            "Patrick Gannon, police chief of Los Angeles International Airport, said the "
            "staff were checked.",
            "Patrick Gannon",
            id="an acronym the description spells out otherwise",
        ),
        pytest.param(
            "Who is Ferguson's mayor?",
            "Ferguson Mayor James Knowles said the city would review its police.",
            "James Knowles",
            id="the role as a title before the name",
        ),
        pytest.param(
            "Who is the Glendale police chief who looked into the stop of Henson's son?",
            "Glendale Police Chief Robert Castro said the officer acted properly.",
            "Robert Castro",
            id="a title of two words",
        ),
        pytest.param(
            "Who is Ferguson's mayor?",
            "St. Louis Mayor Francis Slay said the city would help Ferguson.",
            None,
            id="the title of another place",
        ),
        pytest.param(
            "Who is the parent company of NDS?",
            "In November 2014 its holding company British Sky Broadcasting Group plc changed "
            "its name to Sky plc.",
            None,
            id="another kind of company before a name",
        ),
        pytest.param(
            "Who is the director of the dairy college in France that refused the North Koreans?",
            '"Such a partnership does not fit into our priorities," its director Veronique '
            "Drouet told AFP.",
            "Veronique Drouet",
            id="a role in lower case before the name",
        ),
    ],
)  # fmt: skip
def test_the_one_a_sentence_says_is_the_described_person(
    question: str, sentence: str, who: str | None
) -> None:
    found = identity_span(question, sentence)
    assert (None if found is None else sentence[found[0] : found[1]]) == who


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "What is the name of the UK's nuclear missile submarine fleet?",
            "Labour could slacken its commitment to Trident, the UK's nuclear missile "
            "submarine fleet.",
            "Trident",
        ),
        (
            "Which book by American academic Wendy Doniger did Penguin India withdraw?",
            'Penguin India withdrew "The Hindus: An Alternative History," a book by American '
            "academic Wendy Doniger.",
            "The Hindus: An Alternative History",
        ),
        # SQuAD: the description says nothing of the question but its noun.
        (
            "What was the name of Bohemond's nephew?",
            "In 1418, Jean's nephew Maciot de Bethencourt sold the rights to the islands.",
            None,
        ),
        # SQuAD: the "name" is the question's own words.
        (
            "Of what form are Mersenne primes?",
            "Some primes not known to have any particular form (that is, no simple formula "
            "such as that of Mersenne primes) have been found.",
            None,
        ),
    ],
)
def test_the_name_set_beside_the_things_description(
    question: str, sentence: str, expected: str | None
) -> None:
    span = apposed_name_span(question, sentence)
    assert (span and sentence[span[0] : span[1]]) == expected


CAST = (
    '"Sons of Anarchy\'s" Kim Dickens is set to co-star as Nancy, a guidance counselor. '
    'Cliff Curtis ("Gang Related") stars as Sean Cabrera, a teacher. '
    'Frank Dillane ("Harry Potter") co-stars as Nancy\'s son Nick, who has battled a drug problem.'
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who plays Nancy, the guidance counselor, in Fear The Walking Dead?", "Kim Dickens"),
        ("Who plays the teacher Sean Cabrera in Fear The Walking Dead?", "Cliff Curtis"),
        ('Which character does Cliff Curtis play in "Fear The Walking Dead"?', "Sean Cabrera"),
        ("Who plays Ashley in Fear The Walking Dead?", None),
        ("Who directs Fear The Walking Dead?", None),
    ],
)
def test_the_actor_a_sentence_casts_in_the_part_asked(question: str, expected: str | None) -> None:
    """News of a series' cast: "<actor> stars as <part>"; "Nancy's son Nick" is no Nancy."""
    for sentence in split_sentences(CAST):
        found = cast_span(question, sentence)
        if found is not None:
            assert sentence[found[0] : found[1]] == expected
            return
    assert expected is None


def test_a_part_played_by_an_actor_names_the_actor() -> None:
    sentence = "Fabiana, played by Rosie Perez, and her son Diego play a pivotal part in the show."
    found = cast_span('Who plays the maid Fabiana in "Fish in the Dark"?', sentence)
    assert found is not None
    assert sentence[found[0] : found[1]] == "Rosie Perez"
