"""What answers "How old …?": the age a sentence gives beside the name asked about,
and the answers that are no such age (a year, a span of time not given as an age,
another person's age). The finding is :func:`age_span`'s; the refusals are read by
:func:`retrieval.answer.located.refused`.
"""

from __future__ import annotations

import re

from retrieval.text.questions import QUESTION_NAME
from retrieval.types import Statement

HOW_OLD = re.compile(r"\bhow old\b", re.IGNORECASE)
BARE_YEAR = re.compile(r"\W*(?:in |the )?(?:1[0-9]{3}|20[0-9]{2})s?\W*", re.IGNORECASE)


def year_for_an_age(question: str, answer: str) -> bool:
    """Whether "How old …?" is answered by a year ("1990"), not an age."""
    return bool(HOW_OLD.search(question) and BARE_YEAR.fullmatch(answer))


# A number counting something else than time: "over 200,000 individuals".
_COUNT_OF_THINGS = re.compile(
    r"\d[\d,.]*\s+(?!(?:years?|yrs?|months?|weeks?|days?|hours?|decades?|centuries|"
    r"century|old|of|and|or|to|and|when|in|at|on|as|now|this|last)\b)[a-z]{3,}\b",
    re.IGNORECASE,
)


def a_count_for_an_age(question: str, answer: str) -> bool:
    """Whether "How old …?" is answered by a count of things: "over 200,000 individuals"
    (the people who signed a brief) for "How old is James Obergefell?"; not "55",
    "23-year-old", "52 years" or "about 4,000 years old"."""
    return bool(HOW_OLD.search(question) and _COUNT_OF_THINGS.search(answer))


_DURATION_END = re.compile(r"\b(?:years?|months?|weeks?|days?|decades?)\W*$", re.IGNORECASE)
_AGE_AFTER = re.compile(r"[\s-]*(?:old|of age)\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged?|at)\s+$", re.IGNORECASE)


# "12-year department veteran", "a 10-year sentence": years of something, not of age.
_TENURE = re.compile(r"\b\d{1,3}-year(?![- ]old)\b(?!-)", re.IGNORECASE)


def a_span_of_time_for_an_age(question: str, statement: Statement) -> bool:
    """Whether "How old …?" is answered by a span of time the sentence does not give as
    an age ("nearly seven years" from "After nearly seven years as CFO …", "12-year
    department veteran"; not "52 years" from "52 years old" or "aged 52 years", nor
    "2-year old")."""
    if not HOW_OLD.search(question):
        return False
    if _TENURE.search(statement.text):
        return True
    if not _DURATION_END.search(statement.text):
        return False
    citation = statement.citations[0]
    span = citation.answer_in_quote
    if span is None:
        return False
    quote = citation.quote
    return not (_AGE_AFTER.match(quote, span[1]) or _AGE_BEFORE.search(quote[: span[0]]))


# The capitalised words right after an age, up to the noun they name: "Salome Rodriguez"
# in "… killing 23-year-old Salome Rodriguez Jr.", "Webster Groves" in "a 32-year-old
# Webster Groves officer".
_NAMED_AFTER = re.compile(r"\s+((?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’.-]*)")
# "Brutus, a ": the name an age stands in apposition to.
_APPOSITIVE_BEFORE = re.compile(r"((?:[A-Z][\w'’.-]*\s+)*[A-Z][\w'’.-]*),\s+(?:an?\s+|the\s+)?$")


# "How old is Nemtsov's daughter Zhanna Nemtsova?": a possessor and its noun come first.
_POSSESSOR = re.compile(r"^[A-Z][\w.-]*['’]s\s+(?:[a-z]+\s+)*")
_NAME_RUN = re.compile(r"(?:[a-z]+\s+)*((?:[A-Z][\w.'’-]*\s*)+)")
_ASKED = re.compile(r"\bhow old (?:is|was|are|were)\s+(.*)", re.IGNORECASE)


def asked_name(question: str) -> str | None:
    """The name "How old is/was <name> …?" asks about, as the question writes it:
    "Zhanna Nemtsova" of "How old is Nemtsov's daughter Zhanna Nemtsova?", "Officer
    Matt Kenny" of "How old is Officer Matt Kenny, who shot Tony Robinson?"; None when
    no name follows ("How old is the officer …?")."""
    asked = _ASKED.search(question)
    if asked is None:
        return None
    run = _NAME_RUN.match(_POSSESSOR.sub("", asked.group(1)))
    return run.group(1).strip(" ,") if run else None


