"""How old: the age given beside the name asked about, on fake models that answer
whatever the evidence's strength; no year, no count of things, no span of time not
given as an age, no other person's age, no whole sentence giving none; each near miss
declined has a twin that must still be answered (retrieval/answer/ages.py)."""

from __future__ import annotations

import pytest

from retrieval.answer.ages import age_span
from retrieval.answer.kinds import no_amount_said
from retrieval.engine import Newsdesk
from tests.answer.conftest import asked


def test_how_old_is_not_answered_by_a_year(lenient_desk: Newsdesk) -> None:
    story = "Arthaud, who won the Route du Rhum race in 1990, died in the helicopter crash."
    assert asked(lenient_desk, story, "1990", "How old was Arthaud when she died?").declined
    aged = "Arthaud, 57, died in the helicopter crash in Argentina on Monday."
    answer = asked(lenient_desk, aged, "57", "How old was Arthaud when she died?")
    assert answer.text == "57"


def test_how_old_is_not_answered_by_a_span_of_time(lenient_desk: Newsdesk) -> None:
    """A trial's "How old was Pichette when he retired?" answered "nearly seven years"."""
    story = '"After nearly seven years as CFO," Pichette began, "I will be retiring."'
    question = "How old was Pichette when he retired?"
    assert asked(lenient_desk, story, "nearly seven years", question).declined
    aged = "Pichette, who retired this week, is 52 years old."
    assert asked(lenient_desk, aged, "52 years", question).text.startswith("52 years")


