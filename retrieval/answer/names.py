"""Whether an answer gives the name a question asks for.

"What is the name of the cameraman …?", "What are the names of the two pilots?",
"What street …?", "At which theater …?": the refusal of
:func:`retrieval.answer.located.refused` that reads whether the answer (or the
whole cited sentence, given when the model's phrase was found nowhere) names
the thing asked about, and not only mentions it ("one of its cameramen",
"two Saudi Arabia air force pilots", "street corners", "40-year-old"). The
sentence's grammar comes from :mod:`retrieval.grounding.phrases`; the other
kinds of answer are :mod:`retrieval.answer.kinds`'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from retrieval.grounding.phrases import parse
from retrieval.text.english_model import EntityModelMissingError, entity_recognizer
from retrieval.text.terms import stem
from retrieval.types import Statement

#: "the name(s) of <the thing>": the words saying what is to be named.
NAME_OF = re.compile(
    r"\bnames? of (?:the |a |an |its |his |her |their |one )?((?:[\w'’-]+ ){0,3}[\w'’-]+)",
    re.IGNORECASE,
)
_ENDS_THE_THING = frozenset((
    "who", "whom", "that", "which", "was", "were", "is", "are", "did", "does", "do", "has",
    "have", "had", "in", "at", "on", "from", "by", "with", "for", "to", "and", "of", "when",
    "where", "after", "before",
))  # fmt: skip
"""Words that end the thing a "name of …" question names ("the two Saudi pilots rescued by …")."""
_CAPITALISED = re.compile(r"\b[A-Z][\w'’.-]*")


def no_name_given(question: str, answer: str, quote: str) -> bool:
    """Whether a question asking the name of a thing gets only the thing: "What is the
    name of the cameraman the protesters attacked?" is not answered by "one of its
    cameramen", "What are the names of the two Saudi pilots?" by "two Saudi Arabia
    air force pilots" (the answer ends on the thing asked about), nor "What street
    was the residence on?" by "street corners" (no capitalised word or number the
    question lacks), nor "What is the name of the man arrested?" by "40-year-old" (no
    capitalised word the question lacks). The whole cited sentence, given when the
    model's phrase was not found, answers "Which military base …?" only if it says "base" at all,
    and "the names of the two pilots" only if it mentions the pilots and names
    them (:func:`_thing_named`): "Malaysia Airlines mistakenly told … they could
    see the flight" names no employee."""
    said = [_singular(w) for w in re.findall(r"[A-Za-z]+", answer)]
    match = NAME_OF.search(question)
    if match is not None:
        thing = _thing_to_name(question, match)
        if not thing:  # "the original name of California State University": asks a name
            return False
        if answer == quote:  # the whole sentence must mention the thing and name it
            asked = set(_CAPITALISED.findall(question))
            return not set(said) & set(thing) or not _thing_named(quote, set(thing), asked)
        if not set(said) & set(thing):  # a name ("Juan Castillo"), not an age ("40-year-old")
            return not _new_names(question, answer)
        last = re.findall(r"[A-Za-z]+", answer)[-1]
        if last[:1].islower() and said[-1] in thing:  # not "Trout River": a name
            return True
    else:
        kind = _NAMED_KIND.search(question)
        if kind is None:
            return False
        if answer == quote and _singular(kind.group(1)) not in said:
            return True
        if answer == quote and not _thing_named(
            quote, {_singular(kind.group(1).lower())}, set(_CAPITALISED.findall(question))
        ):
            return True  # "a university professor" names no university
    return not _new_names(question, answer) and not re.search(r"\d", answer)


def _thing_to_name(question: str, match: re.Match[str]) -> list[str]:
    """The nouns (as :func:`_singular` gives them) of the thing a "name of …" question
    asks to be named: "router" in "Sky Q's broadband router" (capitalised words say
    whose), "man" in "the two men caught by bystanders"; empty for "the original
    name of California State University", which asks a name of a name."""
    thing = []
    for word in match.group(1).split():
        if word.lower() in _ENDS_THE_THING:
            break
        if word[:1].islower():
            thing.append(_singular(word))
    return _nouns_of(question, thing) if thing else []


