"""Dates precise to the day in a text, found with regular expressions and checked.

* explicit dates: "November 17", "Nov. 17th", "17 November", "17th of
  November 2020", "November 17, 2020" and ISO "2020-11-17";
* relative days: weekday names ("Sunday", "last Tuesday") and "yesterday",
  kept only when the publication date is known, and resolved with
  dateparser against it (``RELATIVE_BASE``).

Anything vaguer is left out: a month alone ("In September", "January 2020"),
"mid-January", "next month", "earlier this month". What a date means for a
story (an event, a comparison, background) is decided in
:mod:`retrieval.briefing.timeline`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from retrieval.text import terms

#: Month and weekday names as written (capitalised).
MONTHS: tuple[str, ...] = tuple(m.capitalize() for m in terms.MONTHS)
WEEKDAYS: tuple[str, ...] = tuple(d.capitalize() for d in terms.WEEKDAYS)

_MONTH_NUMBER: dict[str, int] = {name.casefold(): i for i, name in enumerate(MONTHS, 1)}
_MONTH_NUMBER.update({name[:3].casefold(): i for i, name in enumerate(MONTHS, 1)})
_MONTH_NUMBER["sept"] = 9

# Month names are matched case-sensitively ("may" and "march" are verbs); a
# dot is only part of an abbreviation ("Nov. 17"), never of "May. 3".
_ABBREVIATIONS = [m[:3] for m in MONTHS if m != "May"] + ["Sept"]
_MONTH = r"(?P<month>" + "|".join([*MONTHS, *(rf"{a}\.?" for a in _ABBREVIATIONS)]) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_NOT_A_NUMBER_AFTER = r"(?![.,]?\d)"

_MONTH_DAY = re.compile(rf"(?<![\w-]){_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?{_NOT_A_NUMBER_AFTER}")
_DAY_MONTH = re.compile(
    rf"(?<![\w.,-]){_DAY}\s+(?:of\s+)?{_MONTH}(?<!\.)\b(?:\.?,?\s+{_YEAR}\b)?"
    rf"{_NOT_A_NUMBER_AFTER}"
)
_ISO = re.compile(r"(?<![\w-])(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)(?![\w-])")
_WEEKDAY = re.compile(
    r"(?<!Black )(?<!Cyber )(?<!Good )(?<!Bloody )(?<!Super )"
    r"(?<![\w-])(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast)\s+)?"
    r"(?P<weekday>" + "|".join(WEEKDAYS) + r")\b(?!-)"
)
_YESTERDAY = re.compile(r"(?<![\w-])[Yy]esterday\b")

#: A weekday directly followed by an explicit date ("Sunday, December 20")
#: is part of that date, not a second one.
_WEEKDAY_BEFORE_DATE = re.compile(r",?\s+(?:the\s+)?$")


@dataclass(frozen=True)
class DateMention:
    """A date precise to the day found in a text: where, as written, and its numbers."""

    start: int
    end: int
    text: str
    month: int
    day: int
    year: int | None


def parse_published(published: str | None) -> date | None:
    """The publication day, or ``None`` when missing or unreadable."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def date_mentions(text: str, base: date | None) -> list[DateMention]:
    """Dates precise to the day in ``text``, in order, without overlaps.

    Args:
        text: A paragraph.
        base: The publication day; weekdays and "yesterday" are found only
            when it is known.
    """
    explicit = _non_overlapping([*_explicit(text)])
    taken = [(m.start, m.end) for m in explicit]
    relative = [] if base is None else _relative(text, base, explicit)
    relative = [m for m in relative if not _overlaps(m, taken)]
    return sorted([*explicit, *relative], key=lambda m: m.start)


def _explicit(text: str) -> Iterator[DateMention]:
    """Written dates, ISO first so "2020-11-17" is not read twice."""
    for match in _ISO.finditer(text):
        yield from _checked(match, int(match["month"]))
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for match in pattern.finditer(text):
            yield from _checked(match, _MONTH_NUMBER[match["month"].rstrip(".").casefold()])


def _checked(match: re.Match[str], month: int) -> Iterator[DateMention]:
    """The match as a mention, when it names a real day."""
    day = int(match["day"])
    year = int(match["year"]) if match["year"] else None
    if is_valid_day(year if year is not None else 2000, month, day):
        yield DateMention(match.start(), match.end(), match.group(0), month, day, year)


def is_valid_day(year: int, month: int, day: int) -> bool:
    """True when the numbers form a calendar date."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _non_overlapping(mentions: list[DateMention]) -> list[DateMention]:
    """Drop mentions overlapping an earlier-listed (higher priority) one."""
    kept: list[DateMention] = []
    for mention in mentions:
        if not _overlaps(mention, [(k.start, k.end) for k in kept]):
            kept.append(mention)
    return kept


def _overlaps(mention: DateMention, spans: list[tuple[int, int]]) -> bool:
    return any(mention.start < end and start < mention.end for start, end in spans)


def _relative(text: str, base: date, explicit: list[DateMention]) -> list[DateMention]:
    """Weekdays and "yesterday", resolved against the publication day."""
    starts = {m.start for m in explicit}
    found = []
    for match in [*_WEEKDAY.finditer(text), *_YESTERDAY.finditer(text)]:
        if _precedes_explicit(text, match.end(), starts):
            continue
        day = _resolve_relative(match.group(0), base.isoformat())
        if day is not None:
            found.append(
                DateMention(
                    match.start(), match.end(), match.group(0), day.month, day.day, day.year
                )
            )
    return found


def _precedes_explicit(text: str, end: int, starts: set[int]) -> bool:
    """True when an explicit date follows right after ``end`` ("Sunday, Dec 20")."""
    return any(
        0 <= start - end <= 6 and _WEEKDAY_BEFORE_DATE.match(text[end:start]) for start in starts
    )


@lru_cache(maxsize=512)
def _resolve_relative(text: str, base_iso: str) -> date | None:
    """Resolve "Sunday", "last Tuesday" or "yesterday" with dateparser.

    A bare weekday is the latest such day on or before the base day
    (``PREFER_DATES_FROM="current_period"``): "Sunday" in an article
    published on a Sunday is that day.
    """
    import dateparser

    settings = {
        "RELATIVE_BASE": datetime.fromisoformat(base_iso),
        "PREFER_DATES_FROM": "current_period",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if parsed is not None else None
