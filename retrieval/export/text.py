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
            lines.append(_fill(text, width, bullet, " " * len(bullet)))  # lines align
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
            lines.append(_fill(quoted, width, "      ", "      "))
    return "\n".join(lines).rstrip()


def _fill(text: str, width: int, first: str, rest: str) -> str:
    """``text`` wrapped to ``width`` columns, never inside a hyphenated word ("52-year-old"),
    its runs of spaces (as some sources type them: "Dark,"  the") made one."""
    return textwrap.fill(
        " ".join(text.split()),
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    )
