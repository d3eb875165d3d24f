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
from dataclasses import dataclass, field, replace

from retrieval.answer.abstention import features, load_model
from retrieval.answer.cross_encoder import scorer_for
from retrieval.answer.evidence import (
    Evidence,
    is_answerable,
    names_new,
    score_sentences,
    select_evidence,
    with_a_name,
)
from retrieval.answer.framing import says_nothing_asked
from retrieval.answer.located import (
    counted,
    doer,
    of_the_kind_asked,
    reason_given,
    recounted,
    refused,
)
from retrieval.answer.prompts import abstains, answer_messages, is_explanatory, judge_messages
from retrieval.backends.base import Generator, Judge
from retrieval.grounding.checks import (
    adds_information,
    cite,
    clean_phrase,
    grounded_statement,
    is_supported,
    verify,
)
from retrieval.grounding.phrases import complete_phrase, names_something
from retrieval.grounding.spans import answer_span, bracketed_alias, locate
from retrieval.library.base import ArticleLibrary
from retrieval.search.hybrid import hybrid_search
from retrieval.settings import Settings
from retrieval.text.english_model import EntityModelMissingError
from retrieval.text.questions import QUESTION_NAME, asks_for_a_name
from retrieval.text.terms import claim_terms
from retrieval.types import (
    Answer,
    AnswerEvent,
    Article,
    Citation,
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
    citations = _citations(draft.evidence, library)
    first = _statement(draft, reply, citations, library)
    if draft.reserve and not adds_information(reply, draft.question) and _unanswered(first, draft):
        second = yield from _second_look(draft, library, generator, settings)
        first = second or first
    if first is None:
        yield Done(declined)
        return
    further = _further_statements(first, draft, citations) if is_explanatory(draft.question) else []
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


def _statement(
    draft: Draft,
    reply: str,
    citations: tuple[Citation, ...],
    library: ArticleLibrary,
    *,
    located_only: bool = False,
) -> Statement | None:
    """The model's ``reply`` checked against ``citations`` (the evidence it was shown):
    found in a sentence and completed, repaired to the doer or the count asked for,
    or else the supporting sentence; None where nothing there may be said (the
    answer is then declined). With ``located_only``, None unless the reply's own
    words are found."""
    question = draft.question
    statement = _located(reply, question, _about_names(question, citations, library))
    if statement is not None:
        repaired = doer(question, statement.citations[:1], instead_of=statement)
        statement = repaired or of_the_kind_asked(question, statement)
        statement = recounted(question, statement, citations)
    elif located_only:
        return None
    else:
        statement = doer(question, citations) or counted(question, citations)
    if statement is None:
        if len(reply.split()) <= PHRASE_WORDS:
            # A short phrase must be found in one sentence, not assembled from
            # words scattered over it ("Islamic father" from "ideological
            # father … Islamic thinkers"): the answer is the sentence instead,
            # unless it lacks the kind of answer asked for (no date for "When
            # …?"): then the model's phrase came from nowhere we may cite.
            if not citations or not draft.evidence[0].typed:
                return None
            statement = Statement(citations[0].quote, citations, repaired=True)
        else:
            statement = grounded_statement(reply, citations, question)
        if statement.repaired:
            statement = _shortest_supported(statement, question)
    statement = reason_given(question, statement, citations) or statement
    first = _drop_unsupporting(statement, question)
    if _answers(draft, first, library):
        return first
    # Not what was asked: "Who created MatchGrid?" is not "David Jacobs" from "a
    # programmer named David Jacobs received a kidney"; who did it, where another
    # shown sentence says so with the question's own verb ("Jacobs …, creating
    # MatchGrid"), is.
    others = [c for c in citations if c.quote != first.citations[0].quote]
    done = None if located_only else doer(question, others, instead_of=first)
    return done if done is not None and _answers(draft, done, library) else None


def _answers(draft: Draft, statement: Statement, library: ArticleLibrary) -> bool:
    """Whether ``statement`` answers what was asked, by its cited sentence and article
    (:func:`~retrieval.answer.located.refused`,
    :func:`~retrieval.answer.framing.says_nothing_asked`)."""
    cited = statement.citations[0]
    article = library.store.body(cited.article_id) + " " + cited.article_title
    return not (
        refused(draft.question, statement, article) or says_nothing_asked(draft.query, statement)
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
    draft: Draft, library: ArticleLibrary, generator: Generator, settings: Settings
) -> Generator_[AnswerEvent, None, Statement | None]:
    """The answer read from the next sentences (``draft.reserve``), or None.

    Asked when the model's reply to the best sentences only repeats the question
    ("Argentina" for "Near which town in Argentina did the helicopters
    collide?"): the best-scoring sentence can be the one that restates the
    question, and the answer ("near the town of Villa Castelli") a sentence
    further down. The second reply counts only where it is found, word for
    word or nearly, in one of those sentences (:func:`_located`), and only when
    it names something (a noun, a name or a number): a lower sentence is a reach.
    """
    yield Restart("reading the next evidence")
    reply = yield from _reply(draft.question, draft.reserve, generator, settings)
    if abstains(reply):
        return None
    citations = _citations(draft.reserve, library)
    found = _statement(draft, reply, citations, library, located_only=True)
    marked = found.citations[0] if found is not None else None
    if marked is None or marked.answer_in_quote is None:
        return None
    with contextlib.suppress(EntityModelMissingError):  # then as the model said it
        if not names_something(marked.quote, marked.answer_in_quote):
            return None  # "accused", for "What charges does he face?"
    return found


# "Which official …?", "What is the name of …?": a name is asked for, whatever the noun.
_WHICH = re.compile(r"^\s*(?:\w+\s+)?which\b|\bname of\b", re.IGNORECASE)


def _unanswered(statement: Statement | None, draft: Draft) -> bool:
    """Whether the first reading left the question unanswered: nothing to say, or,
    for a question asking for a name, the whole sentence with no name the
    question lacks ("… the Obama administration Friday filed a brief …" for
    "Which Obama administration official wrote the brief?")."""
    if statement is None:
        return True
    whole = statement.repaired and statement.text == statement.citations[0].quote
    asks_name = asks_for_a_name(draft.question) or bool(_WHICH.search(draft.question))
    return whole and asks_name and not names_new(statement.text, draft.question)


def _about_names(
    question: str, citations: Sequence[Citation], library: ArticleLibrary
) -> Sequence[Citation]:
    """``citations`` without those whose article never names what the question names.

    "When will the Fraggle Rock film be released?" is not answered by a date in
    a story about another film: when the best citation's article (its body or
    title) holds every capitalised name of the question (stemmed), a citation
    whose article lacks one of them is not where the answer may come from.
    Otherwise ``citations`` as they are.
    """
    names = claim_terms(" ".join(QUESTION_NAME.findall(question)))
    if not names or len(citations) < 2:
        return citations
    bodies: dict[int, set[str]] = {}

    def names_all(citation: Citation) -> bool:
        if citation.article_id not in bodies:
            text = library.store.body(citation.article_id) + " " + citation.article_title
            bodies[citation.article_id] = claim_terms(text)
        return names <= bodies[citation.article_id]

    if not names_all(citations[0]):
        return citations
    return [c for c in citations if names_all(c)]


PHRASE_WORDS = 5  # a reply this short is a phrase: it must be located, not only supported


def _located(reply: str, question: str, citations: Sequence[Citation]) -> Statement | None:
    """The reply as the words of the best evidence sentence that says it, or None.

    The citation is the sentence the answer's words come from, found here by
    the program, whichever sentence the model drew them from; the words are
    marked in the quote (``answer_start``/``answer_end``). A sentence that
    says the reply word for word wins over an earlier one that holds its
    words only loosely (:func:`~retrieval.grounding.spans.locate`). The words
    are grown to the whole noun phrase they head ("extremely high humidity",
    "667,000 firms"; :func:`~retrieval.grounding.phrases.complete_phrase`).
    """
    if not reply or not adds_information(reply, question):
        return None
    for fuzzy in (False, True):
        for citation in citations:
            span = locate(reply, citation.quote, fuzzy)
            if span is None or bracketed_alias(question, citation.quote, span):
                continue
            with contextlib.suppress(EntityModelMissingError):  # then as the model said it
                span = complete_phrase(citation.quote, span)
            words = citation.quote[span[0] : span[1]]
            if not adds_information(words, question):
                continue
            start = citation.quote_start + span[0]
            marked = replace(citation, answer_start=start, answer_end=start + len(words))
            return Statement(words, (marked,))
    return None


FURTHER_MARGIN = 0.08  # evidence this close to the best sentence's score may add a statement
FURTHER_WORDS = 30  # a further statement is a whole sentence only up to this many words


def _further_statements(
    first: Statement, draft: Draft, citations: Sequence[Citation]
) -> list[Statement]:
    """Up to two more statements for a why/how/what-happened question, each with its citation.

    A reason or an account is often spread over sentences of different
    paragraphs ("suspended after a fracas" … "the BBC said an investigation
    …"). Each further statement is the answering part of another evidence
    sentence (:func:`answer_span`, else the whole sentence when short) that
    scores nearly as well as the best one; the model's phrase stays first.
    """
    cited = {c.paragraph_id for c in first.citations}
    best = draft.evidence[0].score
    further: list[Statement] = []
    for evidence, citation in zip(draft.evidence, citations, strict=True):
        if len(further) == 2:
            break
        if citation.paragraph_id in cited or evidence.score < best - FURTHER_MARGIN:
            continue
        span = answer_span(draft.question, citation.quote)
        if span is None:
            if len(citation.quote.split()) > FURTHER_WORDS:
                continue
            span = (0, len(citation.quote))
        text = citation.quote[span[0] : span[1]].strip()
        if not adds_information(text, draft.question):
            continue
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


def _citations(evidence: Sequence[Evidence], library: ArticleLibrary) -> tuple[Citation, ...]:
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


def _hits_by_evidence(hits: Sequence[Hit], ranked: Sequence[Evidence]) -> tuple[Hit, ...]:
    """Hits re-ordered by their best sentence, so 'nearest paragraphs' are right."""
    order: dict[int, int] = {}
    for position, evidence in enumerate(ranked):
        order.setdefault(evidence.paragraph.id, position)
    return tuple(sorted(hits, key=lambda h: order.get(h.paragraph.id, len(order))))
