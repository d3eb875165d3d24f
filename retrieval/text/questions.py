"""What kind of answer a question asks for (a number, a date, a name)."""

from __future__ import annotations

import re

from retrieval.text.terms import WEEKDAYS, alternation, month_names

QUESTION_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w'’-]+")
"""A capitalised word of a question that does not open a sentence: a name it asks about."""

_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                     r"(?:thir|four|fif|six|seven|eigh|nine)teen|"
                     r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                     r"hundred|thousand|million|billion|dozen)\b",
                     re.IGNORECASE)  # fmt: skip
_NUMBER_WORD = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
    r"thirty|forty|fifty|hundred|thousand|million|billion|dozen)"
)
_UNIT = (
    r"(?:ft|feet|foot|m|metres?|meters?|km|kilometres?|kilometers?|miles?|mi|inch(?:es)?|"
    r"cm|mm|yards?|kg|kilograms?|grams?|g|pounds?|lbs?|tons?|tonnes?|acres?|hectares?|ha|"
    r"storeys?|stories|floors?|knots|mph|km/h|percent|per cent|%|degrees?|°)"
)
# A size, height, distance or weight: a number with its unit ("617 ft", "42 floors").
MEASURE = re.compile(
    rf"\b{_NUMBER_WORD}\s*-?\s*(?:(?:square|sq|cubic|metric)\s+)?{_UNIT}(?!\w)", re.IGNORECASE
)
_MONTH = rf"({month_names()})"
#: A date or a time of year: a year, a month, a weekday, "century", "today", "spring"; "year"
#: as a time ("that year", "a year later"), not an age ("a 15-year-old boy").
DATE = re.compile(
    rf"\b(1\d{{3}}|20\d{{2}}|{_MONTH}|{alternation(WEEKDAYS)}|"
    r"century|decade|(?<!-)years?(?![- ]old)|today|yesterday|tomorrow|spring|summer|"
    r"autumn|winter|weekend)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]+")  # a capitalised word, not the first
#: A place in an order: an ordinal ("seventh", "2nd"), "top", "No. 1", or a superlative
#: ("most abundant", "the largest").
RANK = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|\d+(?:st|nd|rd|th)|top|last|bottom|no\.\s*\d+|number (?:one|\d+)|"
    r"most|least|(?!(?:west|rest|test|chest|nest|vest|forest|arrest|harvest|suggest|honest|modest|guest|invest|manifest|interest|contest|protest|request)\b)\w{2,}est)\b",
    re.IGNORECASE,
)


# A length of time ("three years", "18 months"), or a start ("since 2009").
_DURATION = re.compile(
    rf"\b{_NUMBER_WORD}\s*-?\s*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|"
    r"decades?|centuries)\b|\bsince\b|\b(?:a|an) (?:year|month|week|day|hour|decade|century)\b",
    re.IGNORECASE,
)
# "How long …?": a length of time or of something ("2 miles").
_LENGTH = re.compile(f"{_DURATION.pattern}|{MEASURE.pattern}", re.IGNORECASE)

#: Question wordings and the kind of answer each asks for, first match wins.
_ASKS = (
    (re.compile(r"\bhow (tall|high|wide|deep|heavy|far)\b"), MEASURE),
    (re.compile(r"\bhow long\b"), _LENGTH),
    (
        re.compile(
            r"\bhow (many|much|old|often|fast|big|large)\b"
            r"|\bwhat (number|percentage|proportion|share|fraction)\b"
        ),
        _NUMBER,
    ),
    # "When" as the question word (first, or last: "… is to be built when?"), not
    # as a conjunction ("Where was Shirley going to be when Fort Oswego was
    # attacked?" asks for a place).
    (
        re.compile(
            r"^\s*(?:and |but |so )?(?:(?:until|till|since|by|from) )?when\b|\bwhen\s*\?\s*$"
            r"|\b(what|which) (year|date|century)\b"
            r"|^\s*what(?:'s| is| was| will be)? (?:the )?deadline\b"
        ),
        DATE,
    ),
    # "Where does Victoria rank …?" asks for a place in an order, not a place.
    (re.compile(r"^\s*(?:where|what (?:rank|position))\b.*\brank(?:s|ed|ing)?\b"), RANK),
    (
        re.compile(
            r"^\s*(who|whom|whose|where)\b"
            r"|\b(in )?(which|what) (country|city|state|region|nation|continent|town)\b"
        ),
        _NAME,
    ),
)


#: "Who is <Name>?": asks who or what that named one is, a description, not a name.
_WHO_IS_NAMED = re.compile(r"\s*(?i:who\s+(?:is|was|are|were))\s+[A-Z]")


def asks_for_a_name(question: str) -> bool:
    """Whether ``question`` asks for a name: "Who …?", "Where …?", "In which city …?"."""
    return expected_answer(question) is _NAME


def expected_answer(question: str) -> re.Pattern[str] | None:
    """A pattern the answer must match, from the question word, if any: a size with
    its unit for "How tall …?", a number, a date or time, or a name."""
    if _WHO_IS_NAMED.match(question):
        return None  # "Who is Moqtada Sadr?" asks what he is: "a populist scholar"
    lowered = question.lower()
    return next((kind for asked, kind in _ASKS if asked.search(lowered)), None)


def asks_for_a_date(question: str) -> bool:
    """Whether ``question`` asks when: "When …?", "What year …?", "On what date …?"."""
    return expected_answer(question) is DATE
