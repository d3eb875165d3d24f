"""Suggested questions for chosen articles, kept only when the articles answer them.

Candidates are who/what/when questions built from the articles' own names and
dates — the people, organisations and places spaCy finds
(:func:`retrieval.briefing.entities.extract_entities`) and the dated sentences
of the timeline (:func:`retrieval.briefing.timeline.find_dated_sentences`).
Each candidate then goes through the answer pipeline's retrieval and
abstention check (:func:`retrieval.answer.answer.prepare`: search, evidence,
the trained verifier) without the language model, and is kept only if that
check would answer it. That costs one search per candidate, no generation.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.answer.answer import answerable_by_evidence, prepare
from retrieval.briefing.entities import extract_entities
from retrieval.briefing.timeline import find_dated_sentences, one_per_date
from retrieval.library.library import Library
from retrieval.settings import Settings
from retrieval.types import Paragraph

MAX_ARTICLES = 3
"""Suggestions are offered for a small selection; a large one is a briefing's job."""
MAX_PARAGRAPHS = 60


def candidate_questions(articles: Sequence[tuple[Sequence[Paragraph], str | None]]) -> list[str]:
    """Who/what/when questions about the names and dates in some articles, best first.

    Args:
        articles: Each article's paragraphs (in order) and publication date
            (ISO-8601 or None; it resolves "Sunday" to a date).

    Returns:
        Questions, without repeats; nothing when no name or date is found.

    Raises:
        EntityModelMissingError: The spaCy pipeline is not installed.
    """
    paragraphs = [p for article, _ in articles for p in article]
    entities = extract_entities(paragraphs, limit=3)
    dated = one_per_date(
        entry for article, published in articles
        for entry in find_dated_sentences(article, published)
    )  # fmt: skip
    questions: list[str] = []
    questions += [f"Who is {name}?" for name in entities.people[:2]]
    questions += [f"What happened on {entry.display}?" for entry in dated[:2]]
    questions += [f"What did {name} do?" for name in entities.organisations[:1]]
    questions += [f"What happened in {name}?" for name in entities.places[:1]]
    return list(dict.fromkeys(questions))


def suggest_questions(
    library: Library, settings: Settings, article_ids: Sequence[int], limit: int = 3
) -> list[str]:
    """Up to ``limit`` questions the chosen articles answer.

    Args:
        library: The library holding the articles.
        settings: Retrieval settings (the same checks as a real answer).
        article_ids: The selected articles; more than :data:`MAX_ARTICLES`
            gives no suggestions.
        limit: Most questions returned.

    Returns:
        Questions whose answer check passes over ``article_ids``, best first.
    """
    ids = list(article_ids)
    if not ids or len(ids) > MAX_ARTICLES:
        return []
    articles = []
    for article_id in ids:
        article = library.article(article_id)
        if article is not None:
            paragraphs = library.paragraphs(article_id)[: MAX_PARAGRAPHS // len(ids)]
            articles.append((paragraphs, article.published))
    kept: list[str] = []
    for question in candidate_questions(articles):
        if answerable_by_evidence(prepare(question, library, settings, ids), settings):
            kept.append(question)
            if len(kept) >= limit:
                break
    return kept
