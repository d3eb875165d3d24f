"""Whether an answer is the one a sentence's action was done to, not the one who did it.

Refusals read from spaCy's parse (:func:`~retrieval.grounding.phrases.parse`): a
sentence saying neither the question's action nor its object
(:func:`neither_act_nor_object`), an answer acting on another than the question's
object (:func:`acts_on_another`), an answer the action was done to
(:func:`done_to_answer`, :func:`done_by_the_asked`), and another doer of the
question's action than the answer (:func:`another_doer`). Who did the action is
:func:`~retrieval.grounding.syntax.agent_span`'s to find.
"""

from __future__ import annotations

import re
from typing import Any

from retrieval.grounding.phrases import parse, token_end
from retrieval.grounding.spans import word_root
from retrieval.grounding.syntax import AGENT_QUESTION, asked_action, same_side
from retrieval.text.questions import QUESTION_NAME
from retrieval.text.terms import claim_terms, normalise, spelled_out_acronyms


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
    match = AGENT_QUESTION.match(question)
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
    action = asked_action(question)
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
    match = AGENT_QUESTION.match(question)
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
    action = asked_action(question)
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
