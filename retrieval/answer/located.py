"""Checks and repairs of a located answer against the sentence it cites.

After the answer's words are found in an evidence sentence
(:func:`retrieval.answer.answer.stream_answer`), these decide whether they
answer what the question asks — who did it, how many of the asked things, a
thing of the asked kind, a name where one is asked, a sentence keeping to the
question's framing (:mod:`retrieval.answer.framing`) — and repair or refuse
them: who did it, the count or age asked, the reason. Each reads only the
question, the answer and its citations (and, for a day the question names, the
cited article); the sentence's grammar comes from
:mod:`retrieval.grounding.syntax` and :mod:`retrieval.grounding.phrases`.
Repairs that grow or replace the answer with other words of its sentence (the
time beside a day, a thing of the kind asked, a quoted title …) are
:mod:`retrieval.answer.repairs`'.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from retrieval.answer.ages import (
    a_count_for_an_age,
    a_span_of_time_for_an_age,
    age_span,
    an_age_of_another,
    no_age_in_a_whole_sentence,
    year_for_an_age,
)
from retrieval.answer.framing import contradicts
from retrieval.answer.kinds import (
    WHY,
    a_place_for_a_thing,
    a_question_for_an_answer,
    a_word_for_a_name,
    a_year_for_a_count,
    no_amount_for_a_count,
    no_score_for_a_score,
    restates_the_question,
    said_to_be_unknown,
    said_to_be_unnamed,
    the_asked_place_again,
    the_role_unsaid,
    the_source_for_the_answer,
)
from retrieval.answer.names import (
    a_place_or_people_for_a_name,
    another_ones_relative,
    no_name_given,
)
from retrieval.answer.repairs import marked
from retrieval.answer.times import (
    a_past_date_for_the_future,
    a_time_for_a_place_or_person,
    no_clock_for_a_time,
    no_date_in_a_whole_sentence,
    no_day_for_a_date,
    no_length_for_how_long,
)
from retrieval.grounding.checks import adds_information
from retrieval.grounding.counts import count_span, count_supported
from retrieval.grounding.naming import apposed_name_span, cast_span, identity_span
from retrieval.grounding.places import place_span
from retrieval.grounding.roles import (
    acts_on_another,
    another_doer,
    done_by_the_asked,
    done_to_answer,
    neither_act_nor_object,
)
from retrieval.grounding.syntax import agent_span, doer_unnamed
from retrieval.text.english_model import EntityModelMissingError
from retrieval.text.questions import QUESTION_NAME
from retrieval.text.terms import claim_terms
from retrieval.types import Citation, Statement


def refused(question: str, statement: Statement, article: str = "") -> bool:
    """Whether the first statement does not answer what ``question`` asks, though its
    words stand in its cited sentence: a count of other things, a passive with no doer,
    a sentence saying neither the "Who/When did … <verb> <object>?" action nor its
    object's name, the doer of the action where the question names another doer,
    a doer of the action to someone else, the one it was done to, a sentence leaving the
    question's framing (:func:`~retrieval.answer.framing.contradicts`, with the cited
    ``article``'s text), a year, a count of things, a span of time or another's age (or
    a whole sentence giving no age) where an age is asked, a year or no amount where a
    count is asked, no day (or, for a whole sentence, no date) where a date is asked, no
    time of day where a clock time is asked, words naming nothing where a name is asked,
    a time where a place or a person is asked (or the place the question names, with
    only the wider place it is in), a sentence saying it is not known, no name where one
    is asked (or only a place's or a people's where the thing asked is no place, or
    another's relative where a relative is asked: "Robert's son"), no
    score where one is asked, a whole sentence that is itself a question, or a sentence
    never saying the role a "Who is the <role> of …?" question asks for."""
    quote = statement.citations[0].quote
    return (
        not _counts_what_was_asked(question, statement)
        or _names_no_doer(question, statement)
        or _neither_act_nor_object(question, quote)
        or _another_doer(question, statement)
        or _does_it_to_another(question, statement)
        or _has_it_done_to_them(question, statement)
        or contradicts(question, quote, article)
        or year_for_an_age(question, statement.text)
        or a_count_for_an_age(question, statement.text)
        or a_span_of_time_for_an_age(question, statement)
        or an_age_of_another(question, statement)
        or no_age_in_a_whole_sentence(question, statement)
        or a_year_for_a_count(question, statement)
        or no_amount_for_a_count(question, statement.text)
        or no_day_for_a_date(question, statement.text)
        or no_date_in_a_whole_sentence(question, statement)
        or no_clock_for_a_time(question, statement.text)
        or no_length_for_how_long(question, statement.text)
        or a_past_date_for_the_future(question, statement)
        or a_word_for_a_name(question, statement)
        or a_place_for_a_thing(question, statement)
        or the_source_for_the_answer(question, statement)
        or said_to_be_unnamed(question, quote)
        or restates_the_question(question, statement)
        or a_time_for_a_place_or_person(question, statement.text)
        or the_asked_place_again(question, statement.text)
        or said_to_be_unknown(statement.text, quote)
        or no_name_given(question, statement.text, quote)
        or a_place_or_people_for_a_name(question, statement)
        or another_ones_relative(question, statement.text)
        or no_score_for_a_score(question, statement.text)
        or a_question_for_an_answer(statement)
        or the_role_unsaid(question, statement)
    )


def doer(
    question: str,
    citations: Sequence[Citation],
    instead_of: Statement | None = None,
    same_verb: bool | None = None,
) -> Statement | None:
    """Who did the action of a "Who <verb> <object>?" question, from the first of
    ``citations`` whose sentence says (:func:`~retrieval.grounding.syntax.agent_span`).

    With ``instead_of`` (the model's located phrase, citing that sentence), a
    doer of the question's own verb is returned only when the phrase is not
    it: "Iraqi military" for "Who launched the rockets?" where the sentence
    says an outlawed group launched them is repaired to the group. Only the
    question's own verb counts with ``instead_of`` or ``same_verb``.
    """
    own_verb = instead_of is not None if same_verb is None else same_verb
    for citation in citations:
        try:
            span = agent_span(question, citation.quote, same_verb=own_verb)
        except EntityModelMissingError:
            return None
        if span is None:
            continue
        found = marked(citation, span, repaired=instead_of is not None)
        if not adds_information(found.text, question):
            continue
        if instead_of is not None:
            said, own = instead_of.citations[0], found.citations[0]
            if _overlaps(
                said.answer_start,
                said.answer_end,
                own.quote_start + span[0],
                own.quote_start + span[1],
            ):
                return None
        return found
    return None


def identified(question: str, citations: Sequence[Citation]) -> Statement | None:
    """For "Who is the <description> …?", the name the first of ``citations`` that says
    who that is gives (:func:`~retrieval.grounding.naming.identity_span`), when the
    model's reply was found in none (it only repeated the question's "Avijit Roy"):
    "Farabi Shafiur Rahman", not the whole sentence; for "Which <noun> …?" or "What is
    the name of the <noun> …?", the name a sentence sets beside that thing's
    description (:func:`~retrieval.grounding.naming.apposed_name_span`: "Trident" of
    "… Trident, the UK's nuclear missile submarine fleet", where the model said
    "UK's nuclear missile submarine fleet"). None when none says."""
    return _first_found(
        citations,
        lambda quote: (
            identity_span(question, quote)
            or apposed_name_span(question, quote)
            or cast_span(question, quote)
        ),
    )


def counted(question: str, citations: Sequence[Citation]) -> Statement | None:
    """The count a "How many <things> were <done>?" question asks, from the first of
    ``citations`` whose sentence gives one (:func:`~retrieval.grounding.counts.count_span`),
    when the model's reply was found in none: "one Iraqi security person", not the
    whole sentence; for "How old …?", the age given next to the question's name
    ("55" of "Nemtsov, 55, was shot dead …", where the model said "55 years").
    None when no sentence gives it."""
    return _first_found(
        citations, lambda quote: age_span(question, quote) or count_span(question, quote)
    )


def aged(question: str, citations: Sequence[Citation]) -> Statement | None:
    """For "How old …?", the age given next to the question's name or on the noun it
    describes (:func:`~retrieval.answer.ages.age_span`) in the first of ``citations``
    that gives one; no other count. None when none does."""
    return _first_found(citations, lambda quote: age_span(question, quote))


def placed(question: str, citations: Sequence[Citation]) -> Statement | None:
    """For "Where …?", the place the first of ``citations`` that gives one says the
    question's action happened at (:func:`~retrieval.grounding.places.place_span`):
    "a bus station" of "… dropped him off at a bus station", where the model said
    only the question's "El Paso". None when none says."""
    return _first_found(citations, lambda quote: place_span(question, quote))


def _first_found(
    citations: Sequence[Citation], find: Callable[[str], tuple[int, int] | None]
) -> Statement | None:
    """The words ``find`` gives in the first of ``citations`` whose quote it finds them
    in, marked there as a repair; None when it finds none, or spaCy's English pipeline
    is missing."""
    for citation in citations:
        try:
            span = find(citation.quote)
        except EntityModelMissingError:
            return None
        if span is not None:
            return marked(citation, span, repaired=True)
    return None


def recounted(question: str, statement: Statement, citations: Sequence[Citation]) -> Statement:
    """``statement``, or, when its number does not count what a "How many …" question
    asks (:func:`~retrieval.grounding.counts.count_supported`), the count that does
    from its own sentence or another of ``citations`` (:func:`counted`): "Three"
    French sports stars is repaired to "10 people" killed. As it is when none does."""
    if _counts_what_was_asked(question, statement):
        return statement
    return counted(question, [statement.citations[0], *citations]) or statement


# Words opening a reason: "because …", "due to …", "for failing to yield …".
_REASON = re.compile(
    r"\b(?:because(?: of)?|due to|owing to|as a result of|in order to|so that|"
    r"(?:for|after) (?=\w+ing\b)|over (?=(?:allegations?|claims?|concerns?|fears?)\b)|"
    r"(?<=, )(?:citing|saying)\b)",
    re.IGNORECASE,
)
REASON_WORDS = 20  # the longest reason put in place of a restatement
# Where a reason ends: a semicolon, or a sentence's end ("… co-hosts. She made …").
_REASON_END = re.compile(r";|(?<![A-Z])[.!?](?=\s+[A-Z\"“]|\s*$)")
_TOLD_SHARE = 0.4  # of the question's words a sentence must tell before its reason


def reason_given(
    question: str, statement: Statement, citations: Sequence[Citation] = ()
) -> Statement | None:
    """For "Why …?" answered by words restating the question ("Glendale officer pulled
    over Henson's son"), the reason a sentence saying those words gives after them:
    "for failing to yield to a pedestrian at a cross walk", up to the sentence's
    end or a semicolon, at most :data:`REASON_WORDS` words. The sentence is the
    statement's cited one or, failing that, the first of ``citations`` (the
    evidence shown) holding at least half of the statement's words. An answer
    saying more than the question, with no reason so worded, gives way to a
    sentence telling a name the question gives, and much of what it asks about,
    before its reason
    (", saying her style did not blend in …" for "Why did Kathy Griffin quit?").
    None when no such sentence gives a reason so worded."""
    said = claim_terms(statement.text)
    if not WHY.match(question) or _REASON.search(statement.text):
        return None
    restates = len(said - claim_terms(question)) <= 1
    asked = claim_terms(question)
    for citation in (statement.citations[0], *citations):
        match = _REASON.search(citation.quote)
        if match is None:
            continue
        if restates and 2 * len(said & claim_terms(citation.quote)) < len(said):
            continue
        # An answer saying more gives way only to a sentence telling, before its
        # reason, a name the question gives and much of what it asks about ("Kathy Griffin bid the
        # show bye-bye after seven episodes, saying her style did not blend in"
        # over "She made a dig at the show on her way out").
        before = citation.quote[: match.start()]
        told = asked & claim_terms(before)
        names = QUESTION_NAME.findall(question)
        if not restates and (
            _TOLD_SHARE * len(asked) > len(told) or not any(n in before for n in names)
        ):
            continue
        stop_at = _REASON_END.search(citation.quote, match.start())
        end = len(citation.quote) if stop_at is None else stop_at.start()
        words = list(re.finditer(r"\S+", citation.quote[match.start() : end]))[:REASON_WORDS]
        stop = match.start() + words[-1].end()
        while stop > match.start() and citation.quote[stop - 1] in ".,\"'”’":
            stop -= 1
        return marked(citation, (match.start(), stop), repaired=True)
    return None


def _counts_what_was_asked(question: str, statement: Statement) -> bool:
    """Whether the cited sentence counts what a "How many …" question asks
    (:func:`~retrieval.grounding.counts.count_supported`); True for other questions."""
    citation = statement.citations[0]
    try:
        return count_supported(question, citation.quote, citation.answer_in_quote)
    except EntityModelMissingError:
        return True


def _has_it_done_to_them(question: str, statement: Statement) -> bool:
    """Whether the answer is the one the "Who <verb> …?" action is done to in its cited
    sentence, the victim for the killer (:func:`~retrieval.grounding.roles.done_to_answer`),
    or what the question's object acts on, the character for the novel's author
    (:func:`~retrieval.grounding.roles.done_by_the_asked`)."""
    citation = statement.citations[0]
    span = citation.answer_in_quote
    try:
        return done_to_answer(question, citation.quote, span) or done_by_the_asked(
            question, citation.quote, span
        )
    except EntityModelMissingError:
        return False


def _does_it_to_another(question: str, statement: Statement) -> bool:
    """Whether the answer does the "Who <verb> <object>?" action to something else in
    its cited sentence (:func:`~retrieval.grounding.roles.acts_on_another`)."""
    citation = statement.citations[0]
    try:
        return acts_on_another(question, citation.quote, citation.answer_in_quote)
    except EntityModelMissingError:
        return False


def _another_doer(question: str, statement: Statement) -> bool:
    """Whether the answer is who does the question's action in its cited sentence where
    the question names another doer (:func:`~retrieval.grounding.roles.another_doer`).
    On SQuAD 2.0 dev articles outside the benchmark, 3 of 4,082 gold answers were so."""
    citation = statement.citations[0]
    try:
        return another_doer(question, citation.quote, citation.answer_in_quote)
    except EntityModelMissingError:
        return False


def _neither_act_nor_object(question: str, quote: str) -> bool:
    """Whether the cited sentence says neither the asked action nor its object's names
    (:func:`~retrieval.grounding.roles.neither_act_nor_object`); without spaCy's
    English pipeline, only for "Who <verb> …?"."""
    try:
        return neither_act_nor_object(question, quote)
    except EntityModelMissingError:
        return False


def _names_no_doer(question: str, statement: Statement) -> bool:
    """Whether the cited sentence says a "Who <verb> <object>?" action with no doer
    (:func:`~retrieval.grounding.syntax.doer_unnamed`)."""
    try:
        return doer_unnamed(question, statement.citations[0].quote)
    except EntityModelMissingError:
        return False


def _overlaps(start: int | None, end: int | None, other_start: int, other_end: int) -> bool:
    """Whether ``start``–``end`` (None: not known, so no) meets ``other_start``–``other_end``."""
    return start is not None and end is not None and start < other_end and other_start < end
