"""Whether a located answer is of the kind its question asks for.

The refusals of :func:`retrieval.answer.located.refused` that read the kind of
answer rather than who did what: an amount or share, a score, a name where one
is asked (not a word naming nothing, not the thing unnamed, not only the source
a sentence quotes, not a restatement of the question), and a sentence saying
the thing is not known or not named. Whether a name asked for is given is
:mod:`retrieval.answer.names`', whether an age is the one asked for
:mod:`retrieval.answer.ages`', whether the time asked for is given
:mod:`retrieval.answer.times`'. Each reads the question, the answer and its cited
sentence; the sentence's grammar comes from :mod:`retrieval.grounding.syntax`
and :mod:`retrieval.grounding.phrases`.
"""

from __future__ import annotations

import re

from retrieval.answer.ages import BARE_YEAR, HOW_OLD
from retrieval.answer.evidence import names_new
from retrieval.answer.names import NAME_OF
from retrieval.grounding.attribution import source_of
from retrieval.grounding.phrases import asked_kind, names_something, parse
from retrieval.grounding.spans import word_root
from retrieval.text.english_model import EntityModelMissingError, entity_recognizer
from retrieval.text.questions import asks_for_a_name
from retrieval.text.terms import MONTHS, alternation, claim_terms
from retrieval.types import Statement

WHY = re.compile(r"^\s*why\b", re.IGNORECASE)


_HOW_MANY = re.compile(r"\bhow (?:many|much)\b", re.IGNORECASE)
# A year as the sentence writes a date: "in 2011", "since 1998", "March 2011".
_DATED = re.compile(
    r"(?:\b(?:in|since|by|until|till|from|before|after|of|during)|\b[A-Z][a-z]+,?)\s+$"
)


def a_year_for_a_count(question: str, statement: Statement) -> bool:
    """Whether "How many/much …?" is answered by a year the sentence gives as a date
    ("2011" from "… visited Moscow several times, with his last visit in 2011", "2016"
    from "… with season two set for 2016."), not a count ("2000 troops", or "2000"
    where the sentence counts with it)."""
    if not _HOW_MANY.search(question) or not BARE_YEAR.fullmatch(statement.text):
        return False
    citation = statement.citations[0]
    span = citation.answer_in_quote
    if span is None:
        return False
    before, after = citation.quote[: span[0]], citation.quote[span[1] :]
    # "season two set for 2016.": "for" a year that counts nothing after it
    return bool(_DATED.search(before) or (_FOR.search(before) and _COUNTS_NOTHING.match(after)))


_FOR = re.compile(r"\bfor\s+$", re.IGNORECASE)
_COUNTS_NOTHING = re.compile(r"\s*(?:[.,;:!?)\"”]|$)")


_AMOUNT_ASKED = re.compile(
    r"\bhow (?:many|much)\b|\bwhat (?:number|percentage|proportion|share|fraction|percent)\b",
    re.IGNORECASE,
)
# A number in digits or words, or a word giving an amount or a share.
_AMOUNT = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|"
    r"scores|half|quarter|third|several|few|none|no one|nobody|nothing|single|double|twice|"
    r"once|all|most|majority|minority|handful|percent)\b",
    re.IGNORECASE,
)


_SHARE_ASKED = re.compile(r"\bwhat (?:percentage|proportion|share|fraction|percent)\b", re.I)
# A share: "23%", "40 percent", "a third", "the majority", "one in five".
_SHARE = re.compile(
    r"%|\bper ?cent\b|\b(?:half|halves|thirds?|quarters?|fifths?|tenths?|majority|minority|"
    r"most|all|none)\b|\b(?:one|two|three|\d+) (?:in|out of) (?:every )?\w+",
    re.IGNORECASE,
)


def no_amount_for_a_count(question: str, answer: str) -> bool:
    """Whether "How many/much …?" or "What share …?" is answered by no number or amount
    at all ("a fourth term" for "What share of the vote did the party win?"; not
    "thousands of years", "half", "23 people"), or "What share …?" by no share ("six
    years"; not "23%", "a third", "one in five")."""
    if _SHARE_ASKED.search(question):
        return not _SHARE.search(answer)
    return bool(_AMOUNT_ASKED.search(question)) and not _AMOUNT.search(answer)


# The numbers of a date: "March 19", "19 March", "2015", "the 1990s".
_DATE_NUMBERS = re.compile(
    rf"\b(?:(?:{alternation(MONTHS)})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"(?:of\s+)?(?:{alternation(MONTHS)})\b|(?:1[5-9]|20)\d{{2}}s?\b)",
    re.IGNORECASE,
)


