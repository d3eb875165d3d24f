"""Small text helpers shared by the renderers."""

from __future__ import annotations

from urllib.parse import urlsplit

from retrieval.export.document import ArticleInfo, ExportDocument, Reference

GENERATED_BY = "Exported from Newsdesk"
DATE_UNKNOWN = "date unknown"
_QUOTE_CHARS = frozenset("\"“”„‟'‘’‚‛«»‹›「」『』")


def refs_text(refs: tuple[int, ...]) -> str:
    """Bracketed reference numbers, e.g. ``"[1][3]"``; empty when none."""
    return "".join(f"[{n}]" for n in refs)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address fit to link to, else None.

    Article metadata is untrusted: ``javascript:`` and other schemes are
    never turned into links.
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    return url


def where(url: str | None, source: str) -> str:
    """Where an article came from: its web address, else its shown source.

    Sources reach the renderers already reduced to a URL, a file name or
    "pasted text" (:func:`retrieval.export.document.shown_source`).
    """
    return url or source or ""


def published(date: str | None) -> str:
    """A publication date as shown: the date, or "date unknown"."""
    return date or DATE_UNKNOWN


def quote_marks(quote: str) -> tuple[str, str]:
    """The marks to put around a quoted sentence: “ and ”, or none.

    A sentence that itself opens or closes with a quotation mark is shown as
    it is, so quotes are never doubled (“"…).
    """
    text = quote.strip()
    closing = text.rstrip(".,;:!?)…")
    if text[:1] in _QUOTE_CHARS or closing[-1:] in _QUOTE_CHARS:
        return "", ""
    return "“", "”"


def articles_heading(doc: ExportDocument) -> str:
    """``"Articles cited (2 of 14 searched)"``, or ``"Articles searched"`` when none is cited."""
    if not doc.references:
        return f"Articles searched ({doc.searched})" if doc.searched else "Articles"
    return f"Articles cited ({len(doc.articles)} of {doc.searched} searched)"


def reference_location(ref: Reference) -> str:
    """``"Article title, ¶5"`` for a reference."""
    return f"{ref.citation.article_title}, ¶{ref.paragraph_number}"


def reference_details(ref: Reference) -> list[str]:
    """Source and published date of a reference, as labelled phrases."""
    c = ref.citation
    details = []
    origin = where(c.url, c.source)
    if origin:
        details.append(f"Source: {origin}")
    details.append(f"Published: {published(c.published)}")
    return details


def article_line(article: ArticleInfo) -> str:
    """One article as a plain-text line: title, where from, published."""
    parts = [article.title]
    origin = where(article.url, article.source)
    if origin:
        parts.append(origin)
    parts.append(f"published {published(article.published)}")
    return " — ".join(parts)


def meta_lines(doc: ExportDocument) -> list[tuple[str, str]]:
    """Label/value pairs shown under the title."""
    lines = []
    if doc.question is not None:
        lines.append(("Question", doc.question))
    lines.append(("Created", doc.created_display))
    if doc.exported:
        lines.append(("Exported", doc.exported_display))
    if doc.length:
        lines.append(("Length", doc.length))
    return lines


def xml_safe(text: str | None) -> str:
    """``text`` without characters XML 1.0 cannot hold (e.g. NUL, VT)."""
    return "".join(ch for ch in text or "" if _xml_char(ord(ch)))


def _xml_char(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def keep_edges(raw: str, cleaned: str) -> str:
    """``cleaned`` with one space where ``raw`` began or ended with white space.

    Cleaning a piece of a quote (collapsing white space) must not glue the
    answer's marked words onto the words around them.
    """
    lead = " " if raw[:1].isspace() and cleaned else ""
    trail = " " if raw[-1:].isspace() and cleaned else ""
    return f"{lead}{cleaned}{trail}"


def quote_parts(ref: Reference) -> tuple[str, str, str]:
    """The cited sentence split around the short answer's words: (before, answer, after).

    ``answer`` is empty when the answer is not a piece of the sentence.
    """
    quote = ref.citation.quote
    span = ref.citation.answer_in_quote
    if span is None:
        return quote, "", ""
    return quote[: span[0]], quote[span[0] : span[1]], quote[span[1] :]
