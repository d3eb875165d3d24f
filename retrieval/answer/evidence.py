"""Choosing the sentences that answer a question, and whether any do.

Retrieval finds paragraphs; this step scores every sentence in them against
the question (embedding similarity plus word overlap plus the expected kind of
answer), lets a trained cross-encoder reorder the best few
(:mod:`retrieval.answer.cross_encoder`), and decides what is cited. The
model never chooses.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from retrieval.answer.cross_encoder import pair_text
from retrieval.backends.base import Embedder
from retrieval.text.questions import QUESTION_NAME, asks_for_a_name, expected_answer
from retrieval.text.sentences import sentence_spans
from retrieval.text.terms import (
    MONTHS,
    WEEKDAYS,
    capitalised,
    claim_terms,
    spelled_out_acronyms,
)
from retrieval.types import Hit, Paragraph


class SentenceScorer(Protocol):
    """Scores (question, text) pairs: log-odds that the text states the answer."""

    def scores(self, question: str, texts: Sequence[str]) -> list[float]: ...


@dataclass(frozen=True)
class Evidence:
    """One candidate sentence and how well it answers the question.

    Attributes:
        paragraph: The paragraph holding the sentence.
        start: Sentence start offset within the paragraph text.
        end: Sentence end offset within the paragraph text.
        score: Combined score, higher is better.
        similarity: Cosine similarity of the sentence (alone) and question.
        coverage: Share of the question's content words found in the paragraph.
        typed: Whether the sentence holds the kind of answer asked for.
        answer_logit: The answer-sentence cross-encoder's log-odds that the
            sentence states the answer, for the sentences it reordered.
        passage_start: Where :attr:`passage` starts, when before ``start``.
    """

    paragraph: Paragraph
    start: int
    end: int
    score: float
    similarity: float
    coverage: float
    typed: bool
    answer_logit: float | None = None
    passage_start: int | None = None

    @property
    def sentence(self) -> str:
        """The sentence text."""
        return self.paragraph.text[self.start : self.end]

    @property
    def passage(self) -> str:
        """What is shown, quoted and cross-encoded: the sentence, after the sentence
        before it when it opens with a pronoun (:data:`_ANAPHOR`)."""
        start = self.start if self.passage_start is None else self.passage_start
        return self.paragraph.text[start : self.end]


#: How many of the best sentences the cross-encoder reorders, and the weight of
#: its log-odds against the hand-made score (chosen on held-out SQuAD 2.0 dev
#: articles: the best sentence held the answer 78.6% → 82.1% of the time).
RERANKED = 8
RERANK_WEIGHT = 0.1


def score_sentences(
    question: str, hits: Sequence[Hit], embedder: Embedder, scorer: SentenceScorer | None = None
) -> list[Evidence]:
    """Every sentence of the ``hits`` paragraphs, best answer first.

    With a ``scorer`` (the answer-sentence cross-encoder), the best
    :data:`RERANKED` sentences are reordered by their score plus
    :data:`RERANK_WEIGHT` times its log-odds; they stay ahead of the rest.
    """
    candidates: list[tuple[Hit, int, int, int]] = []  # hit, passage start, sentence start, end
    asked = claim_terms(question)
    for hit in hits:
        previous: int | None = None
        for start, end in sentence_spans(hit.paragraph.text):
            begin = start
            if previous is not None and _leans_back(hit.paragraph.text, start, asked):
                begin = previous  # "It has a height of 617 ft": read with what "it" is
            candidates.append((hit, begin, start, end))
            previous = start
    if not candidates:
        return []
    question_vector = embedder.encode([question])[0]
    texts = [h.paragraph.text[b:e] for h, b, _, e in candidates]
    similarities = sentence_vectors(embedder, texts) @ question_vector
    own = [h.paragraph.text[s:e] for h, _, s, e in candidates]
    own_similarities = (
        similarities if own == texts else sentence_vectors(embedder, own) @ question_vector
    )
    question_terms = claim_terms(question)
    pattern = expected_answer(question)
    ranked = []
    paragraph_similarity = _paragraph_similarity(
        [(h, s, e) for h, _, s, e in candidates], own_similarities
    )
    # Computed once per paragraph, not once per sentence of it.
    paragraph_coverage = {
        hit.paragraph.id: _coverage(
            question_terms, claim_terms(hit.paragraph.text + " " + hit.paragraph.article_title)
        )
        for hit in hits
    }
    for n, (hit, begin, start, end) in enumerate(candidates):
        coverage = paragraph_coverage[hit.paragraph.id]
        sentence_cover = _coverage(question_terms, claim_terms(texts[n]))
        typed = pattern is None or bool(pattern.search(_strip_question_words(own[n], question)))
        score = (
            0.45 * float(similarities[n])
            + 0.2 * paragraph_similarity[hit.paragraph.id]
            + 0.2 * sentence_cover
            + 0.15 * coverage
            + (0.0 if typed else -0.15)
        )
        ranked.append(
            Evidence(
                hit.paragraph,
                start,
                end,
                score,
                float(own_similarities[n]),
                coverage,
                typed,
                passage_start=begin,
            )
        )
    ranked.sort(key=lambda e: -e.score)
    return rerank(question, ranked, scorer) if scorer is not None else ranked


#: A sentence opening with a pronoun is scored, shown and quoted with the sentence
#: before it, which says what the pronoun stands for; the answer must still be
#: in the sentence itself (``typed``).
_ANAPHOR = re.compile(r"(?:It|Its|He|His|She|Her|They|Their|This|These|Those)\b")
_THE_NOUN = re.compile(r"The ([a-z]+) (?:is|was|has|had|will|would|also|,)")


def _leans_back(text: str, start: int, asked: set[str]) -> bool:
    """Whether the sentence at ``start`` of ``text`` opens with a pronoun, or with "The
    <noun>" naming the thing asked about ("The character is the first gay figure …" for
    "What's the name of the first gay character …?"): what it stands for is in the
    sentence before."""
    if _ANAPHOR.match(text, start):
        return True
    match = _THE_NOUN.match(text, start)
    return match is not None and bool(claim_terms(match.group(1)) & asked)


#: How many sentence vectors are remembered per embedder (≈ 1.5 KB each for a
#: 384-dimensional model: 30 MB at most).
REMEMBERED_SENTENCES = 20_000

_remembered: weakref.WeakKeyDictionary[Embedder, OrderedDict[str, np.ndarray]] = (
    weakref.WeakKeyDictionary()
)
_remembered_lock = threading.Lock()


def sentence_vectors(embedder: Embedder, sentences: Sequence[str]) -> np.ndarray:
    """``embedder.encode(sentences)``, shape ``(len(sentences), dimension)``, with the
    vectors of sentences seen before taken from memory.

    Questions about the same articles score the same paragraphs' sentences again
    and again; each is encoded once per embedder (least recently used forgotten
    past :data:`REMEMBERED_SENTENCES`). Encoding a sentence alone or in a batch
    gives the same vector up to float rounding (no padding enters mean pooling).
    """
    with _remembered_lock:
        known = _remembered.setdefault(embedder, OrderedDict())
        found = {t: known[t] for t in dict.fromkeys(sentences) if t in known}
        for text in found:
            known.move_to_end(text)
    missing = [t for t in dict.fromkeys(sentences) if t not in found]
    if missing:
        fresh = dict(zip(missing, embedder.encode(missing), strict=True))
        found.update(fresh)
        with _remembered_lock:
            known.update(fresh)
            while len(known) > REMEMBERED_SENTENCES:
                known.popitem(last=False)
    return np.stack([found[t] for t in sentences])


def rerank(question: str, ranked: list[Evidence], scorer: SentenceScorer) -> list[Evidence]:
    """``ranked`` with its best :data:`RERANKED` reordered by the cross-encoder (see above)."""
    top = ranked[:RERANKED]
    texts = [pair_text(e.paragraph.article_title, e.passage) for e in top]
    logits = scorer.scores(question, texts)
    scored = [replace(e, answer_logit=logit) for e, logit in zip(top, logits, strict=True)]
    scored.sort(key=lambda e: -(e.score + RERANK_WEIGHT * (e.answer_logit or 0.0)))
    return scored + ranked[RERANKED:]


def select_evidence(ranked: Sequence[Evidence], limit: int, margin: float = 0.12) -> list[Evidence]:
    """The best sentences for the model, at most ``limit``, near the best score.

    One sentence per paragraph while other paragraphs compete: when two
    paragraphs both look like the answer, the model sees both, and the program
    cites the one whose words the answer turns out to be.
    """
    if not ranked:
        return []
    best = ranked[0].score
    near = [e for e in ranked if e.score >= best - margin]
    chosen: list[Evidence] = []
    for evidence in near:
        if evidence.paragraph.id not in {c.paragraph.id for c in chosen}:
            chosen.append(evidence)
    for evidence in near:
        if evidence not in chosen:
            chosen.append(evidence)
    return chosen[:limit]


NAME_MARGIN = 0.35  # how far below the best a sentence naming someone may still be shown

_NEW_NAME = re.compile(r"(?<=\s)[A-Z][\w'’-]+")
_NOT_NAMES = frozenset(
    (*capitalised((*WEEKDAYS, *MONTHS)), "The", "A", "An", "He", "She", "They", "It")
)
"""Capitalised words that name no one: days, months, a sentence's opening words."""


