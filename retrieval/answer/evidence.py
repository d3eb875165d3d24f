"""Choosing the sentences that answer a question, and whether any do.

Retrieval finds paragraphs; this step scores every sentence in them against
the question (embedding similarity plus word overlap plus the expected kind of
answer) and decides what is cited. The model never chooses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.backends.base import Embedder
from retrieval.text.questions import expected_answer
from retrieval.text.sentences import sentence_spans
from retrieval.text.terms import claim_terms
from retrieval.types import Hit, Paragraph


@dataclass(frozen=True)
class Evidence:
    """One candidate sentence and how well it answers the question.

    Attributes:
        paragraph: The paragraph holding the sentence.
        start: Sentence start offset within the paragraph text.
        end: Sentence end offset within the paragraph text.
        score: Combined score, higher is better.
        similarity: Cosine similarity of sentence and question.
        coverage: Share of the question's content words found in the paragraph.
        typed: Whether the sentence holds the kind of answer asked for.
    """

    paragraph: Paragraph
    start: int
    end: int
    score: float
    similarity: float
    coverage: float
    typed: bool

    @property
    def sentence(self) -> str:
        """The sentence text."""
        return self.paragraph.text[self.start : self.end]


def score_sentences(question: str, hits: Sequence[Hit], embedder: Embedder) -> list[Evidence]:
    """Every sentence of the ``hits`` paragraphs, best answer first."""
    candidates: list[tuple[Hit, int, int]] = []
    for hit in hits:
        for start, end in sentence_spans(hit.paragraph.text):
            candidates.append((hit, start, end))
    if not candidates:
        return []
    texts = [question] + [h.paragraph.text[s:e] for h, s, e in candidates]
    vectors = embedder.encode(texts)
    similarities = vectors[1:] @ vectors[0]
    question_terms = claim_terms(question)
    pattern = expected_answer(question)
    ranked = []
    paragraph_similarity = _paragraph_similarity(candidates, similarities)
    # Computed once per paragraph, not once per sentence of it.
    paragraph_coverage = {
        hit.paragraph.id: _coverage(
            question_terms, claim_terms(hit.paragraph.text + " " + hit.paragraph.article_title)
        )
        for hit in hits
    }
    for (hit, start, end), similarity in zip(candidates, similarities, strict=False):
        sentence = hit.paragraph.text[start:end]
        coverage = paragraph_coverage[hit.paragraph.id]
        sentence_cover = _coverage(question_terms, claim_terms(sentence))
        typed = pattern is None or bool(pattern.search(_strip_question_words(sentence, question)))
        score = (
            0.45 * float(similarity)
            + 0.2 * paragraph_similarity[hit.paragraph.id]
            + 0.2 * sentence_cover
            + 0.15 * coverage
            + (0.0 if typed else -0.15)
        )
        ranked.append(
            Evidence(hit.paragraph, start, end, score, float(similarity), coverage, typed)
        )
    ranked.sort(key=lambda e: -e.score)
    return ranked


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
