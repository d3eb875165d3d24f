"""News feeds (RSS, Atom): every entry read, or reported by name with the reason.

feedparser reads the feed; where it drops an entry's text (an escaped CDATA
description) or stops at a break in the XML, lxml in recover mode reads the
raw entries, so each entry past the break is still named in the report.
"""

from __future__ import annotations

import time
from typing import Any

import feedparser

from retrieval.ingest.decoding import first_words, html_to_text
from retrieval.types import ArticleDraft, IngestError

#: Content types that mark a downloaded page as a feed.
FEED_TYPES = ("rss", "atom", "xml")


def read_feed(
    data: bytes, source: str, *, require: bool
) -> tuple[list[ArticleDraft], list[IngestError]]:
    """Every entry of a feed: ``(articles read, one error per entry skipped)``.

    Args:
        data: The feed's bytes (RSS or Atom).
        source: Where it came from, for the errors.
        require: Raise when the feed yields no article (a file the user
            chose as a feed), rather than return nothing (a URL that might
            be a feed).

    Raises:
        IngestError: With ``require``, no entries or none with text.
    """
    feed = feedparser.parse(data)
    if require and not feed.entries:
        raise IngestError(source, "not a news feed: no entries found")
    raw = _raw_entries(data)
    markups = [m for _, m in raw] if len(raw) == len(feed.entries) else [""] * len(feed.entries)
    drafts: list[ArticleDraft] = []
    skipped: list[IngestError] = []
    for number, (entry, fallback) in enumerate(zip(feed.entries, markups, strict=True), start=1):
        name = _entry_name(entry, number)
        try:
            drafts.append(_feed_entry(entry, fallback, source))
        except _NoText as why:
            broken = feed.bozo and number == len(feed.entries)
            reason = "the feed is cut off or broken there" if broken else str(why)
            skipped.append(IngestError(source, f"feed entry “{name}”: {reason}"))
    parsed = {(e.get("title") or "").strip() for e in feed.entries}
    for number, (title, _) in enumerate(raw[len(feed.entries) :], start=len(feed.entries) + 1):
        if title not in parsed:  # in the XML, but past where the feed breaks off
            name = title or f"entry {number}"
            reason = f"feed entry “{name}”: the feed is cut off or broken there"
            skipped.append(IngestError(source, reason))
    if require and not drafts:
        reasons = "; ".join(error.reason for error in skipped)
        raise IngestError(source, f"the feed's entries have no text ({reasons})")
    return drafts, skipped


class _NoText(Exception):
    """A feed entry without readable text; the message says why."""


def _feed_entry(entry: Any, raw_markup: str, source: str) -> ArticleDraft:
    contents = entry.get("content") or []
    markup = contents[0].get("value", "") if contents else entry.get("summary", "")
    body = html_to_text(markup or "")
    if not body and "<![CDATA[" in raw_markup:
        # feedparser drops a description that is escaped CDATA
        # ("&lt;![CDATA[…]]&gt;"); the raw element still holds the text.
        body = html_to_text(raw_markup)
    if not body:
        if (markup or raw_markup).strip():
            raise _NoText("its text is only markup or script, no readable words")
        raise _NoText("it has a title but no text")
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return ArticleDraft(
        title=(entry.get("title") or "").strip() or first_words(body),
        text=body,
        source=source,
        url=entry.get("link") or None,
        published=time.strftime("%Y-%m-%d", stamp) if stamp else None,
        author=entry.get("author") or None,
    )


def _entry_name(entry: Any, number: int) -> str:
    return (entry.get("title") or "").strip() or entry.get("link") or f"entry {number}"


def _raw_entries(data: bytes) -> list[tuple[str, str]]:
    """``(title, content text)`` of each item or entry, straight from the XML.

    Parsed with lxml in recover mode, entities and network access off; in
    document order, "" where an element is missing.
    """
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    found = []
    for item in root.xpath("//*[local-name()='item' or local-name()='entry']"):
        title = " ".join(_element_text(item, "title").split())
        text = ""
        for name in ("encoded", "content", "description", "summary"):
            text = _element_text(item, name)
            if text.strip():
                break
        found.append((title, text))
    return found


def _element_text(parent: Any, name: str) -> str:
    elements = parent.xpath(f"./*[local-name()='{name}']")
    return "".join(elements[0].itertext()) if elements else ""


def looks_like_feed(data: bytes) -> bool:
    """True when ``data`` starts as RSS or Atom XML does, not as HTML."""
    head = data[:512].lstrip().lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed")) and b"<html" not in head
