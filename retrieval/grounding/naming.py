"""The name an evidence sentence gives for the one a question describes.

Where the model's reply only repeats the question's description, the sentence may
still say who or what that is: "Who is the <description> …?" by a copula
(:func:`identity_span`), "Which <noun> …?" or "What is the name of the <noun> …?"
by a name set in apposition to that thing's description (:func:`apposed_name_span`).
Read from spaCy's parse (:func:`~retrieval.grounding.phrases.parse`); who did
an action is :mod:`retrieval.grounding.syntax`'s.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.grounding.phrases import parse, token_end
from retrieval.grounding.spans import word_root
from retrieval.grounding.syntax import BE
from retrieval.text.questions import QUESTION_NAME
from retrieval.text.terms import claim_terms, normalise

if TYPE_CHECKING:
    from spacy.tokens import Token

_WHO_IS_THE = re.compile(r"^\s*who\s+(?:is|was|are|were|will be)\s+(?:the|a|an)\b", re.I)


def identity_span(question: str, sentence: str) -> tuple[int, int] | None:
    """Offsets of the name ``sentence`` says is the one a "Who is the <description> …?"
    question describes, or None: "Farabi Shafiur Rahman" of "The only person arrested
    in the killing of Roy … is Farabi Shafiur Rahman, who …" (or "Farabi Shafiur
    Rahman is the only person arrested …"). One side of the sentence's "be" must share
    at least two content words with the question, the other be a name the question
    lacks; or the name and the description stand in apposition (:func:`_apposed_identity`).

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    if not _WHO_IS_THE.match(question):
        return _titled_identity(question, sentence)
    asked = claim_terms(question)
    for be in parse(sentence):
        if be.lower_ not in BE:
            continue
        subjects = [c for c in be.children if c.dep_ == "nsubj"]
        complements = [c for c in be.children if c.dep_ == "attr"]
        for described, named in ((subjects, complements), (complements, subjects)):
            for side in described:
                said = claim_terms(" ".join(t.text for t in side.subtree))
                if len(said & asked) < 2:
                    continue
                for name in named:
                    if name.pos_ == "PROPN" and not claim_terms(name.text) <= asked:
                        return name.left_edge.idx, token_end(name)
    return _apposed_identity(question, sentence) or _titled_identity(question, sentence)


# "Who is Ferguson's mayor?", "Who is the Glendale police chief who …?": the role asked
# (its last word) and the description holding it, up to a relative word.
_ASKED_ROLE = re.compile(
    r"^\s*[Ww]ho\s+(?:is|was)\s+(?P<description>(?:the\s+|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*['’]s\s+)"
    r"(?:[\w'’-]+\s+){0,4}?(?P<role>[a-z]+))(?=\s+(?:who|that|whose|of|at|in|for|on)\b|\W*$)",
)
_NAME_WORD = r"[A-Z][\w'’-]*\.?"


def _titled_identity(question: str, sentence: str) -> tuple[int, int] | None:
    """The name ``sentence`` gives the role asked as a title: "James Knowles" of
    "Ferguson Mayor James Knowles said …" for "Who is Ferguson's mayor?", "Robert
    Castro" of "Glendale Police Chief Robert Castro" for "Who is the Glendale police
    chief who looked into the stop?". The names of the question's description must
    all be in the sentence, its other words just before the title ("its holding
    company British Sky Broadcasting Group" is no parent company), the title's own
    names among the question's ("St. Louis Mayor Francis Slay" is not Ferguson's
    mayor); the name must not be the question's own: "its director Veronique
    Drouet" names the director."""
    asked = _ASKED_ROLE.match(question)
    if asked is None:
        return None
    description = asked.group("description")
    names = claim_terms(re.sub(r"['’]s\b", "", " ".join(QUESTION_NAME.findall(" " + description))))
    if not names <= claim_terms(sentence):
        return None
    role = asked.group("role")
    # the description's own words for the role: "parent" of "the parent company"
    unpossessed = re.sub(r"['’]s\b", "", description)
    modifiers = set(re.findall(r"\b[a-z][\w-]*\b", unpossessed)) - {"the", role}
    titled = re.compile(rf"\b(?i:{re.escape(role)})\s+((?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD})")
    for match in titled.finditer(sentence):
        name = match.group(1).rstrip(".")
        # "its holding company British Sky Broadcasting Group" is no parent company
        said = {w.lower() for w in re.findall(r"[\w-]+", sentence[: match.start()])[-4:]}
        if not modifiers <= said:
            continue
        # the title's own place or body: "St. Louis Mayor Francis Slay" is no Ferguson mayor
        before = re.search(rf"((?:{_NAME_WORD}\s+){{1,4}})$", sentence[: match.start()])
        if before and not claim_terms(before.group(1)) <= claim_terms(question):
            continue
        if not claim_terms(name) <= claim_terms(question):
            return match.start(1), match.start(1) + len(name)
    return None


