"""The answer pipeline's own logic, on fake models."""

from __future__ import annotations

from retrieval.engine import Newsdesk
from retrieval.search.hybrid import hybrid_search
from retrieval.types import Answer
from tests.conftest import SAMPLE
from tests.support.fakes import ScriptedGenerator

BRIDGE = "Bridge opens\n\nThe mayor opened the new river bridge on Monday after six years of work."


def load(desk: Newsdesk) -> None:
    for _ in desk.add([str(SAMPLE)]):
        pass
    for _ in desk.add_text(BRIDGE.split("\n\n", 1)[1], "Bridge opens"):
        pass


COUNT = "How many rockets were launched targeting the Green Zone?"


def ask_with_reply(desk: Newsdesk, reply: str, question: str = COUNT) -> Answer:
    """``desk``'s answer to ``question`` (the sample and the bridge story loaded) when the
    model replies ``reply``."""
    load(desk)
    desk._generator = ScriptedGenerator(reply=reply)
    return desk.ask(question)


def test_an_invented_phrasing_is_replaced_by_the_supporting_sentence(fake_desk: Newsdesk) -> None:
    answer = ask_with_reply(fake_desk, "Twelve rockets hit the White House.")
    assert not answer.declined
    [statement] = answer.statements
    assert statement.repaired
    # The count the supporting sentence gives, with what it counts, marked in its
    # quote; nothing invented.
    assert statement.text == "eight rockets"
    citation = statement.citations[0]
    assert "launched eight rockets" in citation.quote
    marked = citation.answer_in_quote
    assert marked is not None and citation.quote[marked[0] : marked[1]] == "eight rockets"


def test_a_faithful_short_phrasing_is_kept(fake_desk: Newsdesk) -> None:
    answer = ask_with_reply(fake_desk, "eight rockets")
    assert answer.text == "eight rockets"
    assert not answer.statements[0].repaired


def test_a_short_phrase_assembled_from_scattered_words_is_not_the_answer(
    fake_desk: Newsdesk,
) -> None:
    """Each word stands in the sentence, but not the phrase: the sentence's own count
    answers instead, marked in its quote."""
    answer = ask_with_reply(fake_desk, "Iraqi rockets")
    [statement] = answer.statements
    assert statement.repaired
    assert statement.text == "eight rockets"
    assert "eight rockets" in statement.citations[0].quote


def test_a_who_answer_naming_someone_else_in_the_sentence_is_repaired_to_the_doer(
    fake_desk: Newsdesk,
) -> None:
    """The statement came from the Iraqi military; an outlawed group launched the rockets."""
    answer = ask_with_reply(
        fake_desk, "Iraqi military", "Who launched eight rockets targeting the Green Zone?"
    )
    [statement] = answer.statements
    assert statement.repaired
    assert statement.text == "an “an outlawed group”"
    citation = statement.citations[0]
    assert citation.answer_in_quote is not None
    start, end = citation.answer_in_quote
    assert citation.quote[start:end] == statement.text


def test_a_sentence_naming_no_one_who_did_it_does_not_answer_who_did_it(
    fake_desk: Newsdesk,
) -> None:
    """ "… have been blamed …" says who is blamed, not who blames them."""
    answer = ask_with_reply(
        fake_desk, "Kataib Hezbollah", "Who blamed Iran-backed militia groups for the attacks?"
    )
    assert answer.declined


def test_search_and_answers_stay_inside_the_chosen_articles(fake_desk: Newsdesk) -> None:
    load(fake_desk)
    bridge = next(a for a in fake_desk.articles() if a.title == "Bridge opens")
    hits = hybrid_search(
        fake_desk.library.store,
        fake_desk.library.vectors(),
        fake_desk.library.embedder,
        "rockets Green Zone embassy",
        article_ids=[bridge.id],
    )
    assert hits and all(h.paragraph.article_id == bridge.id for h in hits)
    answer = fake_desk.ask("Who opened the new river bridge?", [bridge.id])
    assert all(c.article_id == bridge.id for c in answer.citations)


def test_an_unrelated_question_is_declined_with_the_nearest_paragraphs(
    fake_desk: Newsdesk,
) -> None:
    load(fake_desk)
    answer = fake_desk.ask("What is the boiling point of mercury in kelvin?")
    assert answer.declined
    assert answer.statements == ()
    assert answer.considered


def test_the_model_sees_the_evidence_as_quoted_data(fake_desk: Newsdesk) -> None:
    load(fake_desk)
    generator = ScriptedGenerator()
    fake_desk._generator = generator
    fake_desk.ask("How many rockets were launched targeting the Green Zone?")
    system, *_, user = generator.prompts[-1]
    assert "never follow" in system["content"]
    assert '"An Iraqi military statement' in user["content"]


def test_the_short_answer_comes_first_and_is_marked_in_its_quote(fake_desk: Newsdesk) -> None:
    load(fake_desk)
    fake_desk._generator = ScriptedGenerator(reply="Eight")
    answer = fake_desk.ask("How many rockets were launched targeting the Green Zone?")
    # The article's own words, not the model's capital, with the noun counted.
    assert answer.text == "eight rockets"
    citation = answer.citations[0]
    assert "launched eight rockets" in citation.quote
    start, end = citation.answer_in_quote or (0, 0)
    assert citation.quote[start:end] == "eight rockets"
    assert citation.paragraph_text[citation.answer_start : citation.answer_end] == "eight rockets"


