"""Who a sentence says its words come from, and whether it tells them as past.

The source of an answer ("police" of "… police said") is no answer to what was
asked, and a date said of something done cannot answer "When will …?". Read from
spaCy's parse (:func:`~retrieval.grounding.phrases.parse`); who did an asked action
is :mod:`retrieval.grounding.syntax`'s. Split from it.
"""

from __future__ import annotations

from retrieval.grounding.phrases import parse, token_end
from retrieval.text.terms import normalise

# Verbs (and "according to") that attribute what a sentence says to its source.
_SAYING = frozenset((
    "say", "says", "said", "saying", "tell", "tells", "told", "add", "adds", "added",
    "according", "state", "states", "stated", "write", "writes", "wrote", "tweet",
    "tweeted", "post", "posted", "explain", "explained", "note", "noted", "insist",
    "insisted", "argue", "argued", "claim", "claimed",
))  # fmt: skip


def source_of(sentence: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """Offsets of the source the sentence quotes, with what stands in apposition to it
    ("Shelly Shapiro, editor of … books", "Police Chief Tom Jackson"), when the
    words at ``span`` of ``sentence`` are in it: the subject of "said", "told",
    "wrote" … or the object of "according to"; None otherwise, or for a pronoun.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    if span is None:
        return None
    for verb in parse(sentence):
        if normalise(verb.text) not in _SAYING:
            continue
        if verb.lower_ == "according":
            sources = [g for c in verb.children if c.dep_ == "prep" for g in c.children]
            sources = [g for g in sources if g.dep_ == "pobj"]
        else:
            sources = [c for c in verb.children if c.dep_ == "nsubj"]
        for source in sources:
            if source.pos_ == "PRON":
                continue
            if not source.left_edge.idx <= span[0] < span[1] <= token_end(source.right_edge):
                continue
            return source.left_edge.idx, token_end(source.right_edge)
    return None


def said_in_the_past(sentence: str, span: tuple[int, int] | None) -> bool:
    """Whether the words at ``span`` of ``sentence`` belong to a verb in the simple past
    (Penn tag VBD): "December" in "… where they fell one vote short … in December",
    "Friday" in "Five residents Friday filed an affidavit", not "March" in "… the
    plant will open in March". The verb is the nearest one above the span's head
    in spaCy's parse.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    if span is None:
        return False
    inside = [t for t in parse(sentence) if span[0] <= t.idx < span[1]]
    heads = [t for t in inside if not span[0] <= t.head.idx < span[1] or t.head is t]
    if not heads:
        return False
    token = heads[0]
    while token.pos_ not in ("VERB", "AUX") and token.head is not token:
        token = token.head
    return token.pos_ in ("VERB", "AUX") and token.tag_ == "VBD"
