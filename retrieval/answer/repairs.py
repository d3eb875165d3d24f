"""Repairs of a located answer to what its question asks, from the sentence it cites.

After the answer's words are found in an evidence sentence
(:func:`retrieval.answer.statements.statement_from_reply`), these grow or
replace them with words of the same sentence: the part a count is of, the
time and zone beside a day, a thing of the kind asked, both sides of
"between", the thing rather than its date, a quoted title, the amount given for
the thing asked; or drop a closing
phrase that only repeats the question. Each returns the statement unchanged
when it has nothing to repair. Whether the answer answers at all is
:mod:`retrieval.answer.located`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from retrieval.answer.times import CLOCK, TIME_ASKED
from retrieval.grounding.checks import adds_information
from retrieval.grounding.phrases import asked_kind, kind_span
from retrieval.grounding.prepositions import (
    both_sides,
    conjoined_with_the_given,
    every_one_listed,
    object_of_asked_preposition,
    object_of_stranded_preposition,
)
from retrieval.grounding.spans import word_root
from retrieval.text.english_model import EntityModelMissingError, entity_recognizer
from retrieval.text.questions import DATE
from retrieval.text.terms import claim_terms
from retrieval.types import Citation, Statement

_HOW_MANY = re.compile(r"\bhow many\b", re.IGNORECASE)
# The part before a whole it counts: "about 18 out of ", "two of the ".
_PART_OF = re.compile(
    r"(?:\b(?:about|around|some|nearly|almost|only|just|at least|more than|over)\s+)?"
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"\s+(?:out\s+)?of\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def with_the_part(question: str, statement: Statement) -> Statement:
    """For "How many …?", a located count that is the whole a part is counted out of,
    grown to the part: "about 18 out of approximately 300 access doors" where the model
    said "approximately 300 access doors" for "How many access doors has LAX closed?".
    ``statement`` as it is otherwise."""
    citation = statement.citations[0]
    span = citation.answer_in_quote
    if span is None or not _HOW_MANY.search(question):
        return statement
    part = _PART_OF.search(citation.quote[: span[0]])
    if part is None:
        return statement
    return _remarked(statement, (part.start(), span[1]), True)


# A phrase closing an answer: "of UCLA", "at the airport".
_TAIL = re.compile(r"\s+(?:of|at|from|in|for)\s+(?:the\s+)?[\w'’.-]+(?:\s+[\w'’.-]+){0,3}$")


_FULL_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)+")  # "Gene Block"


def without_the_asked_tail(question: str, statement: Statement) -> Statement:
    """A located person's or thing's full name without a closing phrase that only repeats
    the question: "Gene Block" for "Who is the chancellor of UCLA?", where the answer
    read "Gene Block of UCLA". ``statement`` as it is otherwise: when what is left is
    no name of two words or more ("King of the Canary Islands", "thousands of years",
    "Maud of Scotland" are each one phrase) or adds nothing."""
    citation = statement.citations[0]
    span = citation.answer_in_quote
    tail = _TAIL.search(statement.text)
    if span is None or tail is None or not claim_terms(tail.group()) <= claim_terms(question):
        return statement
    kept = statement.text[: tail.start()]
    if not _FULL_NAME.fullmatch(kept) or not adds_information(kept, question):
        return statement  # "King of the Canary Islands", "thousands of years": one phrase
    return _remarked(statement, (span[0], span[0] + len(kept)), statement.repaired)


_WHY = re.compile(r"^\s*why\b", re.IGNORECASE)
_POSSESSIVE_BEFORE = re.compile(r"\b(?:his|her|their|its|our|my)\s+$", re.IGNORECASE)
# A reason's noun and what it is of or from: "extreme damage from frostbite", "his
# grandfather's unhappy experience in colonial-era Kenya"; up to a comma or a clause.
_CAUSE_AFTER = re.compile(
    r"\s+(?:from|of|in|over|with|caused by|due to)\s+(?:[\w'’-]+\s+){0,5}?[\w'’-]+"
    r"(?=\s*(?:[,.;:!?)\"”]|$|\s+(?:and|but|that|which|who|when|while|after|before)\b))"
)
_CAUSE_WORDS = 8  # no more words than this are added


def with_the_cause(question: str, statement: Statement) -> Statement:
    """For "Why …?", a located noun phrase with the words the sentence gives it as a
    reason: its possessive before ("his time slot") and what it is from or of, up
    to the clause's end ("extreme damage from frostbite", "his grandfather's unhappy
    experience in colonial-era Kenya"). ``statement`` as it is otherwise, and for a
    whole sentence."""
    citation = statement.citations[0]
    span = citation.answer_in_quote
    if span is None or not _WHY.match(question) or statement.text == citation.quote:
        return statement
    start, end = span
    before = _POSSESSIVE_BEFORE.search(citation.quote[:start])
    after = _CAUSE_AFTER.match(citation.quote, end)
    if after is not None and len(after.group().split()) <= _CAUSE_WORDS:
        end = after.end()
    if before is not None:
        start = before.start()
    if (start, end) == span:
        return statement
    return _remarked(statement, (start, end), statement.repaired)


def marked(citation: Citation, span: tuple[int, int], repaired: bool) -> Statement:
    """The words at ``span`` of ``citation``'s quote as a statement citing it, marked there."""
    text = citation.quote[span[0] : span[1]]
    start = citation.quote_start + span[0]
    marked = replace(citation, answer_start=start, answer_end=start + len(text))
    return Statement(text, (marked,), repaired=repaired)


