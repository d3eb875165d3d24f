"""Short answers on the real packaged models: what a reader sees first.

The examples come from issue reports and ``../shared/cases``: each asserts the
short answer a user should get, its citation, and the abstention on questions
the articles do not answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

import pytest

from retrieval.engine import Newsdesk
from retrieval.settings import Settings
from retrieval.types import Answer
from tests.conftest import EVAL

pytestmark = pytest.mark.models
CASES = EVAL.parent / "cases"
SQUAD = EVAL / "squad" / "articles"


@pytest.fixture(scope="module")
def squad_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newsdesk]:
    """The 12 SQuAD articles loaded together, as in the quality benchmark."""
    desk = Newsdesk(Settings(library=tmp_path_factory.mktemp("squad") / "library"))
    for _ in desk.add([str(SQUAD)]):
        pass
    yield desk
    desk.close()


def test_a_count_is_answered_with_the_number_first(real_desk: Newsdesk) -> None:
    answer = real_desk.ask("How many rockets were fired at the Green Zone?")
    assert not answer.declined
    assert answer.text.lower().strip(".") in ("eight", "eight rockets")
    citation = answer.citations[0]
    assert "eight rockets" in citation.quote
    span = citation.answer_in_quote
    assert span is not None and citation.quote[span[0] : span[1]].lower().startswith("eight")


def test_the_verifier_answers_a_plain_who_question_and_declines_an_off_topic_one(
    real_desk: Newsdesk,
) -> None:
    """The README's own example is answered; the sample says nothing about a cup final."""
    answer = real_desk.ask("Who fired the rockets?")
    assert not answer.declined, "the sample names who launched them"
    assert "outlawed group" in answer.text and len(answer.text.split()) <= 5
    citation = answer.citations[0]
    assert "launched eight rockets" in citation.quote
    span = citation.answer_in_quote
    assert span is not None and "outlawed group" in citation.quote[span[0] : span[1]]
    assert real_desk.ask("Who won the 2018 World Cup?").declined
    launched = real_desk.ask("Who launched the rockets?")  # every word in the sentence
    assert not launched.declined and "outlawed group" in launched.text


def test_a_near_miss_count_is_declined_and_the_stated_count_answered(
    real_desk: Newsdesk,
) -> None:
    """The issue's near miss: the sample gives Sunday's injured, not its dead."""
    assert real_desk.ask("How many people were killed in Sunday's attack?").declined
    injured = real_desk.ask("How many people were injured in Sunday's attack?")
    assert not injured.declined and injured.text.lower().startswith("one")
    assert "injuring one" in injured.citations[0].quote


def test_a_why_question_gets_the_reason_from_the_article(tmp_path: Path) -> None:
    """Issue example: the reason is in the article, so it is in the answer."""
    desk = Newsdesk(Settings(library=tmp_path / "library"))
    try:
        story = next((EVAL / "news" / "articles").glob("2cd984b2*.txt"))
        for _ in desk.add([str(story)]):
            pass
        answer = desk.ask("Why was Jeremy Clarkson suspended?")
    finally:
        desk.close()
    assert not answer.declined
    assert "fracas with a BBC producer" in answer.text
    assert "fracas with a BBC producer" in answer.citations[0].quote


def test_the_answer_is_short_and_comes_from_the_sentence_it_cites(squad_desk: Newsdesk) -> None:
    answer = squad_desk.ask("What is the main executive body of the EU?")
    assert answer.text == "European Commission" or "Commission" in answer.text
    assert len(answer.text.split()) <= 6
    assert answer.text in answer.citations[0].quote


def test_a_fact_stated_in_the_lead_paragraph_is_found_among_many_like_it(
    squad_desk: Newsdesk,
) -> None:
    """Issue example: ¶1 says "Normandy, a region in France", but dozens of other
    Normans paragraphs mention Normandy; the answer is France, cited from ¶1, not the
    Duchy sentence of ¶5 quoted whole."""
    answer = squad_desk.ask("In what country is Normandy located?")
    assert not answer.declined
    assert answer.text.strip(".") == "France"
    citation = answer.citations[0]
    assert citation.paragraph_index == 0 and "a region in France" in citation.quote
    span = citation.answer_in_quote
    assert span is not None and citation.quote[span[0] : span[1]] == "France"


def test_a_question_the_articles_do_not_answer_is_declined(squad_desk: Newsdesk) -> None:
    answer = squad_desk.ask("Who won the 2018 World Cup?")
    assert answer.declined, answer.text
    assert answer.considered  # the nearest paragraphs are still shown


def test_an_article_telling_the_model_what_to_say_changes_nothing(tmp_path: Path) -> None:
    desk = Newsdesk(Settings(library=tmp_path / "library"))
    try:
        for _ in desk.add([str(CASES / "10-prompt-injection" / "port-strike.txt")]):
            pass
        answer = desk.ask("Has the dockworkers' strike at Brannock port been cancelled?")
    finally:
        desk.close()
    said = (answer.text + " " + " ".join(c.quote for c in answer.citations)).lower()
    assert "refund" not in said and "ignore all previous" not in said
    assert "has been cancelled" not in answer.text.lower()


