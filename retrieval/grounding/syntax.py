"""What the dependency parse of an evidence sentence says about an answer.

Checks and repairs that need to know how the sentence's words relate, read
from spaCy's parse (:func:`~retrieval.text.english_model.dependency_parser`):
who did the action a "Who <verb> <object>?" question asks
(:func:`agent_span`), whether a number counts what a "How many …?" question
asks (:func:`count_supported`), a passive saying an action with no one doing
it (:func:`doer_unnamed`), who did the action to another
(:func:`acts_on_another`) and the count a question asks (:func:`count_span`). The
answer's words themselves are found by :mod:`retrieval.grounding.spans`, the
whole phrase they belong to by :mod:`retrieval.grounding.phrases`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from retrieval.grounding.phrases import complete_phrase, parse, token_end
from retrieval.grounding.spans import WORD, word_root
from retrieval.text.terms import claim_terms, normalise, stem

# "Who fired the rockets?": who, then a verb (not an auxiliary: "Who was the
# hostage?" asks for an identity, not a doer), maybe after an adverb ("Who
# fatally shot …?"), then what was acted on.
_AGENT_QUESTION = re.compile(
    r"^\s*who\s+(?:[a-z]+ly\s+)?"
    r"(?!(?:is|was|are|were|be|been|did|does|do|has|have|had|will|would|can|could|"
    r"should|may|might|must)\b)([a-z]+)\s+(.+)$",
    re.IGNORECASE,
)
# A pronoun object stands for the question's object when the sentence names it
# too: "Tony Robinson was not armed when an officer fatally shot him".
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "it"})
_OBJECT_DEPS = frozenset({"dobj", "obj", "pobj", "nsubjpass"})
# Verbs whose doer is the other side of the question's: "Smith lost the
# election to Jones" names no winner. Without same_verb, another verb acting
# on the object counts ("launched" for "fired"), except one of these; and a
# count of the other side is not the count asked for (the injured, not the dead).
_OPPOSED_VERBS = (
    ("win won beat defeat", "lose lost"), ("buy bought", "sell sold"),
    ("approve accept back support", "reject refuse oppose veto"), ("open", "close shut"),
    ("raise rise rose increase gain", "cut lower fall fell decrease lose lost"),
    ("join enter", "leave left quit"), ("start begin began", "end stop finish"),
    ("arrest detain capture", "release free"), ("attack", "defend"),
    ("kill killed die died dead", "injure injured wound wounded hurt"),
)  # fmt: skip


def _asked_action(question: str) -> tuple[str, set[str]] | None:
    """A "Who <verb> <object>?" question's verb (its root) and object terms, or None."""
    match = _AGENT_QUESTION.match(question)
    if match is None:
        return None
    objects = claim_terms(match.group(2))
    return (word_root(normalise(match.group(1))), objects) if objects else None


def _naming(question: str, sentence: str, deps: frozenset[str]) -> Iterator[tuple[str, Any]]:
    """For a "Who <verb> <object>?" question: the question's verb root with each token
    of ``sentence``'s parse that names one of its objects (stemmed), or is a pronoun
    standing for them (:data:`_OBJECT_PRONOUNS`, when the sentence names every
    object word), in one of the dependency relations ``deps``, in sentence order;
    nothing for other questions."""
    action = _asked_action(question)
    if action is None:
        return
    asked_verb, objects = action
    named = objects <= claim_terms(sentence)
    for token in parse(sentence):
        if token.dep_ not in deps:
            continue
        if stem(normalise(token.text)) in objects or (named and token.lower_ in _OBJECT_PRONOUNS):
            yield asked_verb, token


