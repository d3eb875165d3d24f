"""The age a whole story gives the person "How old is <name>?" names, found by the
program (retrieval/answer/person_age.py), on real news stories of the evaluation set:
beside the name anywhere in the story, or standing for the story's main person ("At
64, he …", "the 22-year-old said"), never for another person."""

from __future__ import annotations

import pytest

from retrieval.answer.person_age import age_in_story, asked_person
from retrieval.types import Paragraph
from tests.conftest import EVAL

NEWS = EVAL / "news" / "articles"


def story(prefix: str) -> list[Paragraph]:
    """The paragraphs (blank-line separated) of the news story whose file starts so."""
    text = next(NEWS.glob(f"{prefix}*.txt")).read_text(encoding="utf-8")
    blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
    return [Paragraph(i + 1, 1, i, block, 0, len(block), "story") for i, block in enumerate(blocks)]


def said_age(question: str, paragraphs: list[Paragraph]) -> str | None:
    found = age_in_story(question, paragraphs)
    return None if found is None else found.paragraph.text[found.age[0] : found.age[1]]


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("How old is Nemtsov's daughter Zhanna Nemtsova?", "Nemtsova"),
        ("How old was Google CFO Patrick Pichette when he retired?", "Pichette"),
        ("How old is Zayn Malik, who just left One Direction?", "Malik"),
        ("How old is the officer who was shot?", None),
        ("How many people were injured?", None),
    ],
)
def test_the_person_asked_about_is_the_name_after_how_old(
    question: str, person: str | None
) -> None:
    assert asked_person(question) == person


def test_an_age_beside_the_name_far_down_the_story_is_found() -> None:
    """The story gives the father's age first ("Nemtsov, 55,"); the daughter's is hers."""
    nemtsov = story("2f9a8fb6")
    assert said_age("How old is Nemtsov's daughter Zhanna Nemtsova?", nemtsov) == "30"
    assert said_age("How old was Boris Nemtsov when he was shot?", nemtsov) == "55"


def test_an_age_standing_for_the_main_person_is_theirs_and_no_one_elses() -> None:
    """ "At 64, he maintains a habit of biking …" follows the sentence naming Schumer in
    a story about him; Harry Reid, whose retirement opens it, is given no age."""
    schumer = story("982f05b0")
    assert said_age("How old is Chuck Schumer?", schumer) == "64"
    assert said_age("How old is Harry Reid, who won't seek re-election?", schumer) is None


def test_the_22_year_old_who_said_it_is_the_singer_the_story_is_about() -> None:
    assert said_age("How old is Zayn Malik?", story("7fc7a81f")) == "22-year-old"


def test_two_ages_standing_for_people_are_too_uncertain_to_give() -> None:
    text = (
        "Jane Doe left the band on Monday. The 22-year-old said she was tired. "
        "Jane Doe thanked her fans. Her manager Bob Roe agreed; the 41-year-old said so."
    )
    paragraphs = [Paragraph(1, 1, 0, text, 0, len(text), "Band")]
    assert said_age("How old is Jane Doe?", paragraphs) is None


def test_a_story_not_naming_the_person_gives_no_age() -> None:
    assert said_age("How old is Kim Jong Un?", story("982f05b0")) is None


def test_the_age_of_another_person_the_question_names_is_not_theirs() -> None:
    """A trial's near miss "How old is Officer Matt Kenny, who shot Tony Robinson?" was
    answered "Nineteen-year-old": the sentence naming Kenny gives Robinson's age."""
    text = (
        "Nineteen-year-old Tony Robinson was not armed when Officer Matt Kenny fatally shot "
        "him, police said. Kenny has been placed on leave."
    )
    paragraphs = [Paragraph(1, 1, 0, text, 0, len(text), "Madison")]
    assert said_age("How old is Officer Matt Kenny, who shot Tony Robinson?", paragraphs) is None
    assert said_age("How old was Tony Robinson?", paragraphs) == "Nineteen-year-old"
