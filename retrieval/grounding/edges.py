"""A located answer's edges: grown to whole words, whole ranges and balanced brackets.

A span of the words a reply is made of (:func:`~retrieval.grounding.spans.locate`)
may stop short of what a reader needs: a currency sign, a per cent sign or an
abbreviation's point beside it ("£34m", "12%", "11 a.m."), the rest of a word joined
by hyphens ("33-year-old"), the other end of the range it is one end of ("between
April 11 and April 14", "50% to 60%"), or the bracket or quotation mark it opens.
Every function here takes and returns character offsets into the same sentence.
"""

from __future__ import annotations

import re

from retrieval.text.terms import WEEKDAYS, alternation, month_names

_CURRENCY = "£$€¥₹"


def with_signs(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to whole hyphenated words ("33-year" → "33-year-old"), over a
    currency sign just before it, a % or an abbreviation's point just after it,
    then over the brackets it opens or closes (:func:`balanced`)."""
    start, end = whole_words(sentence, start, end)
    if start > 0 and sentence[start - 1] in _CURRENCY:
        start -= 1
    if end < len(sentence) and sentence[end] == "%":
        end += 1
    if end < len(sentence) and sentence[end] == "." and _ABBREVIATED.search(sentence, 0, end):
        end += 1  # "11 a.m.", "Donald B. Verrilli Jr.": the point is the word's own
    start, end = whole_range(sentence, start, end)
    return balanced(sentence, start, end)


_DATED = re.compile(rf"\d|\b(?:{month_names()}|{alternation(WEEKDAYS)})\b", re.IGNORECASE)
# "between X and Y" only: "from £18m to £34m" is as often a change as a range.
_RANGE_OPENED = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_RANGE_CLOSED = re.compile(r"\bbetween\s+([^,;]{1,30}?)\s+and\s+$", re.IGNORECASE)
_RANGE_GOES_ON = re.compile(r"\s+and\s+", re.IGNORECASE)
# A word of the range's other end: "$300,000" keeps its thousands, "14," not its comma.
_RANGE_WORD = re.compile(r"[^\s,;]*\d(?:,\d{3})+(?![\d])[^\s,;]*|[^\s,;]+")


def whole_range(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` grown to the whole range a number or date of it ends or starts:
    "April 14" of "between April 11 and April 14" is the range, as is "April 11"; the
    other end is taken only when it holds a number, month or weekday too. "From X to
    Y" is left alone: "increased its offer from £18m to £34m" is a change."""
    if not _DATED.search(sentence, start, end):
        return start, end
    to_range = _numbers_to(sentence, start, end)
    if to_range is not None:
        return to_range
    closed = _RANGE_CLOSED.search(sentence, 0, start)
    if closed is not None and closed.end() == start and _DATED.search(closed.group(1)):
        return closed.start(), end
    opened = _RANGE_OPENED.search(sentence, 0, start)
    goes_on = _RANGE_GOES_ON.match(sentence, end)
    if opened is None or opened.end() != start or goes_on is None:
        return start, end
    size = len(sentence[start:end].split())
    other = list(_RANGE_WORD.finditer(sentence[goes_on.end() :]))[:size]
    if len(other) < size or not _DATED.search(" ".join(m.group() for m in other)):
        return start, end
    end = goes_on.end() + other[-1].end()
    while sentence[end - 1] == "." and not _ABBREVIATED.search(sentence, 0, end - 1):
        end -= 1
    return opened.start(), end


# "50% to 60%", "3 to 5 million": two numbers of one shape joined by "to", not a change
# (below) and not years ("1970 to 55.1%").
_NUMBER = r"\d+(?:[.,]\d+)*(?:\s?%| percent| per cent)?"
_NUMBERS_TO = re.compile(rf"(?<![\w$£€.,\-−–])({_NUMBER})\s+to\s+({_NUMBER})(?![\w%.,]*\d)")
# A change, not a range: "from 50% to 60%", "cut rates by 0.25% to 1.5%", "fell 3 to 97 cents".
_CHANGE_BEFORE = re.compile(
    r"\b(?:from|by|to|rose|rise|rises|rising|fell|fall|falls|falling|dropped|drop|drops|"
    r"climbed|climb|increased|increase|increases|decreased|decrease|declined|decline|cut|cuts|"
    r"raised|raise|lowered|lower|grew|grow|jumped|jump|slipped|slip|reduced|reduce|slashed|"
    r"soared|surged|plunged|plummeted|edged|gained|lost|up|down|went|moved|shifted|changed)"
    r"\s+(?:(?:about|around|some|nearly|almost|roughly|just|over|from)\s+)?$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"1\d{3}|20\d{2}")


def _numbers_to(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """The range "N to M" one of whose numbers is ``start``–``end``, both of one shape
    (with a per cent sign each, or neither); None for none, years, a negative number,
    or a change ("from 50% to 60%", "cut rates by 0.25% to 1.5%", "fell 3 to 97
    cents")."""
    for match in _NUMBERS_TO.finditer(sentence):
        if start not in (match.start(1), match.start(2)) or end < match.end(1):
            continue  # the located words start at either number ("5 million" of "3 to 5 million")
        if end >= match.end() and start == match.start(1):
            return None  # the whole range already
        if _CHANGE_BEFORE.search(sentence, 0, match.start()):
            return None
        low, high = match.group(1), match.group(2)
        if ("%" in low or "per" in low) != ("%" in high or "per" in high):
            return None
        if _YEAR.fullmatch(low) or _YEAR.fullmatch(high):
            return None
        return match.start(), max(end, match.end())
    return None


# A word ending in an abbreviation's point, which a span of words would leave out.
_ABBREVIATED = re.compile(
    r"(?:\b[A-Za-z]\.[A-Za-z]|\b(?:Jr|Sr|St|Inc|Co|Corp|Ltd|Bros|Mt|Ft|Gen|Col|Lt|Sgt|Rev|"
    r"Prof|Dr|Mr|Mrs|Ms|No|approx|etc))$"
)


def whole_words(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` grown so that it neither starts nor ends inside a word joined
    by hyphens: "33-year" of "a 33-year-old Parisian" is "33-year-old"."""
    while start > 1 and sentence[start - 1] == "-" and sentence[start - 2].isalnum():
        start -= 2
        while start > 0 and sentence[start - 1].isalnum():
            start -= 1
    while end + 1 < len(sentence) and sentence[end] == "-" and sentence[end + 1].isalnum():
        end += 2
        while end < len(sentence) and sentence[end].isalnum():
            end += 1
    return start, end


_PAIRS = {"(": ")", "[": "]", "“": "”"}


def balanced(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` with no bracket or curly quote left open or unopened.

    A span of words leaves out the punctuation around them, so "9.54 inches
    (242.3 mm" would lose the ")" the sentence closes it with: a bracket the
    span opens is closed by taking the sentence up to its closing partner,
    one it closes is opened by going back to its partner. When the partner
    is not in the sentence, the span stops short of the lone bracket instead.
    Straight double quotes, which open and close alike, are paired by their
    count (:func:`_straight_quotes_balanced`).
    """
    for opening, closing in _PAIRS.items():
        depth = 0
        for i in range(start, end):
            if sentence[i] == opening:
                depth += 1
            elif sentence[i] == closing:
                if depth:
                    depth -= 1
                else:  # closes a bracket opened before the span
                    before = sentence.rfind(opening, 0, start)
                    start = before if before >= 0 else i + 1
        if depth:
            after = sentence.find(closing, end)
            end = after + 1 if after >= 0 else sentence.rfind(opening, start, end)
        while end > start and sentence[end - 1].isspace():
            end -= 1
        while start < end and sentence[start].isspace():
            start += 1
    return _straight_quotes_balanced(sentence, start, end)


def _straight_quotes_balanced(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` with no straight double quote left open or unopened: one that
    closes a quotation opened before the span takes the span back to its opening
    ('he was "ashamed" by', not 'ashamed" by'); one that opens a quotation takes it
    on to the closing quote, or is left out when the sentence has none."""
    if sentence.count('"', start, end) % 2 == 0:
        return start, end
    if sentence.count('"', 0, start) % 2:  # the span closes a quotation opened before it
        return sentence.rfind('"', 0, start), end
    after = sentence.find('"', end)
    if after >= 0:
        return start, after + 1
    lone = sentence.rfind('"', start, end)
    return (lone + 1, end) if lone == start else (start, lone)
