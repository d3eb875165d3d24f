"""An article's publication date and source as the user states them.

Used when pasted text is added and when the user corrects any article
("newsdesk edit", the window's "Date and source…"). Dates are read with
dateparser (day first when ambiguous, as in most of the world's news),
so "2026-03-05", "5 March 2026" and "March 5, 2026" all work.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

from retrieval.types import Article

UNKNOWN_WORDS = frozenset({"", "unknown", "date unknown", "none", "-"})


def parse_published(text: str) -> str | None:
    """A publication date as ISO-8601 (``YYYY-MM-DD``); None for "unknown" or "".

    Raises:
        ValueError: When the text is not a date (the message says how to write one).
    """
    cleaned = " ".join(text.split())
    if cleaned.lower() in UNKNOWN_WORDS:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
        from datetime import date

        try:
            return date.fromisoformat(cleaned).isoformat()
        except ValueError:
            pass
    else:
        import dateparser

        found = dateparser.parse(
            cleaned,
            languages=["en"],
            settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": True},
        )
        if found is not None:
            return found.date().isoformat()
    raise ValueError(f"“{cleaned}” is not a date: write it as YYYY-MM-DD, e.g. 2026-03-05")


def is_named_source(source: str) -> bool:
    """Whether ``source`` is a name the user gave ("Reuters"), not a path, URL or "pasted"."""
    if not source or source == "pasted" or source.lower().startswith(("http://", "https://")):
        return False
    return not (PurePosixPath(source).is_absolute() or PureWindowsPath(source).is_absolute())


def source_and_url(text: str, current_url: str | None = None) -> tuple[str, str | None]:
    """``(source, url)`` for a source the user typed: a web address, or a name.

    A web address becomes both; a name ("Reuters", "The Gazette, p. 4")
    becomes the source and keeps ``current_url``.

    Raises:
        ValueError: When ``text`` is empty.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValueError("the source is empty: give a name or a web address")
    if cleaned.lower().startswith(("http://", "https://")) and " " not in cleaned:
        return cleaned, cleaned
    return cleaned, current_url


def edited(
    article: Article, published: str | None = None, source: str | None = None
) -> tuple[str | None, str, str | None]:
    """``(published, source, url)`` after an edit; a None argument leaves that detail as it is.

    Raises:
        ValueError: For a date or source that cannot be used.
    """
    date = article.published if published is None else parse_published(published)
    if source is None:
        return date, article.source, article.url
    new_source, url = source_and_url(source, article.url)
    return date, new_source, url
