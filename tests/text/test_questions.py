"""The kind of answer a question asks for."""

from __future__ import annotations

import pytest

from retrieval.text.questions import expected_answer


def holds_answer(question: str, text: str) -> bool:
    pattern = expected_answer(question)
    assert pattern is not None
    return bool(pattern.search(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It has a height of 617 ft (188 m).", True),
        ("The tower rises 188 metres above the river.", True),
        ("The tower was constructed in 1990 as the Barnett Center.", False),
        ("The tower has 42 floors.", True),
    ],
)
def test_a_how_tall_question_wants_a_size_with_its_unit(text: str, expected: bool) -> None:
    assert holds_answer("How tall is the Bank of America Tower?", text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Berkin Elvan, a 15-year-old boy, was injured during the protests.", False),
        ("The boy was 15 years old.", False),
        ("The protests broke out two years ago.", True),
        ("The protests began in June 2013.", True),
        ("The protests began last summer.", True),
    ],
)
def test_an_age_is_not_a_time(text: str, expected: bool) -> None:
    assert holds_answer("When were the Gezi Park protests?", text) is expected


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("Where was Shirley going to be when Fort Oswego was attacked?", "at Fort Niagara", True),
        ("Where was Shirley going to be when Fort Oswego was attacked?", "in 1756", False),
        ("What satellite was used when Sky digital was launched?", "Astra 2A", None),
        ("The building is scheduled to be built when?", "in 2017", True),
        ("And when did it open?", "in June", True),
        ("Until when will Fashion Police be off the air?", "until September", True),
        ("Until when will Fashion Police be off the air?", "after weeks of controversy", False),
        ("Since when has he been chief?", "since 2009", True),
        ("What is the deadline for finalizing the Iran nuclear deal?", "by June 30", True),
        ("What's the deadline for the deal?", "to submit any deal to Congress", False),
        ("What happens if the deadline is missed?", "sanctions return", None),
    ],
)
def test_when_as_a_conjunction_does_not_ask_for_a_date(
    question: str, text: str, expected: bool | None
) -> None:
    pattern = expected_answer(question)
    if expected is None:
        assert pattern is None  # a "what" question: any kind of answer
    else:
        assert pattern is not None and bool(pattern.search(text)) is expected


def test_who_is_a_named_one_asks_for_a_description_not_a_name() -> None:
    assert expected_answer("Who is Moqtada Sadr?") is None  # "a populist scholar"
    assert holds_answer("Who was the hostage?", "The hostage was Prince Wonjong.")
    assert not holds_answer("Who was the hostage?", "the hostage was a prince.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The president is elected for three years.", True),
        ("He has worked at the agency since 2009.", True),
        ("Olive Avenue runs 2 miles east of the park.", True),
        ("The president is elected by the judges.", False),
        ("Robin Paul sent the email on December 18.", False),
    ],
)
def test_how_long_wants_a_length_of_time_or_of_something(text: str, expected: bool) -> None:
    assert holds_answer("How long has Robin Paul worked at the agency?", text) is expected


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        # "Where … rank" asks for a place in an order, which a place name is not.
        ("Where did Britain rank globally for military spending in 2013?", "seventh", True),
        ("Where did Britain rank globally for military spending in 2013?", "London", False),
        ("Where is Brazil ranked globally in soybean production?", "the 2nd", True),
        ("Where does oxygen rank by mass in the biosphere?", "the most abundant", True),
        ("Where does Victoria rank in Australia?", "the largest economy", True),
        ("Where does Victoria rank in Australia?", "the forest", False),
        # Still places: "take place", "come from".
        ("Where do plenary meetings take place?", "the Debating Chamber", True),
        ("Where do plenary meetings take place?", "seventh", False),
    ],
)
def test_where_does_it_rank_asks_for_a_place_in_an_order(
    question: str, text: str, expected: bool
) -> None:
    assert holds_answer(question, text) is expected
