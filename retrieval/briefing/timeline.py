"""Sentences that mention a date precise to the day, for briefing timelines.

Dates are found by :mod:`retrieval.briefing.date_mentions` (explicit dates,
and weekdays and "yesterday" when the publication date is known).

A date in a comparison ("like the September 11, 2001, terrorists did",
"similar to", "compared with", "since", "the anniversary of") is not an event
of the story and is left out. A date whose written year lies more than a
year before the publication date (or, without one, before the latest year
the article writes) is marked ``background``: context recalled, not news.

Years. A written year is used as is. A date without a year is resolved from
the publication date by taking the year that puts it nearest to that date
("January 3" in an article of 2020-12-20 is 2021-01-03, "November 17" is
2020-11-17). Without a publication date, ``iso`` stays ``None`` and a year is
only inferred for ordering: the year-less months are assumed to fall within
the shortest stretch of twelve months that covers them all (November,
December, January -> November and December of one year, January of the
next), ending in the latest year written in the paragraphs (or a nominal
year when none is). Ties keep the order of the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from retrieval.briefing.date_mentions import (
    MONTHS,
    DateMention,
    date_mentions,
    is_valid_day,
    parse_published,
)
from retrieval.text.injection import trusted_spans
from retrieval.text.sentences import sentence_spans
from retrieval.types import Paragraph

#: Words that make the date after them a comparison, not an event.
_COMPARISON = re.compile(
    r"\b(?:like|unlike|as\s+in|as\s+on|as\s+did|similar\s+to|compared\s+(?:with|to)|than|since"
    r"|anniversary\s+of|reminiscent\s+of|recalling|echoes\s+of)\s+(?:the\s+|on\s+|in\s+)?$",
    re.IGNORECASE,
)
COMPARISON_WINDOW = 30  # characters before a date searched for a comparison word
BACKGROUND_YEARS = 1  # a written year this many years before the base is background

#: Year used for ordering year-less dates when nothing says which year it is.
NOMINAL_YEAR = 2000


@dataclass(frozen=True)
class DatedSentence:
    """A sentence that mentions one date precise to the day.

    Attributes:
        paragraph: The paragraph the sentence is in.
        sentence_start: Offset of the sentence in ``paragraph.text``.
        sentence_end: End offset (exclusive) of the sentence.
        date_text: The date as written ("November 17", "Sunday").
        display: The date for display: "November 17" when the year is not
            known, "17 November 2020" when it is.
        iso: ``YYYY-MM-DD`` when the year is written or resolved from the
            publication date, else ``None``.
        sort_key: Chronological order key (a day number with the year
            inferred when unknown, then the position in the article).
        background: True when the date is context recalled (its written
            year well before the article's time), not an event of the story.
    """

    paragraph: Paragraph
    sentence_start: int
    sentence_end: int
    date_text: str
    display: str
    iso: str | None
    sort_key: tuple[int, int, int, int]
    background: bool = False

    @property
    def sentence(self) -> str:
        """The sentence's text."""
        return self.paragraph.text[self.sentence_start : self.sentence_end]

    @property
    def date_key(self) -> str:
        """What makes two entries the same date: ISO date, else month and day."""
        return self.iso if self.iso is not None else self.display


def find_dated_sentences(
    paragraphs: Sequence[Paragraph], published: str | None
) -> list[DatedSentence]:
    """Find sentences mentioning a day, in chronological order.

    Call it once per article: ``published`` applies to every paragraph.
    Dates in text aimed at AI tools (and after it in its paragraph) and
    dates in comparisons are left out.

    Args:
        paragraphs: Paragraphs of one article, in order.
        published: The article's publication date (ISO-8601), or ``None``.
            Weekdays and "yesterday" are only kept when it is known.

    Returns:
        One entry per distinct date per sentence, earliest date first.
    """
    base = parse_published(published)
    found = [(p, m) for p in paragraphs for m in date_mentions(p.text, base) if _trusted(p.text, m)]
    ordering = _YearGuess.fromdate_mentions([m for _, m in found], base)
    now = base.year if base is not None else max((m.year or 0 for _, m in found), default=0)
    entries: dict[tuple[int, int, str], DatedSentence] = {}
    for paragraph, mention in found:
        if is_comparison(paragraph.text, mention.start):
            continue
        entry = _entry(paragraph, mention, base, ordering)
        if mention.year is not None and mention.year < now - BACKGROUND_YEARS:
            entry = replace(entry, background=True)
        entries.setdefault((paragraph.id, entry.sentence_start, entry.date_key), entry)
    return sorted(entries.values(), key=lambda e: e.sort_key)


def _trusted(text: str, mention: DateMention) -> bool:
    """False for a date in text aimed at AI tools, or after it in its paragraph."""
    return any(start <= mention.start < end for start, end in trusted_spans(text))


def is_comparison(text: str, date_start: int) -> bool:
    """True when the date at ``date_start`` follows a comparison word ("like the")."""
    return bool(_COMPARISON.search(text[max(0, date_start - COMPARISON_WINDOW) : date_start]))


def one_per_event(entries: Iterable[DatedSentence]) -> list[DatedSentence]:
    """One entry per event: a sentence under one date only, a date once.

    A sentence naming several dates is kept under its first date that is not
    background (its first date when all are); then :func:`one_per_date`
    keeps one sentence per date. Entries are sorted by date, background
    after the story's own dates within the same day, and dates whose year
    is unknown come last.

    Args:
        entries: Dated sentences, e.g. from ``find_dated_sentences``.

    Returns:
        The timeline's entries in display order.
    """
    by_sentence: dict[tuple[int, int], DatedSentence] = {}
    for entry in sorted(entries, key=lambda e: (_position(e), e.background, e.sort_key[3])):
        by_sentence.setdefault((entry.paragraph.id, entry.sentence_start), entry)
    return sorted(one_per_date(by_sentence.values()), key=display_order)


def display_order(entry: DatedSentence) -> tuple[bool, tuple[int, int, int, int]]:
    """Known years first, in date order; year-unknown dates after them."""
    return (entry.iso is None, entry.sort_key)


def one_per_date(entries: Iterable[DatedSentence]) -> list[DatedSentence]:
    """Keep one sentence per date, in chronological order.

    The first mention of a date in the article wins (for several articles,
    the earliest by article id): news writing introduces an event with its
    date and context first and refers back to it later, and the choice is
    deterministic.

    Args:
        entries: Dated sentences, e.g. from ``find_dated_sentences`` for one or
            more articles.

    Returns:
        One entry per ``date_key``, earliest date first.
    """
    chosen: dict[str, DatedSentence] = {}
    for entry in sorted(entries, key=_position):
        chosen.setdefault(entry.date_key, entry)
    return sorted(chosen.values(), key=lambda e: e.sort_key)


def _position(entry: DatedSentence) -> tuple[int, int, int]:
    """Where an entry sits: article, paragraph, sentence."""
    p = entry.paragraph
    return (p.article_id, p.index, entry.sentence_start)


class _YearGuess:
    """Chooses a year for each year-less date (see the module docstring)."""

    def __init__(self, base: date | None, first_month: int, last_year: int) -> None:
        self.base = base
        self.first_month = first_month
        self.last_year = last_year

    @classmethod
    def fromdate_mentions(cls, mentions: Sequence[DateMention], base: date | None) -> _YearGuess:
        """Fit the twelve-month window to the year-less months mentioned."""
        months = sorted({m.month for m in mentions if m.year is None})
        years = [m.year for m in mentions if m.year is not None]
        last_year = max(years) if years else NOMINAL_YEAR
        return cls(base, _window_start(months), last_year)

    def resolved(self, month: int, day: int) -> date | None:
        """The date nearest to the publication day, when that is known."""
        base = self.base
        if base is None:
            return None
        candidates = [
            date(year, month, day)
            for year in (base.year - 1, base.year, base.year + 1)
            if is_valid_day(year, month, day)
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda d: (abs((d - base).days), d > base))

    def ordinal(self, month: int, day: int) -> int:
        """Day number used for ordering a date whose year is unknown."""
        year = self.last_year
        if self.first_month > 1 and month >= self.first_month:
            year -= 1
        if not is_valid_day(year, month, day):  # 29 February of a common year
            return date(year, month, day - 1).toordinal()
        return date(year, month, day).toordinal()


def _window_start(months: Sequence[int]) -> int:
    """First month of the shortest twelve-month stretch covering ``months``.

    It begins just after the largest gap between consecutive months (going
    round the calendar); January when fewer than two months were mentioned.
    """
    if len(months) < 2:
        return 1
    gaps = [((months[(i + 1) % len(months)] - m) % 12, i) for i, m in enumerate(months)]
    _, after = max(gaps, key=lambda g: (g[0], -g[1]))
    return months[(after + 1) % len(months)]


def _entry(
    paragraph: Paragraph, mention: DateMention, base: date | None, guess: _YearGuess
) -> DatedSentence:
    """Attach the sentence and the resolved date to one mention."""
    start, end = _sentence_around(paragraph.text, mention.start)
    if mention.year is not None:
        day: date | None = date(mention.year, mention.month, mention.day)
    else:
        day = guess.resolved(mention.month, mention.day)
    if day is not None:
        display, iso, ordinal = _long_form(day), day.isoformat(), day.toordinal()
    else:
        display = f"{MONTHS[mention.month - 1]} {mention.day}"
        iso, ordinal = None, guess.ordinal(mention.month, mention.day)
    key = (ordinal, paragraph.article_id, paragraph.index, mention.start)
    return DatedSentence(paragraph, start, end, mention.text, display, iso, key)


def _long_form(day: date) -> str:
    """``17 November 2020``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _sentence_around(text: str, offset: int) -> tuple[int, int]:
    """The sentence span holding ``offset`` (the whole paragraph as a fallback)."""
    spans = sentence_spans(text)
    for start, end in spans:
        if start <= offset < end:
            return start, end
    before = [span for span in spans if span[0] <= offset]
    if before:
        return before[-1]
    return (0, len(text))
