"""Checks and repairs of a located answer against the sentence it cites.

After the answer's words are found in an evidence sentence
(:func:`retrieval.answer.answer.stream_answer`), these decide whether they
answer what the question asks — who did it, how many of the asked things,
the year asked, a thing of the asked kind, a name where one is asked — and
repair or refuse them. Each reads only the question, the answer and its
citations; the sentence's grammar comes from :mod:`retrieval.grounding.syntax`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from retrieval.grounding.checks import adds_information
from retrieval.grounding.syntax import (
    agent_span,
    count_supported,
    doer_unnamed,
    kind_span,
)
from retrieval.text.english_model import EntityModelMissingError
from retrieval.text.terms import stem
from retrieval.types import Citation, Statement


def refused(question: str, statement: Statement) -> bool:
    """Whether the first statement does not answer what ``question`` asks, though its
    words stand in its cited sentence: a count of other things, a passive with no
    doer, another year, or no name where one is asked."""
    return (
        not _counts_what_was_asked(question, statement)
        or _names_no_doer(question, statement)
        or _another_year(question, statement.citations[0].quote)
        or _no_name_given(question, statement.text)
    )


def doer(
    question: str, citations: Sequence[Citation], instead_of: Statement | None = None
) -> Statement | None:
    """Who did the action of a "Who <verb> <object>?" question, from the first of
    ``citations`` whose sentence says (:func:`~retrieval.grounding.syntax.agent_span`).

    With ``instead_of`` (the model's located phrase, citing that sentence), a
    doer of the question's own verb is returned only when the phrase is not
    it: "Iraqi military" for "Who launched the rockets?" where the sentence
    says an outlawed group launched them is repaired to the group.
    """
    for citation in citations:
        try:
            span = agent_span(question, citation.quote, same_verb=instead_of is not None)
        except EntityModelMissingError:
            return None
        if span is None:
            continue
        text = citation.quote[span[0] : span[1]]
        start = citation.quote_start + span[0]
        if not adds_information(text, question):
            continue
        if instead_of is not None:
            said = instead_of.citations[0]
            if _overlaps(said.answer_start, said.answer_end, start, start + len(text)):
                return None
        doer = replace(citation, answer_start=start, answer_end=start + len(text))
        return Statement(text, (doer,), repaired=instead_of is not None)
    return None


def of_the_kind_asked(question: str, statement: Statement) -> Statement:
    """``statement``, or for "Which <noun> …?" the cited sentence's phrase naming such a
    thing when the located words are none (:func:`~retrieval.grounding.syntax.kind_span`):
    "What medal did Muffat win in the 400-meter freestyle?" is "gold medal", not
    the "silver" the sentence gives for another race."""
    citation = statement.citations[0]
    try:
        span = kind_span(question, citation.quote, citation.answer_in_quote)
    except EntityModelMissingError:
        return statement
    if span is None:
        return statement
    start = citation.quote_start + span[0]
    text = citation.quote[span[0] : span[1]]
    marked = replace(citation, answer_start=start, answer_end=start + len(text))
    return Statement(text, (marked, *statement.citations[1:]), repaired=True)


def _counts_what_was_asked(question: str, statement: Statement) -> bool:
    """Whether the cited sentence counts what a "How many …" question asks
    (:func:`~retrieval.grounding.syntax.count_supported`); True for other questions."""
    citation = statement.citations[0]
    try:
        return count_supported(question, citation.quote, citation.answer_in_quote)
    except EntityModelMissingError:
        return True


def _names_no_doer(question: str, statement: Statement) -> bool:
    """Whether the cited sentence says a "Who <verb> <object>?" action with no doer
    (:func:`~retrieval.grounding.syntax.doer_unnamed`)."""
    try:
        return doer_unnamed(question, statement.citations[0].quote)
    except EntityModelMissingError:
        return False


_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})\b")


def _another_year(question: str, quote: str) -> bool:
    """Whether the question asks about a year the cited sentence does not give while
    the sentence gives another: "… take down at the government's request in 2013?"
    is not answered by what was taken down "in the first half of 2014"."""
    asked = set(_YEAR.findall(question))
    said = set(_YEAR.findall(quote))
    return bool(asked and said and not asked & said)


_NAME_OF = re.compile(
    r"\bnames? of (?:the |a |an |its |his |her |their |one )?(?:[a-z]+ )??([a-z]+)\b(?! of)",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’.-]*")


def _no_name_given(question: str, answer: str) -> bool:
    """Whether a question asking the name of a thing gets only the thing: "What is the
    name of the cameraman the protesters attacked?" is not answered by "one of its
    cameramen" (no capitalised word the question lacks)."""
    match = _NAME_OF.search(question)
    if match is None:
        return False
    kind = _singular(match.group(1))
    if kind not in {_singular(w) for w in re.findall(r"[A-Za-z]+", answer)}:
        return False
    asked = set(_CAPITALISED.findall(question))
    return not [w for w in _CAPITALISED.findall(answer) if w not in asked]


def _singular(word: str) -> str:
    """``word`` lower-cased, stemmed, "-men" as "-man" ("cameramen" → "cameraman")."""
    lowered = word.lower()
    return stem(lowered[:-3] + "man" if lowered.endswith("men") else lowered)


def _overlaps(start: int | None, end: int | None, other_start: int, other_end: int) -> bool:
    """Whether ``start``–``end`` (None: not known, so no) meets ``other_start``–``other_end``."""
    return start is not None and end is not None and start < other_end and other_start < end
