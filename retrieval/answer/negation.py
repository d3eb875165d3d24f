"""Whether a cited sentence keeps a question's negation and its words' prefixes.

SQuAD 2.0 makes unanswerable questions by negating a plain sentence ("What treaty
is the Social Chapter *not* a chapter of?"), dropping a sentence's negation
("What happens if the Directive's deadline is met?"), or changing a word by a
prefix ("non-Islamic", "subcontractor"). Each check reads only words, no parse;
:func:`retrieval.answer.framing.contradicts` applies them with the checks of
numbers, counts, days and opposites. Each was counted on SQuAD 2.0 dev articles
(counts in each docstring: unanswerable / answerable questions whose best
sentence it fires on).
"""

from __future__ import annotations

import re

from retrieval.text.terms import claim_terms


def negation_or_prefix_differs(question: str, quote: str) -> bool:
    """Whether ``quote`` (the cited sentence) is plain where ``question`` is negated, or
    says plainly the word it negates while negating another, negates a word the plain
    question asks about, says a word it negates by a prefix, or a word it makes another
    thing by a prefix ("subcontractor" for "contractor")."""
    return (
        _negation_unsaid(question, quote)
        or _negated_in_the_sentence(question, quote)
        or _negated_word_said_plainly(question, quote)
        or _negated_by_prefix(question, quote)
        or _another_by_prefix(question, quote)
    )


_PREFIXED = re.compile(r"\b(?:non-?|un|in|im|il|ir|dis)([a-z]{5,})\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|never|without|cannot)\b|n[’']t\b", re.IGNORECASE)


def _negation_unsaid(question: str, quote: str) -> bool:
    """Whether the question is negated and the cited sentence is not: "What treaty is the
    Social Chapter not a chapter of?" is not answered by "The Social Chapter is a
    chapter of the 1997 Treaty of Amsterdam". On SQuAD 2.0 dev articles outside the
    benchmark, the best sentence was so for 107 unanswerable questions and 7
    answerable ones (the verifier's ``negation_unmatched`` feature, here on the
    sentence cited rather than the best one)."""
    return bool(_NEGATION.search(question)) and not _NEGATION.search(quote)


# "not met", "did not justify", "never identified": a negator and the word it negates
# (past an auxiliary or adverb); not "whether or not to", nor "not … until" (a time).
_NEGATED_WORD = re.compile(
    r"(?<!\bor )\b(?:not|never|no longer|n[’']t)\s+"
    r"(?:(?:be|been|being|yet|always|fully|even|only|to)\s+)?([a-z]+)",
    re.IGNORECASE,
)
_UNTIL = re.compile(r"\W*(?:\w+\W+){0,8}?until\b", re.IGNORECASE)
_YES_OR_NO = re.compile(
    r"^\s*(?:is|are|was|were|do|does|did|can|could|has|have|had|will|would|should|may|"
    r"might|must)\b",
    re.IGNORECASE,
)


def _negated_in_the_sentence(question: str, quote: str) -> bool:
    """Whether the cited sentence negates a word the plain question asks about: "What
    happens if the Directive's deadline is met?" against "if a Directive's deadline for
    implementation is not met, … a citizen may rely on the Directive" (SQuAD 2.0's
    negation-dropped questions; the mirror of :func:`_negation_unsaid`). Not for a
    yes-or-no question, whose answer may be the negation. On SQuAD 2.0 dev articles
    outside the benchmark, the sentence sharing most words with the question was so for
    21 unanswerable questions and 8 answerable ones."""
    if _NEGATION.search(question) or _YES_OR_NO.match(question):
        return False
    asked = claim_terms(question)
    return any(
        claim_terms(m.group(1)) & asked and not _UNTIL.match(quote, m.end())
        for m in _NEGATED_WORD.finditer(quote)
    )


# "did not resign", "not fully explain", "in no way prevented": a
# negator and the word it negates, past an auxiliary or an adverb in -ly; not "no", whose
# word may only describe what is negated ("no Palestinian state").
_NEGATOR_AND_WORD = re.compile(
    r"(?<!\bor )\b(?:not|never|no longer|in no way|n[’']t)\s+"
    r"(?:(?:be|been|being|yet|always|even|only|to|have|has|had|[a-z]+ly)\s+)?([a-z]+)",
    re.IGNORECASE,
)


def _negated_word_said_plainly(question: str, quote: str) -> bool:
    """Whether the question negates a word the cited sentence says plainly, though the
    sentence negates something else: "What commission did not resign …?" against "…
    and it eventually resigned due to corruption allegations. … did in fact not break
    any law" (the sentence's "not" is no answer to the question's, which
    :func:`_negation_unsaid` alone would take it for). On SQuAD 2.0 dev articles, the
    sentence sharing most words with the question was so for 23 unanswerable
    questions and 6 answerable ones."""
    if not _NEGATION.search(question) or not _NEGATION.search(quote):
        return False
    negated = _negated_terms(question)
    return bool(negated & claim_terms(quote)) and not negated & _negated_terms(quote)


def _negated_terms(text: str) -> set[str]:
    """The content words (:func:`~retrieval.text.terms.claim_terms`) ``text`` negates."""
    return {t for m in _NEGATOR_AND_WORD.finditer(text) for t in claim_terms(m.group(1))}


def _negated_by_prefix(question: str, quote: str) -> bool:
    """Whether the question asks about the opposite of a word of the cited sentence by
    a negating prefix, either way round: "What is a non-Islamic revival movement?"
    against "an Islamic revival movement", "… the name was correct" against "the
    name was incorrect". Not when the question or the sentence is itself negated,
    nor when one has both words."""
    if _NEGATION.search(quote) or _NEGATION.search(question):
        return False
    return _prefixed_either_way(_PREFIXED, question, quote)


# Prefixes making another thing of a word: "subcontractor" is not the contractor, a
# "semi-capital" not the capital, "mistreatment" not the treatment.
_ANOTHER_BY_PREFIX = re.compile(r"\b(?:sub|semi|mis|pseudo|neo|anti)-?([a-z]{5,})\b", re.IGNORECASE)


def _another_by_prefix(question: str, quote: str) -> bool:
    """Whether the question asks about a word of the cited sentence made another thing by
    a prefix, either way round: "How are the client and subcontractor linked?" against
    "direct contractual links between the architect's client and the main contractor".
    Not when one has both words. On SQuAD 2.0 dev articles, the sentence sharing most
    words with the question was so for 12 unanswerable questions and 4 answerable ones
    ("Subcommittee" for "Committee", "subfield" for "field")."""
    return _prefixed_either_way(_ANOTHER_BY_PREFIX, question, quote)


def _prefixed_either_way(prefixed: re.Pattern[str], question: str, quote: str) -> bool:
    """Whether one text has a word ``prefixed`` matches (its group 1 the word without the
    prefix) whose unprefixed word the other has, and not the prefixed one."""
    asked = words(question)
    said = words(quote)
    return any(
        m.group(1).lower() in said and m.group(0).lower() not in said
        for m in prefixed.finditer(question)
    ) or any(
        m.group(1).lower() in asked and m.group(0).lower() not in asked
        for m in prefixed.finditer(quote)
    )


def words(text: str) -> set[str]:
    """The words of ``text``, lower-cased (hyphens and apostrophes kept inside them)."""
    return {w.lower() for w in re.findall(r"[\w'’-]+", text)}
