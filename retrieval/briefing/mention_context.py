"""What the words around a mention say about it: its kind, a title, a place noun, its first names.

spaCy's small pipeline types and cuts names from the name alone; the words
next to a mention often say more ("President X", "the town of X", "X
village", "X, which …"). Used by :mod:`retrieval.briefing.entities`, which
counts these votes over every mention of a name; the word lists are in
:mod:`retrieval.briefing.entity_words`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from retrieval.briefing.entity_words import PLACE_NOUNS, TITLES

if TYPE_CHECKING:
    from spacy.tokens import Span

PEOPLE = "people"
PLACES = "places"
ORGANISATIONS = "organisations"

#: spaCy labels kept, and the kind each one maps to. NORP ("Iranian") is a
#: nationality or group adjective, not an organisation, so it is left out.
LABEL_KINDS: dict[str, str] = {
    "PERSON": PEOPLE,
    "GPE": PLACES,
    "LOC": PLACES,
    "FAC": PLACES,
    "ORG": ORGANISATIONS,
}

_NOT_PERSON_AFTER = frozenset({"which"})


def is_title(word: str) -> bool:
    """True for a title or role word ("President", "Mr.", "coach"), any case."""
    return word.casefold().rstrip(".") in TITLES


def after_title(ent: Span) -> bool:
    """True when a title or role comes right before the mention ("President X")."""
    first = ent.text.split()[0] if ent.text.split() else ""
    if len(ent.text.split()) > 1 and is_title(first):
        return True
    return ent.start > 0 and is_title(ent.doc[ent.start - 1].text)


def whole_name(ent: Span) -> Span:
    """A person's mention with the first names the model left out after a title.

    The small model often cuts "Prosecutor Mehmet Selim Kiraz" to "Selim
    Kiraz". One or two capitalised words between a title (:data:`TITLES`)
    and the mention join it; without a title right before them they may be
    a role ("Foreign Secretary Philip Hammond") and are left out. Common
    words (spaCy's stop words) and other entities never join.
    """
    doc, start = ent.doc, ent.start
    while start > 0 and ent.start - start < 2:
        word = doc[start - 1]
        if is_title(word.text) or not (word.is_alpha and word.is_title):
            break
        if word.is_stop or word.ent_type_:
            return ent
        start -= 1
    if start == ent.start or start == 0 or not is_title(doc[start - 1].text):
        return ent
    return doc[start : ent.end]


def by_place_noun(ent: Span) -> bool:
    """True when a place noun names the mention's kind ("the town of X", "X village")."""
    doc = ent.doc
    before = [t.lower_ for t in doc[max(0, ent.start - 2) : ent.start]]
    if len(before) == 2 and before[1] == "of" and before[0] in PLACE_NOUNS:
        return True
    return ent.end < len(doc) and doc[ent.end].lower_ in PLACE_NOUNS


def strip_title(text: str) -> str:
    """``text`` without leading titles ("Copilot Hamid" -> "Hamid")."""
    words = text.split()
    while len(words) > 1 and is_title(words[0]):
        words = words[1:]
    return " ".join(words)


def mention_kind(ent: Span) -> str | None:
    """Kind of one mention; a "person" followed by ", which" is an organisation."""
    kind = LABEL_KINDS.get(ent.label_)
    if kind != PEOPLE:
        return kind
    after = [t.lower_ for t in ent.doc[ent.end : ent.end + 2] if not t.is_punct][:1]
    if after and after[0] in _NOT_PERSON_AFTER:
        return ORGANISATIONS
    return kind
