"""Plain-text rendering of an answer or briefing: the terminal and the clipboard."""

from __future__ import annotations

import textwrap

from retrieval.export.common import published, quote_marks, quote_parts, where
from retrieval.export.document import ExportDocument


def render_text(document: ExportDocument, width: int = 88) -> str:
    """A plain-text rendering of an answer or briefing, wrapped at ``width`` characters."""
    lines: list[str] = []
    if document.question:
        lines += [f"Q: {document.question}", ""]
    for section in document.sections:
        if not section.items:
            continue
        lines.append(section.heading.upper())
        if section.note:
            lines.append(f"  ({section.note})")
        for item in section.items:
            refs = "".join(f"[{n}]" for n in item.refs)
            label = f"{item.label}: " if item.label else ""
            bullet = "  " if section.kind == "prose" else "  • "
            text = f"{label}{item.text} {refs}".rstrip()
            lines.append(textwrap.fill(text, width, initial_indent=bullet,
                                       subsequent_indent="    "))  # fmt: skip
        lines.append("")
    if document.references:
        lines.append("SOURCES")
        for ref in document.references:
            c = ref.citation
            origin = ", ".join(x for x in (where(c.url, c.source), published(c.published)) if x)
            head = f"  [{ref.n}] {c.article_title} ¶{ref.paragraph_number}"
            lines.append(f"{head} ({origin})")
            before, answer, after = quote_parts(ref)
            marked = f"{before}**{answer}**{after}" if answer else before
            opening, closing = quote_marks(c.quote)
            quoted = f"{opening}{marked}{closing}"
            lines.append(textwrap.fill(quoted, width, initial_indent="      ",
                                       subsequent_indent="      "))  # fmt: skip
    return "\n".join(lines).rstrip()