def an_age_of_another(question: str, statement: Statement) -> bool:
    """Whether "How old …?" is answered by the age of someone the question does not name:
    "23-year-old" from "Solis is accused of killing 23-year-old Salome Rodriguez Jr."
    for "How old is Henry Solis?" (the age stands before another's full name). Not
    "52" from "… speaking to 52-year-old Wright Johnstone" for "How old is Wright?",
    nor "Brutus, a 2-year old Rottweiler" (one word after the age, and the name
    asked about just before it)."""
    if not HOW_OLD.search(question):
        return False
    citation = statement.citations[0]
    span = citation.answer_in_quote
    if span is None:
        return False
    named = _NAMED_AFTER.match(citation.quote, span[1])
    if named is None:
        return False
    # the one asked about, not another the question names ("… who shot Tony Robinson?")
    asked = set(re.findall(r"[A-Z][\w'’-]*", asked_name(question) or question))
    appositive = _APPOSITIVE_BEFORE.search(citation.quote[: span[0]])
    if appositive is not None and asked & set(re.findall(r"[A-Z][\w'’-]*", appositive.group(1))):
        return False  # "Souleymane S, a 33-year-old Parisian": the one asked about
    words = re.findall(r"[A-Z][\w'’-]*", named.group(1))
    return not asked & set(words)


_UNITS = "one|two|three|four|five|six|seven|eight|nine"
AGE_IN_WORDS = (
    rf"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:{_UNITS}))?|"
    rf"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|{_UNITS})"
)
# An age as news gives it: "Nemtsov, 55,", "a 33-year-old", "Nineteen-year-old", "aged
# 27", "Smith (41)", "retired at 52".
_AGE = re.compile(
    r"(?<=, )\d{1,3}(?=,)|\b\d{1,3}-year-old\b|(?<=\baged )\d{1,3}\b|(?<=\()\d{1,3}(?=\))"
    rf"|\b\d{{1,3}} years old\b|\b(?i:{AGE_IN_WORDS})-year-old\b"
    # "retire, as in the case of Pichette, at 52": not a clock, a decimal or a speed
    r"|(?<=\bat )\d{2}\b(?![:.]\d|\s*(?:[ap]\.?m\b|%|per\b|mph|km|miles|feet|degrees|points))"
)
_AGE_NEAR = 40  # how many characters before an age the question's name may stand
_NAME_AFTER = re.compile(r"\s+(?:[A-Z][\w'’.-]*\s+){0,2}[A-Z][\w'’.-]*")


def age_span(question: str, sentence: str) -> tuple[int, int] | None:
    """For "How old …?", the age ``sentence`` gives right after a name of the question
    (within :data:`_AGE_NEAR` characters) or just before it ("Nineteen-year-old Tony
    Robinson"), or its only age when the question names no one; else None. An age
    set on the noun the question describes its one by counts too: "the 29-year-old
    pilot" for "How old was the Jordanian pilot burned alive?", "The officer -- a
    32-year-old" for "How old is the Webster Groves officer who was shot?"."""
    if not HOW_OLD.search(question):
        return None
    ages = list(_AGE.finditer(sentence))
    names = QUESTION_NAME.findall(question)
    if not names:
        return ages[0].span() if len(ages) == 1 else None
    described = _described(question)
    for age in ages:
        before = sentence[max(0, age.start() - _AGE_NEAR) : age.start()]
        after = _NAME_AFTER.match(sentence, age.end())
        if any(name in before or (after and name in after.group()) for name in names):
            return age.span()
        noun_after = _WORD_AFTER.match(sentence, age.end())
        near = _WORD.findall(before.lower())[-3:] + ([noun_after.group(1)] if noun_after else [])
        if described and described in near:
            return age.span()
    return None


_WORD = re.compile(r"[a-z]+")
_WORD_AFTER = re.compile(r"\s+([a-z]+)\b")
# "How old is the Webster Groves officer who …?": the noun the question's one is, the
# last lower-case word before "who", a verb's participle, or the question's end.
_DESCRIBED = re.compile(
    r"\bhow old (?:is|was|are|were|will)\s+(?:the|this|that)\s+"
    r"(?:[\w'’-]+\s+){0,4}?([a-z]+)(?=\s+(?:who|that|whom|[a-z]+(?:ed|ing)\b)|\W*$)",
    re.IGNORECASE,
)


def _described(question: str) -> str | None:
    """The noun a "How old is the <description> …?" question names its one by: "pilot" of
    "How old was the Jordanian pilot burned alive by ISIS?"; None for a question naming
    its one otherwise ("How old is Zayn Malik?")."""
    match = _DESCRIBED.search(question)
    return match.group(1).lower() if match else None


_AGED = re.compile(r"\b\d{1,3}[- ]years?[- ]old\b|\baged\b|\bage of\b", re.IGNORECASE)


def no_age_in_a_whole_sentence(question: str, statement: Statement) -> bool:
    """Whether "How old …?" is answered by a whole sentence that gives no age: "… when
    Zully Broussard selflessly decided to give one of her kidneys to a stranger … It
    resulted in six patients receiving transplants." (a count of others is no age);
    not "Brutus, a 2-year old Rottweiler, is walking again"."""
    citation = statement.citations[0]
    if not HOW_OLD.search(question) or statement.text != citation.quote:
        return False
    return not (_AGE.search(citation.quote) or _AGED.search(citation.quote))
