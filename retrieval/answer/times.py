"""Whether a located answer gives the time its question asks for: a day for "On what
date …?", a time of day for "What time …?", a length for "How long …?", a date in a
whole sentence for "When …?", not a past date for "When will …?", and no bare time
for "Where …?" or "Who …?". Refusals read by
:func:`retrieval.answer.located.refused`; the other kinds of answer are
:mod:`retrieval.answer.kinds`'.
"""

from __future__ import annotations

import re

from retrieval.grounding.attribution import said_in_the_past
from retrieval.text.english_model import EntityModelMissingError
from retrieval.text.questions import DATE, MEASURE, asks_for_a_date
from retrieval.text.terms import MONTHS, WEEKDAYS, alternation
from retrieval.types import Statement

_DATE_ASKED = re.compile(
    r"\b(?:what|which)(?:'s|’s| is| was| will be)?(?: the)?(?: exact| precise| specific)? "
    r"(?:date|day)\b",
    re.IGNORECASE,
)
# A day: its number ("28", "28th", "3/28"; not a year alone), a weekday, or a month.
_DAY = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\b|\d/\d|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|"
    r"\b(?:today|yesterday|tomorrow|"
    r"tonight|jan|feb|mar|apr|(?-i:May)|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)


def no_day_for_a_date(question: str, answer: str) -> bool:
    """Whether "On what date …?", "Which day …?" or "What's the exact date?" is answered by
    no day at all ("late summer", "2016")."""
    return bool(_DATE_ASKED.search(question)) and not _DAY.search(answer)


TIME_ASKED = re.compile(r"\b(?:what|which) time\b(?! (?:of (?:the )?year|period|frame|zone))", re.I)
# A time of day: "1:19 a.m.", "about 11 (a.m.)", "6pm", "noon", "late afternoon".
CLOCK = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*\(?\s*[ap]\.?\s?m\b\.?\)?|\b\d{1,2}:\d{2}\b|\bo'clock\b|"
    r"\b(?:noon|midday|midnight|morning|afternoon|evening|night|dawn|dusk)\b",
    re.IGNORECASE,
)


_HOW_LONG = re.compile(r"\bhow long\b", re.IGNORECASE)
_SPAN_OF_TIME = re.compile(
    r"\b(?:\d+(?:[.,]\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|a|an|several|few|many|hundreds|"
    r"thousands|millions|dozens)\b.*\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|"
    r"decades?|centur(?:y|ies))\b|\bsince\b",
    re.IGNORECASE,
)


def no_length_for_how_long(question: str, answer: str) -> bool:
    """Whether "How long …?" is answered by no length of time or of something: "long
    time" from "… has been laborious and taken a long time", not "about three weeks",
    "thousands of years" or "2 miles"."""
    return bool(_HOW_LONG.search(question)) and not (
        _SPAN_OF_TIME.search(answer) or MEASURE.search(answer)
    )


_PART_OF_DAY = re.compile(
    r"\b(?:morning|afternoon|evening|night|tonight|dawn|dusk)\b", re.IGNORECASE
)


def no_clock_for_a_time(question: str, answer: str) -> bool:
    """Whether "What time …?" is answered by no time of day ("Tuesday", not "about
    11 (a.m.)" or "late afternoon"), or only by a part of the day where the question
    gives one ("Friday evening" for "What time was he shot on Friday night?")."""
    if not TIME_ASKED.search(question):
        return False
    clocks = [m.group() for m in CLOCK.finditer(answer)]
    if not clocks:
        return True
    return bool(_PART_OF_DAY.search(question)) and all(_PART_OF_DAY.fullmatch(c) for c in clocks)


def no_date_in_a_whole_sentence(question: str, statement: Statement) -> bool:
    """Whether a whole sentence, given for "When …?" or "On what date …?" where the model's
    phrase was not found, holds no date at all ("Within 48 hours of his election night
    victory, Netanyahu rolled back …" for the date of the election), or, for "In what
    year …?", no year ("… a few years later, when Schumer took on -- and defeated --
    … Alfonse D'Amato")."""
    quote = statement.citations[0].quote
    if statement.text != quote or not asks_for_a_date(question):
        return False
    if _YEAR_ASKED.search(question):  # "a few years later" is no year
        return not _YEAR.search(quote)
    return not DATE.search(quote)


_YEAR_ASKED = re.compile(r"\b(?:what|which)\s+year\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:1\d{3}|20\d{2})s?\b")


_FUTURE = re.compile(
    r"\b(?:will|going to|next|upcoming|expected to|due to|scheduled to|set to|plans? to)\b",
    re.IGNORECASE,
)


def a_past_date_for_the_future(question: str, statement: Statement) -> bool:
    """Whether "When will …?" is answered by the date of something done in the past:
    "December" from "… where they fell one vote short … in December" for "When will
    the Palestinians make their next bid?"
    (:func:`~retrieval.grounding.attribution.said_in_the_past`)."""
    if not _FUTURE.search(question) or not asks_for_a_date(question):
        return False
    citation = statement.citations[0]
    try:
        return said_in_the_past(citation.quote, citation.answer_in_quote)
    except EntityModelMissingError:
        return False


_PLACE_OR_PERSON = re.compile(r"^\s*(?:where|who|whom)\b", re.IGNORECASE)
_TIME_ONLY = re.compile(
    r"(?:(?:on|in|at|by|since|until|early|late|last|next|this|that|the|of|and|,|"
    rf"{alternation(WEEKDAYS)}|morning|afternoon|evening|night|tonight|"
    r"today|yesterday|tomorrow|week|weekend|month|year|spring|summer|autumn|fall|winter|"
    rf"{alternation(MONTHS)}|\d{{1,4}}(?:st|nd|rd|th|s)?|a\.m\.|p\.m\.)\s*)+",
    re.IGNORECASE,
)


def a_time_for_a_place_or_person(question: str, answer: str) -> bool:
    """Whether "Where …?" or "Who …?" is answered by a time alone ("Wednesday night")."""
    answer = answer.strip(" .")
    return bool(
        _PLACE_OR_PERSON.search(question)
        and _TIME_ONLY.fullmatch(answer)
        and _SURELY_TIME.search(answer)  # not "May" alone: a name too
    )


_SURELY_TIME = re.compile(r"day|morning|afternoon|evening|night|week|month|year|\d", re.I)
