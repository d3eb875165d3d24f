"""Where the articles differ: one fact, two figures, each cited.

Two sentences from different articles of one story are taken to state the
same fact when they are close in meaning (cosine at least
:data:`SAME_FACT`) and each counts the same thing: a number followed by the
same noun ("at least 23 people", "20 people"; "11.5 million votes",
"12 million votes"). When the two numbers differ, both sentences are shown
side by side, each citing its own article. Nothing is shown when the
figures agree, or when the sentences count different things.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from retrieval.briefing.stories import Candidate
from retrieval.briefs import Difference
from retrieval.text.terms import STOPWORDS, stem
from retrieval.types import Statement

SAME_FACT = 0.6
MAX_DIFFERENCES = 4

_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "dozen": 12, "dozens": 24, "hundreds": 200,
}  # fmt: skip
_QUANTITY = re.compile(
    r"(?<![\w.,])(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|"
    + "|".join(_WORD_NUMBERS)
    + r")(?:\s+(?P<scale>hundred|thousand|million|billion|trillion))?"
    r"(?:\s+(?:more|fewer|other|people's))?\s+(?P<noun>[a-z][a-z-]+)",
    re.IGNORECASE,
)
#: Nouns after a number that do not say what is counted ("5 percent of the ...").
_NOT_COUNTED = frozenset(
    [
        "percent",
        "per",
        "cent",
        "of",
        "to",
        "and",
        "or",
        "in",
        "on",
        "at",
        "a",
        "the",
        "years",
        "year",
        "months",
        "month",
        "weeks",
        "week",
        "days",
        "day",
        "hours",
        "hour",
        "minutes",
        "minute",
        "times",
        "time",
        "a.m",
        "p.m",
        "am",
        "pm",
    ]
)


@dataclass(frozen=True)
class Quantity:
    """A counted thing in a sentence: its value and what it counts (stemmed noun)."""

    value: float
    noun: str
    text: str
    label: str


def quantities(sentence: str) -> list[Quantity]:
    """The numbers of ``sentence`` with the noun they count.

    Args:
        sentence: One sentence.

    Returns:
        ``Quantity`` per number followed by a counted noun; years (1900-2099
        written alone), percentages and durations are left out.
    """
    found = []
    for match in _QUANTITY.finditer(sentence):
        noun = match["noun"].casefold()
        if noun in _NOT_COUNTED or noun in STOPWORDS:
            continue
        raw = match["number"].casefold()
        value = float(_WORD_NUMBERS[raw]) if raw in _WORD_NUMBERS else float(raw.replace(",", ""))
        if match["scale"]:
            value *= _SCALE[match["scale"].casefold()]
        found.append(Quantity(value, stem(noun), match.group(0), match["noun"]))
    return found


def find_differences(groups: Sequence[Sequence[Candidate]]) -> list[Difference]:
    """Facts on which two articles of the same story give different figures.

    Args:
        groups: Each story's candidate sentences (from several articles).

    Returns:
        At most :data:`MAX_DIFFERENCES`, one per counted noun per story, the
        closest pair of sentences first.
    """
    found: list[tuple[float, Difference]] = []
    for candidates in groups:
        counted = [(c, quantities(c.text)) for c in candidates]
        counted = [(c, q) for c, q in counted if q]
        seen: set[str] = set()
        pairs = []
        for (a, qa), (b, qb) in combinations(counted, 2):
            if a.article.id == b.article.id:
                continue
            similarity = float(a.vector @ b.vector)
            if similarity < SAME_FACT:
                continue
            for x in qa:
                for y in qb:
                    if x.noun == y.noun and x.value != y.value:
                        pairs.append((similarity, x, y, a, b))
        for similarity, x, _y, a, b in sorted(pairs, key=lambda p: -p[0]):
            if x.noun in seen:
                continue
            seen.add(x.noun)
            sides = (
                Statement(a.text, (a.citation(),)),
                Statement(b.text, (b.citation(),)),
            )
            found.append((similarity, Difference(x.label, sides)))
    found.sort(key=lambda item: -item[0])
    return [difference for _, difference in found[:MAX_DIFFERENCES]]