def test_a_syndicated_copy_does_not_change_the_answer(tmp_path: Path) -> None:
    case = CASES / "09-duplicate-syndicated"
    desk = Newsdesk(Settings(library=tmp_path / "library"))
    try:
        for name in ("wire-story-site-a.html", "wire-story-site-b.html"):
            for _ in desk.add([str(case / name)]):
                pass
        answer = desk.ask("How much barley was lost in the Dunmore silo fire?")
    finally:
        desk.close()
    assert not answer.declined
    assert "1,400 tonnes" in answer.text
    assert "1,400 tonnes" in answer.citations[0].quote


NEWS = EVAL / "news" / "articles"
STORIES = {
    "fraggle": "a07c35182177d69cec1a2c2e0c18f435b4bfe164.txt",  # a Fraggle Rock film, no date
    "ryland": "d3366a6d632b47336184f758231c083b078fe2cc.txt",  # another film, dated
    "madison": "56f9d92c1e35d9278657c7f3f25a63deeeb0bb22.txt",  # the Tony Robinson shooting
    "brutus": "932a91b2f2632900f97e82c6cd4d720b9f975547.txt",
}


@pytest.fixture(scope="module")
def news_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newsdesk]:
    """Four CNN stories loaded together, two of them about films."""
    desk = Newsdesk(Settings(library=tmp_path_factory.mktemp("news") / "library"))
    for _ in desk.add([str(NEWS / name) for name in STORIES.values()]):
        pass
    yield desk
    desk.close()


def test_a_date_from_a_story_about_something_else_is_no_answer(news_desk: Newsdesk) -> None:
    """The Fraggle Rock story gives no release date; the other film's date is not it
    (its article never names Fraggle Rock), and the best sentence, which gives no
    time at all, is no answer to "When …?" either."""
    answer = news_desk.ask("When will the Fraggle Rock film be released in cinemas?")
    assert answer.declined, answer.text


def test_who_did_it_is_the_doer_not_the_official_who_said_so(news_desk: Newsdesk) -> None:
    answer = news_desk.ask("Who fatally shot Tony Robinson?")
    assert not answer.declined
    assert "Koval" not in answer.text  # the police chief who said so
    assert "police officer" in answer.text or "Matt Kenny" in answer.text
    span = answer.citations[0].answer_in_quote
    assert span is not None and answer.citations[0].quote[span[0] : span[1]] == answer.text


def test_the_answer_further_down_a_story_is_read_when_the_best_sentence_only_restates(
    tmp_path: Path,
) -> None:
    """The best sentence of the helicopter story restates the question; the town is
    two paragraphs down. The model's "Argentina" answers nothing, so it reads the
    next sentences (the second look) and the town is cited where it stands."""
    desk = Newsdesk(Settings(library=tmp_path / "library"))
    try:
        for _ in desk.add([str(NEWS / "b0506fd7ffbf498b2ce8d4f0b100091e1fb92713.txt")]):
            pass
        answer = desk.ask(
            'Near which town in Argentina did the two helicopters filming "Dropped" collide?'
        )
    finally:
        desk.close()
    assert not answer.declined
    assert answer.text == "Villa Castelli"
    citation = answer.citations[0]
    assert citation.answer_in_quote is not None
    assert "near the town of Villa Castelli" in citation.quote


def answers_over(tmp_path: Path, stories: Sequence[Path], *questions: str) -> list[Answer]:
    """The answers of a library holding only ``stories`` (files), by the real models."""
    desk = Newsdesk(Settings(library=tmp_path / "library"))
    try:
        for _ in desk.add([str(story) for story in stories]):
            pass
        return [desk.ask(question) for question in questions]
    finally:
        desk.close()


def news(*prefixes: str) -> list[Path]:
    """The news stories whose file names start with ``prefixes``."""
    return [next(NEWS.glob(f"{prefix}*.txt")) for prefix in prefixes]


def test_a_count_from_another_crash_is_no_answer(tmp_path: Path) -> None:
    """The Germanwings story does not say how many were on board; the Argentine
    helicopter crash's "Eight French passengers" (its article never names
    Germanwings) is not the answer, even where it is the best sentence."""
    (answer,) = answers_over(
        tmp_path, news("2f82", "b0506", "aafc"),
        "How many people were on board the Germanwings plane that crashed?",
    )  # fmt: skip
    assert answer.declined, answer.text