def test_the_model_saying_not_stated_declines_with_the_nearest_paragraphs(
    fake_desk: Newsdesk,
) -> None:
    load(fake_desk)
    fake_desk._generator = ScriptedGenerator(reply="not stated")
    answer = fake_desk.ask("How many rockets were launched targeting the Green Zone?")
    assert answer.declined and answer.statements == ()
    assert answer.considered


def test_the_citation_is_the_sentence_the_answer_comes_from(fake_desk: Newsdesk) -> None:
    load(fake_desk)
    generator = ScriptedGenerator(reply="C-RAM")
    fake_desk._generator = generator
    answer = fake_desk.ask("What defence system did the embassy use against the rockets?")
    assert not answer.declined
    citation = answer.citations[0]
    assert "C-RAM" in citation.quote  # whichever evidence sentence was shown first
    assert citation.quote in generator.prompts[-1][-1]["content"]


def test_a_follow_up_leans_on_the_last_answered_question_even_after_a_decline(
    fake_desk: Newsdesk,
) -> None:
    load(fake_desk)
    fake_desk._generator = ScriptedGenerator(reply="eight rockets")
    first = fake_desk.ask("How many rockets were launched targeting the Green Zone?")
    assert not first.declined
    fake_desk._generator = ScriptedGenerator(reply="not stated")
    assert fake_desk.ask("Who won the 2018 World Cup?").declined
    query = fake_desk.conversation.search_query("Who fired them?")
    assert "rockets" in query and "World Cup" not in query


STRIKE = (
    "Rail strike called off\n\n"
    "The rail union called off Friday's strike because the company raised its pay offer "
    "to 6 percent.\n\n"
    "The rail union also called off the strike because the new contract guarantees no job "
    "cuts until 2027.\n\n"
    "Passengers had planned to work from home."
)


def test_a_why_question_gets_a_statement_per_reason_each_cited(fake_desk: Newsdesk) -> None:
    """A reason spread over two paragraphs: two statements, each citing its own sentence."""
    title, text = STRIKE.split("\n\n", 1)
    for _ in fake_desk.add_text(text, title):
        pass
    fake_desk._generator = ScriptedGenerator(reply="the company raised its pay offer to 6 percent")
    answer = fake_desk.ask("Why did the rail union call off the strike?")
    assert not answer.declined
    assert answer.statements[0].text == "the company raised its pay offer to 6 percent"
    assert 2 <= len(answer.statements) <= 3
    assert any("no job cuts until 2027" in s.text for s in answer.statements[1:])
    paragraphs = [s.citations[0].paragraph_id for s in answer.statements]
    assert len(set(paragraphs)) == len(paragraphs)  # each statement its own paragraph
    for statement in answer.statements:
        quote = statement.citations[0].quote
        assert statement.text in quote  # the statement's words stand in its quote


def test_a_how_many_question_stays_one_short_statement(fake_desk: Newsdesk) -> None:
    answer = ask_with_reply(fake_desk, "eight rockets")
    assert len(answer.statements) == 1


def test_a_whole_sentence_giving_no_amount_does_not_answer_how_much(fake_desk: Newsdesk) -> None:
    """A trial's near miss: the story says when the paid speech is, not what it pays.
    The model's figure is in no sentence; the sentence itself, with only a date's
    numbers, is no answer. Its twin gives the fee."""
    story = "On March 19, Clinton will headline her only confirmed paid speech of the month."
    for _ in fake_desk.add_text(story, "Clinton speech"):
        pass
    fake_desk._generator = ScriptedGenerator(reply="$250,000")
    assert fake_desk.ask("How much is Clinton being paid for the speech?").declined
    fee = "On March 19, Clinton will be paid $250,000 for the speech, her only one this month."
    for _ in fake_desk.add_text(fee, "Clinton fee"):
        pass
    answer = fake_desk.ask("How much is Clinton being paid for the speech?")
    assert not answer.declined and "$250,000" in answer.text


def test_a_why_question_gets_no_further_statement_giving_no_reason(fake_desk: Newsdesk) -> None:
    """A trial's answer to why the officer pulled Henson's son over added "The Glendale
    Police Department said Friday it appreciated Henson's apology …" and "But Henson
    retracted her accusations Friday …": neither gives a reason."""
    story = (
        "A Glendale officer pulled over Johnson in October for failing to yield to a "
        "pedestrian at a cross walk.\n\n"
        "The Glendale officer who pulled over Johnson was thanked by the department.\n\n"
        "The Glendale officer pulled over Johnson, and Henson retracted her story."
    )
    for _ in fake_desk.add_text(story, "Traffic stop"):
        pass
    fake_desk._generator = ScriptedGenerator(reply="for failing to yield to a pedestrian")
    answer = fake_desk.ask("Why did a Glendale officer pull over Johnson?")
    assert answer.text.startswith("for failing to yield to a pedestrian")
    unrelated = [s.text for s in answer.statements if "thanked" in s.text or "retracted" in s.text]
    assert unrelated == []


def test_a_why_question_keeps_a_further_statement_giving_a_purpose(fake_desk: Newsdesk) -> None:
    """The news set's "Why did monks attempting self-mummification drink poisonous tea?"
    lost its reason, a purpose ("… so the body would be too toxic to be eaten by
    maggots"), when further statements first had to say "because" or the like."""
    purpose = STRIKE.replace(
        "because the new contract guarantees", "so the new contract guarantees"
    )
    title, text = purpose.split("\n\n", 1)
    for _ in fake_desk.add_text(text, title):
        pass
    fake_desk._generator = ScriptedGenerator(reply="the company raised its pay offer to 6 percent")
    answer = fake_desk.ask("Why did the rail union call off the strike?")
    assert any("no job cuts until 2027" in s.text for s in answer.statements[1:])
