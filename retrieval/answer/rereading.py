"""Reading the evidence again when the model's first reply will not do.

The model phrases; the program chooses what it reads. Its first reply to the
best sentences can only repeat the question, or come from a sentence further
from the answer than the best one: then it is asked again, of the next
sentences of the best story (the second look, :func:`second_look`), of the best
sentence alone (:func:`best_alone`) or of the
sentences the answer-sentence cross-encoder rates as stating the answer
(:func:`from_a_weaker_sentence`, :func:`ask_again`). Split from
:mod:`retrieval.answer.answer`, which decides when.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from collections.abc import Generator as Generator_
from typing import TYPE_CHECKING

from retrieval.answer.evidence import Evidence, names_new
from retrieval.answer.prompts import abstains, answer_messages
from retrieval.answer.statements import citations_for, statement_from_reply
from retrieval.backends.base import Generator
from retrieval.grounding.checks import adds_information, clean_phrase
from retrieval.grounding.phrases import names_something, names_the_kind, of_the_kind
from retrieval.library.base import ArticleLibrary
from retrieval.settings import Settings
from retrieval.text.english_model import EntityModelMissingError
from retrieval.text.questions import asks_for_a_name, expected_answer
from retrieval.types import AnswerEvent, Piece, Restart, Statement

if TYPE_CHECKING:
    from retrieval.answer.answer import Draft


def model_reply(
    question: str, evidence: Sequence[Evidence], generator: Generator, settings: Settings
) -> Generator_[AnswerEvent, None, str]:
    """Stream the model's reply to ``evidence`` (its events yielded as they come);
    return its first line, cleaned (:func:`~retrieval.grounding.checks.clean_phrase`)."""
    pieces: list[str] = []
    messages = answer_messages(question, evidence)
    for event in generator.stream(messages, settings.generation.max_new_tokens):
        yield event
        match event:
            case Restart():
                pieces.clear()
            case Piece(text):
                pieces.append(text)
                if "\n" in text:
                    break
    return clean_phrase("".join(pieces))


def second_look(
    draft: Draft, library: ArticleLibrary, generator: Generator, settings: Settings, first: str
) -> Generator_[AnswerEvent, None, Statement | None]:
    """The answer read from the next sentences (``draft.reserve``), or None.

    Asked when the model's reply to the best sentences only repeats the question
    ("Argentina" for "Near which town in Argentina did the helicopters
    collide?"): the best-scoring sentence can be the one that restates the
    question, and the answer ("near the town of Villa Castelli") a sentence
    further down. The second reply counts only where it is found, word for
    word or nearly, in one of those sentences
    (:func:`~retrieval.answer.statements.statement_from_reply`), and only when
    it names something (a noun, a name or a number): a lower sentence is a reach.
    A second reply the same as the ``first`` (not found in the sentences shown
    first) was not read from the next sentences: the model said it before seeing
    them (an article's injected "say the budget was …" is found there too).
    """
    found = yield from ask_again(
        draft,
        library,
        generator,
        settings,
        first,
        draft.reserve,
        note="reading the next evidence",
        wanted=lambda reply: adds_information(reply, draft.question),
    )
    marked = found.citations[0] if found is not None else None
    if marked is None or marked.answer_in_quote is None:
        return None
    with contextlib.suppress(EntityModelMissingError):  # then as the model said it
        if not names_something(marked.quote, marked.answer_in_quote):
            return None  # "accused", for "What charges does he face?"
    return found


def best_alone(
    draft: Draft, library: ArticleLibrary, generator: Generator, settings: Settings, first: str
) -> Generator_[AnswerEvent, None, Statement | None]:
    """The answer read from the best evidence sentence shown alone, or None.

    Asked when the model's reply to the best sentences only repeats the question and
    more than one sentence was shown: among several, a small model often echoes the
    question's subject ("Robinson" for "What is the name of the Madison cop who killed
    Robinson?"), yet copies the answer from the best sentence once it is the only one
    ("Matt Kenny" of "The officer who killed Robinson, 12-year department veteran Matt
    Kenny, had used deadly force before"). Measured on 4 such news questions: the best
    sentence alone gave the answer for the 3 whose sentence holds it (HBO, Shrewsbury
    Town, Matt Kenny); a second chat turn saying the reply only repeats the question
    gave none ("not stated"). The reply counts only where it is found in that sentence
    and adds to the question (:func:`ask_again`).
    """
    if len(draft.evidence) < 2:
        return None
    return (
        yield from ask_again(
            draft,
            library,
            generator,
            settings,
            first,
            draft.evidence[:1],
            note="reading the best evidence alone",
            wanted=lambda reply: adds_information(reply, draft.question),
        )
    )


# Log-odds the cited sentence trails the best one by before it is read again: 2.0 until
# the fourteenth session, and only from a sentence rated below 0 (see the history).
WEAKER_BY = 1.5


def from_a_weaker_sentence(statement: Statement, draft: Draft) -> list[Evidence]:
    """The shown sentences the answer-sentence cross-encoder rates as stating the
    answer and at least :data:`WEAKER_BY` log-odds above the one ``statement`` comes
    from, when the best is; else []. "Jacksonvillians", from "People from
    Jacksonville may be called …", for "What historical figure was Jacksonville named
    after?" beside "… named the town Jacksonville, after Andrew Jackson."; "close to
    $40,000" (rated 0.2), from a sentence on American schools, for "What is the
    typical annual cost for an Irish private school?" beside "The average fee is
    around €5,000 annually …" (1.8). See :mod:`retrieval.answer.cross_encoder`."""
    cited = statement.citations[0]
    source = next(
        (
            e
            for e in draft.evidence
            if e.paragraph.article_id == cited.article_id
            and e.paragraph.index == cited.paragraph_index
            and e.sentence in cited.quote
        ),
        None,
    )
    best = draft.evidence[0].answer_logit
    if source is None or source.answer_logit is None or best is None:
        return []
    if best - source.answer_logit < WEAKER_BY:
        return []
    floor = source.answer_logit + WEAKER_BY
    return [
        e
        for e in draft.evidence
        if e.answer_logit is not None and e.answer_logit > 0 and e.answer_logit >= floor
    ]


def ask_again(
    draft: Draft,
    library: ArticleLibrary,
    generator: Generator,
    settings: Settings,
    first: str,
    sentences: Sequence[Evidence],
    *,
    note: str = "reading the other evidence",
    wanted: Callable[[str], bool] = lambda reply: True,
) -> Generator_[AnswerEvent, None, Statement | None]:
    """The model's reply to ``sentences`` alone (announced by a :class:`Restart` saying
    ``note``), found word for word in one of them and passing the checks, or None: no
    sentences, an abstention, the ``first`` reply again, or a reply not ``wanted``."""
    if not sentences:
        return None
    yield Restart(note)
    reply = yield from model_reply(draft.question, sentences, generator, settings)
    if abstains(reply) or reply.casefold() == first.casefold() or not wanted(reply):
        return None
    citations = citations_for(sentences, library)
    return statement_from_reply(
        draft.question, reply, citations, library, query=draft.query, located_only=True
    )


# "Which official …?", "What is the name of …?": a name is asked for, whatever the noun.
_WHICH = re.compile(r"^\s*(?:\w+\s+)?which\b|\bname of\b", re.IGNORECASE)


def unanswered(statement: Statement | None, draft: Draft) -> bool:
    """Whether the first reading left the question unanswered: nothing to say, or,
    for a question asking for a name, the whole sentence with no name the
    question lacks ("… the Obama administration Friday filed a brief …" for
    "Which Obama administration official wrote the brief?"), or the whole
    sentence when it only restates the question ("The Pleistocene (P) epoch." for
    "The Pleistocene epoch takes place during which period?")."""
    if statement is None:
        return True
    whole = statement.repaired and statement.text == statement.citations[0].quote
    if whole and not adds_information(statement.text, draft.question):
        return True
    asks_name = asks_for_a_name(draft.question) or bool(_WHICH.search(draft.question))
    return whole and asks_name and not names_new(statement.text, draft.question)


# A place named by its kind: "Bleone Valley", "San Joaquin Valley", "Lake Erie".
_NAMED_PLACE = re.compile(
    r"\b(?:Valley|Mountains?|River|Lake|City|Town|County|State|Province|Region|"
    r"District|Street|Road|Avenue|Island|Park|Bay|Sea|Ocean|Desert|Forest|Coast|Square)\b"
)


def kind_further_down(statement: Statement | None, draft: Draft) -> bool:
    """Whether a "Which <noun> …?" question's first answer names a place of another kind
    while a sentence of the second look names one of the kind asked ("Which mountain
    did the jet crash on?": "Bleone Valley" from the best sentence, "… on Trois
    Eveches mountain" further down; "Which city …?": "San Joaquin Valley";
    :func:`~retrieval.grounding.phrases.names_the_kind`). A name of no such kind
    ("HAMAS" for "What organization …?") is taken as the model read it."""
    if statement is None:  # declined: a near miss's way out ("What street was the
        return False  # residence on?", "… Williamson Street, where the shooting happened")
    if not _NAMED_PLACE.search(statement.text):
        return False
    try:
        if of_the_kind(draft.question, statement.text):
            return False
        return any(names_the_kind(draft.question, e.passage) for e in draft.reserve)
    except EntityModelMissingError:
        return False


def typed_further_down(statement: Statement | None, draft: Draft) -> bool:
    """Whether the first reading fell back to a whole sentence for a question wanting a
    kind of answer (a count, a date, a time, a name; :func:`expected_answer`) that a
    sentence of the second look holds: "How many people were killed in the Bardo
    Museum attack?" is not the sentence naming the two gunmen, when "… said 23
    people are believed to have been killed" is further down. A declined first
    reading gets no second look here: it is the near misses' way out."""
    if statement is None or statement.text != statement.citations[0].quote:
        return False
    return expected_answer(draft.question) is not None and any(e.typed for e in draft.reserve)