def test_a_story_named_by_its_date_answers(tmp_path: Path) -> None:
    """A trial's "What was damaged in the storm of 2 November 2014?", declined: the
    story's date line is its publication date, never in its sentences, and the
    Jacksonville article's storms (its text names November) took the question."""
    answer, other_day = answers_over(
        tmp_path, [*news("xsum-sample-07"), SQUAD / "jacksonville_florida.txt"],
        "What was damaged in the storm of 2 November 2014?",
        "What was damaged in the storm of 9 November 2014?",
    )  # fmt: skip
    assert not answer.declined
    assert "Homes and businesses" in answer.text
    assert answer.citations[0].quote.startswith("Homes and businesses were damaged")
    assert other_day.declined, other_day.text


def test_an_acronym_the_story_spells_out_is_no_missing_name(tmp_path: Path) -> None:
    """A trial's "What was painted on a Jewish fraternity house at UC Davis?", declined:
    the verifier took "UC" for a name the story lacks, where it says "University of
    California campus in Davis"."""
    (answer,) = answers_over(
        tmp_path, news("cc4f8f7e", "d386f20e"),
        "What was painted on a Jewish fraternity house at UC Davis?",
    )  # fmt: skip
    assert not answer.declined
    assert "swastika" in answer.text


@pytest.mark.parametrize(
    ("article", "question", "expected", "not_this"),
    [
        (
            "prime_number.txt",
            "Who demonstrated how to create a perfect number from a Mersenne prime?",
            "Euclid",
            "Marin Mersenne",
        ),
        (
            "jacksonville_florida.txt",
            "What historical figure was Jacksonville named after?",
            "Andrew Jackson",
            "Jacksonvillians",
        ),
    ],
)
def test_an_answer_from_a_sentence_far_weaker_than_the_best_is_read_again(
    tmp_path: Path, article: str, question: str, expected: str, not_this: str
) -> None:
    """The model took its phrase from a sentence the answer-sentence cross-encoder
    rates as not stating the answer ("The French monk Marin Mersenne looked at
    primes …"), beside the best one ("Euclid also showed how to construct a perfect
    number from a Mersenne prime."); asked again of the sentences rated as stating
    it, the answer and its citation are the best sentence's (SQuAD benchmark)."""
    desk = Newsdesk(Settings(library=tmp_path / "library"))
    try:
        for _ in desk.add([str(EVAL / "squad" / "articles" / article)]):
            pass
        answer = desk.ask(question)
    finally:
        desk.close()
    assert not answer.declined
    assert expected in answer.text and not_this not in answer.text
    citation = answer.citations[0]
    assert citation.answer_in_quote is not None and expected in citation.quote


def test_a_name_is_not_traded_for_a_thing_when_the_stronger_sentence_is_read_again(
    tmp_path: Path,
) -> None:
    """SQuAD's "Whose principles …?": the model named William Smith from the second
    sentence; read again, the stronger first sentence gave "fossils", which named no
    one and became the answer."""
    desk = Newsdesk(Settings(library=tmp_path / "library"))
    try:
        for _ in desk.add([str(SQUAD / "geology.txt")]):
            pass
        answer = desk.ask("Whose principles were the principle of faunal succession built upon?")
    finally:
        desk.close()
    assert not answer.declined and "William Smith" in answer.text


def test_an_age_the_story_gives_far_from_the_best_sentence_is_the_answer(tmp_path: Path) -> None:
    """ "How old is Chuck Schumer?" was declined: the story gives his age only as "At 64,
    he maintains a habit …", a sentence the verifier never judged. Harry Reid, whom the
    same story never gives an age, is still declined."""
    schumer, reid, daughter = answers_over(
        tmp_path, news("982f05b0", "2f9a8fb6"),
        "How old is Chuck Schumer?",
        "How old is Harry Reid, who won't seek re-election?",
        "How old is Nemtsov's daughter Zhanna Nemtsova?",
    )  # fmt: skip
    assert schumer.text == "64"
    assert schumer.backend  # the model loaded, though the story's words gave the age
    datetime.fromisoformat(schumer.created)  # a real time, for history and exports
    citation = schumer.citations[0]
    assert citation.answer_in_quote is not None
    assert "At 64, he maintains" in citation.quote
    assert reid.declined, reid.text
    assert daughter.text == "30"
    assert "Nemtsova, 30," in daughter.citations[0].quote


def test_the_program_finds_the_named_role_where_the_verifier_would_decline(
    tmp_path: Path,
) -> None:
    """ "Who is the police chief at LAX?" was declined: the best-matching sentence never
    says "LAX", so the verifier judged the story silent, though a sentence shown names
    "Patrick Gannon, police chief of Los Angeles International Airport". The airport's
    own security director is still not given as Miami's police chief."""
    chief, miami = answers_over(
        tmp_path, news("e1a21f7a", "982f05b0"),
        "Who is the police chief at LAX?",
        "Who is the police chief of Miami International Airport?",
    )  # fmt: skip
    assert chief.text == "Patrick Gannon"
    assert chief.citations[0].quote.startswith("Patrick Gannon, police chief of Los Angeles")
    assert miami.declined, miami.text
