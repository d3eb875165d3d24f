"""Whether a located answer gives the time, date or length its question asks for, on
fake models that answer whatever the evidence's strength: a time of day, a day, an
exact date, a future date, a length, no bare time for "Where …?"; each near miss
declined has a twin that must still be answered (retrieval/answer/times.py); a day is
given with the time beside it (retrieval/answer/located.py)."""

from __future__ import annotations

import pytest

from retrieval.engine import Newsdesk
from tests.answer.conftest import asked


def test_a_date_asked_for_is_not_answered_by_a_season(lenient_desk: Newsdesk) -> None:
    story = "The series will premiere in late summer on AMC, the network said."
    question = "On what date does the series premiere on AMC?"
    assert asked(lenient_desk, story, "late summer", question).declined
    dated = "The drama will premiere on August 23 on AMC, the network said."
    question = "On what date does the drama premiere on AMC?"
    answer = asked(lenient_desk, dated, "August 23", question)
    assert not answer.declined and "August 23" in answer.text


def test_the_exact_date_is_not_answered_by_a_season_and_a_year(lenient_desk: Newsdesk) -> None:
    """A trial's near miss: "late summer with season two set for 2016" for the exact date."""
    story = "The series will premiere in late summer with season two set for 2016, AMC said."
    question = "When does the series premiere on AMC, what's the exact date?"
    reply = "late summer with season two set for 2016"
    assert asked(lenient_desk, story, reply, question).declined
    dated = "The drama will premiere on August 23, 2015 on AMC, the network said."
    question = "When does the drama premiere on AMC, what's the exact date?"
    assert "August 23" in asked(lenient_desk, dated, "August 23, 2015", question).text


def test_where_is_not_answered_by_a_time(lenient_desk: Newsdesk) -> None:
    story = "Two police officers were shot Wednesday night during a protest in Ferguson."
    question = "Where was one of the two officers shot during the protest from?"
    assert asked(lenient_desk, story, "Wednesday night", question).declined


def test_what_time_is_not_answered_by_a_day(lenient_desk: Newsdesk) -> None:
    """A trial's "Tuesday" for "What time did the Germanwings plane crash?"."""
    story = "The jet crashed on Tuesday in a remote valley of the Alps."
    assert asked(lenient_desk, story, "Tuesday", "What time did the jet crash?").declined
    assert lenient_desk.ask("What day did the jet crash?").text == "Tuesday"
    timed = asked(
        lenient_desk, "Witnesses said the plane crashed at about 11 a.m.", "about 11 a.m.",
        "What time did the plane crash?",
    )  # fmt: skip
    assert "11 a.m." in timed.text