def no_amount_said(question: str, sentence: str) -> bool:
    """Whether a whole ``sentence`` given for "How many/much …?", "How old …?" or "What
    share …?" holds no number or amount besides a date's ("On March 19, Clinton will
    headline her only confirmed paid speech …" for "How much is she paid for the
    speech?")."""
    asked = _AMOUNT_ASKED.search(question) or HOW_OLD.search(question)
    return bool(asked) and not _AMOUNT.search(_DATE_NUMBERS.sub(" ", sentence))


_SCORE_ASKED = re.compile(r"\bwhat (?:was|is|were) the (?:[\w-]+ )?score\b", re.IGNORECASE)
_SCORE = re.compile(
    r"\b\d{1,3}\s*[-–—:]\s*\d{1,3}\b|\b\d{1,3} to \d{1,3}\b|\b\d{1,3}-all\b|\bgoalless\b",
    re.IGNORECASE,
)


def no_score_for_a_score(question: str, answer: str) -> bool:
    """Whether "What was the (final) score …?" is answered by something not a score
    ("eight minutes", the time of a try; not "22-13" nor "2-2")."""
    return bool(_SCORE_ASKED.search(question)) and not _SCORE.search(answer)


def a_question_for_an_answer(statement: Statement) -> bool:
    """Whether the answer is a whole sentence that itself asks ("Or perhaps you revelled
    in Australia being skittled for just 85?" for "Which bowler skittled Australia?"):
    a question answers nothing."""
    quote = statement.citations[0].quote
    return statement.text == quote and quote.rstrip(" \"'”’)").endswith("?")


_WHICH_ONE = re.compile(r"^\s*(?:\w+\s+)?which\b", re.IGNORECASE)


def a_word_for_a_name(question: str, statement: Statement) -> bool:
    """Whether a question asking for a name ("Who …?", "Where …?", "Which …?", "the
    name of …") is answered by words naming nothing, no noun, name or number:
    "British" for "What was the name of the immigration official …?"."""
    if not (asks_for_a_name(question) or NAME_OF.search(question) or _WHICH_ONE.match(question)):
        return False
    citation = statement.citations[0]
    span = citation.answer_in_quote
    if span is None or statement.text == citation.quote:
        return False
    try:
        return not names_something(citation.quote, span)
    except EntityModelMissingError:
        return False


# A question about what was said, or by whom: the source may be its answer.
_ASKS_A_SOURCE = re.compile(
    r"\b(?:say|says|said|saying|tell|told|according|quot\w*|claim\w*|report\w*|tweet\w*|"
    r"wr[io]te|written|post\w*|spokes\w*|sources?|statement|warn\w*|accus\w*|describ\w*|"
    r"comment\w*|confirm\w*|den(?:y|ied|ies)|insist\w*|argu\w*|explain\w*|add\w*|interview\w*)\b",
    re.IGNORECASE,
)


def the_source_for_the_answer(question: str, statement: Statement) -> bool:
    """Whether the answer is only the source the cited sentence quotes, where what it
    says names others: "Shelly Shapiro" (… "according to Shelly Shapiro, editor …")
    does not answer "What's the name of the first gay character?", nor "Jonathan"
    ("… wait for the electoral commission to announce results," Jonathan said) "Who
    will announce the results?". A question about what was said or by whom, or
    one describing the source in words of its own ("Who is the police chief?" for
    "Police Chief Tom Jackson said …"), may be answered by the source
    (:func:`~retrieval.grounding.attribution.source_of`)."""
    citation = statement.citations[0]
    if _ASKS_A_SOURCE.search(question) or statement.text == citation.quote:
        return False
    try:
        source = source_of(citation.quote, citation.answer_in_quote)
    except EntityModelMissingError:
        return False
    if source is None:
        return False
    described = " ".join(w for w in re.findall(r"[\w'’-]+", question) if w[:1].islower())
    if claim_terms(citation.quote[source[0] : source[1]]) & claim_terms(described):
        return False
    return names_new(citation.quote[: source[0]] + " " + citation.quote[source[1] :], question)


_UNNAMED = re.compile(
    r"\b(?:unspecified|unnamed|undisclosed|unidentified)\s+((?:[\w.’'-]+\s+){0,3}[\w’'-]+)",
    re.IGNORECASE,
)
_ASKED_THING = re.compile(r"\b(?:which|what)\s+((?:[a-z-]+\s+){0,2}[a-z-]+)", re.IGNORECASE)


