"""JSON renderer: the machine-readable export.

Schema version 3 (full description in ``retrieval/export/SCHEMA.md``)::

    {
      "schema_version": 3,
      "kind": "answer" | "briefing",
      "title": str,
      "question": str | null,           # null for a briefing
      "created": str,                   # ISO-8601
      "exported": str,                  # ISO-8601, when the file was written
      "articles_searched": int,         # how many articles were searched
      "text": str,                      # answer text; briefing: overview text
      "declined": bool,                 # always false for a briefing
      "articles": [{"id", "title", "source", "url", "published", "file"}],  # cited ones
      "citations": [{"n", "article_id", "article_title", "article_file",
                     "paragraph_index", "paragraph_text", "quote",
                     "quote_start", "quote_end", "source", "url",
                     "published"}],
      "statements": [{"text", "citations": [n, ...]}],
      # briefing only:
      "length": str, "overview": str,
      "points": [{"text", "citations": [n, ...]}],
      "entities": {"people": [str], "places": [str], "organisations": [str]},
      "timeline": [{"date", "iso", "text", "citations": [n, ...]}],
                                        # date: "17 November 2020", "November 17
                                        # (year unknown)", "..., background"
      "stories": [{"heading", "points": [{"text", "citations": [n, ...]}]}],
      "differences": [{"fact", "text", "citations": [n, ...]}],  # two per fact
      "mentions": {name: [[article_id, paragraph_index], ...]},
      # declined answer only:
      "closest_paragraphs": [{"article_title", "paragraph_index",
                              "paragraph_text"}]
    }

``n`` is the reference number shown in every other format; ``citations`` in
a statement lists those numbers. ``paragraph_index`` is 0-based (the
paragraph people see as ¶1 has index 0); ``quote_start``/``quote_end`` are
offsets of ``quote`` in ``paragraph_text``.
"""

from __future__ import annotations

import json
from typing import Any

from retrieval.export.document import ExportDocument, Item, Reference

SCHEMA_VERSION = 3


def render_json(doc: ExportDocument) -> bytes:
    """Render ``doc`` as UTF-8 JSON following schema version 3."""
    return (json.dumps(to_dict(doc), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_dict(doc: ExportDocument) -> dict[str, Any]:
    """The JSON-ready dictionary of ``doc``."""
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": doc.kind,
        "title": doc.title,
        "question": doc.question,
        "created": doc.created,
        "exported": doc.exported,
        "articles_searched": doc.searched,
        "text": doc.text,
        "declined": doc.declined,
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "source": a.source,
                "url": a.url,
                "published": a.published,
                "file": a.file,
            }
            for a in doc.articles
        ],
        "citations": [_citation(ref) for ref in doc.references],
        "statements": [_statement(item) for item in doc.statements],
    }
    if doc.kind == "briefing":
        data.update(_briefing(doc))
    elif doc.declined:
        data["closest_paragraphs"] = [
            {
                "article_title": p.article_title,
                "paragraph_index": p.paragraph_index,
                "paragraph_text": p.paragraph_text,
            }
            for p in doc.closest
        ]
    return data


def _citation(ref: Reference) -> dict[str, Any]:
    c = ref.citation
    return {
        "n": ref.n,
        "article_id": c.article_id,
        "article_title": c.article_title,
        "article_file": c.article_file,
        "paragraph_index": c.paragraph_index,
        "paragraph_text": c.paragraph_text,
        "quote": c.quote,
        "quote_start": c.quote_start,
        "quote_end": c.quote_end,
        "answer_start": c.answer_start,
        "answer_end": c.answer_end,
        "source": c.source,
        "url": c.url,
        "published": c.published,
    }


def _statement(item: Item) -> dict[str, Any]:
    return {"text": item.text, "citations": list(item.refs)}


def _briefing(doc: ExportDocument) -> dict[str, Any]:
    entities = doc.entities
    return {
        "length": doc.length,
        "overview": doc.text,
        "points": [_statement(item) for item in doc.points],
        "entities": {
            "people": list(entities.people) if entities else [],
            "places": list(entities.places) if entities else [],
            "organisations": list(entities.organisations) if entities else [],
        },
        "timeline": [
            {"date": i.label, "iso": i.iso, "text": i.text, "citations": list(i.refs)}
            for i in doc.timeline
        ],
        "stories": [
            {"heading": heading, "points": [_statement(item) for item in items]}
            for heading, items in doc.stories
        ],
        "differences": [
            {"fact": i.label, "text": i.text, "citations": list(i.refs)} for i in doc.differences
        ],
        "mentions": {
            name: [list(ref) for ref in refs]
            for name, refs in (entities.mentions if entities else ())
        },
    }