_PLACE_THINGS = frozenset(
    (
        "street", "road", "avenue", "city", "town", "village", "country", "state", "province",
        "county", "district", "region", "area", "neighborhood", "island", "river", "lake",
        "mountain", "capital", "place", "location", "nation", "territory", "suburb", "border",
        "nationality", "language", "colony", "settlement", "half", "coast", "valley", "bay",
        "peninsula", "continent", "kingdom", "empire", "republic", "sea",
        "ocean", "desert", "basin", "delta", "canton", "municipality",
    )
)  # fmt: skip
_PLACES_OR_PEOPLES = frozenset({"GPE", "NORP", "LOC"})


def a_place_or_people_for_a_name(question: str, statement: Statement) -> bool:
    """Whether a question asking the name of what is no place ("the name of the northern
    Illinois military facility", "the names of the two politicians murdered") is
    answered by words whose only names are of places or peoples, as spaCy's entities
    label them: "U.S. soil", "Libyans". The whole sentence is
    :func:`no_name_given`'s to judge.

    Raises nothing: without spaCy's English pipeline, False.
    """
    match = NAME_OF.search(question)
    citation = statement.citations[0]
    span = citation.answer_in_quote
    if match is None or span is None or statement.text == citation.quote:
        return False
    try:
        thing = _thing_to_name(question, match)
        if not thing or set(thing) & _PLACE_ROOTS:
            return False
        doc = entity_recognizer()(citation.quote)
    except EntityModelMissingError:
        return False
    names = [
        t
        for t in doc
        if span[0] <= t.idx < span[1] and t.text[:1].isupper() and not (t.is_stop or t.is_punct)
    ]
    return bool(names) and all(t.ent_type_ in _PLACES_OR_PEOPLES for t in names)


def _new_names(question: str, answer: str) -> list[str]:
    """The capitalised words of ``answer`` that ``question`` lacks, sentence openers aside."""
    asked = set(_CAPITALISED.findall(question))
    return [w for w in _CAPITALISED.findall(answer) if w not in asked and w not in _OPENERS]


def _nouns_of(question: str, words: list[str]) -> list[str]:
    """Those of ``words`` (as :func:`_singular` gives them) that the question's parse
    makes nouns, or all of them when none is (or spaCy is missing): "two" and
    "caught" say which men, not what is named."""
    try:
        nouns = {_singular(t.lower_) for t in parse(question) if t.pos_ == "NOUN"}
    except EntityModelMissingError:
        return words
    return [w for w in words if w in nouns] or words


_NAMING_VERBS = frozenset({"name", "named", "identify", "identified", "call", "called"})


def _thing_named(
    quote: str, thing: set[str], asked: frozenset[str] | set[str] = frozenset()
) -> bool:
    """Whether ``quote`` gives a name to the thing a "name of …" question asks about: a
    proper noun in the phrase of one of the ``thing`` words ("The two pilots, Juan
    Castillo and Roberto Abate, …"), the name it is part of ("Pilots Juan Castillo
    …"), or one a naming verb gives it ("were identified as …"). Not "the choppers'
    two Argentinian pilots died near the town of Villa Castelli": the town is named,
    the pilots are not. Proper nouns the question already has (``asked``) name
    nothing new: "a Delta baggage handler" does not name the Delta baggage handler.
    True when the sentence never says the thing: not judged."""
    try:
        doc = parse(quote)
    except EntityModelMissingError:
        return True
    said = [t for t in doc if _names_the_thing(t) and _singular(t.lower_) in thing]
    if not said:
        return True
    for token in said:
        if any(t.pos_ == "PROPN" and t.text not in asked for t in _own_phrase(token)) or (
            token.head.pos_ == "PROPN" and token.head.text not in asked
        ):
            return True
        if any(  # "a programmer named David Jacobs"
            clause.dep_ == "acl"
            and clause.lower_ in _NAMING_VERBS
            and any(t.pos_ == "PROPN" for t in clause.subtree)
            for clause in token.children
        ):
            return True
        after = token.nbor() if token.i + 1 < len(doc) else None
        if after is not None and after.text[:1].isupper():
            return True  # "his nephew Tancred", whatever the parse makes of the name
        verb = token.head
        if verb.lower_ in _NAMING_VERBS and any(t.pos_ == "PROPN" for t in verb.subtree):
            return True
    return False


