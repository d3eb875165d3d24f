"""Checks below the word level: does a written sentence keep who did what to whom?

A sentence whose every word stands in the sentence it cites can still say
something else: "Obama and 19 other world leaders were released" from "the
personal details of Obama and 19 other world leaders were released"; "Kim
Jong Un will attend" from "Kim Jong Un is expected to attend"; "At 22:00 …
the warning ends" from "the warning begins at 22:00 … and ends at 10:00".
Each moved a word away from the word it depends on. So both sentences are
parsed (spaCy's English dependency parser, Honnibal and Johnson, EMNLP 2015)
and each content word of the written sentence must stand next to its head in
the cited sentence too (:func:`relations_hold`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from retrieval.text.english_model import dependency_parser
from retrieval.text.terms import MONTHS, WEEKDAYS, normalise, stem

CONTENT = frozenset({"NOUN", "PROPN", "NUM", "VERB", "ADJ"})
"""Parts of speech (universal tags) whose relations are checked."""
# Edges that join words of one phrase or equal phrases: a word may reach its
# head through them at no cost ("Smith, the chairman, said": chairman said).
_SAME_PHRASE = frozenset({"conj", "appos", "compound", "flat", "cc", "punct"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
# Verbs that are auxiliaries in one sentence and main verbs in its shortening
# ("Buhari has 11.5 million votes" from "Buhari has so far obtained …").
_LIGHT_VERBS = frozenset(stem(w) for w in ("be", "is", "was", "were", "have", "has", "had", "do"))
# Verbs that say one thing *is* another ("Scidmore was a board member").
_COPULAS = frozenset(
    stem(w) for w in ("be", "is", "are", "was", "were", "been", "become", "became", "remain")
)
_RELATIVE = frozenset({"which", "who", "whom", "that"})
# Heads of a partitive ("one of the first members", "two of his sons"): a part
# of a set, which the set alone does not say.
_PARTS = frozenset(
    {"one", "some", "many", "most", "few", "several", "none", "part", "half", "any", "majority"}
)
_DEFINITE = frozenset({"the", "these", "those", "his", "her", "their", "its", "our", "my", "your"})
_WORD = re.compile(r"[\w'-]+")


def relations_hold(sentence: str, quotes: Sequence[str]) -> bool:
    """Whether every content word of ``sentence`` stays next to its head in a quote.

    For each noun, proper noun, number, verb and adjective of ``sentence``
    (words inside one phrase aside), its head is the nearest content word
    above it in the parse; an apposition's head is the noun it renames. When
    both words stand in a quote (by stem), some occurrence of them there
    must be at most one content word apart (:func:`_distance`), unless the
    written words between them copy the quote word for word, or the head
    is above the word in the quote and the word keeps its role there (its
    dependency label; a number or date may change it). A proper noun
    tacked on as an adverbial ("… crashed Tuesday, Bleone Valley.") is a
    fragment and fails. A noun the sentence says its subject *is* ("Scidmore
    was the first female board member") must be that subject's in a quote
    too, by a copula, an apposition or a relative clause ("Scidmore, one of
    the first …" says a part of a set, and "the Bleone Valley, where a jet
    crashed" is no crash); a noun a quote only gives as part of a set ("one
    of the first members") may not stand alone.

    Args:
        sentence: One sentence written by the model.
        quotes: The sentences it cites.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    parse = dependency_parser()
    written = parse(sentence)
    cited = [parse(quote) for quote in quotes]
    copied = [" ".join(_WORD.findall(normalise(q))) for q in quotes]
    for token in written:
        if _tacked_on(token, cited) or _part_dropped(token, cited):
            return False
        if not _identity_holds(token, cited, copied):
            return False
        if token.pos_ not in CONTENT or (token.dep_ in _SAME_PHRASE and token.dep_ != "appos"):
            continue
        head = token.head if token.dep_ == "appos" else _content_head(token)
        if head is None or stem(head.lower_) in _LIGHT_VERBS:
            continue
        first, last = sorted((token.i, head.i))
        if _copied(written[first : last + 1], copied):
            continue
        pairs = [
            (a, b)
            for doc in cited
            for a in doc
            if stem(a.lower_) == stem(token.lower_)
            for b in doc
            if stem(b.lower_) == stem(head.lower_)
        ]
        # Words between may be dropped when the word keeps its role ("stabbing
        # … in Sumoto city" from "stabbing … in a farming community in Sumoto
        # city"), not when it takes another's ("Obama … released" from "the
        # details of Obama … released") or a verb between carried the claim
        # ("apologized for … being profiled" from "apologizing for claiming
        # … was profiled"); a number or date may move up to scope over more of
        # the sentence ("In 2007, he had used force, killing a man" from
        # "… killing a man in 2007"), not over to another verb ("begins at
        # 22:00 and ends").
        if (
            pairs
            and min(_distance(a, b) for a, b in pairs) > 1
            and not any(_may_drop_between(token, a, b) for a, b in pairs)
        ):
            return False
    return True


def _copied(span: Any, copied: Sequence[str]) -> bool:
    """Whether the written words of ``span`` stand word for word in a quote (normalised)."""
    words = " ".join(_WORD.findall(normalise(span.text)))
    return any(f" {words} " in f" {quote} " for quote in copied)


def _copula_subject(token: Any) -> Any:
    """The subject of the copula ``token`` is the attribute of ("X" of "X was a Y"), or None.

    A relative pronoun stands for the noun its clause hangs on ("the Valley,
    which was …": the Valley); "there were …" has no subject.
    """
    verb = token.head
    if token.dep_ != "attr" or stem(verb.lower_) not in _COPULAS:
        return None
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    if subject is not None and subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
        subject = verb.head
    return subject


def _same_things(doc: Any) -> list[int]:
    """For each token of ``doc``, a label shared by the words that name one thing.

    Joined: a name's parts (compound, flat), an apposition and its noun, a
    copula's subject and attribute, and attributes joined by "and" — never a
    partitive's set ("one of the members": one is not the members).
    """
    label = list(range(len(doc)))

    def find(i: int) -> int:
        while label[i] != i:
            label[i] = label[label[i]]
            i = label[i]
        return i

    def join(a: Any, b: Any) -> None:
        label[find(a.i)] = find(b.i)

    for token in doc:
        named_again = token.dep_ == "conj" and token.head.dep_ in {"attr", "appos"}
        if token.dep_ in {"appos", "compound", "flat"} or named_again:
            join(token, token.head)
        subject = _copula_subject(token)
        if subject is not None:
            join(token, subject)
    return [find(i) for i in range(len(doc))]


def _identity_holds(token: Any, cited: Sequence[Any], copied: Sequence[str]) -> bool:
    """Whether a noun the written sentence says its subject *is* is that in a quote too.

    Only checked when some quote holds both words (by stem) and the written
    words from one to the other are not copied word for word.
    """
    if token.pos_ not in {"NOUN", "PROPN"}:
        return True
    subject = _copula_subject(token)
    if subject is None or subject.pos_ not in {"NOUN", "PROPN"}:
        return True
    first, last = sorted((token.i, subject.i))
    if _copied(token.doc[first : last + 1], copied):
        return True
    both = False
    for doc in cited:
        things = _same_things(doc)
        nouns = [t for t in doc if stem(t.lower_) == stem(token.lower_)]
        names = [t for t in doc if stem(t.lower_) == stem(subject.lower_)]
        both = both or bool(nouns and names)
        if any(things[a.i] == things[b.i] for a in nouns for b in names):
            return True
    return not both


def _partitive(token: Any) -> bool:
    """Whether ``token`` names the set of a partitive ("one of the first *members*")."""
    of = token.head
    definite = any(c.dep_ in {"det", "poss"} and c.lower_ in _DEFINITE for c in token.children)
    return (
        token.dep_ == "pobj"
        and of.lower_ == "of"
        and definite
        and (of.head.lower_ in _PARTS or of.head.pos_ == "NUM")
    )


def _part_dropped(token: Any, cited: Sequence[Any]) -> bool:
    """Whether a noun that every quote gives only as a partitive's set stands alone here."""
    if token.pos_ not in {"NOUN", "PROPN"} or _partitive(token):
        return False
    same = [t for doc in cited for t in doc if stem(t.lower_) == stem(token.lower_)]
    return bool(same) and all(_partitive(t) for t in same)


def has_finite_verb(sentence: str) -> bool:
    """Whether ``sentence`` is a clause with a finite verb, not a phrase.

    A cut at a comma can leave a noun phrase that reads like a headline
    ("Attahiru Jega, the chairman of the electoral commission."); spaCy's
    English tagger (Penn tags VBD, VBZ, VBP, MD) tells them apart.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    return any(token.tag_ in _FINITE for token in dependency_parser()(sentence))


def _content_head(token: Any) -> Any:
    """The nearest content word above ``token``, or None (the root is not one)."""
    head = token.head
    while head.i != head.head.i and head.pos_ not in CONTENT:
        head = head.head
    return head if head.i != token.i and head.pos_ in CONTENT else None


def _distance(a: Any, b: Any) -> int:
    """How many content words apart word ``a`` and its head ``b`` are in their parse.

    The path between them goes up to their lowest common ancestor; each step
    up to a content word (or to the ancestor) counts one, except along an
    edge inside one phrase (conjunction, apposition, compound). So a verb and
    its subject or object are 1 apart, through a preposition too ("arrested
    at the airport"); "details of Obama … released" puts Obama 2 from released.
    A verb joined by "and" to another shares that one's place ("shooting and
    killing a man" hangs both where "shooting" hangs) and its subject ("the
    count was stopped and will resume"), not its other words ("begins at
    22:00 and ends at 10:00" does not end at 22:00).
    """
    up_a, up_b = _ancestors(a), _ancestors(b)
    above_b = [t.i for t in up_b]
    common = next((t for t in up_a if t.i in above_b), None)
    if common is None:
        return 99
    steps = 0
    for path, shared in ((up_a, True), (up_b, a.dep_ in _SUBJECTS)):
        for token in path:
            if token.i == common.i:
                break
            joined = token.dep_ in _SAME_PHRASE and (
                shared or token.dep_ != "conj" or token.pos_ != "VERB"
            )
            if not joined and (token.head.pos_ in CONTENT or token.head.i == common.i):
                steps += 1
    return steps


def _movable(token: Any) -> bool:
    return token.pos_ == "NUM" or token.lower_ in WEEKDAYS or token.lower_ in MONTHS


def _may_drop_between(written: Any, a: Any, b: Any) -> bool:
    """Whether the written word may hang on ``b`` though ``a`` (the same word in
    the quote) hangs lower: ``b`` is above ``a``, and ``a`` is a number or date,
    or keeps its dependency label with no verb between."""
    between = _ancestors(a)[1:]
    if not any(t.i == b.i for t in between):
        return False
    if _movable(written):
        return True
    between = between[: [t.i for t in between].index(b.i)]
    return a.dep_ == written.dep_ and not any(t.pos_ == "VERB" for t in between)


def _ancestors(token: Any) -> list[Any]:
    """``token`` and every token above it, up to the root."""
    chain = [token]
    while token.head.i != token.i:
        token = token.head
        chain.append(token)
    return chain


def _tacked_on(token: Any, cited: Sequence[Any]) -> bool:
    """Whether ``token`` is a name hung on the clause as an adverbial ("… crashed
    Tuesday, Bleone Valley."), where no quote uses it so: a fragment."""
    if token.dep_ != "npadvmod" or token.pos_ != "PROPN":
        return False
    if token.lower_ in WEEKDAYS or token.lower_ in MONTHS:
        return False
    return not any(t.lower_ == token.lower_ and t.dep_ == "npadvmod" for doc in cited for t in doc)
