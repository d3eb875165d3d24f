"""Briefings: stories with cited key points, a checked overview, entities, a timeline.

The steps (each in its own module):

1. Every usable sentence of every article is embedded; sentences aimed at AI
   tools or ordering the reader (and what follows them in their paragraph)
   are set aside, and their paragraphs listed as suspicious
   (:mod:`retrieval.text.injection`).
2. Articles about the same event are grouped into stories, and each story
   gets 2-5 key points, each a sentence of the articles, cited
   (:mod:`retrieval.briefing.stories`).
3. The model writes the overview, one sentence per story, each checked
   against the sentences it cites, repaired by deletion or dropped
   (:mod:`retrieval.briefing.overview`). A key point that an overview
   sentence restates (it cites the point and says most of its words) is not
   repeated.
4. People, places and organisations, never from a suspicious paragraph
   (:mod:`retrieval.briefing.entities`), a
   timeline of events (:mod:`retrieval.briefing.timeline`) and the facts on
   which the articles give different figures
   (:mod:`retrieval.briefing.differences`).

Everything shown is verified once more before it is returned
(:func:`retrieval.grounding.checks.verify_fused`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from retrieval.backends.base import Generator
from retrieval.briefing import stories as story_steps
from retrieval.briefing.differences import find_differences
from retrieval.briefing.entities import extract_entities
from retrieval.briefing.overview import write_overview
from retrieval.briefing.timeline import find_dated_sentences, one_per_event
from retrieval.briefs import Briefing, BriefingEvent, Difference, Story, TimelineEntry
from retrieval.grounding.checks import cite, verify, verify_fused
from retrieval.library.base import ArticleLibrary
from retrieval.text.injection import is_suspicious
from retrieval.text.terms import claim_terms
from retrieval.types import Article, Done, Paragraph, Progress, Statement

#: Key points shown per lead story besides its overview sentence, by length
#: (2-5). A short briefing of one story is about 50 words: its overview
#: sentence and two points, or two points when no overview sentence passed.
POINTS = {"short": 2, "medium": 3, "long": 4}
#: Stories given more than the minimum of points, and an overview sentence.
LEAD_STORIES = {"short": 3, "medium": 5, "long": 8}

#: Share of a key point's content words an overview sentence citing it must say
#: for the point to be left out as a repeat.
RESTATED = 0.6


def brief_steps(
    library: ArticleLibrary,
    generator: Generator,
    article_ids: Sequence[int] | None = None,
    length: str = "short",
) -> Iterator[BriefingEvent]:
    """Build a briefing: :class:`Progress` steps, then ``Done(briefing)``.

    Raises:
        ValueError: ``length`` is unknown, or there are no articles to brief.
        GeneratorError: The model failed while writing the overview.
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    if length not in POINTS:
        raise ValueError(f"length must be one of {', '.join(POINTS)}, not {length!r}")
    articles = _articles(library, article_ids)
    if not articles:
        raise ValueError("there are no articles to brief: add some first")
    yield Progress("Grouping the articles into stories")
    per_article = {a.id: library.paragraphs(a.id) for a in articles}
    suspicious = tuple(
        (p.article_id, p.index)
        for a in articles
        for p in per_article[a.id]
        if is_suspicious(p.text)
    )
    candidates = {
        a.id: story_steps.candidates(a, per_article[a.id], library.embedder) for a in articles
    }
    groups = story_steps.group_stories(candidates, articles)
    lead = LEAD_STORIES[length]
    chosen = [
        # One spare point, to take the place of one the overview restates.
        story_steps.pick_points(g, POINTS[length] + 1 if n < lead else story_steps.MIN_POINTS)
        for n, g in enumerate(groups)
    ]
    stories = tuple(
        Story(
            story_steps.heading(g),
            tuple(a.id for a in g.articles),
            tuple(verify(story_steps.statement(p) for p in points)),
        )
        for g, points in zip(groups, chosen, strict=True)
    )
    yield Progress("Finding people, places and dates")
    trusted = [p for a in articles for p in per_article[a.id] if not is_suspicious(p.text)]
    entities = extract_entities(trusted)
    timeline = _timeline(articles, per_article)
    differences = tuple(_checked(d) for d in find_differences([g.candidates for g in groups]))
    yield Progress("Writing the overview")
    overview = write_overview([s.points for s in stories], generator, lead)
    shown = tuple(verify_fused(overview.statements))
    yield Done(
        Briefing(
            articles=tuple(articles),
            length=length,
            overview=shown,
            stories=tuple(
                s
                for s in (_not_restated(story, shown, POINTS[length]) for story in stories)
                if s.points
            ),
            entities=entities,
            timeline=timeline,
            differences=tuple(d for d in differences if len(d.sides) == 2),
            suspicious=suspicious,
            overview_written=overview.written,
            overview_shortened=overview.shortened,
            backend=generator.name,
        )
    )


def _articles(library: ArticleLibrary, article_ids: Sequence[int] | None) -> list[Article]:
    if article_ids is None:
        return library.articles()
    found = [library.article(i) for i in article_ids]
    return [a for a in found if a is not None]


def _not_restated(story: Story, overview: Sequence[Statement], budget: int) -> Story:
    """``story`` less the points an overview sentence restates, cut to ``budget``.

    A point is restated when an overview sentence cites it and says most
    (:data:`RESTATED`) of its content words: it is left out rather than
    repeated, as long as the story keeps its minimum of points. At most
    ``budget`` points remain, most important first (the story's overview
    sentence, when one passed, is shown besides them).
    """
    points = list(story.points)
    for point in list(points):
        if len(points) > story_steps.MIN_POINTS and any(
            _restates(sentence, point) for sentence in overview
        ):
            points.remove(point)
    shown = points[: max(story_steps.MIN_POINTS, budget)]
    return Story(story.heading, story.article_ids, tuple(shown))


def _cites(sentence: Statement, point: Statement) -> bool:
    first = point.citations[0]
    return any(
        (c.paragraph_id, c.quote_start) == (first.paragraph_id, first.quote_start)
        for c in sentence.citations
    )


def _restates(sentence: Statement, point: Statement) -> bool:
    terms = claim_terms(point.text)
    return (
        _cites(sentence, point)
        and bool(terms)
        and len(terms & claim_terms(sentence.text)) / len(terms) >= RESTATED
    )


def _checked(difference: Difference) -> Difference:
    return Difference(difference.fact, tuple(verify(difference.sides)))


def _timeline(
    articles: Sequence[Article], per_article: dict[int, list[Paragraph]]
) -> tuple[TimelineEntry, ...]:
    """One entry per event, never from text aimed at AI tools."""
    found = []
    by_id = {a.id: a for a in articles}
    for article in articles:
        found.extend(find_dated_sentences(per_article[article.id], article.published))
    entries = []
    for dated in one_per_event(found):
        article = by_id[dated.paragraph.article_id]
        citation = cite(dated.paragraph, dated.sentence_start, dated.sentence_end, article)
        text = story_steps.point_text(citation.quote)
        entries.append(
            TimelineEntry(dated.display, dated.iso, Statement(text, (citation,)), dated.background)
        )
    return tuple(entries)
