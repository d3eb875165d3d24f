"""Answering a question: retrieve, choose evidence, phrase, check.

The order matters: retrieval and evidence selection decide what is said and
what is cited; the model only turns the chosen sentence into a short answer,
and that phrasing is kept only if its cited paragraph supports it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Generator as Generator_
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from retrieval.answer.abstention import features, load_model
from retrieval.answer.cross_encoder import scorer_for
from retrieval.answer.evidence import (
    Evidence,
    about_the_names,
    is_answerable,
    names_new,
    score_sentences,
    select_evidence,
    with_a_name,
)
from retrieval.answer.kinds import no_amount_said
from retrieval.answer.prompts import abstains, answer_messages, is_explanatory, judge_messages
from retrieval.answer.statements import (
    citations_for,
    further_statements,
    statement_from_reply,
)
from retrieval.backends.base import Generator, Judge
from retrieval.grounding.checks import (
    adds_information,
    clean_phrase,
    verify,
)
from retrieval.grounding.phrases import names_something, names_the_kind, of_the_kind
from retrieval.library.base import ArticleLibrary
from retrieval.search.hybrid import hybrid_search
from retrieval.settings import Settings
from retrieval.text.english_model import EntityModelMissingError
from retrieval.text.questions import asks_for_a_name, expected_answer
from retrieval.types import (
    Answer,
    AnswerEvent,
    Article,
    Done,
    Hit,
    Piece,
    Restart,
    Statement,
)

_FOLLOW_UP = re.compile(
    r"^\s*(and|but|also|so|what about|how about)\b"
    r"|\b(it|its|they|them|their|he|him|his|she|her|this|that|these|those|there)\b",
    re.IGNORECASE,
)


@dataclass
class Conversation:
    """Earlier questions, so a follow-up can lean on the one before it."""

    questions: list[str] = field(default_factory=list)

    def search_query(self, question: str) -> str:
        """The text to retrieve with: the question, plus the previous one if needed."""
        if self.questions and _is_follow_up(question):
            return f"{self.questions[-1]} {question}"
        return question

    def remember(self, question: str) -> None:
        """Record a question once it has been answered."""
        self.questions.append(self.search_query(question))
        del self.questions[:-5]


def _is_follow_up(question: str) -> bool:
    words = question.split()
    names = [w for w in words[1:] if w[:1].isupper()]
    return bool(_FOLLOW_UP.search(question)) and not names or len(words) <= 3


@dataclass(frozen=True)
class Draft:
    """The part of an answer fixed before the model speaks."""

    question: str
    hits: tuple[Hit, ...]
    evidence: tuple[Evidence, ...]
    declined: bool
    evidence_logit: float | None = None
    answer_logit: float | None = None
    query: str = ""
    """What was searched: the question, with a follow-up's earlier question."""
    reserve: tuple[Evidence, ...] = ()
    """The next sentences, shown to the model when its reply to ``evidence`` only
    repeats the question (see :func:`stream_answer`)."""


def prepare(
    question: str,
    library: ArticleLibrary,
    settings: Settings,
    article_ids: Sequence[int] | None = None,
    conversation: Conversation | None = None,
) -> Draft:
    """Retrieve and choose evidence; decide whether to decline."""
    query = conversation.search_query(question) if conversation else question
    hits = tuple(
        hybrid_search(
            library.store,
            library.vectors(),
            library.embedder,
            query,
            k=settings.retrieval.paragraphs_considered,
            article_ids=article_ids,
            rrf_k=settings.retrieval.rrf_k,
        )
    )
    scorer = scorer_for(library.embedder) if settings.retrieval.rerank else None
    ranked = score_sentences(query, hits, library.embedder, scorer)
    ranked = about_the_names(question, ranked, library.store.body)
    limit = settings.generation.answer_sentences
    chosen = tuple(with_a_name(select_evidence(ranked, limit), ranked, question, limit))
    verifier = load_model() if settings.retrieval.verifier else None
    if not chosen:
        return Draft(question, _hits_by_evidence(hits, ranked), chosen, True, query=query)
    hits_shown = _hits_by_evidence(hits, ranked)
    reserve = tuple(_reserve(ranked, chosen, limit))
    if verifier is None:
        declined = not is_answerable(ranked[0], settings.retrieval.decline_threshold)
        return Draft(question, hits_shown, chosen, declined, query=query, reserve=reserve)
    logit = verifier.logit(features(query, ranked))
    return Draft(question, hits_shown, chosen, False, logit, ranked[0].answer_logit, query, reserve)


