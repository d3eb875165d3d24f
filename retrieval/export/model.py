"""Data classes of the format-neutral export model.

Built by :func:`retrieval.export.document.build_document`; read by every
renderer. Nothing here refers to a file format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from retrieval.briefs import Entities
from retrieval.types import Citation

SectionKind = Literal["prose", "bullets", "entities", "timeline", "closest"]


@dataclass(frozen=True)
class ArticleInfo:
    """An article the result was built over, as listed in an export."""

    id: int
    title: str
    source: str
    url: str | None
    published: str | None
    file: str | None


@dataclass(frozen=True)
class Reference:
    """One numbered entry of the reference list."""

    n: int
    citation: Citation

    @property
    def paragraph_number(self) -> int:
        """1-based paragraph number, as shown to people."""
        return self.citation.paragraph_index + 1


@dataclass(frozen=True)
class Item:
    """One line of a section: a statement, entity group or timeline entry.

    Attributes:
        text: What is said.
        refs: Reference numbers backing it, in citation order.
        label: Leading label: the date of a timeline entry, the entity kind,
            or ``"Title ¶N"`` of a closest paragraph.
        iso: Resolved ISO date of a timeline entry, when known.
    """

    text: str
    refs: tuple[int, ...] = ()
    label: str | None = None
    iso: str | None = None


@dataclass(frozen=True)
class Section:
    """A headed group of items; ``kind`` tells renderers how to lay it out."""

    heading: str
    kind: SectionKind
    items: tuple[Item, ...]
    note: str | None = None


@dataclass(frozen=True)
class ClosestParagraph:
    """A paragraph retrieved for a declined question, shown as not support."""

    article_title: str
    paragraph_index: int
    paragraph_text: str


@dataclass(frozen=True)
class ExportDocument:
    """Everything an export shows, in display order.

    Attributes:
        kind: ``"answer"`` or ``"briefing"``.
        title: Document title.
        question: The question asked; None for a briefing.
        created: When the result was produced (ISO-8601).
        text: Answer text (or the decline message); a briefing's overview.
        declined: True when the articles do not answer the question.
        articles: The articles cited (every article the result was built
            over when nothing is cited); sources are URLs or file names.
        sections: Headed sections to render, in order.
        references: Numbered references, in order of first appearance.
        statements: Every cited statement with its reference numbers.
        closest: Nearest paragraphs of a declined answer (not support).
        length: A briefing's requested length.
        entities: A briefing's people, places and organisations.
        overview: A briefing's overview statements.
        points: A briefing's key points.
        timeline: A briefing's timeline (``label`` = date, ``iso``).
        searched: How many articles the result was built over (searched).
        exported: When the export was made (ISO-8601).
        stories: A briefing's stories: (heading, key points).
        differences: A briefing's differing figures (``label`` = what is
            counted), two items per fact.
    """

    kind: Literal["answer", "briefing"]
    title: str
    question: str | None
    created: str
    text: str
    declined: bool
    articles: tuple[ArticleInfo, ...]
    sections: tuple[Section, ...]
    references: tuple[Reference, ...]
    statements: tuple[Item, ...]
    closest: tuple[ClosestParagraph, ...] = ()
    length: str | None = None
    entities: Entities | None = None
    overview: tuple[Item, ...] = ()
    points: tuple[Item, ...] = ()
    timeline: tuple[Item, ...] = ()
    searched: int = 0
    exported: str = ""
    stories: tuple[tuple[str, tuple[Item, ...]], ...] = ()
    differences: tuple[Item, ...] = ()

    @property
    def created_display(self) -> str:
        """``created`` in a readable form, e.g. ``2021-01-03 14:05 UTC``."""
        return readable_time(self.created)

    @property
    def exported_display(self) -> str:
        """``exported`` in a readable form, e.g. ``2021-01-03 14:05 UTC``."""
        return readable_time(self.exported)


def readable_time(stamp: str) -> str:
    """An ISO-8601 UTC time as ``2021-01-03 14:05 UTC``; other text unchanged."""
    text = stamp.replace("T", " ")
    for suffix in ("+00:00", "Z"):
        if text.endswith(suffix):
            return text[: -len(suffix)][:16] + " UTC"
    return text
