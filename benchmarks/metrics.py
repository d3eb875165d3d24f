"""Scoring helpers: SQuAD answer normalisation, token F1 and paragraph overlap."""

from __future__ import annotations

import re
import statistics
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = set(string.punctuation)
_SPACE = re.compile(r"\s+")


def normalize_answer(text: str) -> str:
    """SQuAD's official normalisation: lower case, no punctuation, articles or extra spaces."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in _PUNCTUATION)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD's official token-level F1 between one prediction and one gold answer."""
    predicted = normalize_answer(prediction).split()
    expected = normalize_answer(gold).split()
    if not predicted or not expected:
        return float(predicted == expected)
    common = Counter(predicted) & Counter(expected)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(predicted)
    recall = same / len(expected)
    return 2 * precision * recall / (precision + recall)


def best_f1(prediction: str, golds: Sequence[str]) -> float:
    """The highest token F1 of ``prediction`` against any gold answer."""
    return max((token_f1(prediction, g) for g in golds), default=0.0)


def contains_gold(prediction: str, golds: Sequence[str]) -> bool:
    """True when the normalised prediction contains a normalised gold answer."""
    text = f" {normalize_answer(prediction)} "
    for gold in golds:
        wanted = normalize_answer(gold)
        if wanted and f" {wanted} " in text:
            return True
    return False


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def paragraphs_overlap(ours: str | None, gold: str | None, share: float = 0.5) -> bool:
    """True when two paragraph texts are the same passage.

    Our paragraphs may be passages cut from a longer gold paragraph (or the
    reverse), so they overlap when one contains the other, or when their
    longest common substring covers at least ``share`` of the shorter one.
    """
    if not ours or not gold:
        return False
    a, b = _squash(ours), _squash(gold)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    shorter = min(len(a), len(b))
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size >= share * shorter


def word_count(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


def rate(flags: Iterable[bool]) -> float | None:
    """Share of true values, or None when there are none."""
    values = list(flags)
    return sum(values) / len(values) if values else None


def mean(values: Iterable[float]) -> float | None:
    """Arithmetic mean, or None for no values."""
    items = list(values)
    return statistics.fmean(items) if items else None


def median(values: Iterable[float]) -> float | None:
    """Median, or None for no values."""
    items = list(values)
    return float(statistics.median(items)) if items else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) by linear interpolation, or None."""
    items = sorted(values)
    if not items:
        return None
    position = (len(items) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(items) - 1)
    return items[low] + (items[high] - items[low]) * (position - low)