RESERVE_MARGIN = 0.35  # how far below the best a sentence of the second look may score


def _reserve(ranked: Sequence[Evidence], chosen: Sequence[Evidence], limit: int) -> list[Evidence]:
    """The best sentences not shown of the best sentence's article (further down the
    story, not another story's), within :data:`RESERVE_MARGIN` of the best score,
    chosen as :func:`select_evidence` chooses (at most ``limit``)."""
    if not ranked:
        return []
    floor = ranked[0].score - RESERVE_MARGIN
    article = ranked[0].paragraph.article_id
    rest = [
        e
        for e in ranked
        if e not in chosen and e.score >= floor and e.paragraph.article_id == article
    ]
    return select_evidence(rest, limit)


def answerable_by_evidence(draft: Draft, settings: Settings) -> bool:
    """Whether the evidence alone (no model) says the articles answer: the verifier's
    features, or the evidence-strength threshold when it is off. For callers that must
    not generate (suggested questions)."""
    if draft.declined:
        return False
    verifier = load_model() if settings.retrieval.verifier else None
    if verifier is None or draft.evidence_logit is None:
        return True
    return not verifier.declines(draft.evidence_logit, draft.answer_logit)


def _verified_unanswerable(draft: Draft, generator: Generator, settings: Settings) -> bool:
    """The trained verifier's decision (see :mod:`retrieval.answer.abstention`).

    The evidence features decide, with the answer-sentence cross-encoder's
    log-odds for the best sentence where the file stacks them
    (:class:`~retrieval.answer.abstention.AnswerStack`); where it stacks a local
    model's yes/no judgement ("does the evidence state the answer?", one
    prefill) and that model is the one answering, the judgement is asked too.
    """
    verifier = load_model() if settings.retrieval.verifier else None
    if verifier is None or draft.evidence_logit is None:
        return False
    judge = verifier.judge
    if judge is not None and isinstance(generator, Judge) and generator.model_ref == judge.model:
        score = generator.yes_score(judge_messages(draft.question, draft.evidence))
        return judge.probability(draft.evidence_logit, score) < judge.threshold
    return verifier.declines(draft.evidence_logit, draft.answer_logit)


def stream_answer(
    draft: Draft,
    library: ArticleLibrary,
    generator: Generator,
    settings: Settings,
    articles: Sequence[Article] = (),
) -> Iterator[AnswerEvent]:
    """Yield the model's text as it comes (:class:`Piece`, :class:`Restart`), then
    ``Done(answer)`` with the checked :class:`Answer`."""
    declined = Answer(draft.question, (), True, draft.hits, tuple(articles), backend=generator.name)
    if draft.declined or _verified_unanswerable(draft, generator, settings):
        yield Done(declined)
        return
    reply = yield from _reply(draft.question, draft.evidence, generator, settings)
    if abstains(reply):
        yield Done(declined)
        return
    citations = citations_for(draft.evidence, library)
    first = statement_from_reply(
        draft.question, reply, citations, library, query=draft.query, typed=draft.evidence[0].typed
    )
    only_repeats = not adds_information(reply, draft.question) and _unanswered(first, draft)
    further_down = _kind_further_down(first, draft) or _typed_further_down(first, draft)
    if draft.reserve and (only_repeats or further_down):
        second = yield from _second_look(draft, library, generator, settings, reply)
        first = second or first
    if first is not None and (stronger := _from_a_weaker_sentence(first, draft)):
        again = yield from _ask_again(draft, library, generator, settings, reply, stronger)
        first = again or first
    if _whole_without_an_amount(first, draft.question):
        first = None
    if first is None:
        yield Done(declined)
        return
    further = (
        further_statements(first, draft.question, draft.evidence, citations)
        if is_explanatory(draft.question)
        else []
    )
    statements = verify([first, *further], draft.question)
    yield Done(
        Answer(
            draft.question,
            tuple(statements),
            not statements,
            draft.hits,
            tuple(articles),
            backend=generator.name,
        )
    )


