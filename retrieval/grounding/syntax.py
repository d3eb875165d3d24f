"""What the dependency parse of an evidence sentence says about an answer.

Checks and repairs that need to know how the sentence's words relate, read
from spaCy's parse (:func:`~retrieval.text.english_model.dependency_parser`):
who did the action a "Who <verb> <object>?" question asks
(:func:`agent_span`), a passive saying an action with no one doing it
(:func:`doer_unnamed`), who did the action to another (:func:`acts_on_another`),
the one it was done to (:func:`done_to_answer`, :func:`done_by_the_asked`), the
source a sentence quotes (:func:`source_of`) and a verb's past tense
(:func:`said_in_the_past`). Whether a number counts what "How many …?" asks is
:mod:`retrieval.grounding.counts`'s; the name a sentence gives for the one a
question describes, :mod:`retrieval.grounding.naming`'s. The answer's words themselves are found by
:mod:`retrieval.grounding.spans`, the whole phrase they belong to by
:mod:`retrieval.grounding.phrases`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from retrieval.grounding.phrases import parse, token_end
from retrieval.grounding.spans import word_root
from retrieval.text.questions import QUESTION_NAME
from retrieval.text.terms import claim_terms, normalise, spelled_out_acronyms, stem

# "Who fired the rockets?": who, then a verb (not an auxiliary: "Who was the
# hostage?" asks for an identity, not a doer), maybe after an adverb ("Who
# fatally shot …?"), then what was acted on.
_AGENT_QUESTION = re.compile(
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


def neither_act_nor_object(question: str, sentence: str) -> bool:
    """Whether ``sentence`` says neither the action of a "Who <verb> <object>?" question
    (its verb in any form, or one of its side: "died" for "killed") nor any name of
    its object: "I found myself more drawn to Carl Jung than the book of Corinthians"
    cannot say who wrote "The Myth of Certainty", nor a sentence on another match who
    scored Southampton's penalty. Likewise for "When did <subject> <verb> <object>?"
    (or "In what year …"), read from the question's parse: "He ran the committee when
    it took the majority in 2006" cannot date Schumer's defeat of Alfonse D'Amato. An
    object naming nothing ("Who fired them?") is not judged here.

    Raises:
        EntityModelMissingError: a "When did …?" question, and spaCy's English pipeline
            is not installed.
    """
    match = _AGENT_QUESTION.match(question)
    if match is not None and match.group(1).lower() in _PREPOSITIONS:
        return False  # "Who at USC said …?": no verb where one was looked for
    if match is not None:
        verb = word_root(normalise(match.group(1)))
        # a space first: the object's first word is no question's first word ("Nancy");
        # a possessor only places the object ("Portugal's Socialist party")
        named = QUESTION_NAME.findall(" " + match.group(2))
        names = claim_terms(" ".join(n for n in named if not re.search(r"['’]s$", n)))
    elif _WHEN_DID.match(question):
        asked = _verb_and_object_names(question)
        if asked is None:
            return False
        verb, names = asked
    else:
        return False
    if not names:
        return False
    said = normalise(sentence)
    if any(same_side(verb, word_root(w)) for w in re.findall(r"[a-z]+", said)):
        return False
    return not names & (claim_terms(sentence) | spelled_out_acronyms(sentence, question))


_PREPOSITIONS = frozenset({"at", "in", "on", "of", "from", "with", "for", "by", "among", "inside"})


_WHEN_DID = re.compile(
    r"^\s*(?:when|(?:in\s+)?(?:what|which)\s+year)\s+(?:did|does|do|will|would|could)\b",
    re.IGNORECASE,
)


def _verb_and_object_names(question: str) -> tuple[str, set[str]] | None:
    """The root of a question's main verb and the names in its direct object, as
    :func:`claim_terms` writes them ("defeat", {"alfons", "d'amato"}); None without a
    verb governing an object."""
    for token in parse(question):
        if token.dep_ == "ROOT" and token.pos_ == "VERB":
            objects = [c for c in token.children if c.dep_ == "dobj"]
            names = [t.text for o in objects for t in o.subtree if t.pos_ == "PROPN"]
            return word_root(normalise(token.text)), claim_terms(" ".join(names))
    return None


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
        if not any(_within_own_words(d, span) for d in doers):
            continue
        done_to = [c for c in verb.children if c.dep_ in {"dobj", "obj"}] or [
            c for v in verb.children if v.dep_ == "conj" for c in v.children if c.dep_ == "dobj"
        ]
        for thing in done_to:
            phrase = sentence[thing.left_edge.idx : token_end(thing.right_edge)]
            if thing.pos_ != "PRON" and not claim_terms(phrase) & objects:
                return True
    return False


_OWN_CLAUSES = frozenset({"acl", "relcl", "advcl"})


def _within_own_words(token: Any, span: tuple[int, int]) -> bool:
    """Whether ``span`` overlaps ``token``'s phrase, leaving out the clauses hanging on
    it: "Rosie Perez" is not the subject of "play" in "Fabiana, played by Rosie Perez,
    and her son Diego play a pivotal part"."""
    inside = {t.i for c in token.children if c.dep_ in _OWN_CLAUSES for t in c.subtree}
    return any(
        t.i not in inside and t.idx < span[1] and span[0] < token_end(t) for t in token.subtree
    )


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
                return not _in_another_name(done, span)
    return False


def _in_another_name(done: Any, span: tuple[int, int]) -> bool:
    """Whether ``span`` lies in a name set beside the name ``done`` (a proper noun) as
    its appositive: "The officer who killed Robinson, 12-year department veteran Matt
    Kenny, had …" is parsed with Matt Kenny in apposition to Robinson, though the
    commas close the clause and he is the officer; one named person is not another."""
    if done.pos_ != "PROPN":
        return False
    return any(
        child.dep_ == "appos"
        and child.pos_ == "PROPN"
        and child.left_edge.idx <= span[0]
        and span[1] <= token_end(child.right_edge)
        for child in done.children
    )


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


_WH = frozenset({"what", "which", "who", "whom", "whose", "where", "when", "why", "how"})


def another_doer(question: str, sentence: str, span: tuple[int, int] | None) -> bool:
    """Whether the answer at ``span`` of ``sentence`` is the one doing the question's
    action where the question names who does it, someone else: "What do
    geochronologists analyze fossils from drill cores for?" is not answered by
    "biostratigraphers" from "biostratigraphers analyze rock samples from outcrop
    and drill cores for the fossils" (SQuAD 2.0's swapped-subject questions). The
    answer is the subject of a verb of the question's own verb root; the question's
    subject, not a question word, shares no word with it.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    if span is None:
        return False
    asked = next((t for t in parse(question) if t.dep_ == "ROOT" and t.pos_ == "VERB"), None)
    if asked is None:
        return False
    subjects = [c for c in asked.children if c.dep_ == "nsubj"]
    if not subjects or any(t.lower_ in _WH for c in subjects for t in c.subtree):
        return False  # "Which organization is challenging …?" asks for the subject
    subject = claim_terms(" ".join(t.text for c in subjects for t in c.subtree))
    root = word_root(normalise(asked.text))
    answer = claim_terms(sentence[span[0] : span[1]])
    for verb in parse(sentence):
        if verb.pos_ != "VERB" or word_root(normalise(verb.text)) != root:
            continue
        for doer in verb.children:
            if doer.dep_ != "nsubj":
                continue
            # The answer is the subject itself, not a word inside its phrase ("some
            # construction workers in the US/Canada").
            if span[0] <= doer.idx < span[1] and not answer & subject:
                return True
    return False
