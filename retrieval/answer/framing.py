"""Whether the sentence an answer cites keeps to the question's framing.

SQuAD 2.0's unanswerable questions, and a reader's near misses, are on topic
but change one thing: a number ("3,222,000" where the article says
4,222,000), a negation ("not a chapter of"), a negating prefix ("non-Islamic"),
an opposite ("smaller drugs" where it says "Larger drugs"), the day ("Sunday's
attack" in an article about June 21). The checks here read only words, no
parse; :mod:`retrieval.answer.located` applies them with the grammatical ones
to a located answer. Each was counted first on SQuAD 2.0 dev articles outside
the benchmark, among the questions the verifier lets through (unanswerable /
answerable questions whose best sentence it fires on): a missing number 33 / 7,
an opposite 46 / 6, a negating prefix 17 / 2.
"""

from __future__ import annotations

import re

from retrieval.answer.abstention import OPPOSITES
from retrieval.answer.negation import negation_or_prefix_differs, words
from retrieval.text.sentences import sentence_spans
from retrieval.text.terms import MONTHS, WEEKDAYS, alternation, capitalised, claim_terms, stem
from retrieval.types import Statement


def contradicts(question: str, quote: str, article: str = "") -> bool:
    """Whether ``quote`` (the cited sentence) lacks a number ``question`` gives or counts
    a thing otherwise than the question ("two primes" for "three primes") or names
    another of a numbered name ("Henry III" for "Henry II"), is plain where it is
    negated (or says plainly the word it negates, negating another), negates a word it
    asks about plainly, says a word it negates by a prefix
    or the opposite of one of its words, says a word it makes another thing by a prefix
    ("subcontractor" for "contractor"), names only other days or months than the
    question names ("On Saturday, … 11 people were killed" for "Sunday's attack"), or,
    given the cited ``article``'s text, whether that article never names a day or month
    the question names."""
    return (
        _number_not_said(question, quote, _dates_given(question, article))
        or _another_count(question, quote)
        or _another_numbered_name(question, quote)
        or negation_or_prefix_differs(question, quote)
        or _opposite_said(question, quote)
        or _says_another_day(question, quote)
        or bool(article)
        and _another_day(question, article)
    )


def says_nothing_asked(query: str, statement: Statement) -> bool:
    """Whether the cited text shares no content word with what was searched: "Who fired
    them?" asked alone is not answered by "Commissioners" from a sentence about the
    European Commission. The cited text is the sentence, with the one before it in its
    paragraph where a personal pronoun leans on that one ("Former One Direction member
    Zayn Malik spoke …" before "… he told the UK's outlet The Sun."). A clitic's
    letters ("s" of "Southampton's") are no word shared. ``query`` is the question with
    a follow-up's earlier one (:attr:`~retrieval.answer.answer.Draft.query`); an empty
    one says nothing."""
    asked = claim_terms(query) - _CLITICS
    citation = statement.citations[0]
    cited = citation.quote
    if _PERSONAL_PRONOUN.search(cited):
        before = sentence_spans(citation.paragraph_text[: citation.quote_start])
        if before:
            cited = citation.paragraph_text[before[-1][0] : before[-1][1]] + " " + cited
    return bool(asked) and not asked & claim_terms(cited)


_CLITICS = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})
_PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|they|him|her|them|his|their)\b", re.IGNORECASE)


_DATE_WORDS = alternation(capitalised((*WEEKDAYS, *MONTHS)))
# "May" left out: it is a verb as often as a month. A day or month followed by a
# capitalised word other than a date's is part of a name ("Saturday Night Live",
# "Sunday Times", "March Madness"), which names no day.
_DAY_NAMED = re.compile(
    rf"\b(?:{alternation(capitalised(w for w in (*WEEKDAYS, *MONTHS) if w != 'may'))})\b"
    rf"(?!\s+(?!(?:{_DATE_WORDS})\b)[A-Z][a-z])"
)


def _says_another_day(question: str, quote: str) -> bool:
    """Whether the question names a day or month and the cited sentence names others,
    never it: "On Saturday, residents said at least 11 people were killed" tells of
    another attack than "Sunday's"."""
    asked = set(_DAY_NAMED.findall(question))
    said = set(_DAY_NAMED.findall(quote))
    return bool(asked) and bool(said) and not asked & said