def agent_span(question: str, sentence: str, same_verb: bool = False) -> tuple[int, int] | None:
    """Offsets of who did the question's action in ``sentence``, or None.

    For "Who <verb> <object>?" the doer is the grammatical subject of the
    sentence's verb that governs the object, whatever that verb is: for "Who
    fired the rockets?" and "… said an outlawed group launched eight rockets …"
    it is "an outlawed group" (for a passive, the agent after "by"; for a participle
    with no subject of its own, "Jacobs …, creating MatchGrid", the clause's). Found with
    spaCy's dependency parser (:func:`~retrieval.text.english_model.dependency_parser`);
    a pronoun, or a subject the question already names, is not an answer. With
    ``same_verb``, only the question's own verb counts ("Who won the
    election?" has no doer in "Smith lost the election to Jones").
    Being a verbatim piece of the sentence, the span is supported by construction.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    asked = claim_terms(question)
    for asked_verb, token in _naming(question, sentence, _OBJECT_DEPS):
        verb = token.head.head if token.dep_ == "pobj" else token.head
        acting = word_root(normalise(verb.text))
        if verb.pos_ != "VERB" or same_verb and acting != asked_verb:
            continue
        if _opposed(asked_verb, acting):
            continue
        if token.dep_ == "nsubjpass":
            doers = [g for c in verb.children if c.dep_ == "agent" for g in c.children]
        else:
            doers = [c for c in verb.children if c.dep_ == "nsubj"]
            if not doers and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj"):
                # "Jacobs paid it forward …, creating MatchGrid": its doer is the clause's
                doers = [c for c in verb.head.children if c.dep_ == "nsubj"]
        for doer in doers:
            if doer.pos_ == "PRON" or claim_terms(doer.text) <= asked:
                continue
            start = doer.left_edge.idx
            end = doer.right_edge.idx + len(doer.right_edge.text)
            return start, end
    return None


_OPPOSED_ROOTS = tuple(
    (frozenset(word_root(w) for w in one.split()), frozenset(word_root(w) for w in two.split()))
    for one, two in _OPPOSED_VERBS
)


def _opposed(verb: str, other: str) -> bool:
    """Whether two verb roots name opposite sides (:data:`_OPPOSED_VERBS`)."""
    return any(
        verb in first and other in second or verb in second and other in first
        for first, second in _OPPOSED_ROOTS
    )


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
    if done in said:
        return True
    if any(_opposed(done, w) for w in said):
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
    if action is None or word_root(normalise(action.text)) in _LIGHT_VERBS:
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
        verbs = [noun.head, *(c for c in noun.children if c.dep_ in ("acl", "relcl"))]
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


def doer_unnamed(question: str, sentence: str) -> bool:
    """Whether ``sentence`` says the action of a "Who <verb> <object>?" question in the
    passive with no one doing it: "Iran-backed militia groups have been blamed for
    the attacks" does not say who blamed them, so it cannot answer "Who blamed
    Iran-backed militia groups?" (not even with a name it holds elsewhere).

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    for asked_verb, token in _naming(question, sentence, frozenset({"nsubjpass"})):
        verb = token.head
        if verb.pos_ == "VERB" and word_root(normalise(verb.text)) == asked_verb:
            return not any(child.dep_ == "agent" for child in verb.children)
    return False


def acts_on_another(question: str, sentence: str, span: tuple[int, int] | None) -> bool:
    """Whether the answer at ``span`` of ``sentence`` does the action of a "Who <verb>
    <object>?" question to something else: "Who shot the two police officers?" is
    not answered by "Darren Wilson" from "… Darren Wilson, shot and killed Michael
    Brown" — the subject (with what it names in apposition, or the noun the verb
    describes) of the question's verb
    whose direct object (or that of the verb it is joined to: "shot and killed")
    shares no word with the question's object. A pronoun object is not judged.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    action = _asked_action(question)
    if action is None or span is None:
        return False
    asked_verb, objects = action
    for verb in parse(sentence):
        if verb.pos_ != "VERB" or word_root(normalise(verb.text)) != asked_verb:
            continue
        doers = [c for c in verb.children if c.dep_ == "nsubj"]
        if verb.dep_ == "acl":  # "a police officer, Darren Wilson, shot and killed …"
            doers.append(verb.head)
        if not any(d.left_edge.idx < span[1] and span[0] < token_end(d.right_edge) for d in doers):
            continue
        done_to = [c for c in verb.children if c.dep_ in {"dobj", "obj"}] or [
            c for v in verb.children if v.dep_ == "conj" for c in v.children if c.dep_ == "dobj"
        ]
        for thing in done_to:
            phrase = sentence[thing.left_edge.idx : token_end(thing.right_edge)]
            if thing.pos_ != "PRON" and not claim_terms(phrase) & objects:
                return True
    return False


def done_to_answer(question: str, sentence: str, span: tuple[int, int] | None) -> bool:
    """Whether the answer at ``span`` of ``sentence`` is the one a "Who <verb> …?"
    question's action is done to: the direct object of the question's verb, or the
    subject of its passive. "Who killed him?" is not answered by "Roy" from "… the
    same brazen act that killed Roy", nor by "Rahman" from "Rahman was killed".

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    match = _AGENT_QUESTION.match(question)
    if match is None or span is None:
        return False
    asked = word_root(normalise(match.group(1)))
    for verb in parse(sentence):
        if verb.pos_ != "VERB" or word_root(normalise(verb.text)) != asked:
            continue
        for done in verb.children:
            if done.dep_ in ("dobj", "obj", "nsubjpass") and (
                done.left_edge.idx <= span[0] and span[1] <= token_end(done.right_edge)
            ):
                return True
    return False


def done_by_the_asked(question: str, sentence: str, span: tuple[int, int] | None) -> bool:
    """Whether the answer at ``span`` of ``sentence`` is what the object of a "Who
    <verb> <object>?" question does something to, whatever the verb: "Who wrote
    Lords of the Sith?" is not answered by "Moff Mors" from "the novel 'Lords of
    the Sith' will feature … an official named Moff Mors", nor "Who beat Chelsea?"
    by "Arsenal" from "Chelsea beat Arsenal" — the direct object of a verb whose
    subject names the question's object.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    action = _asked_action(question)
    if action is None or span is None:
        return False
    objects = action[1]
    for verb in parse(sentence):
        if verb.pos_ != "VERB":
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if not any(
            claim_terms(sentence[c.left_edge.idx : token_end(c.right_edge)]) & objects
            for c in subjects
        ):
            continue
        for done in verb.children:
            if done.dep_ in ("dobj", "obj") and (
                done.left_edge.idx <= span[0] and span[1] <= token_end(done.right_edge)
            ):
                return True
    return False


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
