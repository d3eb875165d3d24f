"""The phrase a question's preposition points at in a sentence: "After what event …?"
is the object of "after" there, and "… between who?" both sides "between" joins.
Parsed with spaCy (:func:`~retrieval.grounding.phrases.parse`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from retrieval.grounding.phrases import KIND_WORDS, parse, token_end
from retrieval.grounding.spans import word_root
from retrieval.text.questions import DATE
from retrieval.text.terms import claim_terms

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


_NOT_PLURAL = frozenset({"was", "has", "does", "is", "news", "series", "species", "its", "this"})


def asks_for_several(question: str) -> bool:
    """Whether a "Which/What <noun> …?" question asks for more than one: its noun is a
    plural ("Which TV shows …?", "What tribes …?"; the parser may take "shows" for a
    verb, so a noun-shaped word ending in "s" that "which" determines counts).

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    for token in parse(question):
        if token.lower_ in ("which", "what") and token.dep_ == "det":
            noun = token.head
            return noun.tag_ in ("NNS", "NNPS") or (
                noun.tag_ == "VBZ" and noun.lower_.endswith("s") and noun.lower_ not in _NOT_PLURAL
            )
    return False


_QUOTES = frozenset("\"“”'‘’")
LISTED_WORDS = 25  # the longest list of the things asked for an answer is grown to


def every_one_listed(question: str, sentence: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """For a question asking which things (a plural: "Which TV shows …?"), offsets of
    the list the answer at ``span`` is one item of: '"Two and a Half Men" and
    "Galavant"', not only "Two and a Half Men". None when the question asks for
    one thing, the answer is no item of a list, the list is longer than
    :data:`LISTED_WORDS`, or the answer holds it already.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    if not asks_for_several(question):
        return None
    doc = parse(sentence)
    inside = [t for t in doc if span[0] <= t.idx < span[1] and not t.is_punct]
    if not inside:
        return None
    head = next((t for t in inside if not (span[0] <= t.head.idx < span[1]) or t.head == t), None)
    if head is None:
        return None
    while head.dep_ == "conj" and head.head != head:
        head = head.head  # the list's first item
    items = [head, *head.conjuncts]
    if len(items) < 2:
        return None
    first = head.left_edge
    while first.is_punct and first.i < head.i:
        first = doc[first.i + 1]
    last = max(items, key=lambda t: t.i)  # the last item's own word, not what follows it
    if first.i > 0 and doc[first.i - 1].text in _QUOTES:  # '"Two and a Half Men" and …'
        first = doc[first.i - 1]
        if last.i + 1 < len(doc) and doc[last.i + 1].text in _QUOTES:
            last = doc[last.i + 1]
    start, end = first.idx, token_end(last)
    if last.i - first.i + 1 > LISTED_WORDS or (start >= span[0] and end <= span[1]):
        return None
    return min(start, span[0]), max(end, span[1])


# "Along with toys, where …?", "Besides HD channels, what …?", "… in addition to their
# prestige?": the question gives one of a list and asks for the others.
_GIVEN_ONE = re.compile(
    r"\b(?:along with|together with|besides|other than|in addition to|apart from|aside from|"
    r"as well as)\s+(.+?)(?=,|\?|\s+(?:what|which|who|whom|where|when|how)\b)",
    re.IGNORECASE,
)
_CONJUNCT_WORDS = frozenset(("NOUN", "PROPN", "ADJ", "VERB"))


def conjoined_with_the_given(question: str, sentence: str) -> tuple[int, int] | None:
    """For a question giving one thing and asking for the others ("Along with toys, where
    are oscillating cylinder steam engines typically used?"), offsets of the words
    ``sentence`` joins to that thing by "and"/"or" or a comma, with their own modifiers:
    "models" in "These engines are mainly used in toys and models"; None when the
    sentence joins nothing to it. On the gold sentences of SQuAD 2.0 dev's answerable
    questions of this form, the span held the gold answer for 48 and not for 9.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    match = _GIVEN_ONE.search(question)
    given = claim_terms(match.group(1)) if match else set()
    if not given:
        return None
    for token in parse(sentence):
        if token.pos_ not in _CONJUNCT_WORDS or not claim_terms(token.text) & given:
            continue
        group = [token, *token.conjuncts]
        members = {t.i for t in group}
        others = [t for t in group if not claim_terms(t.text) & given]
        if not others:
            continue
        spans = [_own_words(t, members) for t in others]
        return min(s for s, _ in spans), max(e for _, e in spans)
    return None


def _own_words(token: Any, members: set[int]) -> tuple[int, int]:
    """Offsets of ``token`` with its own modifiers, not the other ``members`` of its list
    nor what they join ("internal combustion engines" of "electric motors and internal
    combustion engines")."""
    words = [
        w
        for w in token.subtree
        if _hangs_on(
            w, token, lambda t: t.i in members or t.dep_ in ("conj", "cc", "appos", "punct")
        )
    ]
    return words[0].idx, token_end(words[-1])


def _hangs_on(word: Any, head: Any, stop: Callable[[Any], bool]) -> bool:
    """Whether ``word`` of ``head``'s subtree reaches ``head`` through no word ``stop``
    picks (``word`` itself included, ``head`` not)."""
    while word.i != head.i:
        if stop(word) or word.head.i == word.i:
            return False
        word = word.head
    return True


# "Where did Kublai move the Mongol capital to?", "What does the EU's legitimacy rest on?":
# the question ends on the preposition whose object it asks for.
_STRANDED = re.compile(r"\b(to|on|from|with|for|of|by|into|at|about|in)\?\s*$", re.IGNORECASE)
_PREPOSITION_DEPS = frozenset(("prep", "dative", "agent"))


def object_of_stranded_preposition(question: str, sentence: str) -> tuple[int, int] | None:
    """For a question ending on a preposition ("Where did Kublai move the Mongol capital
    to?"), offsets of that preposition's object in ``sentence`` where it hangs on the
    question's own word ("Khanbaliq" of "the move of the Mongol capital from Karakorum in
    Mongolia to Khanbaliq"), with the object's own words (not a relative clause in it);
    not a time ("on Friday") unless the question asks one; None when the sentence has no
    such preposition. On the gold sentences of SQuAD 2.0
    dev's answerable questions of this form, the object held the gold answer for 117 and
    not for 12.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    match = _STRANDED.search(question)
    if match is None:
        return None
    asked = parse(question)
    stranded = [t for t in asked if t.i == len(asked) - 2 and t.lower_ == match.group(1).lower()]
    if not stranded:
        return None
    root = word_root(stranded[0].head.lower_)
    for token in parse(sentence):
        if token.lower_ != stranded[0].lower_ or token.dep_ not in _PREPOSITION_DEPS:
            continue
        if word_root(token.head.lower_) != root:
            continue
        objects = [c for c in token.children if c.dep_ == "pobj"]
        if objects:
            words = [
                w
                for w in objects[0].subtree
                if _hangs_on(w, objects[0], lambda t: t.dep_ == "relcl")
            ]  # not a relative clause: "…, whose alumni include …"
            while words[-1].dep_ in ("punct", "cc"):
                words.pop()
            start, end = words[0].idx, token_end(words[-1])
            if DATE.search(sentence[start:end]) and not _ASKS_A_TIME.match(question):
                continue  # "on Friday" for "What street did the shooting happen on?"
            return start, end
    return None


_ASKS_A_TIME = re.compile(r"\s*(?:when|(?:what|which) (?:day|date|year|month|time))\b", re.I)
