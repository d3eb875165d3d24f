"""From the model's reply to checked statements, each citing the sentence it comes from.

The reply's words are found in the evidence (:func:`statement_from_reply`,
through :func:`~retrieval.grounding.spans.locate`), completed to the phrase they
head, repaired to the doer, count or kind the question asks
(:mod:`retrieval.answer.located`), or else replaced by the supporting sentence;
then refused where they do not answer what was asked
(:func:`answers_the_question`). Why/how questions get further statements from
other paragraphs (:func:`further_statements`). The steps before and around
this — retrieval, evidence, the verifier, the model's streamed reply and the
second look — are :mod:`retrieval.answer.answer`'s.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Sequence
from dataclasses import replace

from retrieval.answer.evidence import Evidence
from retrieval.answer.framing import says_nothing_asked
from retrieval.answer.located import (
    aged,
    counted,
    doer,
    identified,
    placed,
    reason_given,
    recounted,
    refused,
)
from retrieval.answer.repairs import (
    of_the_kind_asked,
    the_amount_for_the_thing_asked,
    the_object_of_the_asked_preposition,
    the_others_given_one,
    the_thing_not_its_date,
    the_title_asked,
    with_both_sides,
    with_every_one_listed,
    with_the_cause,
    with_the_part,
    with_the_time,
    without_the_asked_tail,
)
from retrieval.grounding.checks import (
    adds_information,
    cite,
    grounded_statement,
    is_supported,
)
from retrieval.grounding.phrases import asked_kind, complete_phrase
from retrieval.grounding.spans import (
    answer_span,
    bracketed_alias,
    locate,
    without_the_question,
)
from retrieval.library.base import ArticleLibrary
from retrieval.text.english_model import EntityModelMissingError
from retrieval.types import Article, Citation, Statement


def statement_from_reply(
    question: str,
    reply: str,
    citations: tuple[Citation, ...],
    library: ArticleLibrary,
    *,
    query: str,
    typed: bool = True,
    located_only: bool = False,
) -> Statement | None:
    """The model's ``reply`` checked against ``citations`` (the evidence it was shown):
    found in a sentence and completed, repaired to the doer or the count asked for,
    or else the supporting sentence; None where nothing there may be said (the
    answer is then declined). With ``located_only``, None unless the reply's own
    words are found. ``query`` is what was searched (the question, with a follow-up's
    earlier one); ``typed``, whether the best evidence sentence holds the kind of
    answer asked for (a short reply found nowhere falls back to it only then)."""
    statement = _located(reply, question, citations)
    if statement is not None:
        repaired = doer(question, statement.citations[:1], instead_of=statement)
        statement = repaired or of_the_kind_asked(question, statement)
        statement = the_title_asked(question, the_thing_not_its_date(question, statement))
        statement = recounted(question, statement, citations)
        statement = with_the_part(question, with_the_time(question, statement))
        statement = the_amount_for_the_thing_asked(question, statement)
        statement = with_every_one_listed(question, with_both_sides(question, statement))
        statement = with_the_cause(question, without_the_asked_tail(question, statement))
    elif located_only:
        return None
    else:
        statement = doer(question, citations) or counted(question, citations)
        statement = statement or identified(question, citations) or placed(question, citations)
    if statement is None:
        if len(reply.split()) <= PHRASE_WORDS:
            # A short phrase must be found in one sentence, not assembled from
            # words scattered over it ("Islamic father" from "ideological
            # father … Islamic thinkers"): the answer is the sentence instead,
            # unless it lacks the kind of answer asked for (no date for "When
            # …?"): then the model's phrase came from nowhere we may cite.
            if not citations or not typed:
                return None
            statement = Statement(citations[0].quote, citations, repaired=True)
        else:
            statement = grounded_statement(reply, citations, question)
        if statement.repaired:
            statement = _shortest_supported(statement, question)
    statement = the_others_given_one(question, statement)
    statement = the_object_of_the_asked_preposition(question, statement)
    statement = reason_given(question, statement, citations) or statement
    first = _drop_unsupporting(statement, question)
    if answers_the_question(question, query, first, library):
        return first
    # Not what was asked: "Who created MatchGrid?" is not "David Jacobs" from "a
    # programmer named David Jacobs received a kidney"; who did it, where another
    # shown sentence says so with the question's own verb ("Jacobs …, creating
    # MatchGrid"), is.
    if located_only:
        return None
    # An age, count or place the program finds in the shown sentences, where the
    # model's was refused: "52" of "… as in the case of Pichette, at 52", not "nearly
    # seven years"; "a bus station" where the model said the question's "El Paso". A
    # doer of the question's own verb, first in the model's own sentence: "Adam
    # Davidson" of "Erickson will serve as showrunner, and Adam Davidson will direct
    # the pilot", where the model said "Erickson".
    own = [c for c in citations if c.quote == first.citations[0].quote]
    others = [c for c in citations if c.quote != first.citations[0].quote]
    return found_by_the_program(question, query, own + others, library, instead_of=first)


def found_by_the_program(
    question: str,
    query: str,
    citations: Sequence[Citation],
    library: ArticleLibrary,
    instead_of: Statement | None = None,
    counts: bool = True,
) -> Statement | None:
    """The first of ``citations`` (in order) that gives who did the question's own action
    (:func:`~retrieval.answer.located.doer`, never the words of ``instead_of``, the
    model's refused answer), the name of the one a "Who is the <description> …?" or
    "Which <noun> …?" question describes (:func:`~retrieval.answer.located.identified`),
    the count or age asked (:func:`~retrieval.answer.located.counted`; only the age
    without ``counts``) or the place of the asked action
    (:func:`~retrieval.answer.located.placed`), as a statement that answers the
    question (:func:`answers_the_question`); None when none does."""
    finders = (
        lambda: doer(question, citations, instead_of=instead_of, same_verb=True),
        lambda: identified(question, citations),
        lambda: counted(question, citations) if counts else aged(question, citations),
        lambda: placed(question, citations),
    )
    for find in finders:
        done = find()
        if done is not None and answers_the_question(question, query, done, library):
            return done
    return None


def answers_the_question(
    question: str, query: str, statement: Statement, library: ArticleLibrary
) -> bool:
    """Whether ``statement`` answers what was asked, by its cited sentence and article
    (:func:`~retrieval.answer.located.refused`,
    :func:`~retrieval.answer.framing.says_nothing_asked`)."""
    cited = statement.citations[0]
    article = named_in(library, cited.article_id) + " " + cited.article_title
    return not (refused(question, statement, article) or says_nothing_asked(query, statement))


PHRASE_WORDS = 5  # a reply this short is a phrase: it must be located, not only supported


def _located(reply: str, question: str, citations: Sequence[Citation]) -> Statement | None:
    """The reply as the words of the best evidence sentence that says it, or None.

    The citation is the sentence the answer's words come from, found here by
    the program, whichever sentence the model drew them from; the words are
    marked in the quote (``answer_start``/``answer_end``). A sentence that
    says the reply word for word wins over an earlier one that holds its
    words only loosely (:func:`~retrieval.grounding.spans.locate`); before the loose
    reading, the reply less the question's words it sets around the answer is sought
    word for word ("Sullivan Bay" of "Sullivan Bay, Victoria";
    :func:`~retrieval.grounding.spans.without_the_question`). The words
    are grown to the whole noun phrase they head ("extremely high humidity",
    "667,000 firms"; :func:`~retrieval.grounding.phrases.complete_phrase`).
    """
    if not reply or not adds_information(reply, question):
        return None
    trimmed = without_the_question(reply, question)
    for phrase, fuzzy in ((reply, False), (trimmed, False), (reply, True)):
        for citation in citations:
            span = locate(phrase, citation.quote, fuzzy) if phrase else None
            if span is None or bracketed_alias(question, citation.quote, span):
                continue
            with contextlib.suppress(EntityModelMissingError):  # then as the model said it
                span = complete_phrase(citation.quote, span, asked_kind(question))
            words = citation.quote[span[0] : span[1]]
            if not adds_information(words, question):
                continue
            start = citation.quote_start + span[0]
            marked = replace(citation, answer_start=start, answer_end=start + len(words))
            return Statement(words, (marked,))
    return None


_WHY = re.compile(r"\s*why\b", re.IGNORECASE)
# Words giving a reason or a cause: a further statement for "Why …?" says one.
_REASON = re.compile(
    r"\b(?:because|since|due to|owing to|as a result|after|amid|citing|saying|"
    r"in order to|so (?:that|as to|the|it|its|they|their|he|his|she|her|a|an)|in protest|"
    r"in response to|following|caused|causing|"
    r"led to|leading to|reasons?|blamed|accused|for (?:\w+ing|allegedly|reportedly|his|her|"
    r"their|its|the|a|an))\b",
    re.IGNORECASE,
)
FURTHER_MARGIN = 0.08  # evidence this close to the best sentence's score may add a statement
FURTHER_WORDS = 30  # a further statement is a whole sentence only up to this many words


def further_statements(
    first: Statement, question: str, evidence: Sequence[Evidence], citations: Sequence[Citation]
) -> list[Statement]:
    """Up to two more statements for a why/how/what-happened question, each with its citation.

    A reason or an account is often spread over sentences of different
    paragraphs ("suspended after a fracas" … "the BBC said an investigation
    …"). Each further statement is the answering part of another evidence
    sentence (:func:`answer_span`, else the whole sentence when short) that
    scores nearly as well as the best one, and for "Why …?" gives a reason
    ("because", "after", "citing" …); the model's phrase stays first.
    """
    cited = {c.paragraph_id for c in first.citations}
    best = evidence[0].score
    further: list[Statement] = []
    for shown, citation in zip(evidence, citations, strict=True):
        if len(further) == 2:
            break
        if citation.paragraph_id in cited or shown.score < best - FURTHER_MARGIN:
            continue
        span = answer_span(question, citation.quote)
        if span is None:
            if len(citation.quote.split()) > FURTHER_WORDS:
                continue
            span = (0, len(citation.quote))
        text = citation.quote[span[0] : span[1]].strip()
        if not adds_information(text, question):
            continue
        if _WHY.match(question) and not _REASON.search(citation.quote):
            continue  # "The police said it appreciated her apology" gives no reason
        start = citation.quote_start + span[0]
        marked = replace(citation, answer_start=start, answer_end=start + len(text))
        further.append(Statement(text, (marked,)))
        cited.add(citation.paragraph_id)
    return further


def _shortest_supported(statement: Statement, question: str) -> Statement:
    """The answering piece of the cited sentence, when one stands out."""
    quote = statement.citations[0].quote
    span = answer_span(question, quote)
    if span is None:
        return statement
    with contextlib.suppress(EntityModelMissingError):  # then the span as found
        span = complete_phrase(quote, span)
    text = quote[span[0] : span[1]]
    if not adds_information(text, question):
        return statement
    first, *rest = statement.citations
    start = first.quote_start + span[0]
    marked = replace(first, answer_start=start, answer_end=start + len(text))
    return Statement(text, (marked, *rest), repaired=True)


def citations_for(evidence: Sequence[Evidence], library: ArticleLibrary) -> tuple[Citation, ...]:
    """One citation per evidence sentence (its passage, with the article's details)."""
    cache: dict[int, Article | None] = {}
    result = []
    for item in evidence:
        article_id = item.paragraph.article_id
        if article_id not in cache:
            cache[article_id] = library.article(article_id)
        start = item.start if item.passage_start is None else item.passage_start
        result.append(cite(item.paragraph, start, item.end, cache[article_id]))
    return tuple(result)


def _drop_unsupporting(statement: Statement, question: str) -> Statement:
    """Keep the first citation, plus others whose quoted sentence supports it too.

    A further citation must stand on its own sentence (not merely on its
    paragraph) and come from another paragraph, so every quote shown is one
    that a reader can check the statement against.
    """
    first, *rest = statement.citations
    keep = [first]
    for citation in rest:
        if citation.paragraph_id in {c.paragraph_id for c in keep}:
            continue
        if is_supported(statement.text, citation.quote, question):
            keep.append(citation)
    return Statement(statement.text, tuple(keep), statement.repaired)


def named_in(library: ArticleLibrary, article_id: int) -> str:
    """What an article names: its body and its publication date in words ("2 November
    2014 Sunday"), which ingest may have taken from its first lines (a question may
    date its story so: "the storm of 2 November 2014"). "" for an unknown id."""
    article = library.store.article(article_id)
    dated = ""
    # a date the library holds in another form names nothing here
    with contextlib.suppress(ValueError):
        if article is not None and article.published:
            day = datetime.date.fromisoformat(article.published[:10])
            dated = f"{day.day} {day:%B %Y %A}"
    return f"{library.store.body(article_id)} {dated}"
