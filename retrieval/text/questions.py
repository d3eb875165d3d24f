"""What kind of answer a question asks for (a number, a date, a name)."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                     r"twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen)\b",
                     re.IGNORECASE)  # fmt: skip
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_DATE = re.compile(
    rf"\b(1\d{{3}}|20\d{{2}}|{_MONTH}|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|century|decade|year|today|yesterday)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]+")  # a capitalised word, not the first


def expected_answer(question: str) -> re.Pattern[str] | None:
    """A pattern the answer must match, from the question word, if any."""
    lowered = question.lower()
    if re.search(r"\bhow (many|much|long|old|far|often)\b|\bwhat (number|percentage)\b", lowered):
        return _NUMBER
    if re.search(r"\b(when|what year|which year|what date|what century)\b", lowered):
        return _DATE
    if re.search(
        r"^\s*(who|whom|whose|where)\b"
        r"|\b(in )?(which|what) (country|city|state|region|nation|continent|town)\b",
        lowered,
    ):
        return _NAME
    return None
