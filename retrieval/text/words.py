"""Counting words for messages the user reads."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``"1 article"``, ``"3 articles"``: a count with its noun agreeing (regular nouns)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