# A time of day in digits, with its zone: "8 p.m. ET", "10:00", "6pm GMT".
_DIGITAL_CLOCK = (
    r"(?:\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?\s?m\b\.?|\d{1,2}:\d{2}\b)"
    r"(?:\s+(?:[ECMP][SD]?T|GMT|BST|UTC|local time)\b)?"
)
_CLOCK_BEFORE = re.compile(_DIGITAL_CLOCK + r"(?:\s+on|,)?\s+$")
_CLOCK_AFTER = re.compile(r",?\s+(?:at\s+)?" + _DIGITAL_CLOCK)


_WHEN = re.compile(r"\s*when\b", re.IGNORECASE)  # not "On what date …?": a day is asked
_ZONE_AFTER = re.compile(r"\s+(?:[ECMP][SD]?T|GMT|BST|UTC|local time)\b")


def with_the_time(question: str, statement: Statement) -> Statement:
    """For "When …?", the located day with the time of day the sentence gives beside it:
    "8 p.m. ET March 28" (the model said "March 28"), "10:00 on Sunday", "Friday at
    9 a.m."; for "What time …?", the located time with its zone ("20:30 GMT");
    ``statement`` as it is otherwise."""
    citation = statement.citations[0]
    span = citation.answer_in_quote
    if span is None:
        return statement
    start, end = span
    if TIME_ASKED.search(question) and CLOCK.search(statement.text):
        zone = _ZONE_AFTER.match(citation.quote, end)
        if zone is None:
            return statement
        return _remarked(statement, (start, zone.end()), statement.repaired)
    if not _WHEN.match(question) or CLOCK.search(statement.text):
        return statement
    before = _CLOCK_BEFORE.search(citation.quote[:start])
    after = _CLOCK_AFTER.match(citation.quote, end)
    if before is None and after is None:
        return statement
    grown = (before.start() if before else start, after.end() if after else end)
    return _remarked(statement, grown, statement.repaired)


def of_the_kind_asked(question: str, statement: Statement) -> Statement:
    """``statement``, or for "Which <noun> …?" the cited sentence's phrase naming such a
    thing when the located words are none (:func:`~retrieval.grounding.phrases.kind_span`):
    "What medal did Muffat win in the 400-meter freestyle?" is "gold medal", not
    the "silver" the sentence gives for another race. For "What time …?" the time
    of day the sentence gives, when the located words give none ("1:19 a.m." where
    the model said "March 8, 2014")."""
    citation = statement.citations[0]
    clock = CLOCK.search(citation.quote)
    if TIME_ASKED.search(question) and not CLOCK.search(statement.text) and clock:
        return _remarked(statement, clock.span(), True)  # "1:19 a.m.", not "March 8"
    try:
        if _names_a_place_asked(question, citation):
            return statement  # "France, Argentina, … and India" for "Which countries …?"
        span = kind_span(question, citation.quote, citation.answer_in_quote)
    except EntityModelMissingError:
        return statement
    if span is None:
        return statement
    return _remarked(statement, span, True)


# Kinds of place a place's own name is one of: "France" is a country, "Lyon" a city.
_PLACE_KINDS = frozenset(
    word_root(w)
    for w in (
        "country", "countries", "city", "cities", "town", "towns", "state", "states", "nation",
        "nations", "province", "provinces", "capital", "capitals", "county", "counties",
        "village", "villages",
    )
)  # fmt: skip


