"""Turning a question into FTS5 keyword queries that stay fast on big libraries.

BM25 in FTS5 costs time for every row it scores, and a question word found in
a large share of a million paragraphs ("city", "year", "first") makes it score
hundreds of thousands of rows, nearly all of which rank low. So:

1. Function words ("the", "how", "many", "did") are never searched for;
   names and numbers always are ("US" written in capitals is a name, not "us").
2. Every remaining word still scores (the BM25 of the full question), but only
   paragraphs holding at least one of its *selective* words — found in fewer
   than ``common_from`` paragraphs — are scored. A paragraph holding nothing
   but common words scores too little to matter next to one holding a
   selective word, so the ranking at the top is unchanged, at a bounded cost.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from retrieval.text.terms import STOPWORDS

COMMON_FROM = 5_000
"""A word in this many paragraphs or more is common (the answer does not hinge on it)."""

# A word as FTS5's unicode61 tokenizer cuts them: letters and digits, so
# "Kaidu's" is "Kaidu" (and "s", a function word) and "well-known" two words.
# Each word is one FTS5 term, and one stem on the archive's server, so both
# backends score the same terms.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class KeywordQuery:
    """What FTS5 is asked.

    Attributes:
        match: MATCH expression OR-ing every content word: what is scored.
        candidates: MATCH expression limiting which rows are scored, or None
            to score every row that ``match`` finds.
    """

    match: str
    candidates: str | None = None


def content_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` without function words, first occurrence first."""
    words = []
    for word in _WORD.findall(text):
        if word.lower() not in STOPWORDS or _is_acronym(word):
            words.append(word.lower())
    return list(dict.fromkeys(words))


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression OR-ing the content words of ``text``.

    Every word is quoted, so FTS5 syntax typed by a user (or inside an
    article) is searched for, never interpreted.
    """
    return _any_of(content_words(text))


def plan_keyword_query(
    text: str, paragraphs_with: Callable[[str, int], int], common_from: int = COMMON_FROM
) -> KeywordQuery | None:
    """The query for ``text``; None when it has no content words.

    Args:
        text: The question.
        paragraphs_with: ``(word, limit)`` → how many paragraphs hold the
            word, counting no further than ``limit`` (so a common word costs
            no more to look up than a rare one).
        common_from: Paragraph count from which a word is common.
    """
    words = content_words(text)
    if not words:
        return None
    # When every word is common, the least common ones (below eight times the
    # limit) pick the rows instead; failing that every row is scored.
    for limit in (common_from, 8 * common_from):
        selective = [w for w in words if paragraphs_with(w, limit) < limit]
        if len(selective) == len(words):
            return KeywordQuery(_any_of(words))
        if selective:
            return KeywordQuery(_any_of(words), _any_of(selective))
    return KeywordQuery(_any_of(words))


def _any_of(words: Sequence[str]) -> str:
    return " OR ".join(f'"{word}"' for word in words)


def _is_acronym(word: str) -> bool:
    # "US" or "WHO" is a name; "OR", "AND" and "NOT" in capitals are FTS5 syntax.
    return len(word) > 1 and word.isupper() and word not in ("OR", "AND", "NOT")
