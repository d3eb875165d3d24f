"""Whether a number in an evidence sentence counts what a "How many …?" question asks.

Read from spaCy's parse (:func:`~retrieval.text.english_model.dependency_parser`):
the number must count the asked thing, or stand by the question's action, and
never only its opposite (the injured for the dead; :func:`count_supported`); and
the count a question asks can be found in a sentence when the model's number
is in none (:func:`count_span`). Who did what is :mod:`retrieval.grounding.syntax`'s.
"""

from __future__ import annotations

import re

from retrieval.grounding.phrases import complete_phrase, parse, token_end
from retrieval.grounding.spans import WORD, word_root
from retrieval.grounding.syntax import opposed, same_side
from retrieval.text.terms import normalise

_COUNT_QUESTION = re.compile(r"\bhow (many|much)\b", re.IGNORECASE)
_LIGHT_VERBS = frozenset(
    word_root(w)
    for w in [
        "be",
        "is",
        "was",
        "were",
        "are",
        "been",
        "being",
        "have",
        "has",
        "had",
        "do",
        "did",
        "does",
        "get",
        "got",
    ]
)
COUNTED_WINDOW = 3  # words after the answer in which the counted thing must stand


def count_supported(question: str, sentence: str, span: tuple[int, int] | None) -> bool:
    """Whether ``sentence`` counts what a "How many <things> were <done>?" question asks.

    The number answered must count the question's things ("eight rockets"
    for "How many rockets were fired?", within :data:`COUNTED_WINDOW` words
    after the answer at ``span``, anywhere in the sentence when ``span`` is
    None), or the sentence must say the question's action ("killed"). "How
    many people were killed?" is not answered by "injuring one Iraqi
    security person", nor by "injured 12 people": the article gives the
    injured, not the dead (a sentence saying only the opposite action,
    :data:`_OPPOSED_VERBS`, never answers). A question
    without a counted noun or an action (most "how much", "How many were
    there?") is not checked. For "How many", a number at ``span`` that
    counts a noun of its own must count the question's ("At least 26
    militants were killed" does not say how many soldiers were; "10 days"
    counts no seats), unless either is a word for people in general
    (:data:`_ANYONE`); a unit of time or measure (:data:`_UNITS`) counts
    neither ("Four days" for "How many men …?"); nor does a number counting
    other people where another counts the very things asked ("Three French
    sports stars were among 10 people killed" for "How many people were
    killed?"). Parsed with spaCy
    (:func:`~retrieval.text.english_model.dependency_parser`).

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    if not _COUNT_QUESTION.search(question):
        return True
    doc = parse(question)
    many = next((t for t in doc if t.lower_ in ("many", "much") and t.dep_ == "amod"), None)
    if many is None or many.head.pos_ not in ("NOUN", "PROPN"):
        return True
    thing = many.head
    counted = word_root(normalise(thing.text))
    if span is not None and many.lower_ == "many":
        counts = _counted_by(sentence, span)
        asked = {word_root(normalise(t.text)) for t in doc}
        if counts in _UNITS and counted not in _UNITS:
            return False  # "Four days" counts no men
        if counted not in _ANYONE and counts not in (None, counted, *_ANYONE, *asked):
            return False  # "26 militants" does not count soldiers, "10 days" no seats
        if counts not in (None, counted) and _counts_elsewhere(sentence, span, counted):
            return False  # "Three … stars were among 10 people killed": the people are 10
    action = thing.head if thing.head.pos_ == "VERB" else None
    if action is None:
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        action = root if root is not None and root.pos_ == "VERB" else None
    if action is None or word_root(normalise(action.text)) in _LIGHT_VERBS:
        return True
    words = [(m.start(), word_root(normalise(m.group()))) for m in WORD.finditer(sentence)]
    done = word_root(normalise(action.text))
    said = {w for _, w in words}
    if any(same_side(done, w) for w in said):
        return True  # "killing three people" for "How many people died?"
    if any(opposed(done, w) for w in said):
        return False
    if span is None:
        return counted in {w for _, w in words}
    after = [w for start, w in words if start >= span[0]]
    inside = sum(1 for start, _ in words if span[0] <= start < span[1])
    return counted in after[: inside + COUNTED_WINDOW]


def count_span(question: str, sentence: str) -> tuple[int, int] | None:
    """Offsets in ``sentence`` of the count a "How many <things> were <done>?" question
    asks, or None: a number counting the question's things (or, for people, any
    word for a person) that are the object or subject of the question's own verb,
    or that it describes ("10 people killed"); the question's own noun first.
    "How many people were injured in Sunday's attack?" is "one Iraqi security
    person" in "… launched eight rockets …, injuring one Iraqi security person …",
    not the rockets. Completed as :func:`complete_phrase` completes a count.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    if not _COUNT_QUESTION.search(question):
        return None
    asked = parse(question)
    many = next((t for t in asked if t.lower_ == "many" and t.dep_ == "amod"), None)
    if many is None or many.head.pos_ != "NOUN":
        return None
    thing = many.head
    action = thing.head if thing.head.pos_ == "VERB" else None
    if action is not None and word_root(normalise(action.text)) in _LIGHT_VERBS:
        # "How many devices did Iraqi forces deal with …?", parsed with "did" governing
        # the devices: the question's next verb says the action.
        action = next(
            (
                t
                for t in asked
                if t.i > thing.i
                and t.pos_ == "VERB"
                and word_root(normalise(t.text)) not in _LIGHT_VERBS
            ),
            None,
        )
    if action is None:
        return None
    counted = word_root(normalise(thing.text))
    done = word_root(normalise(action.text))
    found: list[tuple[bool, tuple[int, int]]] = []  # (another noun, span)
    for number in parse(sentence):
        if not number.like_num or number.dep_ != "nummod":
            continue
        noun = number.head
        root = word_root(normalise(noun.text))
        if root != counted and not (counted in _ANYONE and noun.pos_ == "NOUN"):
            continue
        # "dealt with 300 devices": the verb the preposition hangs on
        governor = noun.head.head if noun.dep_ == "pobj" else noun.head
        verbs = [governor, *(c for c in noun.children if c.dep_ in ("acl", "relcl"))]
        if not any(v.pos_ == "VERB" and word_root(normalise(v.text)) == done for v in verbs):
            continue  # the verb governs the noun, or describes it: "10 people killed"
        # From the number, or its currency sign: the words bounding it ("at least") are
        # added whole by complete_phrase, never a part of them ("least 11 people").
        sign = number.i > 0 and number.nbor(-1).text in "$£€"
        start = number.nbor(-1).idx if sign else number.idx
        found.append((root != counted, (start, token_end(noun))))
    if not found:
        return None
    return complete_phrase(sentence, min(found, key=lambda f: f[0])[1])


