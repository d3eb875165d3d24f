"""Where a sentence says the action a "Where …?" question asks about happened.

"Where did Victor Solis say he dropped off his son?" is "a bus station" in "He
told FBI agents he drove his son to El Paso, dropped him off at a bus station
…": the object of a place-giving preposition ("at", "in", "near" …) that
hangs on the sentence's verb of the question's own action. Read from spaCy's
dependency parse (:func:`~retrieval.grounding.phrases.parse`); the program's
fallback where the model's place was refused or found nowhere.
"""

from __future__ import annotations

import re
from typing import Any

from retrieval.grounding.phrases import KIND_WORDS, parse, token_end
from retrieval.grounding.spans import word_root
from retrieval.text.questions import DATE
from retrieval.text.terms import claim_terms, normalise

_WHERE = re.compile(r"^\s*where\b", re.IGNORECASE)
# Prepositions giving a place. "to" and "from" are left out: "drove his son to El
# Paso" gives where he went, not where the action asked about happened.
_AT = frozenset({"at", "in", "on", "inside", "near", "outside", "behind", "beside", "under"})
_BARE = frozenset({"at", "in", "on"})  # the answer without them: "a bus station"
# Verbs that only report or link: "Where did Solis say he dropped off his son?" asks
# where he dropped him off, not where he said so.
_LIGHT = frozenset({"say", "said", "tell", "told", "report", "be", "is", "was", "do", "did"})
_NOT_PLACES = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL"})


def _asked_verbs(question: str) -> set[str]:
    """The roots of the question's verbs that say its action (not "say", "be")."""
    roots = {word_root(normalise(t.text)) for t in parse(question) if t.pos_ == "VERB"}
    return roots - {word_root(w) for w in _LIGHT}


def place_span(question: str, sentence: str) -> tuple[int, int] | None:
    """For "Where …?", offsets in ``sentence`` of the place it gives for the question's
    own action: the object of "at", "in", "near" … under the sentence's verb of that
    action, with its preposition when that says more than where ("outside Tacoma"),
    at most :data:`~retrieval.grounding.phrases.KIND_WORDS` + 2 words. None when
    the sentence has no such verb, or only a date, a number, a pronoun or the
    question's own place there.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    if not _WHERE.match(question):
        return None
    verbs = _asked_verbs(question)
    if not verbs:
        return None
    asked = claim_terms(question)
    for verb in parse(sentence):
        if verb.pos_ != "VERB" or word_root(normalise(verb.text)) not in verbs:
            continue
        for preposition in verb.children:
            if preposition.dep_ != "prep" or preposition.lower_ not in _AT:
                continue
            span = _place(preposition, asked)
            if span is not None:
                return span
    return None


def _place(preposition: Any, asked: set[str]) -> tuple[int, int] | None:
    """Offsets of the place ``preposition`` introduces, or None (see :func:`place_span`)."""
    objects = [c for c in preposition.children if c.dep_ == "pobj"]
    if not objects:
        return None
    head = objects[0]
    if head.pos_ == "PRON" or head.like_num or head.ent_type_ in _NOT_PLACES:
        return None
    if DATE.fullmatch(head.text):  # "on Sunday", "in 2014", "in the spring"
        return None
    first = preposition if preposition.lower_ not in _BARE else head.left_edge
    last = head.right_edge
    while last.is_punct and last.i > head.i:
        last = last.doc[last.i - 1]
    words = last.doc[first.i : last.i + 1]
    if last.i - first.i + 1 > KIND_WORDS + 2 or not claim_terms(words.text) - asked:
        return None
    return first.idx, token_end(last)