def names_new(sentence: str, question: str) -> bool:
    """Whether ``sentence`` holds a capitalised word, not its first, that the question
    lacks and that is no day or month: a name the answer could be."""
    asked = set(re.findall(r"[\w'’-]+", question))
    return any(w not in asked and w not in _NOT_NAMES for w in _NEW_NAME.findall(sentence))


def with_a_name(
    chosen: Sequence[Evidence], ranked: Sequence[Evidence], question: str, limit: int
) -> list[Evidence]:
    """``chosen``, and for a question asking for a name ("Who was the prosecutor who
    died?") whose chosen sentences name no one new, the next sentences of the best
    one's paragraph that do, within :data:`NAME_MARGIN` of its score, up to
    ``limit``: the lead "A prosecutor … died Tuesday" is then shown with "Prosecutor
    Mehmet Selim Kiraz died in the hospital …", which it outscores.
    """
    shown = list(chosen)
    if not shown or not asks_for_a_name(question):
        return shown
    if any(names_new(e.paragraph.text[e.start : e.end], question) for e in shown):
        return shown
    best = shown[0]
    for evidence in ranked:
        if len(shown) >= limit:
            break
        if evidence in shown or evidence.paragraph.id != best.paragraph.id:
            continue
        if evidence.score < best.score - NAME_MARGIN:
            break
        if names_new(evidence.paragraph.text[evidence.start : evidence.end], question):
            shown.append(evidence)
    return shown


