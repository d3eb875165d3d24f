"""Words and terms: the one stopword list, normalising, stemming, claim terms.

Search and the grounding checks share these, so a word that search ignores
is one whose presence the checks may also ignore, with two documented
exceptions (:data:`CLAIM_NEUTRAL_WORDS`).

spaCy's English stopword list was measured as the candidate "one list" and
rejected: it holds numbers ("eight", "hundred", "first") and quantifiers
("last", "less"), which are exactly what a claim must not add unchecked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


def month_names() -> str:
    """A regular-expression group matching a month's name in any case, except "May",
    which must be capitalised: the modal verb "may" is no month."""
    return "(?:" + alternation(m for m in MONTHS if m != "may") + "|(?-i:May))"


def alternation(words: Iterable[str]) -> str:
    """``words`` as one regular-expression alternation (``"monday|tuesday|…"``), each
    escaped: the lists above written once, matched in many patterns."""
    return "|".join(re.escape(word) for word in words)


def capitalised(words: Iterable[str]) -> tuple[str, ...]:
    """``words`` as written at the start of a name: ``("Monday", "Tuesday", …)``."""
    return tuple(word.capitalize() for word in words)


_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+", re.UNICODE)
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11",
    "twelve": "12", "first": "1", "second": "2", "third": "3",
}  # fmt: skip

STOPWORDS = frozenset([
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either",
    "else", "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having",
    "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "itself", "just", "many", "me", "more", "most", "much", "my",
    "myself", "neither", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other",
    "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some",
    "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "upon",
    "very", "was", "we", "were", "what", "whatever", "when", "where", "whether", "which", "while",
    "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "you", "your",
    "yours", "s", "t",
])  # fmt: skip
"""English function words: search skips them (capitalised acronyms aside)."""

CLAIM_NEUTRAL_WORDS = (
    STOPWORDS
    - frozenset(
        # Quantifiers and negations change what a statement claims.
        ["either", "else", "ever", "every", "many", "much", "neither", "ourselves", "s", "t",
         "upon", "whatever", "whether", "whose", "within", "without"]
    )
) | frozenset(
    # Reporting and framing words: "the article says", "per cent".
    ["according", "answer", "article", "cent", "evidence", "now", "per", "percent",
     "question", "report", "reported", "said", "say", "says", "stated", "states", "yes"]
)  # fmt: skip
"""Words that carry no claim of their own: a statement may add them freely."""


def normalise(text: str) -> str:
    """Lower-case, accent-free, typographic quotes made plain."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("‘", "'").lower()


def stem(word: str) -> str:
    """A crude suffix stripper: enough to match 'rockets'/'rocket', 'referee'/'refereed'."""
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    word = word.replace(",", "")
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "s", "'s", "ly"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    else:
        if len(word) > 4 and word.endswith("ee"):
            word = word[:-1]  # referee -> refere, as refereed and referees
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # planned -> plann -> plan
    return word


def claim_terms(text: str) -> set[str]:
    """Stemmed content words and numbers of ``text``."""
    return set(claim_term_sequence(text))


def claim_term_sequence(text: str) -> list[str]:
    """:func:`claim_terms` in the order ``text`` says them, repeats kept."""
    return [stem(t) for t in _TOKEN.findall(normalise(text)) if t not in CLAIM_NEUTRAL_WORDS]


# A name of capitalised words, with the small words names keep inside ("University of
# California", "Department of Homeland Security").
_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|the|and|for|de)\s+)*[A-Z][\w'’-]*)+")
_NAME_LINK = frozenset({"of", "the", "and", "for", "de"})
_WORD_RUN = re.compile(r"[a-z][\w'’-]*")
_ACRONYM = re.compile(r"\b[A-Z]{3,5}s?\b")  # "IEDs", "CEO"


def spelled_out_acronyms(text: str, question: str = "") -> set[str]:
    """The acronyms that names in ``text`` spell out, as :func:`claim_terms` writes them:
    "uc" for "University of California", "lapd" for "Los Angeles Police Department"
    (the initials of a name's first two or more capitalised words, its small linking
    words skipped: "la" too), so "UC Davis" is found in "the University of
    California campus in Davis"; with ``question``, also its acronyms of three to five
    capitals that words in a row of ``text`` spell out ("ied" for "IEDs" where
    ``text`` says "improvised explosive devices")."""
    found: set[str] = set()
    for run in _NAME_RUN.finditer(text):
        words = run.group().split()
        if words[0].lower() in ("the", "a", "an"):  # "The United Nations …" opening a sentence
            words = words[1:]
        initials = [w[0].lower() for w in words if w not in _NAME_LINK]
        found.update("".join(initials[:end]) for end in range(2, len(initials) + 1))
    # The question's acronyms of lower-case words: "IEDs" for "improvised explosive
    # devices", "CEO" for "chief executive officer".
    asked = {stem(a.lower()) for a in _ACRONYM.findall(question)}
    if asked:
        lowered = [w for w in _WORD_RUN.findall(text.lower()) if w not in _NAME_LINK]
        for size in (3, 4, 5):
            for start in range(len(lowered) - size + 1):
                spelled = "".join(w[0] for w in lowered[start : start + size])
                if spelled in asked:
                    found.add(spelled)
    return found