def _names_the_thing(token: Any) -> bool:
    """Whether ``token`` is a noun saying the thing itself, not a word of another
    thing's name ("Student" in "a Student Council resolution")."""
    if token.pos_ == "PROPN":
        return not (token.dep_ == "compound" and token.head.pos_ == "PROPN")
    return bool(token.pos_ == "NOUN")


_CLAUSES = frozenset({"acl", "relcl", "prep", "advcl", "ccomp", "xcomp", "conj", "cc"})


def _own_phrase(token: Any) -> Iterator[Any]:
    """``token`` and the words of its own noun phrase (modifiers, compounds, appositions),
    not the clauses or prepositional phrases hanging on it: "Jewish students opposed to
    a Student Council resolution" names no student."""
    yield token
    for child in token.children:
        if child.dep_ not in _CLAUSES:
            yield from child.subtree


_NAMED_KIND = re.compile(
    r"\b(?:what|which) (?:(?!(?:kind|type|sort|part|size|form|the|a|an|is|was|are|were|do|"
    r"does|did|has|have|had|will|would|can|could) )[a-z]+ ){0,2}"
    r"(street|road|avenue|city|town|village|country|province|county|river|island|lake|"
    r"mountain|court|team|club|company|airline|newspaper|hospital|university|school|party|"
    r"stadium|airport|prison|museum|church|ship|film|movie|book|band|language|nationality|"
    r"base|theater|theatre|hotel|restaurant|venue|arena|station|channel|network|magazine|"
    r"album|song|novel|play|series|brand|studio|festival|tournament|league|bank|bridge)\b",
    re.IGNORECASE,
)
"""Kinds of thing known by a proper name: "What city …?" asks for one, not "the city"."""
_OPENERS = frozenset({"The", "A", "An", "Its", "His", "Her", "Their", "This", "That"})


def _singular(word: str) -> str:
    """``word`` lower-cased, stemmed, "-men" as "-man" ("cameramen" → "cameraman"), in
    American spelling ("theatre" → "theater")."""
    lowered = word.lower().replace("theatre", "theater")
    return stem(lowered[:-3] + "man" if lowered.endswith("men") else lowered)


_PLACE_ROOTS = frozenset(_singular(w) for w in _PLACE_THINGS)  # as :func:`_singular` writes them


_KIN = (
    r"(?:son|daughter|father|mother|wife|husband|brother|sister|nephew|niece|uncle|aunt|"
    r"grandson|granddaughter|grandfather|grandmother|cousin|widow|widower|heir)s?"
)
_RELATIVE_OF = re.compile(rf"\b([A-Z][\w-]*)['’]s\s+({_KIN})\b")


def another_ones_relative(question: str, answer: str) -> bool:
    """Whether "Who was X's <relative>?" is answered by another's relative of that kind:
    "Robert's son" (from "… the Normans under the command of Bohemond, Robert's son")
    for "Who was Bohemond's son?". The sentence says what Bohemond is, not who his son
    is. Not "Emperor Gegeen Khan, Ayurbarwada's son and successor, …" for "Who was
    Ayurbarwada's son?"."""
    asked = _RELATIVE_OF.search(question)
    if asked is None:
        return False
    kin = stem(asked.group(2).lower())
    return any(
        stem(relation.lower()) == kin and whose != asked.group(1)
        for whose, relation in _RELATIVE_OF.findall(answer)
    )