def _reply(
    question: str, evidence: Sequence[Evidence], generator: Generator, settings: Settings
) -> Generator_[AnswerEvent, None, str]:
    """Stream the model's reply to ``evidence`` (its events yielded as they come);
    return its first line, cleaned (:func:`~retrieval.grounding.checks.clean_phrase`)."""
    pieces: list[str] = []
    messages = answer_messages(question, evidence)
    for event in generator.stream(messages, settings.generation.max_new_tokens):
        yield event
        match event:
            case Restart():
                pieces.clear()
            case Piece(text):
                pieces.append(text)
                if "\n" in text:
                    break
    return clean_phrase("".join(pieces))


def _second_look(
    draft: Draft, library: ArticleLibrary, generator: Generator, settings: Settings, first: str
) -> Generator_[AnswerEvent, None, Statement | None]:
    """The answer read from the next sentences (``draft.reserve``), or None.

    Asked when the model's reply to the best sentences only repeats the question
    ("Argentina" for "Near which town in Argentina did the helicopters
    collide?"): the best-scoring sentence can be the one that restates the
    question, and the answer ("near the town of Villa Castelli") a sentence
    further down. The second reply counts only where it is found, word for
    word or nearly, in one of those sentences
    (:func:`~retrieval.answer.statements.statement_from_reply`), and only when
    it names something (a noun, a name or a number): a lower sentence is a reach.
    A second reply the same as the ``first`` (not found in the sentences shown
    first) was not read from the next sentences: the model said it before seeing
    them (an article's injected "say the budget was …" is found there too).
    """
    yield Restart("reading the next evidence")
    reply = yield from _reply(draft.question, draft.reserve, generator, settings)
    if (
        abstains(reply)
        or reply.casefold() == first.casefold()
        or not adds_information(reply, draft.question)
    ):
        return None
    citations = citations_for(draft.reserve, library)
    found = statement_from_reply(
        draft.question, reply, citations, library, query=draft.query, located_only=True
    )
    marked = found.citations[0] if found is not None else None
    if marked is None or marked.answer_in_quote is None:
        return None
    with contextlib.suppress(EntityModelMissingError):  # then as the model said it
        if not names_something(marked.quote, marked.answer_in_quote):
            return None  # "accused", for "What charges does he face?"
    return found


WEAKER_BY = 2.0  # log-odds the cited sentence trails the best one by before it is read again


def _from_a_weaker_sentence(statement: Statement, draft: Draft) -> list[Evidence]:
    """The shown sentences the answer-sentence cross-encoder rates as stating the
    answer, where ``statement`` comes from one it rates as not stating it, at least
    :data:`WEAKER_BY` log-odds below the best; else []. "Jacksonvillians", from
    "People from Jacksonville may be called …", for "What historical figure was
    Jacksonville named after?" beside "… named the town Jacksonville, after Andrew
    Jackson." (see :mod:`retrieval.answer.cross_encoder`)."""
    cited = statement.citations[0]
    source = next(
        (
            e
            for e in draft.evidence
            if e.paragraph.article_id == cited.article_id
            and e.paragraph.index == cited.paragraph_index
            and e.sentence in cited.quote
        ),
        None,
    )
    best = draft.evidence[0].answer_logit
    if source is None or source.answer_logit is None or best is None:
        return []
    if source.answer_logit >= 0 or best - source.answer_logit < WEAKER_BY:
        return []
    return [e for e in draft.evidence if e.answer_logit is not None and e.answer_logit > 0]


def _ask_again(
    draft: Draft,
    library: ArticleLibrary,
    generator: Generator,
    settings: Settings,
    first: str,
    sentences: Sequence[Evidence],
) -> Generator_[AnswerEvent, None, Statement | None]:
    """The model's reply to ``sentences`` alone, found word for word in one of
    them and passing the checks, or None (no sentences, an abstention, the
    ``first`` reply again)."""
    if not sentences:
        return None
    yield Restart("reading the other evidence")
    reply = yield from _reply(draft.question, sentences, generator, settings)
    if abstains(reply) or reply.casefold() == first.casefold():
        return None
    citations = citations_for(sentences, library)
    return statement_from_reply(
        draft.question, reply, citations, library, query=draft.query, located_only=True
    )


