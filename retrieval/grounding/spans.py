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

from retrieval.grounding.edges import with_signs
from retrieval.text.questions import MEASURE, expected_answer
from retrieval.text.sentences import sentence_spans
from retrieval.text.terms import (
    CLAIM_NEUTRAL_WORDS,
    claim_terms,
    normalise,
    stem,
)

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


#: A word, keeping inner dots, commas and apostrophes ("1,234", "U.S.", "Bohemond's").
WORD = re.compile(r"\w+(?:[.,'’]\w+)*", re.UNICODE)
LOCATE_SLACK = 3  # extra words a located span may hold beyond the phrase's own


def locate(phrase: str, sentence: str, fuzzy: bool = True) -> tuple[int, int] | None:
    """Where ``sentence`` says ``phrase``: offsets of the words it is made of, or None.

    First the phrase's words in order (case, accents and punctuation aside; the
    last may stand in the possessive: "Hisao Yamada" in "Hisao Yamada's paper");
    else, with ``fuzzy``, the shortest run of the sentence holding every
    content word of the phrase (stemmed), at most :data:`LOCATE_SLACK` words
    longer than it ("68,511 households" in "households, of which 68,511";
    measured: requiring the phrase's order lost such answers). A currency sign before the span and a
    per cent sign after it are kept with their number ("£34m", "12%"). A
    located span is a verbatim piece of the sentence, so it is supported by
    construction.
    """
    words = [(m.start(), m.end(), normalise(m.group())) for m in WORD.finditer(sentence)]
    wanted = [normalise(w) for w in WORD.findall(phrase)]
    if not words or not wanted:
        return None
    size = len(wanted)
    for i in range(len(words) - size + 1):
        run = [w[2] for w in words[i : i + size]]
        if run[:-1] != wanted[:-1]:
            continue
        if run[-1] == wanted[-1]:
            return with_signs(sentence, words[i][0], words[i + size - 1][1])
        if run[-1] in (wanted[-1] + "'s", wanted[-1] + "'"):  # "Hisao Yamada's paper"
            return words[i][0], words[i + size - 1][0] + len(wanted[-1])
    content = {word_root(w) for w in wanted if w not in CLAIM_NEUTRAL_WORDS}
    if not fuzzy or not content:
        return None
    best: tuple[int, int] | None = None
    for i in range(len(words)):
        found: set[str] = set()
        for j in range(i, min(len(words), i + size + LOCATE_SLACK)):
            found.add(word_root(words[j][2]))
            if content <= found:
                if best is None or j - i < best[1] - best[0]:
                    best = (i, j)
                break
    if best is None:
        return None
    return with_signs(sentence, words[best[0]][0], words[best[1]][1])


# A reply restating the question around its answer: "Sullivan Bay, Victoria" (a tail of
# the question's words after a comma), "Mount Bogong is 1,986 m" (the question's words
# and a verb before it).
_ASKED_TAIL = re.compile(r",\s+([^,]+)$")  # not "1,500"
_ASKED_HEAD = re.compile(
    r"^((?:\S+\s+){0,6}?\S+)\s+(?:is|was|are|were|has|had)\s+(?=\S)", re.IGNORECASE
)


_REPLY_CHARS = 200  # a reply longer than this is no phrase with the question around it


def without_the_question(phrase: str, question: str) -> str | None:
    """``phrase`` without the question's words it sets around the answer: "Sullivan Bay"
    of "Sullivan Bay, Victoria" for "Where was the first settlement in Victoria?" (a
    sentence says "… in 1803 at Sullivan Bay, and much of what is now Victoria …"), "1,986
    m (6,516 ft)" of "Mount Bogong is 1,986 m (6,516 ft)" for "How high is Victoria's
    Mount Bogong?"; None when it sets none there."""
    asked = {normalise(w) for w in WORD.findall(question)}

    def restated(words: str) -> bool:
        return all(normalise(w) in asked for w in WORD.findall(words))

    tail = _ASKED_TAIL.search(phrase)
    if len(phrase) > _REPLY_CHARS:
        return None
    if tail is not None and restated(tail.group(1)) and WORD.search(phrase[: tail.start()]):
        return phrase[: tail.start()]
    head = _ASKED_HEAD.match(phrase)
    if head is not None and restated(head.group(1)) and WORD.search(phrase[head.end() :]):
        return phrase[head.end() :]
    return None