#: Nouns for people in general: "people" may be counted by any noun ("injuring
#: one Iraqi security person"), and these count soldiers as well ("Each had
#: 10,000 men"); a specific noun ("26 militants") counts only itself.
_ANYONE = frozenset(
    word_root(w)
    for w in ("people", "person", "persons", "individuals", "men", "personnel", "troops", "forces")
)


#: Units of time and measure: a number counting one counts no things or people.
_UNITS = frozenset(
    word_root(w)
    for w in (
        "seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades",
        "centuries", "percent", "miles", "kilometres", "kilometers", "metres", "meters",
        "feet", "inches", "pounds", "kilograms", "tons", "dollars", "euros", "times",
    )
)  # fmt: skip


def _counts_elsewhere(sentence: str, span: tuple[int, int], counted: str) -> bool:
    """Whether a number of ``sentence`` outside ``span`` counts a noun whose root is
    ``counted`` ("10 people" for "people")."""
    return any(
        token.like_num
        and token.dep_ == "nummod"
        and not span[0] <= token.idx < span[1]
        and word_root(normalise(token.head.text)) == counted
        for token in parse(sentence)
    )


def _counted_by(sentence: str, span: tuple[int, int]) -> str | None:
    """The root of the noun the number at ``span`` counts ("militants" in "At least 26
    militants were killed"), or None when it counts no noun of its own."""
    for token in parse(sentence):
        if not span[0] <= token.idx < span[1] or token.pos_ != "NUM":
            continue
        head = token.head
        if token.dep_ == "nummod" and head.pos_ == "NOUN" and head.idx >= token.idx:
            return word_root(normalise(head.text))
    return None