def test_a_refused_age_gives_way_to_the_age_another_shown_sentence_gives(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's "How old was Google CFO Patrick Pichette when he retired?" was declined:
    the model said "nearly seven years" (his time as CFO), and the story gives his age
    only as "retire, as in the case of Pichette, at 52"."""
    story = (
        '"After nearly seven years as CFO," Pichette began, "I will be retiring." '
        "Those we hold up as models, who retire, as in the case of Pichette, at 52, "
        "are they striking a balance?"
    )
    question = "How old was Google CFO Patrick Pichette when he retired?"
    clock = "Pichette left the meeting at 11 a.m. after nearly seven years as CFO."
    assert asked(lenient_desk, clock, "nearly seven years", question).declined
    assert asked(lenient_desk, story, "nearly seven years", question).text == "52"


def test_how_old_is_not_answered_by_a_count_of_things(lenient_desk: Newsdesk) -> None:
    """A trial's "over 200,000 individuals" (who signed a brief) for "How old is James
    Obergefell?"; its twin, an age in years, is still the answer."""
    story = (
        "The brief in support of James Obergefell was signed by over 200,000 individuals, "
        "the Human Rights Campaign said."
    )
    question = "How old is James Obergefell?"
    assert asked(lenient_desk, story, "over 200,000 individuals", question).declined
    tree = "The oak in the square is about 400 years old, the council said."
    answer = asked(lenient_desk, tree, "about 400 years old", "How old is the oak in the square?")
    assert answer.text == "about 400 years old"


def test_how_old_is_not_answered_by_the_age_of_someone_else_named(lenient_desk: Newsdesk) -> None:
    """A trial's near miss: the story gives the victim's age, never the accused's."""
    story = (
        "Henry Solis, a rookie LAPD officer, is accused of killing 23-year-old Salome "
        "Rodriguez Jr. in Pomona."
    )
    question = "How old is Henry Solis, the LAPD rookie accused of murder?"
    assert asked(lenient_desk, story, "23 years old", question).declined
    victim = "How old was Salome Rodriguez Jr., the man killed in Pomona?"
    assert lenient_desk.ask(victim).text == "23-year-old"


@pytest.mark.parametrize(
    ("story", "question", "age"),
    [
        pytest.param(
            "Brutus, a 2-year old Rottweiler, is walking again.",
            "How old is Brutus?",
            "2-year old",
            id="one word after the age",
        ),
        pytest.param(
            "He was later identified as Souleymane S, a 33-year-old Paris Metro commuter.",
            "How old is Souleymane S, the man pushed off the train?",
            "33-year-old",
            id="the name asked about just before",
        ),
    ],
)
def test_how_old_keeps_the_age_of_the_one_asked_about(
    lenient_desk: Newsdesk, story: str, question: str, age: str
) -> None:
    """The news set's answers that the check of another's age must keep."""
    assert asked(lenient_desk, story, age, question).text == age


@pytest.mark.parametrize(
    ("sentence", "question", "age"),
    [
        pytest.param(
            "A video emerged showing the 29-year-old pilot in a cage, being burned alive.",
            "How old was the Jordanian pilot burned alive by ISIS?",
            "29-year-old",
            id="the age on the noun the question describes",
        ),
        pytest.param(
            "The officer -- a 32-year-old with seven years' experience -- was shot.",
            "How old is the Webster Groves officer who was shot?",
            "32-year-old",
            id="the noun just before the age",
        ),
        pytest.param(
            "The 27-year-old guard was shot by the gunmen at the Bardo Museum.",
            "How old were the two gunmen who attacked the Bardo Museum?",
            None,
            id="the age of another noun",
        ),
    ],
)
def test_the_age_of_the_one_a_question_describes_by_a_noun(
    sentence: str, question: str, age: str | None
) -> None:
    """A trial's whole sentence for "How old was the Jordanian pilot …?": the question
    names its one by a noun, and the age set on that noun is the answer."""
    span = age_span(question, sentence)
    assert (None if span is None else sentence[span[0] : span[1]]) == age


def test_how_old_is_not_answered_by_a_whole_sentence_with_no_age() -> None:
    """A trial's near miss answered by the whole sentence after a second look found
    nothing: the story tells how Tamerlan died, never his age."""
    question = "How old was Tamerlan Tsarnaev when he was killed in the gunbattle with police?"
    story = (
        "Tsarnaev wrote he was jealous that his brother, Tamerlan, had achieved paradise; he "
        "was killed the night before during a gunbattle with police."
    )
    assert no_amount_said(question, story)
    assert not no_amount_said(question, "Tamerlan, 26, was killed during a gunbattle.")


def test_how_old_is_not_answered_by_a_whole_sentence_giving_no_age(lenient_desk: Newsdesk) -> None:
    """A trial's near miss: the kidney story never gives Zully Broussard's age, and the
    whole lead was quoted (its "six patients" counts others); the twin gives an age."""
    story = (
        "When Zully Broussard decided to give one of her kidneys to a stranger, her generosity "
        "paired up with big data, and six patients received transplants."
    )
    question = "How old is kidney donor Zully Broussard?"
    assert asked(lenient_desk, story, "She is a generous donor", question).declined
    dog = "Brutus, a 2-year old Rottweiler, is walking again thanks to prosthetic legs."
    answer = asked(lenient_desk, dog, "He is walking again", "How old is Brutus the Rottweiler?")
    assert not answer.declined


def test_how_old_is_not_answered_by_years_of_service(lenient_desk: Newsdesk) -> None:
    """A trial's near miss "How old is Officer Matt Kenny …?" answered "12-year department
    veteran": the story gives his years in the force, not his age."""
    story = "The officer, 12-year department veteran Matt Kenny, had used deadly force before."
    question = "How old is Officer Matt Kenny?"
    assert asked(lenient_desk, story, "12-year department veteran", question).declined
    aged = "The officer, 45-year-old Matt Kenny, had used deadly force before."
    assert asked(lenient_desk, aged, "45-year-old", question).text == "45-year-old"


def test_how_old_is_not_the_age_of_another_the_question_names(lenient_desk: Newsdesk) -> None:
    """A trial's near miss "How old is Officer Matt Kenny, who shot Tony Robinson?" was
    answered "Nineteen-year-old", Robinson's age; the story never gives Kenny's."""
    story = "Nineteen-year-old Tony Robinson was not armed when Officer Matt Kenny shot him."
    question = "How old is Officer Matt Kenny, who shot Tony Robinson?"
    assert asked(lenient_desk, story, "Nineteen-year-old", question).declined
    twin = lenient_desk.ask("How old was Tony Robinson when he was shot?")
    assert twin.text == "Nineteen-year-old"
