"""The phrase a question's preposition points at in a sentence: "After what event …?"
is the object of "after" there, and "… between who?" both sides "between" joins.
Parsed with spaCy (:func:`~retrieval.grounding.phrases.parse`).
"""

from __future__ import annotations

import re

from retrieval.grounding.phrases import KIND_WORDS, parse, token_end

# "After what event …?", "Before which battle …?": the thing asked for is the object
# of that word in the sentence, whatever the sentence dates it to.
_TIMED_THING = re.compile(
    r"^\s*(after|before|during|since|until)\s+(?:what|which)\s+([a-z][a-z-]*)", re.IGNORECASE
)
_TIME_NOUNS = frozenset(
    ("year", "years", "date", "day", "days", "month", "months", "time", "times", "century",
     "decade", "period", "season", "week", "weeks", "hour", "hours", "era", "age")
)  # fmt: skip


def object_of_asked_preposition(question: str, sentence: str) -> tuple[int, int] | None:
    """For "After/Before/During/Since/Until what <thing> …?" (not a time: "After what
    time …"), offsets of the phrase ``sentence`` puts after that same word: "the
    French and Indian War" in "Spain ceded Florida to the British in 1763 after the
    French and Indian War" for "After what event did the Spanish concede Florida
    to Britain?"; None when the sentence has no such phrase, or only a date there.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    match = _TIMED_THING.match(question)
    if match is None or match.group(2).lower() in _TIME_NOUNS:
        return None
    word = match.group(1).lower()
    for token in parse(sentence):
        if token.lower_ != word or token.dep_ != "prep":
            continue
        objects = [c for c in token.children if c.dep_ == "pobj"]
        if not objects:
            continue
        phrase = list(objects[0].subtree)
        if any(t.like_num or t.ent_type_ == "DATE" for t in phrase if t.i == objects[0].i):
            continue  # "after 1763": a date, not the thing asked for
        first = phrase[0]
        while first.i < objects[0].i and first.pos_ in ("DET", "PUNCT"):
            first = first.doc[first.i + 1]
        last = phrase[-1]
        while last.i > objects[0].i and last.is_punct:
            last = last.doc[last.i - 1]
        if last.i - first.i >= KIND_WORDS + 2:
            last = objects[0]
        return first.idx, last.idx + len(last.text)
    return None


_BETWEEN = re.compile(r"\bbetween\b", re.IGNORECASE)


def both_sides(question: str, sentence: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """For a question asking "between" whom or what, offsets of the answer at ``span``
    with the other side the sentence joins to it: "the architect's client and the
    main contractor" for "There are direct contractual links between who?", where
    the answer was "the architect's client". None when the answer is not the object
    of "between" or already holds both sides.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    if not _BETWEEN.search(question):
        return None
    doc = parse(sentence)
    for token in doc:
        if token.lower_ != "between" or token.dep_ != "prep":
            continue
        for head in (c for c in token.children if c.dep_ == "pobj"):
            sides = [c for c in head.children if c.dep_ == "conj"]
            start, end = head.left_edge.idx, token_end(head)
            if not sides or not (start <= span[1] and span[0] <= end):
                continue
            last = sides[-1].right_edge
            while last.is_punct and last.i > sides[-1].i:
                last = doc[last.i - 1]
            if span[1] >= token_end(last):
                return None
            return min(start, span[0]), token_end(last)
    return None
