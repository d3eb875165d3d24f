"""Markdown renderer.

Article text is untrusted: titles, quotes and statements are escaped so that
``[click](http://evil)``, ``![img](x)`` or ``<script>`` stay literal text in
any CommonMark renderer. Only the article's own http(s) address is turned
into a link.
"""

from __future__ import annotations

import re

from retrieval.export.common import (
    GENERATED_BY,
    articles_heading,
    keep_edges,
    meta_lines,
    published,
    quote_marks,
    quote_parts,
    refs_text,
    safe_url,
)
from retrieval.export.document import ArticleInfo, ExportDocument, Item, Reference, Section

# Characters that start inline syntax anywhere in a line (emphasis, code,
# links and images, raw HTML and autolinks). Brackets are escaped, so a
# parenthesis or "!" can never form a link and stays as it is.
_INLINE = frozenset("\\`*_[]<>~")
# Characters that only matter at the start of a block (headings, lists, quotes).
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|[-+*](?=\s)|>|\d{1,9}(?=[.)]))")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def escape(text: str) -> str:
    """Escape Markdown syntax in untrusted text and keep it on one line.

    Only what CommonMark/GFM would read as syntax is backslash-escaped:
    ``\\ ` * _ [ ] < > ~`` anywhere, a block marker (``#``, ``-``, ``>``,
    ``1.``) at the start, and ``&`` before an entity name. Runs of
    whitespace (newlines included) become single spaces, and bare
    ``scheme://`` and ``www.`` are broken up so GFM autolinking leaves them
    as text. "Sky (United Kingdom)" and "[1]"-free prose stay readable.

    Args:
        text: Raw text from an article or the model.

    Returns:
        Text that renders as itself.
    """
    flat = " ".join(text.split())
    escaped = "".join(f"\\{ch}" if ch in _INLINE else ch for ch in flat)
    escaped = _ENTITY.sub("\\&", escaped)
    escaped = _BLOCK_START.sub(lambda m: "\\" + m.group(0), escaped, count=1)
    return escaped.replace("://", ":\\/\\/").replace("www.", "www\\.")


def render_markdown(doc: ExportDocument) -> bytes:
    """Render ``doc`` as UTF-8 Markdown."""
    blocks = [f"# {escape(doc.title)}", _meta(doc)]
    for section in doc.sections:
        blocks.extend(_section(section))
    if doc.references:
        blocks.append("## References")
        blocks.extend(_reference(ref) for ref in doc.references)
    if doc.articles:
        blocks.append(f"## {escape(articles_heading(doc))}")
        blocks.append("\n".join(_article(a) for a in doc.articles))
    blocks.append(f"*{GENERATED_BY}.*")
    return ("\n\n".join(b for b in blocks if b) + "\n").encode("utf-8")


def _meta(doc: ExportDocument) -> str:
    return "  \n".join(f"**{label}:** {escape(value)}" for label, value in meta_lines(doc))


def _refs(refs: tuple[int, ...]) -> str:
    # "[1]" with no link definition renders as itself; article text cannot
    # add a definition, since its brackets are escaped.
    return f" {refs_text(refs)}" if refs else ""


def _section(section: Section) -> list[str]:
    blocks = [f"## {escape(section.heading)}"]
    if section.note:
        blocks.append(f"*{escape(section.note)}*")
    if section.kind == "prose":
        blocks.append(" ".join(escape(i.text) + _refs(i.refs) for i in section.items))
    elif section.kind == "closest":
        blocks.extend(_closest(item) for item in section.items)
    else:
        blocks.append("\n".join(_bullet(item) for item in section.items))
    return blocks


def _bullet(item: Item) -> str:
    label = f"**{escape(item.label)}:** " if item.label else ""
    return f"- {label}{escape(item.text)}{_refs(item.refs)}"


def _closest(item: Item) -> str:
    return f"**{escape(item.label or '')}**\n\n> {escape(item.text)}"


def _link(url: str | None) -> str | None:
    good = safe_url(url)
    if good and "<" not in good and ">" not in good:
        return f"<{good}>"
    return None


def _origin(url: str | None, source: str) -> str:
    return _link(url) or escape(url or source)


def _reference(ref: Reference) -> str:
    c = ref.citation
    before, answer, after = quote_parts(ref)
    quoted = (
        keep_edges(before, escape(before))
        + (f"**{escape(answer)}**" if answer else "")
        + keep_edges(after, escape(after))
    )
    opening, closing = quote_marks(c.quote)
    line = (
        f"**{refs_text((ref.n,))}** {opening}{quoted}{closing} — "
        f"*{escape(c.article_title)}*, ¶{ref.paragraph_number}"
    )
    if c.url or c.source:
        line += f" · Source: {_origin(c.url, c.source)}"
    line += f" · Published: {escape(published(c.published))}"
    return line


def _article(article: ArticleInfo) -> str:
    parts = [f"**{escape(article.title)}**"]
    if article.url or article.source:
        parts.append(_origin(article.url, article.source))
    parts.append(f"published {escape(published(article.published))}")
    return "- " + " — ".join(parts)