def _names_a_place_asked(question: str, citation: Citation) -> bool:
    """Whether the located words name only places (spaCy's GPE), where a "Which/What
    <noun> …?" question asks for a country, a city, a state or the like: they name one,
    though they lack the noun.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    span = citation.answer_in_quote
    if span is None or asked_kind(question) not in _PLACE_KINDS:
        return False
    doc = entity_recognizer()(citation.quote)
    names = [t for t in doc if span[0] <= t.idx < span[1] and t.text[:1].isupper()]
    return bool(names) and all(t.ent_type_ == "GPE" for t in names)


def with_both_sides(question: str, statement: Statement) -> Statement:
    """``statement``, or for a question asking "between" whom or what, the answer with
    the other side the sentence joins to it ("the architect's client and the main
    contractor", not only "the architect's client";
    :func:`~retrieval.grounding.prepositions.both_sides`)."""
    return _grown(both_sides, question, statement)


def with_every_one_listed(question: str, statement: Statement) -> Statement:
    """``statement``, or for a question asking which things (a plural), the answer with
    the other items of the list it is one of ('"Two and a Half Men" and "Galavant"'
    for "Which TV shows …?", not only the first;
    :func:`~retrieval.grounding.prepositions.every_one_listed`)."""
    return _grown(every_one_listed, question, statement)


def _grown(
    grow: Callable[[str, str, tuple[int, int]], tuple[int, int] | None],
    question: str,
    statement: Statement,
) -> Statement:
    """``statement`` with its located words grown to the span ``grow`` gives from the
    question, the cited sentence and their span; as it is for a whole sentence, a
    span ``grow`` leaves, or no spaCy pipeline."""
    citation = statement.citations[0]
    span = citation.answer_in_quote
    if span is None or statement.text == citation.quote:
        return statement
    try:
        grown = grow(question, citation.quote, span)
    except EntityModelMissingError:
        return statement
    if grown is None:
        return statement
    return _remarked(statement, grown, statement.repaired)


def the_thing_not_its_date(question: str, statement: Statement) -> Statement:
    """``statement``, or for "After what event …?" the thing the cited sentence puts
    after that word when the located words are only its date or the whole sentence
    ("the French and Indian War", not "1763";
    :func:`~retrieval.grounding.prepositions.object_of_asked_preposition`)."""
    citation = statement.citations[0]
    whole = statement.text == citation.quote
    if not whole and (not DATE.search(statement.text) or len(claim_terms(statement.text)) > 2):
        return statement
    span = _found_in_quote(object_of_asked_preposition, question, citation)
    return statement if span is None else _remarked(statement, span, True)


# "Which song …?", "What film …?": a work, which news names in quotation marks.
_WORK_ASKED = re.compile(
    r"^\s*(?:\w+\s+)?(?:[Ww]hich|[Ww]hat)\s+(?:[A-Z][\w'’.-]*\s+){0,4}(?:[a-z-]+\s+)?"
    r"(song|single|track|album|film|movie|book|novel|show|series|play|musical|documentary|"
    r"poem|opera|painting|episode|game|podcast)s?\b"
)
_TITLE = re.compile(r"[\"“]([A-Z0-9][^\"“”]{0,80}?)[,.!?]?[\"”]")


def the_title_asked(question: str, statement: Statement) -> Statement:
    """``statement``, or for "Which song …?" (a film, a book, a show …) the title the cited
    sentence puts in quotation marks when the located words are none: "I Really Like
    You", not "Jepsen's part", from 'Hanks shows up in the new video for "I Really
    Like You," "singing" Jepsen's part throughout.' Titles the question gives, and
    quoted words in lower case ("singing"), are not answers."""
    citation = statement.citations[0]
    if not _WORK_ASKED.search(question) or _TITLE.search(statement.text):
        return statement
    span = citation.answer_in_quote
    for title in _TITLE.finditer(citation.quote):
        words = title.group(1)
        inside = span is not None and title.start() <= span[0] and span[1] <= title.end()
        if inside or words in question or not claim_terms(words) - claim_terms(question):
            continue
        return _remarked(statement, title.span(1), True)
    return statement


_HOW_MUCH = re.compile(r"\bhow much\b", re.IGNORECASE)
# An amount, with what it is for: "30 naira (15 cents) for the sports papers".
_AMOUNT_FOR = re.compile(
    r"((?:[$£€¥]\s?)?\d[\d,.]*(?:\s*(?:naira|cents?|dollars?|pounds?|pence|euros?|yen|"
    r"rupees?|million|billion|%|percent|per cent)\b)?(?:\s*\([^()]{1,30}\))?)"
    r"\s+for\s+(?:the\s+|each\s+|every\s+|a\s+|an\s+)?([^,.;()]{2,40}?)(?=\s*(?:[,.;]|\band\b|$))",
    re.IGNORECASE,
)


def the_amount_for_the_thing_asked(question: str, statement: Statement) -> Statement:
    """``statement``, or for "How much …?" the amount its sentence gives for the thing
    the question names, when the sentence lists amounts for several things and the
    located words are another's: "30 naira (15 cents)" for "How much does Mgbachi
    charge to read the sports papers?" from "… its 20 naira,(10 cents) 30 naira (15
    cents) for the sports papers and 50 naira (30 cents) for the magazines", where
    the model said "10 cents"."""
    citation = statement.citations[0]
    span = citation.answer_in_quote
    if span is None or not _HOW_MUCH.search(question) or not re.search(r"\d", statement.text):
        return statement
    asked = claim_terms(question)
    amounts = list(_AMOUNT_FOR.finditer(citation.quote))
    matching = [m for m in amounts if claim_terms(m.group(2)) and claim_terms(m.group(2)) <= asked]
    if len(amounts) < 2 or len(matching) != 1:
        return statement
    start, end = matching[0].span(1)
    if start < span[1] and span[0] < end:
        return statement  # the located words are that amount already
    return _remarked(statement, (start, end), True)


def the_others_given_one(question: str, statement: Statement) -> Statement:
    """``statement``, or for a question giving one of a list and asking for the others
    ("Along with toys, where are oscillating cylinder steam engines typically used?"),
    the words its cited sentence joins to the given one ("models" of "used in toys and
    models"; :func:`~retrieval.grounding.prepositions.conjoined_with_the_given`), where
    the answer is the whole sentence or lies outside them ("ships", said of other
    engines)."""
    return _replaced_unless_among(conjoined_with_the_given, question, statement)


def the_object_of_the_asked_preposition(question: str, statement: Statement) -> Statement:
    """``statement``, or for a question ending on a preposition ("Where did Kublai move
    the Mongol capital to?"), that preposition's object where its cited sentence hangs it
    on the question's word ("Khanbaliq", not "Jurchen capital";
    :func:`~retrieval.grounding.prepositions.object_of_stranded_preposition`), where the
    located answer lies outside it; a whole sentence is kept (SQuAD's "The primary law of
    the EU consists mainly of the founding treaties, …" names the treaties after)."""
    if statement.text == statement.citations[0].quote:
        return statement
    return _replaced_unless_among(object_of_stranded_preposition, question, statement)


def _replaced_unless_among(
    find: Callable[[str, str], tuple[int, int] | None], question: str, statement: Statement
) -> Statement:
    """``statement`` as the words ``find`` gives in its cited sentence, unless they only
    restate the question ("a public school" for "Which public high school …?") or it is
    not the whole sentence and its located words overlap them (the model chose among
    them)."""
    citation = statement.citations[0]
    span = _found_in_quote(find, question, citation)
    if span is None or not adds_information(citation.quote[span[0] : span[1]], question):
        return statement
    located = citation.answer_in_quote
    among = located is not None and located[0] < span[1] and span[0] < located[1]
    if statement.text != citation.quote and among:
        return statement
    return _remarked(statement, span, True)


def _found_in_quote(
    find: Callable[[str, str], tuple[int, int] | None], question: str, citation: Citation
) -> tuple[int, int] | None:
    """The span ``find`` gives for ``question`` in the citation's quote; None for none, or
    without a spaCy pipeline."""
    try:
        return find(question, citation.quote)
    except EntityModelMissingError:
        return None


def _remarked(statement: Statement, span: tuple[int, int], repaired: bool) -> Statement:
    """``statement`` as the words at ``span`` of its first citation's quote, marked there;
    its other citations kept."""
    found = marked(statement.citations[0], span, repaired=repaired)
    return replace(found, citations=(*found.citations, *statement.citations[1:]))
