"""Format-neutral export model built once from an Answer or a Briefing.

Every renderer (Markdown, HTML, DOCX, PDF, JSON) renders from an
:class:`ExportDocument`, so they all show the same sections, the same
reference numbers and the same quotes.

Reference numbers are given in order of first appearance, following
:func:`retrieval.types.unique_citations`: two citations of the same quote in
the same paragraph share one number.
"""

from __future__ import annotations

import dataclasses
from pathlib import PurePath, PureWindowsPath

from retrieval.briefs import Briefing, Entities, Story, TimelineEntry
from retrieval.export.model import (
    ArticleInfo,
    ClosestParagraph,
    ExportDocument,
    Item,
    Reference,
    Section,
    SectionKind,
)
from retrieval.ingest.details import is_named_source
from retrieval.text.questions import QUESTION_NAME
from retrieval.text.terms import claim_terms
from retrieval.types import (
    DECLINE_MESSAGE,
    Answer,
    Article,
    Citation,
    Hit,
    Statement,
    now_iso,
    unique_citations,
)

__all__ = [
    "ArticleInfo",
    "ClosestParagraph",
    "ExportDocument",
    "Item",
    "Reference",
    "Section",
    "SectionKind",
    "build_document",
]

CLOSEST_LIMIT = 3
CLOSEST_NOTE = (
    "These are the nearest paragraphs found. Newsdesk could not confirm that they "
    "answer the question, so they are not cited as support; they may still be worth reading."
)


def build_document(result: Answer | Briefing) -> ExportDocument:
    """Build the export model of an answer or a briefing.

    Args:
        result: What to export.

    Returns:
        The format-neutral document every renderer draws from.

    Raises:
        TypeError: When ``result`` is neither an Answer nor a Briefing.
    """
    if isinstance(result, Answer):
        return _answer_document(result)
    if isinstance(result, Briefing):
        return _briefing_document(result)
    raise TypeError(f"cannot export {type(result).__name__}")


def citation_key(citation: Citation) -> tuple[int, int, int]:
    """The identity of a cited quote, as used by ``unique_citations``."""
    return (citation.paragraph_id, citation.quote_start, citation.quote_end)


def shown_source(url: str | None, source: str, file: str | None) -> str:
    """Where an article came from, as an export may show it.

    Its web address when known, else a source name the user gave
    ("Reuters"), else the file name it was read from, else ``"pasted text"``:
    never the user's absolute local path.
    """
    if url:
        return url
    if source.lower().startswith(("http://", "https://")) or is_named_source(source):
        return source
    if file:
        return file
    if not source or source == "pasted":
        return "pasted text"
    return PureWindowsPath(source).name if "\\" in source else PurePath(source).name


def _shown(citation: Citation) -> Citation:
    source = shown_source(citation.url, citation.source, citation.article_file)
    return dataclasses.replace(citation, source=source)


def _numbering(statements: tuple[Statement, ...]) -> tuple[Reference, ...]:
    cited = unique_citations(statements)
    return tuple(Reference(n, _shown(c)) for n, c in enumerate(cited, start=1))


def _refs(statement: Statement, numbers: dict[tuple[int, int, int], int]) -> tuple[int, ...]:
    refs: list[int] = []
    for citation in statement.citations:
        n = numbers[citation_key(citation)]
        if n not in refs:
            refs.append(n)
    return tuple(refs)


def _items(
    statements: tuple[Statement, ...], numbers: dict[tuple[int, int, int], int]
) -> tuple[Item, ...]:
    return tuple(Item(s.text, _refs(s, numbers)) for s in statements)


def _articles(
    articles: tuple[Article, ...], refs: tuple[Reference, ...]
) -> tuple[ArticleInfo, ...]:
    """The cited articles in order of first citation; all given ones when none is cited."""
    given = {a.id: a for a in articles}
    seen: dict[int, ArticleInfo] = {}
    for ref in refs:
        c = ref.citation
        article = given.get(c.article_id)
        if article is not None:
            seen.setdefault(c.article_id, _info(article))
        else:
            info = ArticleInfo(
                c.article_id, c.article_title, c.source, c.url, c.published, c.article_file
            )
            seen.setdefault(c.article_id, info)
    if not seen:
        return tuple(_info(a) for a in articles)
    return tuple(seen.values())


def _info(a: Article) -> ArticleInfo:
    return ArticleInfo(
        a.id, a.title, shown_source(a.url, a.source, a.file), a.url, a.published, a.file
    )


def _searched(articles: tuple[Article, ...], listed: tuple[ArticleInfo, ...]) -> int:
    return len(articles) or len(listed)


def _answer_document(answer: Answer) -> ExportDocument:
    statements = () if answer.declined else answer.statements
    references = _numbering(statements)
    numbers = {citation_key(r.citation): r.n for r in references}
    items = _items(statements, numbers)
    closest: tuple[ClosestParagraph, ...] = ()
    sections: list[Section] = []
    if answer.declined:
        sections.append(Section("Answer", "prose", (Item(DECLINE_MESSAGE),)))
        closest = tuple(
            ClosestParagraph(h.paragraph.article_title, h.paragraph.index, h.paragraph.text)
            for h in closest_paragraphs(answer)
        )
        if closest:
            sections.append(_closest_section(closest))
    else:
        sections.append(Section("Answer", "prose", items))
    listed = _articles(answer.articles, references)
    return ExportDocument(
        kind="answer",
        title="Newsdesk answer",
        question=answer.question,
        created=answer.created,
        text=answer.text,
        declined=answer.declined,
        articles=listed,
        sections=tuple(sections),
        references=references,
        statements=items,
        closest=closest,
        searched=_searched(answer.articles, listed),
        exported=now_iso(),
    )


