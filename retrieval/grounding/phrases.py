"""The phrase an answer's words belong to, read from the sentence's dependency parse.

A model asked for the shortest answer drops words a reader needs: the noun a
count counts, a number's bound ("over 200"), a head noun's adjectives, a
month's day. :func:`complete_phrase` grows the located words to the whole
phrase; :func:`kind_span` finds the phrase naming the thing a "Which <noun> …?"
question asks for. Parsed with spaCy
(:func:`~retrieval.text.english_model.dependency_parser`); the words themselves
are found by :mod:`retrieval.grounding.spans`, who did what and what a count
counts by :mod:`retrieval.grounding.syntax`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from retrieval.grounding.spans import WORD, word_root
from retrieval.text.english_model import dependency_parser
from retrieval.text.terms import MONTHS, claim_terms, normalise


@lru_cache(maxsize=256)
def parse(text: str) -> Any:
    """spaCy's parse of ``text``, kept for the next check: one answer's cited
    sentence is read by up to three of the grounding modules' functions (the phrase, the
    doer, a passive with no doer). A failure to load spaCy is not kept."""
    return dependency_parser()(text)


def token_end(token: Any) -> int:
    """The offset just after ``token``."""
    return int(token.idx + len(token.text))


_NAMING = frozenset({"NOUN", "PROPN", "NUM"})


_OPENING_QUOTE = re.compile(r"[\"“]$")
_CLOSING_QUOTE = re.compile(r"[,.!?]?[\"”]")


def names_something(sentence: str, span: tuple[int, int]) -> bool:
    """Whether the words at ``span`` (character offsets into ``sentence``) hold a noun,
    a name or a number by spaCy's parse: "Villa Castelli", "scraps of paper", not
    "accused" alone. A capitalised title in quotation marks names a work, whatever
    its words ('the video for "I Really Like You," …')."""
    words = sentence[span[0] : span[1]]
    if (
        words[:1].isupper()
        and _OPENING_QUOTE.search(sentence[: span[0]])
        and _CLOSING_QUOTE.match(sentence, span[1])
    ):
        return True
    return any(
        span[0] <= token.idx < span[1] and (token.pos_ in _NAMING or token.like_num)
        for token in parse(sentence)
    )


# "Which court …?", "In which city …?", "What medal …?": the noun asked for.
_WHICH = re.compile(r"^\s*(?:[a-z]+\s+)?(?:which|what)\s+([a-z][a-z-]*)", re.IGNORECASE)
# Nouns that say nothing of what the answer is ("What kind of …", "What year …"
# is a date, checked elsewhere).
_NO_KIND = frozenset(
    word_root(w)
    for w in (
        "kind", "type", "sort", "form", "name", "names", "part", "way", "thing", "things",
        "one", "ones", "number", "percentage", "proportion", "amount", "year", "date",
        "century", "day", "month", "time", "period", "role", "purpose", "reason", "event",
    )
)  # fmt: skip
KIND_WORDS = 6  # longest phrase of the asked kind put in place of the answer


def asked_kind(question: str) -> str | None:
    """The root of the noun a "Which/What <noun> …?" question asks for ("court" in
    "Which court were the fans summoned to?", "lady" in "Which first lady …?"), or
    None: no such noun, or one that says nothing of the answer (:data:`_NO_KIND`).

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    token = _asked_noun(question)
    return None if token is None else word_root(normalise(token.text))


# "What is the scale used to measure hurricanes called?": the noun asked for, by name.
_CALLED = re.compile(
    r"^\s*what\s+(?:is|was|are|were)\s+the\s+([a-z][a-z-]*)\b.*\b(?:called|named|known as)\W*$",
    re.IGNORECASE,
)


def _asked_noun(question: str) -> Any:
    """The spaCy token of the noun :func:`asked_kind` reads, or None."""
    match = _CALLED.match(question) or _WHICH.match(question)
    if match is None:
        return None
    token = next((t for t in parse(question) if t.idx == match.start(1)), None)
    if token is not None and token.pos_ == "ADJ" and token.head.pos_ == "NOUN":
        token = token.head  # "Which first lady"
    if token is None or token.pos_ != "NOUN":
        return None
    return None if word_root(normalise(token.text)) in _NO_KIND else token


_PLURAL = frozenset({"NNS", "NNPS"})


def names_the_kind(question: str, sentence: str) -> bool:
    """Whether ``sentence`` names one of the thing a "Which <noun> …?" question asks
    for, in the question's number and with words the question lacks ("Trois
    Eveches mountain" for "Which mountain …?"; not "snow-capped mountains", nor
    the bare "court" for "Which court …?"): :func:`kind_span` finds a phrase.
    False for other questions.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    return kind_span(question, sentence, None) is not None


def of_the_kind(question: str, words: str) -> bool:
    """Whether ``words`` hold the noun a "Which <noun> …?" question asks for (by its
    root: "mountain" in "Trois Eveches mountain"); False for other questions.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    kind = asked_kind(question)
    return kind is not None and kind in {word_root(normalise(w)) for w in WORD.findall(words)}


