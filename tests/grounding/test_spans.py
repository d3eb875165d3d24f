from __future__ import annotations

from retrieval.grounding.spans import answer_span

SADR = (
    "Moqtada Sadr, a populist scholar and former militia leader, tweeted that "
    "“no one has the right to use weapons outside of the state”."
)
FIRST = (
    "The first on November 17 saw a volley of rockets slam into the US embassy and "
    "various parts of the Iraqi capital, killing one young woman."
)
NORMANS = "The Normans gave their name to Normandy, a region in France."


def span(question: str, sentence: str) -> str | None:
    found = answer_span(question, sentence)
    return None if found is None else sentence[found[0] : found[1]]


def test_a_when_question_gets_the_date_from_the_sentence() -> None:
    assert span("When did a volley of rockets slam into the US embassy first?", FIRST) == (
        "November 17"
    )


def test_a_where_question_gets_the_place_not_the_words_it_already_said() -> None:
    assert span("Where is Normandy?", NORMANS) == "France"


def test_other_questions_keep_the_whole_sentence() -> None:
    assert span("Who tweeted about weapons outside of the state?", SADR) is None