def about_the_names(
    question: str, ranked: Sequence[Evidence], article_text: Callable[[int], str]
) -> list[Evidence]:
    """``ranked`` without the sentences of articles that never name what the question
    names, where another ranked sentence's article names all of it: "How many people
    were on board the Germanwings plane that crashed?" is not answered from a story
    about a helicopter crash in Argentina while the Germanwings story is loaded.
    Names are the question's capitalised words (:data:`QUESTION_NAME`), stemmed,
    looked for in the article's text and title (an acronym also where a name there
    spells it out: :func:`spelled_out_acronyms`); ``article_text`` gives an article's
    text by id. Otherwise ``ranked`` as it is."""
    names = claim_terms(" ".join(QUESTION_NAME.findall(question)))
    if not names:
        return list(ranked)
    naming: dict[int, bool] = {}

    def names_all(evidence: Evidence) -> bool:
        article = evidence.paragraph.article_id
        if article not in naming:
            text = article_text(article) + " " + evidence.paragraph.article_title
            naming[article] = names <= claim_terms(text) | spelled_out_acronyms(text, question)
        return naming[article]

    about = [e for e in ranked if names_all(e)]
    return about or list(ranked)


def is_answerable(best: Evidence, threshold: float) -> bool:
    """Whether the best sentence is strong enough to answer from."""
    strength = 0.6 * best.similarity + 0.4 * best.coverage
    return best.typed and strength >= threshold


def _coverage(question_terms: set[str], terms: set[str]) -> float:
    if not question_terms:
        return 0.0
    return len(question_terms & terms) / len(question_terms)


def _paragraph_similarity(
    candidates: Sequence[tuple[Hit, int, int]], similarities: np.ndarray
) -> dict[int, float]:
    """Best sentence similarity per paragraph: context for each sentence."""
    best: dict[int, float] = {}
    for (hit, _, _), similarity in zip(candidates, similarities, strict=False):
        pid = hit.paragraph.id
        best[pid] = max(best.get(pid, -1.0), float(similarity))
    return best


def _strip_question_words(sentence: str, question: str) -> str:
    """The sentence without the words the question already gives."""
    asked = {w.lower() for w in re.findall(r"\w+", question)}
    return " ".join(
        w for w in re.findall(r"\S+", sentence) if w.strip(".,;:'\"").lower() not in asked
    )
