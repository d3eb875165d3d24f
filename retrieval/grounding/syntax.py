"""What the dependency parse of an evidence sentence says about an answer.

Checks and repairs that need to know how the sentence's words relate, read from spaCy's
parse (:func:`~retrieval.text.english_model.dependency_parser`): who did the action a
"Who <verb> <object>?" question asks (:func:`agent_span`), a passive saying an action
with no one doing it (:func:`doer_unnamed`), and whether two verbs name opposite or the
same sides (:func:`opposed`, :func:`same_side`). Whether the answer is the one acted on
rather than the doer is :mod:`retrieval.grounding.roles`'s. Whether a number counts what
"How many …?" asks is :mod:`retrieval.grounding.counts`'s; the name a sentence gives for
the one a question describes, :mod:`retrieval.grounding.naming`'s. The answer's words
themselves are found by :mod:`retrieval.grounding.spans`, the whole phrase they belong
to by :mod:`retrieval.grounding.phrases`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from retrieval.grounding.phrases import parse, token_end
from retrieval.grounding.spans import word_root
from retrieval.text.terms import claim_terms, normalise, stem

# "Who fired the rockets?": who, then a verb (not an auxiliary: "Who was the
# hostage?" asks for an identity, not a doer), maybe after an adverb ("Who
# fatally shot …?"), then what was acted on.
AGENT_QUESTION = re.compile(
    r"^\s*who\s+(?:(?:will|would|could|should|might|has|have|had)\s+)?(?:[a-z]+ly\s+)?"
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


def asked_action(question: str) -> tuple[str, set[str]] | None:
    """A "Who <verb> <object>?" question's verb (its root) and object terms, or None."""
    match = AGENT_QUESTION.match(question)
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
    action = asked_action(question)
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
        if opposed(asked_verb, acting):
            continue
        if token.dep_ == "nsubjpass":
            doers = [g for c in verb.children if c.dep_ == "agent" for g in c.children]
        else:
            doers = [c for c in verb.children if c.dep_ == "nsubj"]
            if not doers and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj"):
                # "Jacobs paid it forward …, creating MatchGrid": its doer is the clause's
                doers = [c for c in verb.head.children if c.dep_ == "nsubj"]
            if all(d.tag_ in _RELATIVE for d in doers):  # "the one to announce", "the man who"
                doers = _said_to_be(verb) or doers
        for doer in doers:
            if doer.pos_ == "PRON" or claim_terms(doer.text) <= asked:
                continue
            last = doer if doer.i < verb.i <= doer.right_edge.i else doer.right_edge  # a cleft
            if doer.pos_ == "PROPN":
                last = _without_clause(doer, last)
            return doer.left_edge.idx, token_end(last)
    return None


def _without_clause(name: Any, last: Any) -> Any:
    """The last word of ``name`` (a proper noun) up to ``last``, less a clause describing
    it after a comma: "Frank Burnet" of "Frank Burnet, inspired by a suggestion made by
    Niels Jerne, formulated …" (who formulated it is Burnet, not Jerne)."""
    doc = name.doc
    for child in name.rights:
        comma = child.left_edge.i - 1
        if child.dep_ not in ("acl", "relcl") or child.i > last.i or comma <= name.i:
            continue
        if doc[comma].text == ",":  # not "A Tribe Called Quest": a name of its own
            return doc[comma - 1]  # ")" kept: "Frank Burnet (1899-1985)"
    return last


BE = frozenset({"be", "is", "was", "are", "were", "been", "'s"})  # no lemmas in the parse
_RELATIVE = frozenset({"WP", "WDT"})  # "who", "which", "that" opening a relative clause


def _said_to_be(verb: Any) -> list[Any]:
    """Who a copula says does ``verb``, where ``verb`` heads a relative clause on one
    side of "be": "Jega will be the one to announce final results", "Jones is the
    man who wrote the letter" (the subject); "The man who wrote it was Jones", "It
    was Jones who fired the shots" (the complement)."""
    described = verb.head
    if verb.dep_ != "relcl" or described.head.lower_ not in BE:
        return []
    copula = described.head
    if described.dep_ == "attr":
        subjects = [c for c in copula.children if c.dep_ == "nsubj"]
        if described.pos_ == "PROPN" and all(s.lower_ == "it" for s in subjects):
            return [described]  # a cleft
        return subjects
    if described.dep_ == "nsubj":
        return [c for c in copula.children if c.dep_ == "attr"]
    return []


# "Who is the only person arrested …?": a description of someone, whose name is asked.
_OPPOSED_ROOTS = tuple(
    (frozenset(word_root(w) for w in one.split()), frozenset(word_root(w) for w in two.split()))
    for one, two in _OPPOSED_VERBS
)


def opposed(verb: str, other: str) -> bool:
    """Whether two verb roots name opposite sides (:data:`_OPPOSED_VERBS`)."""
    return any(
        verb in first and other in second or verb in second and other in first
        for first, second in _OPPOSED_ROOTS
    )


def same_side(verb: str, other: str) -> bool:
    """Whether two verb roots name the same side of :data:`_OPPOSED_VERBS` ("die", "kill")."""
    return verb == other or any(
        {verb, other} <= first or {verb, other} <= second for first, second in _OPPOSED_ROOTS
    )


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
