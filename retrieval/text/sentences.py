"""Fast, rule-based sentence splitting with exact character offsets.

Used at query time (a handful of paragraphs) and at ingest (thousands), so it
is a single regex pass plus a few set look-ups per candidate boundary, with
no model behind it. It knows the abbreviations, initials and quirks of news
text, including the CNN/DailyMail corpus habit of putting a space before the
full stop (``"... in 1998 . The next ..."``).
"""

from __future__ import annotations

import re

# A candidate boundary: terminal punctuation, any closing quotes or brackets,
# then whitespace; or, with no space, a full stop, "!" or "?" between a lower-case word
# and a capitalised one, as text copied from web pages glues them ("these
# stories.Political geographers …"; not "U.S.Army", "3.Five", "Node.js", "Amazon.Com").
# Whether it really ends a sentence is decided afterwards.
_CANDIDATE = re.compile(
    r"(\.{2,}|…|[.!?]+)([\"'”’)\]]*)(\s+)"
    r"|(?<=[a-z]{2})([.!?])(?=[A-Z][a-z])(?!(?:Com|Org|Net|Gov|Edu|Info|Co|Uk|Io)\b)"
)
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_NEXT_WORD = re.compile(r"[\"'“‘(\[]*(\w+)")
_LAST_TOKEN = re.compile(r"(\S+)$")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_WINDOW = 40  # the token before a full stop is never longer than this
# What goes on after a factorial's "!" (after a digit or ")": "(p − 1)! + 1", "4! = 24"):
# never a sentence's start.
_OPERATORS = frozenset("+−=×/<>≤≥±÷^")

# Abbreviations that introduce what follows and so never end a sentence.
_NEVER_FINAL_WORDS = """
    Mr Mrs Ms Mx Dr Prof St Sen Rep Gov Gen Lt Col Capt Cpt Sgt Maj Cmdr Adm Rev Hon Pres
    Supt Insp Det Mt Ft No Nos Nr vs v Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    cf Fig fig Vol vol pp p approx Ave Blvd Rd Mme Mlle Messrs e.g i.e viz al
"""
# Abbreviations that may close a sentence; they do when a typical sentence
# opener follows ("... in the U.S. The talks ...").
_MAYBE_FINAL_WORDS = "Inc Corp Co Ltd Plc plc LLC Jr Sr Bros etc Esq"
_OPENER_WORDS = """
    The A An He She It They We I You His Her Its Their Our My This That These Those There
    Here But And Or So Yet As After Before When While If In On At For From By With Without
    Since During Although Though However Meanwhile Last Next Some Many Most Several Both
    Each Other Others Officials Police According Earlier Later Now Then Still Also Even
    Only No Not What Who Why How Where Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday
"""
# After "a.m."/"p.m." these go on with the time ("10 a.m. Tuesday", "5 p.m. ET");
# any other capitalised word starts a new sentence ("at 9 p.m. Read more").
_TIME_GOES_ON_WORDS = """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thurs Fri
    Sat Sun January February March April May June July August September October November
    December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec ET EST EDT CT CST CDT MT MST
    MDT PT PST PDT GMT BST UTC CET CEST IST JST AEST AEDT Eastern Central Mountain Pacific
"""
_TIMES = frozenset({"a.m", "p.m", "A.M", "P.M"})
_TIME_GOES_ON = frozenset(_TIME_GOES_ON_WORDS.split())
_NEVER_FINAL = frozenset(_NEVER_FINAL_WORDS.split())
_MAYBE_FINAL = frozenset(_MAYBE_FINAL_WORDS.split())
_SENTENCE_OPENERS = frozenset(_OPENER_WORDS.split())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences.

    Args:
        text: Any text; blank lines always end a sentence.

    Returns:
        ``(start, end)`` offsets such that ``text[start:end]`` is a sentence
        with no surrounding whitespace, in order, never empty.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for gap in _BLANK_LINE.finditer(text):
        spans.extend(_segment_spans(text, pos, gap.start()))
        pos = gap.end()
    spans.extend(_segment_spans(text, pos, len(text)))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[start:end] for start, end in sentence_spans(text)]


def _segment_spans(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = begin
    for match in _CANDIDATE.finditer(text, begin, end):
        if _is_boundary(text, match, end):
            _add_trimmed(spans, text, start, match.end(2) if match.group(1) else match.end())
            start = match.end()
    _add_trimmed(spans, text, start, end)
    return spans


def _add_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def _is_boundary(text: str, match: re.Match[str], end: int) -> bool:
    """Whether the candidate ``match`` really ends a sentence."""
    after = match.end()
    if after >= end:
        return False  # end of segment: closed by the caller anyway
    following = _NEXT_WORD.match(text, after, end)
    if following is None:
        # Opening punctuation alone or a symbol: a new sentence unless lowercase or an
        # operator going on with a formula.
        before = text[match.start() - 1] if match.start() else ""
        formula = match.group(1) == "!" and (before.isdigit() or before == ")")
        formula = formula and text[after] in _OPERATORS
        return not (text[after].islower() or formula)
    word = following.group(1)
    if not (word[0].isupper() or word[0].isdigit()):
        return False
    punct = match.group(1) or match.group(4)
    if punct != "." or match.start() == 0 or text[match.start() - 1].isspace():
        # "!", "?", an ellipsis, or a detached " ." (CNN tokenisation).
        return True
    token = _token_before(text, match.start())
    return _period_ends_sentence(token, word)


def _token_before(text: str, index: int) -> str:
    """The word immediately before ``text[index]``, opening punctuation removed."""
    window = text[max(0, index - _WINDOW) : index]
    found = _LAST_TOKEN.search(window)
    token = found.group(1) if found else ""
    return token.lstrip("\"'“‘([")


def _period_ends_sentence(token: str, next_word: str) -> bool:
    """Whether a full stop after ``token`` ends a sentence, given the next word."""
    if token in _NEVER_FINAL:
        return False
    if token.lstrip("0123456789:") in _TIMES:
        return next_word not in _TIME_GOES_ON
    opener = next_word in _SENTENCE_OPENERS
    if token in _MAYBE_FINAL or _DOTTED_ACRONYM.match(token):
        return opener
    if len(token) == 1 and token.isalpha() and token.isupper():
        return opener  # an initial ("J. R. R. Tolkien") unless a sentence follows
    return True
