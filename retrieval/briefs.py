"""What a briefing is made of: its stories, key people and places, timeline and
differences, each point a cited :class:`~retrieval.types.Statement`.

The answer types live in :mod:`retrieval.types`; these are the briefing's own
(built by :mod:`retrieval.briefing`, written out by :mod:`retrieval.export`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from retrieval.types import Article, Citation, Done, Progress, Statement, now_iso, unique_citations


@dataclass(frozen=True)
class TimelineEntry:
    """A dated event in a briefing.

    Attributes:
        date: The date for display ("17 November 2020"; "November 17 (year
            unknown)" when the year could not be resolved).
        iso: The resolved date (``YYYY-MM-DD``) when the year is known.
        statement: What happened, with its citation.
        background: True for a date the article looks back to (an earlier
            event recalled as context, e.g. "the 2001 attacks"), shown apart
            from the story's own events.
    """

    date: str
    iso: str | None
    statement: Statement
    background: bool = False


#: Paragraphs that mention a name: ``(article_id, paragraph_index)`` pairs.
ParagraphRefs = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Entities:
    """Key people, places and organisations named in the briefed articles.

    Attributes:
        people: Names of people, most mentioned first.
        places: Names of places, most mentioned first.
        organisations: Names of organisations, most mentioned first.
        mentions: For each name listed, the paragraphs that mention it (any
            of its merged forms), as ``(name, ((article_id, index), ...))``.
    """

    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    mentions: tuple[tuple[str, ParagraphRefs], ...] = ()

    def is_empty(self) -> bool:
        """True when no entity of any kind was found."""
        return not (self.people or self.places or self.organisations)

    def paragraphs(self, name: str) -> ParagraphRefs:
        """The paragraphs mentioning ``name`` (empty when unknown)."""
        return next((refs for known, refs in self.mentions if known == name), ())


@dataclass(frozen=True)
class Story:
    """One story of a briefing: articles about the same event, summed up.

    Attributes:
        heading: A short heading (the lead article's title).
        article_ids: The articles grouped into this story, lead first.
        points: Two to five cited key points, most important first.
    """

    heading: str
    article_ids: tuple[int, ...]
    points: tuple[Statement, ...]


@dataclass(frozen=True)
class Difference:
    """Two articles giving different figures for the same fact.

    Attributes:
        fact: What the figures count, in the articles' words ("people killed").
        sides: One cited statement per article, each quoting its own figure.
    """

    fact: str
    sides: tuple[Statement, ...]


@dataclass(frozen=True)
class Briefing:
    """A cited briefing over one or more articles.

    Attributes:
        articles: The articles briefed.
        length: ``"short"``, ``"medium"`` or ``"long"``.
        overview: The model's sentences across the stories, each checked
            against the sentences it cites (see ``retrieval.briefing.overview``).
        stories: One entry per story, most covered first.
        entities: People, places and organisations.
        timeline: Dated events, earliest first, year-unknown dates last.
        differences: Facts on which the articles give different figures.
        suspicious: Paragraphs holding text aimed at AI tools or ordering the
            reader, as ``(article_id, paragraph_index)``; never briefed.
        overview_written: How many sentences the model wrote for the overview
            (kept ones are in ``overview`` with ``repaired`` False).
        overview_shortened: Of the overview's sentences, how many are the
            model's shortening of a key sentence, asked after its own
            sentence failed the check.
        created: When it was made (ISO-8601).
        backend: Which generator wrote the overview.
    """

    articles: tuple[Article, ...]
    length: str
    overview: tuple[Statement, ...]
    stories: tuple[Story, ...]
    entities: Entities
    timeline: tuple[TimelineEntry, ...]
    differences: tuple[Difference, ...] = ()
    suspicious: ParagraphRefs = ()
    overview_written: int = 0
    overview_shortened: int = 0
    created: str = field(default_factory=now_iso)
    backend: str = ""

    @property
    def points(self) -> tuple[Statement, ...]:
        """Every story's key points, story by story."""
        return tuple(point for story in self.stories for point in story.points)

    @property
    def statements(self) -> tuple[Statement, ...]:
        """Every cited statement: overview, points, differences, then timeline."""
        return (
            *self.overview,
            *self.points,
            *(side for difference in self.differences for side in difference.sides),
            *(entry.statement for entry in self.timeline),
        )

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation in order of first appearance, without repeats."""
        return unique_citations(self.statements)


#: What a briefing's stream yields: progress, then the checked briefing.
BriefingEvent = Progress | Done[Briefing]