def _another_day(question: str, article: str) -> bool:
    """Whether the question names a day or month ("Sunday's attack") that the cited
    article never does: its attack is another one."""
    return any(day not in article for day in _DAY_NAMED.findall(question))


_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")


# Numbers written as words: two to twelve ("one" is a pronoun as often as a number).
_CARDINALS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
              "twelve")  # fmt: skip
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(_CARDINALS)})\b", re.IGNORECASE)


def _numbers(text: str) -> set[str]:
    """The numbers ``text`` writes in digits, without thousands separators, or in words
    from two to twelve ("at least four primes" says the 4 of "a minimum of 4 primes";
    "one" is left out, a pronoun as often as a number)."""
    return {n.replace(",", "") for n in _NUMBER.findall(text)} | {
        stem(w.lower()) for w in _NUMBER_WORD.findall(text)
    }


def _number_not_said(question: str, quote: str, dated: frozenset[str] = frozenset()) -> bool:
    """Whether the question gives a number the cited sentence does not: "When did Sky
    announce the total number of homes with Sky+HD was 3,222,000?" is not answered by
    the sentence giving 4,222,000, nor "… take down … in 2013?" by one about 2014.

    A number that is part of a name ("Apollo 11", "Section 66A") or an ordinal
    ("the 69th") identifies what is asked about, and sentences seldom repeat it:
    it is not required. Measured on SQuAD 2.0 dev articles outside the
    benchmark, of the questions the verifier let through, the best sentence
    lacked such a number for 33 unanswerable questions and 7 answerable ones.

    The numbers of a date the cited article gives (``dated``, from
    :func:`_dates_given`) are not required either: "the storm of 2 November 2014"
    names the story, whose sentences do not repeat its date.
    """
    asked = set()
    for match in _NUMBER.finditer(question):
        before = question[: match.start()]
        if _in_a_name(before) or re.match(r"[A-Za-z]", question[match.end() :]):
            continue
        asked.add(match.group().replace(",", ""))
    return bool(asked - _numbers(quote) - dated)


_DATE_PHRASE = re.compile(
    rf"\b(?:(\d{{1,2}})\s+({alternation(capitalised(MONTHS))})|({alternation(capitalised(MONTHS))})"
    rf"\s+(\d{{1,2}}),?)\s+(\d{{4}})\b"
)

_DATE_PHRASE_WITH_PREPOSITION = re.compile(
    rf"(?:\s+(?:of|on|from|in|dated))?\s*{_DATE_PHRASE.pattern}"
)


def has_a_full_date(text: str) -> bool:
    """Whether ``text`` writes a date with its day, month and year ("2 November 2014")."""
    return _DATE_PHRASE.search(text) is not None


def without_dates_given(question: str, article: str) -> str:
    """``question`` without the dates it writes in full that ``article`` gives (with the
    preposition before each): "What was damaged in the storm?" for "… in the storm
    of 2 November 2014?" where the story is dated so. What the verifier weighs:
    a story's sentences do not repeat its date, which names it, asks nothing."""
    given = _dates_given(question, article)
    if not given:
        return question
    return _DATE_PHRASE_WITH_PREPOSITION.sub(
        lambda match: "" if {d for d in match.groups() if d and d.isdigit()} <= given else match[0],
        question,
    )


def _dates_given(question: str, article: str) -> frozenset[str]:
    """The numbers (day, year) of the dates ``question`` writes in full ("2 November
    2014", "November 2, 2014") that the ``article``'s text also gives, in either
    order: that of its publication, with :func:`~retrieval.answer.statements.named_in`."""
    given: set[str] = set()
    for match in _DATE_PHRASE.finditer(question):
        day = match.group(1) or match.group(4)
        month = match.group(2) or match.group(3)
        year = match.group(5)
        if re.search(rf"\b{day} {month},? {year}\b|\b{month} {day},? {year}\b", article):
            given |= {day, year}
    return frozenset(given)


_COUNT_WORDS = _CARDINALS[:9]  # two to ten
_COUNTED = re.compile(rf"\b({'|'.join(_COUNT_WORDS)}|\d+)\s+([a-z]{{3,}})\b", re.IGNORECASE)


def _counted(text: str) -> dict[str, set[str]]:
    """The counts ``text`` puts before each noun, by the noun's stem: "sum of two primes"
    gives ``{"prime": {"2"}}``."""
    found: dict[str, set[str]] = {}
    for count, noun in _COUNTED.findall(text):
        number = stem(count.lower())  # "three" → "3", as every term's number
        for term in claim_terms(noun):
            found.setdefault(term, set()).add(number)
    return found