def _apposed_identity(question: str, sentence: str) -> tuple[int, int] | None:
    """The name ``sentence`` sets in apposition to the question's description: "Attahiru
    Jega" of "… a tweet from Attahiru Jega, the chairman of the electoral commission"
    (or "The chairman …, Attahiru Jega, said …") for "Who is the chairman of Nigeria's
    electoral commission?". The description must share two content words with the
    question, its noun among them; the name, a proper noun, must not be the question's
    own."""
    asked = claim_terms(question)
    for second in parse(sentence):
        if second.dep_ != "appos" or second.head.i > second.i:
            continue
        first = second.head
        # spaCy may hang the name on a name ending the description: "The police chief
        # of Los Angeles International Airport, Patrick Gannon" (on "Airport").
        while second.pos_ == first.pos_ == "PROPN" and first.dep_ == "pobj":
            first = first.head.head
        for name, described in ((first, second), (second, first)):
            if name.pos_ != "PROPN" or described.pos_ != "NOUN":
                continue
            start = name.left_edge if name is first else second.left_edge
            inside = range(start.i, name.i + 1)
            said = claim_terms(" ".join(t.text for t in described.subtree if t.i not in inside))
            words = sentence[start.idx : token_end(name)]
            # the description's own noun is the question's: "the first European
            # settlement, Fort Caroline, on the St. Johns" describes no explorer
            if not claim_terms(described.text) & asked:
                continue
            if _another_ones(question, sentence, described, inside):
                continue
            if len(said & asked) >= 2 and not claim_terms(words) <= asked:
                return start.idx, token_end(name)
    return None


_ACRONYM = re.compile(r"^[A-Z]{2,}s?$")


def _another_ones(question: str, sentence: str, described: Token, inside: range) -> bool:
    """Whether the description is another one's: it names what the question does not
    ("police chief of Los Angeles International Airport") while a name the question
    gives is not in the sentence ("Who is the police chief of Miami International
    Airport?"). An acronym the sentence lacks decides nothing: the story may spell it
    out in words that are no initials ("LAX")."""
    asked = claim_terms(question)
    own = claim_terms(
        " ".join(t.text for t in described.subtree if t.pos_ == "PROPN" and t.i not in inside)
    )
    if not own - asked:
        return False
    names = [n for n in QUESTION_NAME.findall(question) if not _ACRONYM.match(n)]
    return not claim_terms(" ".join(names)) <= claim_terms(sentence)


# "What is the name of the UK's nuclear fleet …?", "Which book by Wendy Doniger …?": the
# thing described, by its noun.
_NAMED_THING = re.compile(
    r"\bnames? of (?:the |a |an )?(?:[\w'’-]+\s+){0,5}?([a-z][a-z-]*)"
    r"(?:\s+(?:that|which|who|whose|whom)\b|\W*$)",
    re.IGNORECASE,
)
_WHICH_THING = re.compile(r"^\s*(?:[a-z]+\s+)?(?:which|what)\s+([a-z][a-z-]*)\b", re.I)