def said_to_be_unnamed(question: str, quote: str) -> bool:
    """Whether the cited sentence says the thing asked for is not named: "an
    unspecified U.S. military facility" for "Which military base were they planning
    to attack?", "the unnamed laughing driver" for "What is the name of the
    driver …?" (the thing asked for shares a word with what the sentence leaves
    unnamed; "Which country …?" is still answered beside "an unnamed locomotive")."""
    unnamed = [claim_terms(m.group(1)) for m in _UNNAMED.finditer(quote)]
    if not unnamed:
        return False
    asked = set()
    for pattern in (_ASKED_THING, NAME_OF):
        match = pattern.search(question)
        if match is not None:
            asked |= claim_terms(match.group(1)) - claim_terms("name names kind type")
    return any(terms & asked for terms in unnamed)


_ADDING_NOTHING = frozenset({"ADJ", "ADV", "DET", "PUNCT", "CCONJ", "ADP"})


# "What kind of T cells …?", "… defined by what type of proof system?"; not "in some sort of".
_KIND_ASKED = re.compile(r"\b(?:what|which)\s+(?:kinds?|types?|sorts?|forms?)\s+of\b", re.I)


def restates_the_question(question: str, statement: Statement) -> bool:
    """Whether the answer only restates the question, with at least two of its words,
    adding at most one describing word and no name or number: 'Two prominent
    "secular" politicians in Tunisia in 2013' for "Which two secular politicians were
    assassinated in Tunisia in 2013?" ("triple and quadruple expansion engines" adds
    two). Not for "Why …?" (:func:`~retrieval.answer.located.reason_given` reads the
    reason instead), nor for the whole sentence, nor for "What kind/type of …?", which
    one describing word answers ("regulatory T cells")."""
    citation = statement.citations[0]
    said = claim_terms(statement.text)
    if WHY.match(question) or statement.text == citation.quote or _KIND_ASKED.search(question):
        return False  # "What kind of T cells …?": one describing word is the answer
    new = said - claim_terms(question)
    if len(said & claim_terms(question)) < 2 or len(new) > 1:
        return False
    span = citation.answer_in_quote
    try:  # the words as the sentence has them, or, not found there, as the model said them
        if span is None:
            tokens = list(parse(statement.text))
        else:
            tokens = [t for t in parse(citation.quote) if span[0] <= t.idx < span[1]]
    except EntityModelMissingError:
        return False
    return all(
        t.pos_ in _ADDING_NOTHING and not t.like_num
        for t in tokens
        if claim_terms(t.text) & new
        or t.text[:1].isupper()
        and t.i > tokens[0].i
        and not claim_terms(t.text) <= claim_terms(question)
    )


# Kinds of thing a place's name never is: outlets, firms, bodies, works, people
# ("Which newspaper …?" is not answered by "Japan"). Not "team", "side", "group",
# "member", "government": a country's name may stand for those; nor "party" or
# "union" ("the Democrats", "the Soviet Union" are labelled as places).
_NEVER_A_PLACE = frozenset(
    word_root(w)
    for w in (
        "newspaper", "paper", "magazine", "tabloid", "outlet", "publication", "broadcaster",
        "channel", "website", "company", "firm", "airline", "bank", "agency", "charity",
        "organization", "organisation", "show", "programme",
        "program", "film", "movie", "book", "song", "album", "brand", "drug", "official",
        "minister", "player", "officer", "actor", "actress", "singer", "journalist",
        "reporter", "spokesman", "spokeswoman", "lawyer", "doctor", "author", "writer",
        "person", "man", "woman", "president", "leader", "politician", "senator",
    )
)  # fmt: skip
_PLACE_LABELS = frozenset({"GPE"})  # not LOC: "The Sun" (a tabloid) is one to spaCy
# A club or a team may bear a town's name ("Norwich"), never its ground's: "Carrow Road",
# "Stamford Bridge". By the name's last word: spaCy's small model labels "Shrewsbury
# Town" a facility as readily as "Carrow Road".
_CLUBS = frozenset(word_root(w) for w in ("club", "team", "side"))
_GROUND = re.compile(
    r"\b(?:Road|Street|Lane|Avenue|Park|Stadium|Arena|Ground|Field|Bridge|Way)\W*$"
)