def _another_count(question: str, quote: str) -> bool:
    """Whether the question counts a thing ("a sum of three primes") that the cited
    sentence counts otherwise and never so ("a sum of two primes"): it tells of
    another thing. Counts in digits are :func:`_number_not_said`'s."""
    said = _counted(quote)
    return any(
        noun in said and not counts & said[noun]
        for noun, counts in _counted(question).items()
        if not any(c.isdigit() and len(c) > 1 for c in counts)
    )


_NUMBERED_NAME = re.compile(r"\b([A-Z][a-z]+) ([IVX]{1,5})\b")


def _another_numbered_name(question: str, quote: str) -> bool:
    """Whether the question names a numbered one ("Henry II") that the cited sentence
    never names, naming another of that name ("Henry III"): a near miss."""
    said = set(_NUMBERED_NAME.findall(quote))
    return any(
        (name, number) not in said and any(n == name for n, _ in said)
        for name, number in _NUMBERED_NAME.findall(question)
    )


def _in_a_name(before: str) -> bool:
    """Whether a number following ``before`` continues a name: the word right before it
    is capitalised and does not open the question ("Apollo 11", "F-16")."""
    words = before.split()
    return len(words) > 1 and before[-1:] in " -" and words[-1][:1].isupper()


_MORE_OPPOSITES = (
    ("smaller", "larger"), ("small", "large"), ("easy", "difficult"), ("easier", "harder"),
    ("cold", "warm"), ("lower", "higher"), ("less", "more"), ("fewer", "more"),
    ("before", "after"), ("weak", "strong"), ("weaker", "stronger"),
    ("slower", "faster"), ("decline", "rise"), ("minority", "majority"),
    ("private", "public"), ("internal", "external"), ("ancient", "modern"),
    ("rich", "poor"), ("richer", "poorer"), ("success", "failure"), ("legal", "illegal"),
    ("direct", "indirect"), ("directly", "indirectly"), ("female", "male"),
    ("wet", "dry"), ("cheaper", "dearer"), ("shorter", "longer"),
)  # fmt: skip
# Left out: "old"/"young", "long"/"short", "high"/"low" ("How old/long/high …?" asks
# a measure, not a side), "left"/"right" (also a verb), "first"/"last" ("last week"),
# "won"/"lost" (news reports both of one race), "men"/"women".
_OPPOSITE_WORDS: dict[str, set[str]] = {w: set(o) for w, o in OPPOSITES.items()}
for _a, _b in _MORE_OPPOSITES:
    _OPPOSITE_WORDS.setdefault(_a, set()).add(_b)
    _OPPOSITE_WORDS.setdefault(_b, set()).add(_a)


def _opposite_said(question: str, quote: str) -> bool:
    """Whether the cited sentence says the opposite of a question's word and not the word
    ("What kind of immune response do smaller drugs provoke?" against "Larger drugs
    can provoke …"): SQuAD 2.0's antonym-swapped questions. Measured on SQuAD 2.0 dev
    articles outside the benchmark, of the questions the verifier let through, the
    best sentence did so for 46 unanswerable questions and 6 answerable ones."""
    asked = words(question)
    said = words(quote)
    return any(
        word not in said
        and any(
            word not in _RELATIONAL or _same_object(question, word, quote, opposite)
            for opposite in _OPPOSITE_WORDS[word] & said - asked
        )
        for word in asked & _OPPOSITE_WORDS.keys()
    )


# Words relating two things: "off before Johnson's episode" says what "After three weeks
# off, SNL returns with Johnson" does. Opposite only when both relate the same thing
# ("before the war" against "after the war").
_RELATIONAL = frozenset({"before", "after"})


def _same_object(question: str, word: str, quote: str, opposite: str) -> bool:
    """Whether the few words after ``word`` in ``question`` and after ``opposite`` in
    ``quote`` share a content word: the two relate one thing, one to each side."""
    return bool(_object_terms(question, word) & _object_terms(quote, opposite))


def _object_terms(text: str, word: str) -> set[str]:
    return {
        term
        for m in re.finditer(rf"\b{re.escape(word)}\b((?:\W+[\w'’-]+){{1,4}})", text, re.I)
        for term in claim_terms(m.group(1))
    }
