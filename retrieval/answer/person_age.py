"""The age a story gives the person a "How old is <name>?" question names, found by
the program in the whole story, before any model or verifier is asked.

News gives a person's age once, often far from the sentences that best match the
question: "But Nemtsova, 30, said …" for "How old is Nemtsov's daughter Zhanna
Nemtsova?", or through a description or a pronoun standing for the story's main
person: "… the 22-year-old said." (Zayn Malik), "At 64, he maintains a habit …"
(Chuck Schumer). The verifier, judging the best-matching sentence, declined these.

An age beside the name (:func:`~retrieval.answer.ages.age_span`) is taken in any
sentence naming the person. An age standing for someone ("the 22-year-old said",
"At 64, he", "She's now 84") is taken only when the story names one such age, the
person asked about is the person the story names most (by spaCy's PERSON entities,
counted by last name), and the last person named before that age is them: "At 64,
he" of the Schumer story is not Harry Reid's age. Measured on our 64 news "How
old …?" questions (2026-12-02): 17 ages found, all right, none for the 22 near
misses.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from retrieval.answer.ages import AGE_IN_WORDS, HOW_OLD, age_span, asked_name
from retrieval.text.english_model import EntityModelMissingError, entity_recognizer
from retrieval.text.sentences import sentence_spans
from retrieval.types import Paragraph

# What may follow an age standing for a person: punctuation, a possessive, a verb of
# saying or a function word; not a noun ("the 22-year-old singer" names its noun).
_AFTER_A_PERSON = (
    r"(?:said|says|told|tells|who|whose|was|is|has|had|added|wrote|writes|explained|"
    r"admitted|posted|tweeted|and|in|at|on|of|from|with|after|before|when|while|as|also|"
    r"later|then|would|will|could|can|did|does|went|got|made|responded|replied)"
)
_STANDS_FOR_A_PERSON = re.compile(
    rf"\b[Tt]he (?P<age>(?:\d{{1,3}}|{AGE_IN_WORDS})-year-old)"
    rf"(?=\s*[,.;:!?)'’\"]|\s+{_AFTER_A_PERSON}\b|['’]s)"
    r"|\bAt (?P<at>\d{2}), (?:he|she)\b"
    r"|\b(?:[Hh]e|[Ss]he)(?:['’]s| is| was)(?: now| only| just)? "
    r"(?P<now>\d{1,3}(?: years old)?)(?=[,.;]| and\b)"
)


@dataclass(frozen=True)
class AgeFound:
    """An age a story gives, in paragraph offsets.

    Attributes:
        paragraph: The paragraph saying it.
        sentence: ``(start, end)`` of the sentence in ``paragraph.text``.
        age: ``(start, end)`` of the age's words in ``paragraph.text``.
    """

    paragraph: Paragraph
    sentence: tuple[int, int]
    age: tuple[int, int]


def asked_person(question: str) -> str | None:
    """The last name of the person "How old is/was <name> …?" asks about: "Nemtsova" of
    "How old is Nemtsov's daughter Zhanna Nemtsova?", "Pichette" of "How old was Google
    CFO Patrick Pichette when he retired?"; None when no name follows ("How old is the
    officer …?")."""
    name = asked_name(question)
    if name is None:
        return None
    return re.sub(r"(?:['’]s?)?\W*$", "", name.split()[-1]) or None


def age_in_story(question: str, paragraphs: Sequence[Paragraph]) -> AgeFound | None:
    """The age one story (``paragraphs``, in order) gives the person ``question`` asks
    about (see the module's docstring); None when it gives none, names no such person,
    or spaCy's English model is not installed."""
    key = asked_person(question) if HOW_OLD.search(question) else None
    if key is None:
        return None
    named = re.compile(rf"\b{re.escape(key)}\b")
    if not any(named.search(p.text) for p in paragraphs):
        return None
    try:
        recognizer = entity_recognizer()
    except EntityModelMissingError:
        return None
    people = [
        [(e.start_char, _last_name(e.text)) for e in recognizer(p.text).ents if _person(e)]
        for p in paragraphs
    ]
    if key not in {name for found in people for _, name in found}:
        return None  # a place or a body, not a person ("How old is the Sumoto man?")
    for paragraph in paragraphs:
        for start, end in sentence_spans(paragraph.text):
            sentence = paragraph.text[start:end]
            # the age beside this person's name, not another the question names ("How
            # old is Officer Matt Kenny, who shot Tony Robinson?" is not Robinson's age)
            span = age_span(f"How old is {key}?", sentence) if named.search(sentence) else None
            if span is not None:
                return AgeFound(paragraph, (start, end), (start + span[0], start + span[1]))
    return _standing_for(key, paragraphs, people)


def _standing_for(
    key: str, paragraphs: Sequence[Paragraph], people: Sequence[Sequence[tuple[int, str]]]
) -> AgeFound | None:
    """The one age in the story standing for a person ("the 22-year-old said"), when it
    stands for ``key``: the story's most named person and the last one named before it."""
    text = " ".join(p.text for p in paragraphs)
    names = {name for found in people for _, name in found}
    counts = Counter({name: len(re.findall(rf"\b{re.escape(name)}\b", text)) for name in names})
    ranked = counts.most_common(2)
    if ranked[0][0] != key or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    found: list[AgeFound] = []
    last_named: str | None = None
    for paragraph, named in zip(paragraphs, people, strict=True):
        matches = list(_STANDS_FOR_A_PERSON.finditer(paragraph.text))
        spans = sentence_spans(paragraph.text) if matches else []
        for match in matches:
            before = [name for at, name in named if at < match.start()]
            standing = before[-1] if before else last_named
            group = next(g for g in ("age", "at", "now") if match.group(g))
            sentence = next(s for s in spans if s[0] <= match.start() < s[1])
            if standing == key:
                found.append(AgeFound(paragraph, sentence, match.span(group)))
            else:
                return None  # the story's other ages make any of them uncertain
        if named:
            last_named = named[-1][1]
    ages = {f.paragraph.text[f.age[0] : f.age[1]] for f in found}
    return found[0] if len(ages) == 1 else None


def _person(entity: Any) -> bool:
    """Whether a spaCy entity is a person's name."""
    return bool(entity.label_ == "PERSON")


def _last_name(name: str) -> str:
    """ "Malik" of "Zayn Malik", "Nemtsov" of "Nemtsov's"."""
    return re.sub(r"['’]s?$", "", name.split()[-1])