def test_what_time_is_not_answered_by_the_part_of_the_day_the_question_gives(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's "What time was Tony Robinson shot on Friday night?" answered "Friday
    evening"; without a part of the day in the question, "late afternoon" answers."""
    story = "Robinson was shot on Friday evening in Madison, police said."
    question = "What time was Robinson shot on Friday night?"
    assert asked(lenient_desk, story, "Friday evening", question).declined
    answer = lenient_desk.ask("What time was Robinson shot on Friday?")
    assert "evening" in answer.text


def test_a_whole_sentence_with_no_date_does_not_answer_when(lenient_desk: Newsdesk) -> None:
    """A trial's near miss: the election's date asked, a sentence about the 48 hours after
    it given whole (the model's date was in no sentence)."""
    story = "Within 48 hours of his election night victory, Netanyahu rolled back his comments."
    question = "On what date was the election Netanyahu won?"
    reply = "The election was held on March 17, 2015 at noon"
    assert asked(lenient_desk, story, reply, question).declined
    dated = "Netanyahu won the election on March 17 and rolled back his comments."
    assert "March 17" in asked(lenient_desk, dated, "March 17", question).text


def test_a_whole_sentence_with_no_year_does_not_answer_what_year(lenient_desk: Newsdesk) -> None:
    """A trial's near miss: "a few years later" is no year; the twin's sentence gives one."""
    story = (
        "The higher profile served him well a few years later, when Schumer took on -- and "
        "defeated -- three-term incumbent Sen. Alfonse D'Amato."
    )
    question = "In what year did Schumer defeat Alfonse D'Amato to win his Senate seat?"
    reply = "1998"  # in no sentence shown: the whole sentence stands in for it
    assert asked(lenient_desk, story, reply, question).declined
    dated = "In 1998, Schumer took on -- and defeated -- three-term incumbent Alfonse D'Amato."
    assert "1998" in asked(lenient_desk, dated, "1998", question).text


def test_when_will_is_not_answered_by_the_date_of_something_past(lenient_desk: Newsdesk) -> None:
    """A trial's "December" for "When will the Palestinians make their next bid?": the
    story gives the month they fell short, not the next bid."""
    story = (
        "They may try again at the United Nations, where they fell one vote short of "
        "recognition in December."
    )
    question = "When will the Palestinians make their next bid at the United Nations?"
    assert asked(lenient_desk, story, "December", question).declined
    twin = "When did the Palestinians fall one vote short at the United Nations?"
    assert lenient_desk.ask(twin).text == "December"
    planned = asked(
        lenient_desk, "The council said the new bridge will open in March.", "March",
        "When will the new bridge open?",
    )  # fmt: skip
    assert planned.text == "March"


def test_how_long_is_not_answered_without_a_length(lenient_desk: Newsdesk) -> None:
    """A trial's "long time" for "How long did it take to match up this kidney chain?": the
    sentence gives a length ("two years") but not of what was asked."""
    story = "Matching people in a chain took a long time when the program began two years ago."
    question = "How long did it take to match the chain?"
    assert asked(lenient_desk, story, "long time", question).declined


def test_how_long_is_answered_by_a_length(lenient_desk: Newsdesk) -> None:
    story = "We matched this chain in about three weeks, Jacobs said."
    answer = asked(lenient_desk, story, "about three weeks", "How long did it take to match it?")
    assert answer.text == "about three weeks"


def test_how_long_is_answered_by_a_length_written_as_a_modifier(lenient_desk: Newsdesk) -> None:
    """A trial's "How long is The Walking Dead's season finale?": "90-minute"."""
    story = "The show's plotline found its way to a 90-minute season finale on Sunday night."
    answer = asked(lenient_desk, story, "90 minutes", "How long is the show's season finale?")
    assert not answer.declined
    assert "90-minute" in answer.text


@pytest.mark.parametrize(
    ("story", "reply", "question", "expected"),
    [
        pytest.param(
            "The interview airs at 8 p.m. ET March 28 on OWN.",
            "March 28",
            "When does the interview air?",
            "8 p.m. ET March 28",
            id="the time before the day",
        ),
        pytest.param(
            "The yellow warning for ice ends at 10:00 on Sunday.",
            "Sunday",
            "When does the ice warning end?",
            "10:00 on Sunday",
            id="the time before 'on'",
        ),
        pytest.param(
            "The council meets on Friday at 9 a.m. in the town hall.",
            "Friday",
            "When does the council meet?",
            "Friday at 9 a.m.",
            id="the time after 'at'",
        ),
        pytest.param(
            "The council met on Friday in the town hall at 9 a.m.",
            "Friday",
            "When did the council meet?",
            "Friday",
            id="a time not beside the day stays out",
        ),
    ],
)
def test_when_is_answered_with_the_time_of_day_beside_the_day(
    lenient_desk: Newsdesk, story: str, reply: str, question: str, expected: str
) -> None:
    answer = asked(lenient_desk, story, reply, question)
    assert answer.text == expected
    citation = answer.citations[0]
    assert citation.answer_in_quote is not None
    start, end = citation.answer_in_quote
    assert citation.quote[start:end] == expected
