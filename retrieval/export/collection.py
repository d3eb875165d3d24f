"""Export several results at once: a whole conversation, or the whole history.

Usage::

    from retrieval.export.collection import export_collection
    export_collection([answer1, answer2, briefing], Path("history.pdf"), "Research history")

Markdown, HTML, DOCX and PDF are drawn by the same renderers as a single
result, from one :class:`~retrieval.export.document.ExportDocument` that puts
each result's sections one after another (the answer under its numbered
question, a briefing's sections under its title) and numbers the references
across the whole collection, in order of first appearance, so ``[3]`` means
the same quoted sentence wherever it is cited. The JSON export is a list of
the single-result objects (``retrieval/export/SCHEMA.md``), each with its own
citations, inside::

    {"schema_version": 2, "kind": "collection", "title": str, "created": str,
     "items": [<answer or briefing object>, ...]}
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from retrieval.briefs import Briefing
from retrieval.export import ExportError, _renderer, _write_atomically
from retrieval.export.document import (
    ExportDocument,
    Item,
    Reference,
    Section,
    build_document,
    citation_key,
)
from retrieval.export.json import SCHEMA_VERSION, to_dict
from retrieval.export.model import ArticleInfo
from retrieval.types import Answer, now_iso

COLLECTION_KIND = "collection"


def build_collection_document(
    results: Sequence[Answer | Briefing], title: str, created: str | None = None
) -> ExportDocument:
    """One export model holding every result of ``results`` in order.

    Args:
        results: Answers and briefings, in the order to show them.
        title: The document title (a conversation's name, "Newsdesk history").
        created: When the export was made (ISO-8601); now by default.

    Returns:
        A document whose sections are each result's sections, headed by
        its number and question (or briefing title), and whose references
        are numbered across the whole collection.

    Raises:
        ExportError: ``results`` is empty.
    """
    if not results:
        raise ExportError("there is nothing to export: the collection is empty")
    numbers: dict[tuple[int, int, int], int] = {}
    references: list[Reference] = []
    sections: list[Section] = []
    statements: list[Item] = []
    articles: dict[int, ArticleInfo] = {}
    for position, result in enumerate(results, start=1):
        doc = build_document(result)
        local = {}
        for ref in doc.references:
            key = citation_key(ref.citation)
            if key not in numbers:
                numbers[key] = len(references) + 1
                references.append(Reference(numbers[key], ref.citation))
            local[ref.n] = numbers[key]
        for article in doc.articles:
            articles.setdefault(article.id, article)
        statements.extend(_renumbered(item, local) for item in doc.statements)
        sections.extend(_sections(position, doc, local))
    return ExportDocument(
        kind="answer",
        title=title,
        question=None,
        created=created or now_iso(),
        text="",
        declined=False,
        articles=tuple(articles.values()),
        sections=tuple(sections),
        references=tuple(references),
        statements=tuple(statements),
    )


def render_collection(
    results: Sequence[Answer | Briefing], suffix: str, title: str, created: str | None = None
) -> bytes:
    """Render a collection in the format a file extension names.

    Args:
        results: Answers and briefings, in order.
        suffix: ``.md``/``.markdown``, ``.html``/``.htm``, ``.docx``, ``.pdf`` or ``.json``.
        title: The document title.
        created: When the export was made (ISO-8601); now by default.

    Returns:
        The file's bytes.

    Raises:
        ExportError: An unsupported extension, an empty collection, or a
            renderer failing.
    """
    renderer = _renderer(suffix)
    document = build_collection_document(results, title, created)
    try:
        if suffix.lower() == ".json":
            return _collection_json(results, document)
        return renderer(document)
    except Exception as exc:  # a renderer library's own errors, fonts, bad input
        raise ExportError(f"could not render {suffix.lower()} export: {exc}") from exc


def export_collection(
    results: Sequence[Answer | Briefing], path: Path, title: str, created: str | None = None
) -> Path:
    """Write a collection to ``path`` (format from its extension), atomically.

    Raises:
        ExportError: As :func:`render_collection`, or when the file cannot be
            written (an existing file at ``path`` is then left untouched).
    """
    path = Path(path)
    _write_atomically(path, render_collection(results, path.suffix, title, created))
    return path


def _sections(position: int, doc: ExportDocument, local: dict[int, int]) -> list[Section]:
    if doc.kind == "briefing":
        heading = f"{position}. {doc.title}"
        note = f"{(doc.length or '').capitalize()} briefing · {doc.created_display}"
    else:
        heading = f"{position}. {doc.question}"
        note = f"Asked {doc.created_display}"
    out = []
    for index, section in enumerate(doc.sections):
        items = tuple(_renumbered(item, local) for item in section.items)
        if index == 0:
            first = dataclasses.replace(section, heading=heading, items=items, note=note)
            if section.heading not in ("Answer",):
                # A briefing's first section keeps its own name under the briefing's title.
                out.append(Section(heading, "prose", (), note=note))
                first = dataclasses.replace(section, items=items)
            out.append(first)
        else:
            out.append(dataclasses.replace(section, items=items))
    return out


def _renumbered(item: Item, local: dict[int, int]) -> Item:
    return dataclasses.replace(item, refs=tuple(local[n] for n in item.refs))


def _collection_json(results: Sequence[Answer | Briefing], document: ExportDocument) -> bytes:
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": COLLECTION_KIND,
        "title": document.title,
        "created": document.created,
        "items": [to_dict(build_document(result)) for result in results],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
