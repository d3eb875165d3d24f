"""Answering a question: retrieve, choose evidence, phrase, check.

The order matters: retrieval and evidence selection decide what is said and
what is cited; the model only turns the chosen sentence into a short answer,
and that phrasing is kept only if its cited paragraph supports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

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
from retrieval.answer.framing import has_a_full_date, without_dates_given
from retrieval.answer.kinds import no_amount_said
from retrieval.answer.located import refused
from retrieval.answer.person_age import age_in_story, asked_person
from retrieval.answer.prompts import abstains, is_explanatory, judge_messages
from retrieval.answer.rereading import (
    ask_again,
    best_alone,
    from_a_weaker_sentence,
    kind_further_down,
    model_reply,
    second_look,
    typed_further_down,
    unanswered,
)
from retrieval.answer.statements import (
    citations_for,
    found_by_the_program,
    further_statements,
    named_in,
    statement_from_reply,
)
from retrieval.backends.base import Generator, Judge
from retrieval.grounding.checks import (
    adds_information,
    cite,
    verify,
)
from retrieval.grounding.phrases import parse
from retrieval.grounding.spans import locate
from retrieval.library.base import ArticleLibrary
from retrieval.search.hybrid import hybrid_search
from retrieval.settings import Settings
from retrieval.text.english_model import EntityModelMissingError
from retrieval.types import (
    Answer,
    AnswerEvent,
    Article,
    Done,
    Hit,
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
    # A date naming a story ("the storm of 2 November 2014"), which its sentences do
    # not repeat, picks the stories so dated; their sentences are weighed without it.
    hits, weighed = _dated_stories(query, hits, library)
    scorer = scorer_for(library.embedder) if settings.retrieval.rerank else None
    scored = score_sentences(weighed, hits, library.embedder, scorer)
    # The evidence comes from the articles naming the question's names, and the verifier
    # judges that evidence: not a sentence of another story, which lacks the names
    # ("Webster Groves" for the officer shot there, not the Madison shooting). Measured
    # against judging every sentence scored (2026-12-02, verifier alone, 300 SQuAD and
    # 645 news questions): SQuAD unchanged; news, one more near miss declined and one
    # fewer answerable question declined.
    ranked = about_the_names(question, scored, lambda article: named_in(library, article))
    limit = settings.generation.answer_sentences
    chosen = tuple(with_a_name(select_evidence(ranked, limit), ranked, question, limit))
    verifier = load_model() if settings.retrieval.verifier else None
    if not chosen:
        return Draft(question, _hits_by_evidence(hits, ranked), chosen, True, query=query)
    hits_shown = _hits_by_evidence(hits, ranked)
    reserve = tuple(_reserve(ranked, chosen, limit))
    if verifier is None:
        declined = not is_answerable(scored[0], settings.retrieval.decline_threshold)
        return Draft(question, hits_shown, chosen, declined, query=query, reserve=reserve)
    logit = verifier.logit(features(weighed, ranked))
    return Draft(question, hits_shown, chosen, False, logit, ranked[0].answer_logit, query, reserve)


def _dated_stories(
    query: str, hits: tuple[Hit, ...], library: ArticleLibrary
) -> tuple[tuple[Hit, ...], str]:
    """``(hits, query)`` where ``query`` writes a date in full that some hits' articles
    give (in their text or as their publication date: :func:`named_in`): only those
    hits, and the query without that date (:func:`without_dates_given`); otherwise
    both as they are."""
    if not has_a_full_date(query):
        return hits, query
    undated: dict[int, str] = {}
    for hit in hits:
        article = hit.paragraph.article_id
        if article not in undated:
            undated[article] = without_dates_given(query, named_in(library, article))
    dated = tuple(h for h in hits if undated[h.paragraph.article_id] != query)
    if not dated:
        return hits, query
    return dated, undated[dated[0].paragraph.article_id]


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
    if (aged := age_in_the_stories(draft, library)) is not None:
        yield Done(
            Answer(draft.question, (aged,), False, draft.hits, tuple(articles),
                   backend=generator.name)
        )  # fmt: skip
        return
    if draft.declined:
        yield Done(declined)
        return
    if _verified_unanswerable(draft, generator, settings):
        # The verifier judges the best-matching sentence by its words; the program's own
        # finders read every sentence shown for the doer, the name, the age or the
        # place asked, tied to the question by its grammar (not a count, which a near
        # miss gives for another place or time: "at least 11 people" killed elsewhere).
        shown = citations_for([*draft.evidence, *draft.reserve], library)
        found = found_by_the_program(draft.question, draft.query, shown, library, counts=False)
        statements = verify([found], draft.question) if found is not None else []
        yield Done(
            Answer(draft.question, tuple(statements), not statements, draft.hits,
                   tuple(articles), backend=generator.name)
        )  # fmt: skip
        return
    reply = yield from model_reply(draft.question, draft.evidence, generator, settings)
    if abstains(reply):
        yield Done(declined)
        return
    citations = citations_for(draft.evidence, library)
    first = statement_from_reply(
        draft.question, reply, citations, library, query=draft.query, typed=draft.evidence[0].typed
    )
    only_repeats = not adds_information(reply, draft.question) and unanswered(first, draft)
    if only_repeats:
        alone = yield from best_alone(draft, library, generator, settings, reply)
        if alone is not None:
            first, only_repeats = alone, False
    further_down = kind_further_down(first, draft) or typed_further_down(first, draft)
    if draft.reserve and (only_repeats or further_down):
        second = yield from second_look(draft, library, generator, settings, reply)
        first = second or first
    if first is not None and (stronger := from_a_weaker_sentence(first, draft)):
        wanted = _still_a_name(draft.question, first.text, stronger)
        again = yield from ask_again(
            draft, library, generator, settings, reply, stronger, wanted=wanted
        )
        first = again or first
    if _whole_without_an_amount(first, draft.question):
        first = None
    if first is None and draft.reserve:
        # The model's answer was refused: who did the asked action, the count or the
        # place, where a sentence further down the story says it with the question's
        # own verb ("Adam Davidson will direct the pilot").
        below = citations_for(draft.reserve, library)
        first = found_by_the_program(draft.question, draft.query, below, library)
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


_WHO = re.compile(r"^\s*(?:who|whom|whose)\b", re.IGNORECASE)


def _still_a_name(question: str, answer: str, shown: Sequence[Evidence]) -> Callable[[str], bool]:
    """Which replies may replace ``answer`` when the ``shown`` stronger sentences are read
    again: for "Who/Whom/Whose …?" answered by a name, only a proper noun there ("William
    Smith" is not traded for "Fossils", the "fossils" of "… is based on the appearance of
    fossils", for "Whose principles were the principle of faunal succession built
    upon?"); else any.

    A reply not found word for word in them is left to the checks after (the loose
    reading finds "Smith, William"). Raises nothing: without spaCy's English pipeline,
    any reply.
    """
    if not _WHO.match(question) or not names_new(f" {answer}", question):
        return lambda reply: True

    def names_someone(reply: str) -> bool:
        for evidence in shown:
            span = locate(reply, evidence.sentence, fuzzy=False)
            if span is None:
                continue
            try:
                words = [t for t in parse(evidence.sentence) if span[0] <= t.idx < span[1]]
            except EntityModelMissingError:
                return True
            return any(t.pos_ == "PROPN" for t in words)
        return True

    return names_someone


def age_in_the_stories(draft: Draft, library: ArticleLibrary) -> Statement | None:
    """The age a story among the hits gives the person "How old is <name> …?" asks
    about, found by the program in the whole story
    (:func:`~retrieval.answer.person_age.age_in_story`), cited to its sentence with the
    age marked; None when no story gives one that answers the question
    (:func:`~retrieval.answer.located.refused`). Asked before the
    verifier, which judges only the best-matching sentence."""
    if asked_person(draft.question) is None:
        return None
    for article_id in dict.fromkeys(hit.paragraph.article_id for hit in draft.hits):
        found = age_in_story(draft.question, library.paragraphs(article_id))
        if found is None:
            continue
        citation = cite(found.paragraph, *found.sentence, library.article(article_id))
        start, end = found.age
        marked = replace(citation, answer_start=start, answer_end=end)
        statement = Statement(found.paragraph.text[start:end], (marked,))
        # the story's words tie the age to the person; the sentence may name them
        # only by a pronoun, so only the refusals of its words apply
        story = named_in(library, article_id) + " " + citation.article_title
        if not refused(draft.question, statement, story):
            return statement
    return None


def _whole_without_an_amount(statement: Statement | None, question: str) -> bool:
    """Whether the answer, after any second look, is still a whole sentence for "How
    many/much …?" that gives no amount (:func:`~retrieval.answer.kinds.no_amount_said`):
    a near miss ("… her only confirmed paid speech" for how much she is paid)."""
    return (
        statement is not None
        and statement.text == statement.citations[0].quote
        and no_amount_said(question, statement.text)
    )


def _hits_by_evidence(hits: Sequence[Hit], ranked: Sequence[Evidence]) -> tuple[Hit, ...]:
    """Hits re-ordered by their best sentence, so 'nearest paragraphs' are right."""
    order: dict[int, int] = {}
    for position, evidence in enumerate(ranked):
        order.setdefault(evidence.paragraph.id, position)
    return tuple(sorted(hits, key=lambda h: order.get(h.paragraph.id, len(order))))