def a_place_for_a_thing(question: str, statement: Statement) -> bool:
    """Whether a "Which <noun> …?" question asking for a kind of thing no place is (a
    newspaper, a company, an official: :data:`_NEVER_A_PLACE`) is answered by only
    a place's name, as spaCy's entities label it: "Japan" (from "… the Choson Sinbo,
    a pro-North Korea newspaper based in Japan") for "Which newspaper reported …?";
    or one asking for a club or a team by a ground's name ("Carrow Road" for "Which
    club did Turner sign for …?"; not "Shrewsbury Town").

    Raises nothing: without spaCy's English pipeline, False.
    """
    citation = statement.citations[0]
    span = citation.answer_in_quote
    if span is None or statement.text == citation.quote:
        return False
    try:
        kind = asked_kind(question)
        if kind in _CLUBS:
            return bool(_GROUND.search(statement.text))
        if kind not in _NEVER_A_PLACE:
            return False
        doc = entity_recognizer()(citation.quote)
    except EntityModelMissingError:
        return False
    words = [t for t in doc if span[0] <= t.idx < span[1] and not (t.is_punct or t.is_stop)]
    return bool(words) and all(t.ent_type_ in _PLACE_LABELS for t in words)


_WHERE = re.compile(r"^\s*where\b", re.IGNORECASE)
# "El Paso, Texas": a place, then the wider place it is in.
_PLACE_IN = re.compile(
    r"(?:in |at |to )?(?:the )?((?:[A-Z][\w'’.-]*\s*)+),\s*(?:[A-Z][\w'’.-]*\s*){1,3}\W*"
)


def the_asked_place_again(question: str, answer: str) -> bool:
    """Whether "Where …?" is answered by a place the question names, with only the wider
    place it is in: "El Paso, Texas" for "Where did he drop off his son in El Paso?"
    (not "Juarez, Mexico")."""
    if not _WHERE.search(question):
        return False
    match = _PLACE_IN.fullmatch(answer.strip())
    return match is not None and match.group(1).strip() in question


_NOT_KNOWN = re.compile(
    r"\b(?:ha(?:s|ve|d)n[’']t|(?:has|have|had|did|do|does|would|could|will) not|declined to|"
    r"refused to|wouldn[’']t|didn[’']t|won[’']t|couldn[’']t) (?:yet |immediately |publicly )?"
    r"(?:been )?(?:say|said|disclose[sd]?|release[sd]?|reveal(?:ed)?|identif\w+|name[sd]?|"
    r"confirm(?:ed)?|comment(?:ed)?|specif\w+|explain(?:ed)?|determine[sd]?)\b"
    r"|\b(?:unclear|unknown|not (?:immediately |yet )?(?:clear|known))\b",
    re.IGNORECASE,
)


def said_to_be_unknown(answer: str, quote: str) -> bool:
    """Whether the answer is the whole cited sentence (the model's phrase was not found
    in it) and that sentence says the thing is not known: "Federal authorities haven't
    said if Victor Solis would face charges" does not answer what charges he faces."""
    return answer == quote and bool(_NOT_KNOWN.search(quote))


# "Who is the author of …?", "Who was the third of …?": the one asked for, by a role.
_ROLE_ASKED = re.compile(
    r"^\s*who (?:is|was|are|were|will be) the (?:(?:new|current|former|first|last|late|only)\s+)?"
    r"([a-z-]+)(?=\s+(?:of|at|for|in|on|to|who|that|behind)\b|\s*\?)",
    re.IGNORECASE,
)
_NO_ROLE = frozenset({"one", "ones", "person", "people", "man", "woman", "men", "women", "guy"})
_ROLE_STEM = 5  # letters of the role a word of the sentence must begin with


def the_role_unsaid(question: str, statement: Statement) -> bool:
    """Whether "Who is the <role> of …?" is answered from a sentence that never says the
    role: "Moff Mors" for "Who is the author of the novel Lords of the Sith?" from a
    sentence saying the novel will feature Moff Mors (not "Gene Block" for "Who is the
    chancellor of UCLA?" from "Chancellor Gene Block of UCLA …")."""
    match = _ROLE_ASKED.match(question)
    if match is None or match.group(1).lower() in _NO_ROLE:
        return False
    role = match.group(1).lower()[:_ROLE_STEM]
    words = re.findall(r"[a-z]+", statement.citations[0].quote.lower())
    return not any(w.startswith(role) for w in words)