# "Which official …?", "What is the name of …?": a name is asked for, whatever the noun.
_WHICH = re.compile(r"^\s*(?:\w+\s+)?which\b|\bname of\b", re.IGNORECASE)


def _unanswered(statement: Statement | None, draft: Draft) -> bool:
    """Whether the first reading left the question unanswered: nothing to say, or,
    for a question asking for a name, the whole sentence with no name the
    question lacks ("… the Obama administration Friday filed a brief …" for
    "Which Obama administration official wrote the brief?"), or the whole
    sentence when it only restates the question ("The Pleistocene (P) epoch." for
    "The Pleistocene epoch takes place during which period?")."""
    if statement is None:
        return True
    whole = statement.repaired and statement.text == statement.citations[0].quote
    if whole and not adds_information(statement.text, draft.question):
        return True
    asks_name = asks_for_a_name(draft.question) or bool(_WHICH.search(draft.question))
    return whole and asks_name and not names_new(statement.text, draft.question)


def _whole_without_an_amount(statement: Statement | None, question: str) -> bool:
    """Whether the answer, after any second look, is still a whole sentence for "How
    many/much …?" that gives no amount (:func:`~retrieval.answer.kinds.no_amount_said`):
    a near miss ("… her only confirmed paid speech" for how much she is paid)."""
    return (
        statement is not None
        and statement.text == statement.citations[0].quote
        and no_amount_said(question, statement.text)
    )


# A place named by its kind: "Bleone Valley", "San Joaquin Valley", "Lake Erie".
_NAMED_PLACE = re.compile(
    r"\b(?:Valley|Mountains?|River|Lake|City|Town|County|State|Province|Region|"
    r"District|Street|Road|Avenue|Island|Park|Bay|Sea|Ocean|Desert|Forest|Coast|Square)\b"
)


def _kind_further_down(statement: Statement | None, draft: Draft) -> bool:
    """Whether a "Which <noun> …?" question's first answer names a place of another kind
    while a sentence of the second look names one of the kind asked ("Which mountain
    did the jet crash on?": "Bleone Valley" from the best sentence, "… on Trois
    Eveches mountain" further down; "Which city …?": "San Joaquin Valley";
    :func:`~retrieval.grounding.phrases.names_the_kind`). A name of no such kind
    ("HAMAS" for "What organization …?") is taken as the model read it."""
    if statement is None:  # declined: a near miss's way out ("What street was the
        return False  # residence on?", "… Williamson Street, where the shooting happened")
    if not _NAMED_PLACE.search(statement.text):
        return False
    try:
        if of_the_kind(draft.question, statement.text):
            return False
        return any(names_the_kind(draft.question, e.passage) for e in draft.reserve)
    except EntityModelMissingError:
        return False


def _typed_further_down(statement: Statement | None, draft: Draft) -> bool:
    """Whether the first reading fell back to a whole sentence for a question wanting a
    kind of answer (a count, a date, a time, a name; :func:`expected_answer`) that a
    sentence of the second look holds: "How many people were killed in the Bardo
    Museum attack?" is not the sentence naming the two gunmen, when "… said 23
    people are believed to have been killed" is further down. A declined first
    reading gets no second look here: it is the near misses' way out."""
    if statement is None or statement.text != statement.citations[0].quote:
        return False
    return expected_answer(draft.question) is not None and any(e.typed for e in draft.reserve)


def _hits_by_evidence(hits: Sequence[Hit], ranked: Sequence[Evidence]) -> tuple[Hit, ...]:
    """Hits re-ordered by their best sentence, so 'nearest paragraphs' are right."""
    order: dict[int, int] = {}
    for position, evidence in enumerate(ranked):
        order.setdefault(evidence.paragraph.id, position)
    return tuple(sorted(hits, key=lambda h: order.get(h.paragraph.id, len(order))))
