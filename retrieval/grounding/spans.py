"""The shortest piece of the evidence sentence that answers the question.

Used for when/where questions whose model phrasing fails the grounding check: instead of showing
the whole supporting sentence as the answer, the program copies the part of
that sentence that the question does not already say, near the words it does
say, and of the kind the question asks for (a number, a date, a name). Being a
verbatim piece of the cited sentence, it is supported by construction.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from retrieval.text.english_model import dependency_parser
from retrieval.text.questions import MEASURE, expected_answer
from retrieval.text.sentences import sentence_spans
from retrieval.text.terms import CLAIM_NEUTRAL_WORDS, claim_terms, normalise, stem

_TOKEN = re.compile(r"[^\s,;:()\[\]“”\"]+|[,;:()\[\]“”\"]")
_BREAK = set(',;:()[]“”"')
MAX_WORDS = 8
# Measured on 80 SQuAD questions: for "when" and "where" the span kept the
# gold answer as often as the whole sentence (F1 0.22 -> 0.56, 0.31 -> 0.43);
# for "what", "who" and "how many" it lost the answer about half the time.
_SPAN_QUESTION = re.compile(
    r"^\s*(when|where)\b|\b(what|which) (year|date|day|month)\b"
    r"|\bhow (tall|high|wide|deep|heavy|far|many)\b",
    re.I,
)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    kind: str  # "q": said by the question, "f": function word, "n": new, "b": break


def answer_span(question: str, sentence: str) -> tuple[int, int] | None:
    """Offsets of the answering span within ``sentence``, or None if unclear."""
    if not _SPAN_QUESTION.search(question):
        return None
    tokens = _tokens(sentence, claim_terms(question))
    asked = [i for i, t in enumerate(tokens) if t.kind == "q"]
    if not asked:
        return None
    pattern = expected_answer(question)
    # A quote may hold two sentences (one opening with a pronoun and the one
    # before it); an answer never runs from one into the other.
    starts = {start for start, _ in sentence_spans(sentence)[1:]}
    best: tuple[float, int, int] | None = None
    for first, last in _runs(tokens, starts):
        if pattern is MEASURE:
            # The size itself: "617 ft", not the run's other names and numbers.
            run = sentence[tokens[first].start : tokens[last].end]
            found = MEASURE.search(run)
            if found is None:
                continue
            at = tokens[first].start
            first = next(i for i in range(first, last + 1) if tokens[i].end > at + found.start())
            last = max(i for i in range(first, last + 1) if tokens[i].start < at + found.end())
        else:
            first, last = _informative(tokens, first, last)
        text = sentence[tokens[first].start : tokens[last].end]
        if pattern is not None and not pattern.search(" " + text):
            continue
        words = last - first + 1
        if words > MAX_WORDS:
            continue
        distance = min(min(abs(i - first), abs(i - last)) for i in asked)
        # Answers tend to follow what the question names ("... a region in France").
        score = distance + 0.3 * words + (1.5 if last < asked[0] else 0.0)
        if best is None or score < best[0]:
            best = (score, first, last)
    if best is None:
        return None
    _, first, last = best
    end = tokens[last].end
    while end > tokens[first].start and sentence[end - 1] in ".!?":
        end -= 1
    return tokens[first].start, end


def _informative(tokens: list[_Token], first: int, last: int) -> tuple[int, int]:
    """Narrow a run to its names and numbers, when it has any."""
    keep = [
        i
        for i in range(first, last + 1)
        if tokens[i].text[:1].isupper() or any(c.isdigit() for c in tokens[i].text)
    ]
    return (keep[0], keep[-1]) if keep else (first, last)


def _tokens(sentence: str, question_terms: set[str]) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(sentence):
        text = match.group()
        word = normalise(text).strip(".'!?")
        if text in _BREAK:
            kind = "b"
        elif not word or word in CLAIM_NEUTRAL_WORDS:
            kind = "f"
        elif stem(word) in question_terms or stem(word.removesuffix("'s")) in question_terms:
            kind = "q"
        else:
            kind = "n"
        tokens.append(_Token(text, match.start(), match.end(), kind))
    return tokens


def _runs(tokens: list[_Token], starts: Collection[int] = ()) -> list[tuple[int, int]]:
    """Maximal stretches of new words (function words inside kept, ends trimmed),
    none running past a sentence start (an offset in ``starts``)."""
    runs = []
    start = None
    for i, token in enumerate([*tokens, _Token("", 0, 0, "b")]):
        if token.start in starts and start is not None:
            runs.append(_trim(tokens, start, i - 1))
            start = None
        if token.kind in ("n", "f"):
            start = i if start is None else start
            continue
        if start is not None:
            runs.append(_trim(tokens, start, i - 1))
            start = None
    return [r for r in runs if r is not None]


def _trim(tokens: list[_Token], first: int, last: int) -> tuple[int, int] | None:
    while first <= last and tokens[first].kind == "f":
        first += 1
    while last >= first and tokens[last].kind == "f":
        last -= 1
    return (first, last) if first <= last else None


_WORD = re.compile(r"\w+(?:[.,'’]\w+)*", re.UNICODE)
LOCATE_SLACK = 3  # extra words a located span may hold beyond the phrase's own


def locate(phrase: str, sentence: str, fuzzy: bool = True) -> tuple[int, int] | None:
    """Where ``sentence`` says ``phrase``: offsets of the words it is made of, or None.

    First the phrase's words in order (case, accents and punctuation aside);
    else, with ``fuzzy``, the shortest run of the sentence holding every
    content word of the phrase (stemmed), at most :data:`LOCATE_SLACK` words
    longer than it ("68,511 households" in "households, of which 68,511";
    measured: requiring the phrase's order lost such answers). A currency sign before the span and a
    per cent sign after it are kept with their number ("£34m", "12%"). A
    located span is a verbatim piece of the sentence, so it is supported by
    construction.
    """
    words = [(m.start(), m.end(), normalise(m.group())) for m in _WORD.finditer(sentence)]
    wanted = [normalise(w) for w in _WORD.findall(phrase)]
    if not words or not wanted:
        return None
    size = len(wanted)
    for i in range(len(words) - size + 1):
        if [w[2] for w in words[i : i + size]] == wanted:
            return _with_signs(sentence, words[i][0], words[i + size - 1][1])
    content = {_root(w) for w in wanted if w not in CLAIM_NEUTRAL_WORDS}
    if not fuzzy or not content:
        return None
    best: tuple[int, int] | None = None
    for i in range(len(words)):
        found: set[str] = set()
        for j in range(i, min(len(words), i + size + LOCATE_SLACK)):
            found.add(_root(words[j][2]))
            if content <= found:
                if best is None or j - i < best[1] - best[0]:
                    best = (i, j)
                break
    if best is None:
        return None
    return _with_signs(sentence, words[best[0]][0], words[best[1]][1])


_CURRENCY = "£$€¥₹"


def _with_signs(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The span widened over a currency sign just before it and a % just after it."""
    if start > 0 and sentence[start - 1] in _CURRENCY:
        start -= 1
    if end < len(sentence) and sentence[end] == "%":
        end += 1
    return start, end


def _root(word: str) -> str:
    """A word's stem without a final "e", so "stage" and "stages" meet."""
    root = stem(word)
    return root[:-1] if len(root) > 3 and root.endswith("e") else root


# "Who fired the rockets?": who, then a verb (not an auxiliary: "Who was the
# hostage?" asks for an identity, not a doer), then what was acted on.
_AGENT_QUESTION = re.compile(
    r"^\s*who\s+(?!(?:is|was|are|were|be|been|did|does|do|has|have|had|will|would|can|could|"
    r"should|may|might|must)\b)([a-z]+)\s+(.+)$",
    re.IGNORECASE,
)
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
    return (_root(normalise(match.group(1))), objects) if objects else None


def agent_span(question: str, sentence: str, same_verb: bool = False) -> tuple[int, int] | None:
    """Offsets of who did the question's action in ``sentence``, or None.

    For "Who <verb> <object>?" the doer is the grammatical subject of the
    sentence's verb that governs the object, whatever that verb is: for "Who
    fired the rockets?" and "… said an outlawed group launched eight rockets …"
    it is "an outlawed group" (for a passive, the agent after "by"). Found with
    spaCy's dependency parser (:func:`~retrieval.text.english_model.dependency_parser`);
    a pronoun, or a subject the question already names, is not an answer. With
    ``same_verb``, only the question's own verb counts ("Who won the
    election?" has no doer in "Smith lost the election to Jones").
    Being a verbatim piece of the sentence, the span is supported by construction.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    action = _asked_action(question)
    if action is None:
        return None
    asked_verb, objects = action
    asked = claim_terms(question)
    for token in dependency_parser()(sentence):
        if token.dep_ not in _OBJECT_DEPS or stem(normalise(token.text)) not in objects:
            continue
        verb = token.head.head if token.dep_ == "pobj" else token.head
        acting = _root(normalise(verb.text))
        if verb.pos_ != "VERB" or same_verb and acting != asked_verb:
            continue
        if _opposed(asked_verb, acting):
            continue
        if token.dep_ == "nsubjpass":
            doers = [g for c in verb.children if c.dep_ == "agent" for g in c.children]
        else:
            doers = [c for c in verb.children if c.dep_ == "nsubj"]
        for doer in doers:
            if doer.pos_ == "PRON" or claim_terms(doer.text) <= asked:
                continue
            start = doer.left_edge.idx
            end = doer.right_edge.idx + len(doer.right_edge.text)
            return start, end
    return None


_OPPOSED_ROOTS = tuple(
    (frozenset(_root(w) for w in one.split()), frozenset(_root(w) for w in two.split()))
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
    _root(w)
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
    there?") is not checked. Parsed with spaCy
    (:func:`~retrieval.text.english_model.dependency_parser`).

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    if not _COUNT_QUESTION.search(question):
        return True
    doc = dependency_parser()(question)
    many = next((t for t in doc if t.lower_ in ("many", "much") and t.dep_ == "amod"), None)
    if many is None or many.head.pos_ not in ("NOUN", "PROPN"):
        return True
    thing = many.head
    action = thing.head if thing.head.pos_ == "VERB" else None
    if action is None:
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        action = root if root is not None and root.pos_ == "VERB" else None
    if action is None or _root(normalise(action.text)) in _LIGHT_VERBS:
        return True
    words = [(m.start(), _root(normalise(m.group()))) for m in _WORD.finditer(sentence)]
    done = _root(normalise(action.text))
    said = {w for _, w in words}
    if done in said:
        return True
    if any(_opposed(done, w) for w in said):
        return False
    counted = _root(normalise(thing.text))
    if span is None:
        return counted in {w for _, w in words}
    after = [w for start, w in words if start >= span[0]]
    inside = sum(1 for start, _ in words if span[0] <= start < span[1])
    return counted in after[: inside + COUNTED_WINDOW]


def doer_unnamed(question: str, sentence: str) -> bool:
    """Whether ``sentence`` says the action of a "Who <verb> <object>?" question in the
    passive with no one doing it: "Iran-backed militia groups have been blamed for
    the attacks" does not say who blamed them, so it cannot answer "Who blamed
    Iran-backed militia groups?" (not even with a name it holds elsewhere).

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    action = _asked_action(question)
    if action is None:
        return False
    asked_verb, objects = action
    for token in dependency_parser()(sentence):
        verb = token.head
        if token.dep_ != "nsubjpass" or stem(normalise(token.text)) not in objects:
            continue
        if verb.pos_ == "VERB" and _root(normalise(verb.text)) == asked_verb:
            return not any(child.dep_ == "agent" for child in verb.children)
    return False


PHRASE_SLACK = 4  # words a completed phrase may add to the located answer
_MODIFIERS = frozenset({"ADJ", "ADV", "NUM", "NOUN"})  # what a noun's words before it may be


def complete_phrase(sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` of ``sentence`` grown to the whole noun phrase it heads, or as it is.

    A model asked for the shortest answer drops a head noun's modifiers
    ("humidity" where the sentence says "extremely high humidity") and a
    count's noun ("667,000" for "about 667,000 firms"): when the span holds a
    common noun phrase's head, it takes the adjectives, adverbs, numbers and
    nouns just before it in that phrase (not articles, pronouns or names: a
    named thing keeps the model's words, "Arthur Woolf" not "British engineer
    Arthur Woolf"); when it is a number counting the noun just after it,
    it takes that noun; when it is the first part of a compound ("Quaternary"
    of "Quaternary period"), the compound's head. Never more than
    :data:`PHRASE_SLACK` words are added, never a span that only modifies
    another noun ("Kublai" in "Kublai's advisers" stays "Kublai"). Parsed with spaCy
    (:func:`~retrieval.text.english_model.dependency_parser`).

    Args:
        sentence: The cited text.
        span: Character offsets ``(start, end)`` of the answer in ``sentence``.

    Returns:
        Character offsets within ``sentence``; ``span`` itself when nothing is completed.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    start, end = span
    doc = dependency_parser()(sentence)
    inside = [t for t in doc if start <= t.idx and t.idx + len(t.text) <= end]
    if not inside:
        return span
    first, last = inside[0].i, inside[-1].i
    grown = (first, last)
    heads = [t for t in inside if t.head.i == t.i or not (first <= t.head.i <= last)]
    if len(heads) == 1:
        head = heads[0]
        if head.dep_ == "compound" and last < head.head.i <= last + 2:
            grown = (first, head.head.i)  # the rest of the name: "Quaternary period"
        elif head.like_num and head.dep_ == "nummod" and last < head.head.i <= last + 2:
            grown = (first, head.head.i)  # the counted noun: "667,000 firms"
        elif head.pos_ == "NOUN" and head.i == last and not any(t.pos_ == "PROPN" for t in inside):
            left = first
            while left > head.left_edge.i and doc[left - 1].pos_ in _MODIFIERS:
                left -= 1
            grown = (left, last)
    if grown == (first, last) or grown[1] - grown[0] - (last - first) > PHRASE_SLACK:
        return span
    if any(doc[i].is_punct and doc[i].text in "()[];:" for i in range(grown[0], grown[1] + 1)):
        return span
    return doc[grown[0]].idx, max(end, doc[grown[1]].idx + len(doc[grown[1]].text))