_ASKS_FOR_A_NAME = re.compile(
    r"\b(?:names?d?|call(?:s|ed)?|known|abbreviat\w*|acronym|stands?|short|symbol|"
    r"term|words?|translat\w*|means?|spell\w*|spoken|language|in (?:English|Latin|Greek)\w*)\b",
    re.I,
)


_ALIAS_WORDS = 6  # the longest phrase an alias in brackets is taken to name


def bracketed_alias(question: str, sentence: str, span: tuple[int, int]) -> bool:
    """Whether ``sentence[span]`` is only a bracketed alias of words the question says.

    "P" in "The Pleistocene (P) epoch" restates "Pleistocene" for "The
    Pleistocene epoch takes place during which period?": a copy of the
    evidence that answers nothing. Not so when the question asks for a name,
    a term or a translation ("What was the Yuan dynasty called in Mongolian?").
    """
    start, end = span
    before = sentence[:start].rstrip()
    after = sentence[end:].lstrip()
    if not (before.endswith("(") and after.startswith(")")):
        return False
    if _ASKS_FOR_A_NAME.search(question):
        return False
    named: list[str] = []  # the phrase the bracket follows, back to a function word
    for word in reversed(WORD.findall(before[:-1])[-_ALIAS_WORDS:]):
        if normalise(word) in CLAIM_NEUTRAL_WORDS:
            break
        named.insert(0, word)
    terms = claim_terms(" ".join(named))
    return bool(terms) and terms <= claim_terms(question)


# Irregular past forms and their verbs, so "dealt" meets "deal" and "fought" "fight"
# (forms that are as often other words, "left", "saw", "rose", "found", are left out).
_IRREGULAR = {
    past: verb
    for verb, forms in (
        ("deal", "dealt"), ("fight", "fought"), ("bring", "brought"), ("buy", "bought"),
        ("catch", "caught"), ("teach", "taught"), ("seek", "sought"), ("think", "thought"),
        ("build", "built"), ("send", "sent"), ("spend", "spent"), ("lend", "lent"),
        ("keep", "kept"), ("sleep", "slept"), ("hold", "held"), ("tell", "told"),
        ("sell", "sold"), ("make", "made"), ("take", "took taken"), ("give", "gave given"),
        ("win", "won"), ("lose", "lost"), ("shoot", "shot"), ("pay", "paid"),
        ("meet", "met"), ("lead", "led"), ("flee", "fled"), ("begin", "began begun"),
        ("write", "wrote written"), ("drive", "drove driven"), ("fly", "flew flown"),
        ("know", "knew known"), ("grow", "grew grown"), ("throw", "threw thrown"),
        ("come", "came"), ("go", "went gone"), ("become", "became"), ("steal", "stole stolen"),
        ("break", "broke broken"), ("speak", "spoke spoken"), ("choose", "chose chosen"),
        ("freeze", "froze frozen"), ("hide", "hid hidden"), ("strike", "struck"),
        ("sing", "sang sung"), ("sink", "sank sunk"), ("swim", "swam swum"),
        ("drink", "drank drunk"), ("feed", "fed"), ("bleed", "bled"), ("eat", "ate eaten"),
        ("fall", "fallen"), ("forget", "forgot forgotten"), ("get", "got gotten"),
        ("hear", "heard"), ("mean", "meant"), ("run", "ran"), ("see", "seen"),
        ("stand", "stood"), ("understand", "understood"), ("wear", "wore worn"),
        ("withdraw", "withdrew withdrawn"), ("draw", "drew drawn"), ("ride", "rode ridden"),
        ("rise", "risen"), ("shake", "shook shaken"), ("sweep", "swept"), ("weep", "wept"),
        ("arise", "arose arisen"), ("forgive", "forgave forgiven"), ("hang", "hung"),
        ("dig", "dug"), ("spin", "spun"), ("stick", "stuck"), ("swing", "swung"),
        ("overtake", "overtook overtaken"), ("undertake", "undertook undertaken"),
        ("mistake", "mistook mistaken"), ("sit", "sat"),
    )
    for past in forms.split()
}  # fmt: skip


def word_root(word: str) -> str:
    """A word's stem without a final "e", so "stage" and "stages" meet; an irregular
    past form is its verb's ("dealt" is "deal")."""
    root = stem(_IRREGULAR.get(word, word))
    return root[:-1] if len(root) > 3 and root.endswith("e") else root