def _of_the_kind(token: Any, asked: Any) -> bool:
    """Whether ``token`` is a noun of the ``asked`` token's root and number: a plural
    ("mountains") names no one thing where one is asked ("Which mountain …?")."""
    return (
        token.pos_ in ("NOUN", "PROPN")
        and word_root(normalise(token.text)) == word_root(normalise(asked.text))
        and (token.tag_ in _PLURAL) <= (asked.tag_ in _PLURAL)
    )


def kind_span(question: str, sentence: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """For "Which <noun> …?": offsets of a phrase of ``sentence`` naming one of that noun
    ("the gold medal" for "What medal did Muffat win …?") when the answer at
    ``span`` is in none; None when it is, or when the sentence has none besides
    the question's own words ("the fifth-largest city" for "Which city is the
    fifth-largest city …?"). The phrase is the noun with the words before it in
    its noun phrase, articles and possessive pronouns left out, at most
    :data:`KIND_WORDS` words.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    noun = _asked_noun(question)
    if noun is None:
        return None
    if span is not None and of_the_kind(question, sentence[span[0] : span[1]]):
        return None  # "H. Brocard's conjecture" names one
    asked = claim_terms(question)
    doc = parse(sentence)
    found: list[tuple[int, int]] = []
    for token in doc:
        if not _of_the_kind(token, noun):
            continue
        # The whole phrase the noun stands in: "The progressive organization
        # Democracy for America" names one in its name too.
        phrase = token.head if token.dep_ in ("compound", "appos", "nmod") else token
        first, last = (
            min(token.left_edge.i, phrase.left_edge.i),
            max(token.right_edge.i, phrase.right_edge.i),
        )
        if (
            span is not None
            and doc[first].idx < span[1]
            and span[0] < doc[last].idx + len(doc[last].text)
        ):
            return None
        left = token.left_edge.i
        while left < token.i and doc[left].pos_ in ("DET", "PRON", "PUNCT"):
            left += 1
        start, end = doc[left].idx, token.idx + len(token.text)
        if token.i - left >= KIND_WORDS or claim_terms(sentence[start:end]) <= asked:
            continue
        if span is not None and _apposed(sentence, (start, end), span):
            return None  # "a public school, James Madison High": the answer names it
        found.append((start, end))
    return found[0] if found else None


def _apposed(sentence: str, phrase: tuple[int, int], span: tuple[int, int]) -> bool:
    """Whether ``phrase`` and ``span`` stand side by side, a comma or a dash between
    them, whatever the parse says."""
    if phrase[1] <= span[0]:
        gap = sentence[phrase[1] : span[0]]
    elif span[1] <= phrase[0]:
        gap = sentence[span[1] : phrase[0]]
    else:
        return False
    return bool(_APPOSING.fullmatch(gap))


_APPOSING = re.compile(r"\s*(?:,|--?|–|—)\s*")


PHRASE_SLACK = 4  # words a completed phrase may add to the located answer
_MONTHS = frozenset(MONTHS)


def _whole_word_from(doc: Any, first: int) -> int:
    """``first``, or the first token of the hyphenated word it ends: spaCy splits
    "AFL-CIO" in three, and a phrase grown to "CIO President Richard Trumka" starts
    mid-word."""
    while (
        first >= 2
        and doc[first - 1].text == "-"
        and not doc[first - 1].whitespace_
        and not doc[first - 2].whitespace_
    ):
        first -= 2
    return first


def _with_day(doc: Any, first: int, last: int, month: Any) -> tuple[int, int]:
    """Token range ``first..last`` (ending on ``month``) with the day number the
    month has just before or after it ("4 October", "October 4")."""
    if first > 0 and doc[first - 1].like_num and doc[first - 1].head.i == month.i:
        return first - 1, last
    after = last + 1
    if after < len(doc) and doc[after].like_num and doc[after].head.i == month.i:
        return first, after
    return first, last


_MODIFIERS = frozenset({"ADJ", "ADV", "NUM", "NOUN"})  # what a noun's words before it may be


_BOUND = re.compile(
    r"(?:(?:no )?(?:more|less|fewer) than|at (?:least|most)|up to|upwards? of|close to|"
    r"as (?:many|much|few|little) as|an estimated|over|about|around|nearly|almost|roughly|"
    r"approximately|some|under|just|only|below|above)\s+$",
    re.IGNORECASE,
)
"""Words that bound a number ("over 200", "at least 26", "more than 300", "up to 40")."""


def _quantified_from(doc: Any, first: int) -> int:
    """The index of the first word bounding the number at ``first`` ("over" of "over 200
    vehicles", "At" of "At least 26"), or ``first``: a count without them is misquoted.
    The number may follow a currency sign, or part of its bound that a noun's
    modifiers took in ("least 11 people" is "at least 11 people")."""
    at = first
    while at < len(doc) and at - first <= 2 and not doc[at].like_num:
        at += 1  # past "least" of a half-taken bound, or a currency sign
    if at == len(doc) or not doc[at].like_num:
        return first
    if at > 0 and doc[at - 1].text in "$£€":
        at -= 1
    before = doc.text[: doc[at].idx]
    bound = _BOUND.search(before)
    if bound is None or (bound.start() > 0 and before[bound.start() - 1].isalnum()):
        return first
    return min(first, next(t.i for t in doc if t.idx >= bound.start()))


def _name_from(doc: Any, first: int, last: int) -> int:
    """The index of the name's first word, for the words ``first..last`` of a name: the
    proper nouns before them that are part of it ("Fort" of "Fort Niagara", "Mehmet" of
    "Mehmet Selim Kiraz"), or ``first``."""
    left = first
    while (
        left > 0
        and doc[left - 1].pos_ == "PROPN"
        and doc[left - 1].dep_ in ("compound", "flat")
        and left <= doc[left - 1].head.i <= last
    ):
        left -= 1
    return left


def complete_phrase(
    sentence: str, span: tuple[int, int], kind: str | None = None
) -> tuple[int, int]:
    """``span`` of ``sentence`` grown to the whole noun phrase it heads, or as it is.

    A model asked for the shortest answer drops a head noun's modifiers
    ("humidity" where the sentence says "extremely high humidity") and a
    count's noun ("667,000" for "about 667,000 firms"): when the span holds a
    common noun phrase's head, it takes the adjectives, adverbs, numbers and
    nouns just before it in that phrase (not articles, pronouns or names: a
    named thing keeps the model's words, "Arthur Woolf" not "British engineer
    Arthur Woolf"); when it is part of a name, the name's words before it
    ("Fort Niagara" for "Niagara"); when it is a number counting the noun just after it,
    it takes that noun and the words bounding the number ("over 200 vehicles", "at
    least 26"); when it is a month, the day number beside it ("4
    October" for "October"); when it is the first part of a compound ("Quaternary"
    of "Quaternary period"), the compound's head, unless a question asked for
    another ``kind`` of thing ("San Francisco", not "San Francisco attraction",
    for "In which city …?"); when it is an article and the modifiers after it, their
    noun ("a marijuana grinder" for "a marijuana"), whatever the kind. Never more than
    :data:`PHRASE_SLACK` words are added, never a span that only modifies
    another noun ("Kublai" in "Kublai's advisers" stays "Kublai"). Parsed with spaCy
    (:func:`~retrieval.text.english_model.dependency_parser`).

    Args:
        sentence: The cited text.
        span: Character offsets ``(start, end)`` of the answer in ``sentence``.
        kind: The root of the noun a "Which <noun> …?" question asks for
            (:func:`asked_kind`), if any.

    Returns:
        Character offsets within ``sentence``; ``span`` itself when nothing is completed.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    start, end = span
    doc = parse(sentence)
    inside = [t for t in doc if start <= t.idx and t.idx + len(t.text) <= end]
    if not inside:
        return span
    first, last = inside[0].i, inside[-1].i
    grown = (first, last)
    heads = [t for t in inside if t.head.i == t.i or not (first <= t.head.i <= last)]
    noun = heads[-1].head
    if (
        len(heads) > 1
        and inside[0].pos_ == "DET"
        and all(t.head == noun for t in heads)
        and last < noun.i <= last + 2
        and noun.pos_ == "NOUN"
    ):
        grown = (first, noun.i)  # an article and a modifier cut from their noun: "a marijuana"
    elif len(heads) == 1:
        head = heads[0]
        if head.dep_ == "compound" and last < head.head.i <= last + 2:
            if kind is None or word_root(normalise(head.head.text)) == kind:
                grown = (first, head.head.i)  # the rest of the name: "Quaternary period"
        elif head.like_num and head.dep_ == "nummod" and last < head.head.i <= last + 2:
            grown = (first, head.head.i)  # the counted noun: "667,000 firms"
        elif head.lower_ in _MONTHS and head.i == last:
            grown = _with_day(doc, first, last, head)  # "4 October", "April 28"
        elif all(t.pos_ == "PROPN" for t in inside):
            grown = (_name_from(doc, first, last), last)  # "Fort Niagara" for "Niagara"
        elif head.pos_ == "NOUN" and head.i == last and not any(t.pos_ == "PROPN" for t in inside):
            left = first
            while left > head.left_edge.i and doc[left - 1].pos_ in _MODIFIERS:
                left -= 1
            grown = (left, last)
    if grown[1] - grown[0] - (last - first) > PHRASE_SLACK:
        grown = (first, last)
    grown = (_whole_word_from(doc, _quantified_from(doc, grown[0])), grown[1])
    if grown == (first, last):
        return span
    if any(doc[i].is_punct and doc[i].text in "()[];:" for i in range(grown[0], grown[1] + 1)):
        return span
    return doc[grown[0]].idx, max(end, doc[grown[1]].idx + len(doc[grown[1]].text))