def closest_paragraphs(answer: Answer, limit: int = CLOSEST_LIMIT) -> tuple[Hit, ...]:
    """The paragraphs a declined answer shows as worth a look: those retrieved for it
    (:attr:`~retrieval.types.Answer.considered`, best first) that share a content word
    with the question (:func:`~retrieval.text.terms.claim_terms`, the article's title
    included) — one of its names when it names any ("FIFA", "Washiqur Rahman"), not
    only a common word ("won", "old") — at most ``limit``. Retrieval always returns
    its nearest paragraphs; in a library about other things those are unrelated
    stories, which are left out."""
    names = claim_terms(" ".join(QUESTION_NAME.findall(answer.question)))
    asked = names or claim_terms(answer.question)
    return tuple(
        h
        for h in answer.considered
        if asked & claim_terms(f"{h.paragraph.article_title} {h.paragraph.text}")
    )[:limit]


def _closest_section(closest: tuple[ClosestParagraph, ...]) -> Section:
    items = tuple(
        Item(p.paragraph_text, label=f"{p.article_title} ¶{p.paragraph_index + 1}") for p in closest
    )
    return Section("Closest paragraphs", "closest", items, note=CLOSEST_NOTE)


def _briefing_document(briefing: Briefing) -> ExportDocument:
    references = _numbering(briefing.statements)
    numbers = {citation_key(r.citation): r.n for r in references}
    overview = _items(briefing.overview, numbers)
    points = _items(briefing.points, numbers)
    timeline = tuple(
        Item(e.statement.text, _refs(e.statement, numbers), label=timeline_label(e), iso=e.iso)
        for e in briefing.timeline
    )
    stories = tuple(
        Section(story_heading(story, n, len(briefing.stories)), "bullets",
                _items(story.points, numbers))
        for n, story in enumerate(briefing.stories, start=1)
    )  # fmt: skip
    differences = tuple(
        Item(side.text, _refs(side, numbers), label=difference.fact)
        for difference in briefing.differences
        for side in difference.sides
    )
    suspicious = tuple(
        Item(SUSPICIOUS_ITEM, label=_paragraph_label(briefing, article_id, index))
        for article_id, index in briefing.suspicious
    )
    sections = (
        Section("Overview", "prose", overview),
        *stories,
        Section("Where the articles differ", "bullets", differences, note=DIFFER_NOTE),
        Section("People, places and organisations", "entities", _entity_items(briefing.entities)),
        Section("Timeline", "timeline", timeline),
        Section("Suspicious paragraphs", "bullets", suspicious, note=SUSPICIOUS_NOTE),
    )
    articles = _articles(briefing.articles, references)
    return ExportDocument(
        kind="briefing",
        title=_briefing_title(briefing.articles, articles),
        question=None,
        created=briefing.created,
        text=" ".join(i.text for i in overview),
        declined=False,
        articles=articles,
        sections=tuple(s for s in sections if s.items),
        references=references,
        statements=_items(briefing.statements, numbers),
        length=briefing.length,
        entities=briefing.entities,
        overview=overview,
        points=points,
        timeline=timeline,
        searched=_searched(briefing.articles, articles),
        exported=now_iso(),
        stories=tuple(
            (story.heading, section.items)
            for story, section in zip(briefing.stories, stories, strict=True)
        ),
        differences=differences,
    )


SUSPICIOUS_ITEM = "addressed to AI tools or giving the reader orders; left out of the briefing"
SUSPICIOUS_NOTE = "Text in these paragraphs tries to instruct AI tools or the reader."
DIFFER_NOTE = "The same fact with different figures, each as its article gives it."


def story_heading(story: Story, n: int, count: int) -> str:
    """A story section's heading: ``"Story 2 of 3: <heading> (2 articles)"``.

    A briefing of one story (its title already says what it is) heads its
    points "Key points".
    """
    sources = f" ({len(story.article_ids)} articles)" if len(story.article_ids) > 1 else ""
    if count == 1:
        return f"Key points{sources}"
    return f"Story {n} of {count}: {story.heading}{sources}"


def timeline_label(entry: TimelineEntry) -> str:
    """A timeline entry's date, with "year unknown" or "background" when so."""
    label = entry.date if entry.iso is not None else f"{entry.date} (year unknown)"
    return f"{label}, background" if entry.background else label


def _paragraph_label(briefing: Briefing, article_id: int, index: int) -> str:
    title = next((a.title for a in briefing.articles if a.id == article_id), "")
    return f"{title} ¶{index + 1}"


def _entity_items(entities: Entities) -> tuple[Item, ...]:
    groups = (
        ("People", entities.people),
        ("Places", entities.places),
        ("Organisations", entities.organisations),
    )
    return tuple(Item(", ".join(names), label=kind) for kind, names in groups if names)


def _briefing_title(articles: tuple[Article, ...], listed: tuple[ArticleInfo, ...]) -> str:
    count = len(articles) or len(listed)
    if count == 1:
        return f"Briefing: {(articles[0].title if articles else listed[0].title)}"
    return f"Briefing on {count} articles"
