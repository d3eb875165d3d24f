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

from retrieval.text.questions import MEASURE, expected_answer
from retrieval.text.sentences import sentence_spans
from retrieval.text.terms import (
    CLAIM_NEUTRAL_WORDS,
    WEEKDAYS,
    alternation,
    claim_terms,
    month_names,
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

    First the phrase's words in order (case, accents and punctuation aside);
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
        if [w[2] for w in words[i : i + size]] == wanted:
            return _with_signs(sentence, words[i][0], words[i + size - 1][1])
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
    return _with_signs(sentence, words[best[0]][0], words[best[1]][1])


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


_CURRENCY = "£$€¥₹"


def _with_signs(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to whole hyphenated words ("33-year" → "33-year-old"), over a
    currency sign just before it, a % or an abbreviation's point just after it,
    then over the brackets it opens or closes (:func:`balanced`)."""
    start, end = whole_words(sentence, start, end)
    if start > 0 and sentence[start - 1] in _CURRENCY:
        start -= 1
    if end < len(sentence) and sentence[end] == "%":
        end += 1
    if end < len(sentence) and sentence[end] == "." and _ABBREVIATED.search(sentence, 0, end):
        end += 1  # "11 a.m.", "Donald B. Verrilli Jr.": the point is the word's own
    start, end = whole_range(sentence, start, end)
    return balanced(sentence, start, end)


_DATED = re.compile(rf"\d|\b(?:{month_names()}|{alternation(WEEKDAYS)})\b", re.IGNORECASE)
# "between X and Y" only: "from £18m to £34m" is as often a change as a range.
_RANGE_OPENED = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_RANGE_CLOSED = re.compile(r"\bbetween\s+([^,;]{1,30}?)\s+and\s+$", re.IGNORECASE)
_RANGE_GOES_ON = re.compile(r"\s+and\s+", re.IGNORECASE)
# A word of the range's other end: "$300,000" keeps its thousands, "14," not its comma.
_RANGE_WORD = re.compile(r"[^\s,;]*\d(?:,\d{3})+(?![\d])[^\s,;]*|[^\s,;]+")


def whole_range(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` grown to the whole range a number or date of it ends or starts:
    "April 14" of "between April 11 and April 14" is the range, as is "April 11"; the
    other end is taken only when it holds a number, month or weekday too. "From X to
    Y" is left alone: "increased its offer from £18m to £34m" is a change."""
    if not _DATED.search(sentence, start, end):
        return start, end
    to_range = _numbers_to(sentence, start, end)
    if to_range is not None:
        return to_range
    closed = _RANGE_CLOSED.search(sentence, 0, start)
    if closed is not None and closed.end() == start and _DATED.search(closed.group(1)):
        return closed.start(), end
    opened = _RANGE_OPENED.search(sentence, 0, start)
    goes_on = _RANGE_GOES_ON.match(sentence, end)
    if opened is None or opened.end() != start or goes_on is None:
        return start, end
    size = len(sentence[start:end].split())
    other = list(_RANGE_WORD.finditer(sentence[goes_on.end() :]))[:size]
    if len(other) < size or not _DATED.search(" ".join(m.group() for m in other)):
        return start, end
    end = goes_on.end() + other[-1].end()
    while sentence[end - 1] == "." and not _ABBREVIATED.search(sentence, 0, end - 1):
        end -= 1
    return opened.start(), end


# "50% to 60%", "3 to 5 million": two numbers of one shape joined by "to", not a change
# (below) and not years ("1970 to 55.1%").
_NUMBER = r"\d+(?:[.,]\d+)*(?:\s?%| percent| per cent)?"
_NUMBERS_TO = re.compile(rf"(?<![\w$£€.,\-−–])({_NUMBER})\s+to\s+({_NUMBER})(?![\w%.,]*\d)")
# A change, not a range: "from 50% to 60%", "cut rates by 0.25% to 1.5%", "fell 3 to 97 cents".
_CHANGE_BEFORE = re.compile(
    r"\b(?:from|by|to|rose|rise|rises|rising|fell|fall|falls|falling|dropped|drop|drops|"
    r"climbed|climb|increased|increase|increases|decreased|decrease|declined|decline|cut|cuts|"
    r"raised|raise|lowered|lower|grew|grow|jumped|jump|slipped|slip|reduced|reduce|slashed|"
    r"soared|surged|plunged|plummeted|edged|gained|lost|up|down|went|moved|shifted|changed)"
    r"\s+(?:(?:about|around|some|nearly|almost|roughly|just|over|from)\s+)?$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"1\d{3}|20\d{2}")


def _numbers_to(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """The range "N to M" one of whose numbers is ``start``–``end``, both of one shape
    (with a per cent sign each, or neither); None for none, years, a negative number,
    or a change ("from 50% to 60%", "cut rates by 0.25% to 1.5%", "fell 3 to 97
    cents")."""
    for match in _NUMBERS_TO.finditer(sentence):
        if start not in (match.start(1), match.start(2)) or end < match.end(1):
            continue  # the located words start at either number ("5 million" of "3 to 5 million")
        if end >= match.end() and start == match.start(1):
            return None  # the whole range already
        if _CHANGE_BEFORE.search(sentence, 0, match.start()):
            return None
        low, high = match.group(1), match.group(2)
        if ("%" in low or "per" in low) != ("%" in high or "per" in high):
            return None
        if _YEAR.fullmatch(low) or _YEAR.fullmatch(high):
            return None
        return match.start(), max(end, match.end())
    return None


# A word ending in an abbreviation's point, which a span of words would leave out.
_ABBREVIATED = re.compile(
    r"(?:\b[A-Za-z]\.[A-Za-z]|\b(?:Jr|Sr|St|Inc|Co|Corp|Ltd|Bros|Mt|Ft|Gen|Col|Lt|Sgt|Rev|"
    r"Prof|Dr|Mr|Mrs|Ms|No|approx|etc))$"
)


def whole_words(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` grown so that it neither starts nor ends inside a word joined
    by hyphens: "33-year" of "a 33-year-old Parisian" is "33-year-old"."""
    while start > 1 and sentence[start - 1] == "-" and sentence[start - 2].isalnum():
        start -= 2
        while start > 0 and sentence[start - 1].isalnum():
            start -= 1
    while end + 1 < len(sentence) and sentence[end] == "-" and sentence[end + 1].isalnum():
        end += 2
        while end < len(sentence) and sentence[end].isalnum():
            end += 1
    return start, end


_PAIRS = {"(": ")", "[": "]", "“": "”"}


def balanced(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` with no bracket or curly quote left open or unopened.

    A span of words leaves out the punctuation around them, so "9.54 inches
    (242.3 mm" would lose the ")" the sentence closes it with: a bracket the
    span opens is closed by taking the sentence up to its closing partner,
    one it closes is opened by going back to its partner. When the partner
    is not in the sentence, the span stops short of the lone bracket instead.
    Straight double quotes, which open and close alike, are paired by their
    count (:func:`_straight_quotes_balanced`).
    """
    for opening, closing in _PAIRS.items():
        depth = 0
        for i in range(start, end):
            if sentence[i] == opening:
                depth += 1
            elif sentence[i] == closing:
                if depth:
                    depth -= 1
                else:  # closes a bracket opened before the span
                    before = sentence.rfind(opening, 0, start)
                    start = before if before >= 0 else i + 1
        if depth:
            after = sentence.find(closing, end)
            end = after + 1 if after >= 0 else sentence.rfind(opening, start, end)
        while end > start and sentence[end - 1].isspace():
            end -= 1
        while start < end and sentence[start].isspace():
            start += 1
    return _straight_quotes_balanced(sentence, start, end)


def _straight_quotes_balanced(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` with no straight double quote left open or unopened: one that
    closes a quotation opened before the span takes the span back to its opening
    ('he was "ashamed" by', not 'ashamed" by'); one that opens a quotation takes it
    on to the closing quote, or is left out when the sentence has none."""
    if sentence.count('"', start, end) % 2 == 0:
        return start, end
    if sentence.count('"', 0, start) % 2:  # the span closes a quotation opened before it
        return sentence.rfind('"', 0, start), end
    after = sentence.find('"', end)
    if after >= 0:
        return start, after + 1
    lone = sentence.rfind('"', start, end)
    return (lone + 1, end) if lone == start else (start, lone)


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