def apposed_name_span(question: str, sentence: str) -> tuple[int, int] | None:
    """Offsets of the name ``sentence`` sets beside a description of the thing a
    "Which <noun> …?" or "What is the name of the <noun> …?" question asks for, the
    two in apposition: "The Hindus: An Alternative History" of 'Penguin India
    withdrew "The Hindus: An Alternative History," a book by American academic Wendy
    Doniger' for "Which book by Wendy Doniger did Penguin India withdraw?", "Trident"
    of "… its commitment to Trident, the UK's nuclear missile submarine fleet". The
    description must share a content word with the question besides its noun, the
    name none (not "Maciot de Bethencourt" of "Jean's nephew Maciot de Bethencourt"
    for "What was the name of Bohemond's nephew?"). None when the sentence sets no
    such pair.

    Raises:
        EntityModelMissingError: spaCy's English pipeline is not installed.
    """
    match = _NAMED_THING.search(question) or _WHICH_THING.match(question)
    if match is None:
        return None
    kind = word_root(normalise(match.group(1)))
    asked = claim_terms(question)
    doc = parse(sentence)
    for noun in doc:
        if noun.pos_ != "NOUN" or word_root(normalise(noun.text)) != kind:
            continue
        if noun.dep_ == "appos":  # "Trident, the UK's … fleet"
            name = noun.head
            while name.dep_ == "appos" and name.head.i < name.i:
                name = name.head  # "The Hindus: An Alternative History," a book by …
            first, last = name.left_edge, doc[noun.left_edge.i - 1]
        else:  # "the UK's nuclear fleet, Trident,"
            names = [c for c in noun.children if c.dep_ == "appos" and c.i > noun.i]
            if not names:
                continue
            first, last = names[0].left_edge, names[0].right_edge
        while first.i < last.i and first.is_punct:
            first = doc[first.i + 1]
        while last.i > first.i and last.is_punct:
            last = doc[last.i - 1]
        words = doc[first.i : last.i + 1]
        described = [t for t in noun.subtree if not first.i <= t.i <= last.i]
        shared = claim_terms(" ".join(t.text for t in described)) & asked
        if not any(len(term) >= 3 and term != kind for term in shared):
            continue  # the description says no more of the thing than its noun
        if not any(t.pos_ == "PROPN" for t in words) or claim_terms(words.text) & asked:
            continue  # no name, or the question's own words
        return first.idx, token_end(last)
    return None


_NAME_RUN = r"[A-Z][\w'’.-]*(?:\s+(?:de|da|van|von|del|la|le)?\s*[A-Z][\w'’.-]*){0,3}"
_CASTING = (
    r"(?:(?:is|was|will|has been|is set to|are)\s+)*"
    r"(?:(?:co-)?star(?:s|red|ring)?\s+as|play(?:s|ed|ing)?|portray(?:s|ed)?|voice(?:s|d)?|"
    r"(?:be\s+)?cast\s+as)\s+"
)
# "Cliff Curtis ("Gang Related") stars as Sean Cabrera", "Kim Dickens is set to co-star as Nancy"
_ACTOR_AS = re.compile(
    rf"(?P<actor>{_NAME_RUN})\s*(?:\([^)]*\)\s*)?{_CASTING}(?:the\s+[a-z][\w\s-]{{0,30}}?\s+)?"
    rf"(?P<part>{_NAME_RUN})"
)
# "Fabiana, played by Rosie Perez", "Fabiana (performed by Rosie Perez …)"
_PART_BY = re.compile(
    rf"(?P<part>{_NAME_RUN})\s*[,(]\s*(?:played|portrayed|performed|voiced)\s+by\s+"
    rf"(?:[\"“][^\"”]*[\"”]\s+alumn\w*\s+)?(?P<actor>{_NAME_RUN})"
)
_WHO_PLAYS = re.compile(
    r"^\s*who\s+(?:plays|played|will play|is playing|portrays|portrayed|voices|stars as|starred as)"
    rf"\s+(?:the\s+[a-z][\w\s-]*?\s+)?(?P<part>{_NAME_RUN})",
    re.IGNORECASE,
)
_WHICH_PART = re.compile(
    r"^\s*(?:which|what)\s+(?:character|role|part)\s+(?:does|did|will|is)\s+"
    rf"(?P<actor>{_NAME_RUN})\s+(?:play|portray|voice|star)",
    re.IGNORECASE,
)


def cast_span(question: str, sentence: str) -> tuple[int, int] | None:
    """Offsets of the actor ``sentence`` says plays the part "Who plays <part> …?" asks
    about ("Kim Dickens" of "… Kim Dickens is set to co-star as Nancy, a guidance
    counselor …"), or of the part "Which character does <actor> play?" asks for
    ("Sean Cabrera" of "Cliff Curtis ("Gang Related") stars as Sean Cabrera, a teacher
    …"); also from "<part>, played by <actor>". A part named only as another's
    relative ("Nancy's son Nick") is not Nancy. None when the sentence casts no one
    so."""
    who = _WHO_PLAYS.match(question)
    which = _WHICH_PART.match(question)
    if who is None and which is None:
        return None
    for pattern in (_ACTOR_AS, _PART_BY):
        for match in pattern.finditer(sentence):
            part, actor = match.group("part"), match.group("actor")
            if re.match(r"[^\s]*['’]s\b", part):
                continue  # "Nancy's son Nick": Nick, not Nancy
            if who is not None and claim_terms(part) & claim_terms(who.group("part")):
                return match.span("actor")
            if which is not None and claim_terms(actor) & claim_terms(which.group("actor")):
                return match.span("part")
    return None
