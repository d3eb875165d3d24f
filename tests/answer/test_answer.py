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


CRASH = (
    "The two helicopters collided near a town in Argentina on Monday.\n\n"
    "Rescuers reached the wreck of the two helicopters in the town of Villa Castelli."
)


class _ReadsForTheTown(ScriptedGenerator):
    """Names the town when a shown sentence names it; else repeats the question's place."""

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        self.prompts.append(messages)
        return "Villa Castelli" if "Villa Castelli" in messages[-1]["content"] else "Argentina"


def _crash_desk(desk: Newsdesk, text: str) -> _ReadsForTheTown:
    for _ in desk.add_text(text, "Helicopters collide"):
        pass
    generator = _ReadsForTheTown()
    desk._generator = generator
    return generator


def test_a_reply_repeating_the_question_gets_a_second_look_further_down(
    fake_desk: Newsdesk,
) -> None:
    """The best sentence restates the question; the town is in the next paragraph. The
    model's "Argentina" answers nothing, so it is asked again with the next sentences,
    and the town is cited where it stands."""
    generator = _crash_desk(fake_desk, CRASH)
    answer = fake_desk.ask("Near which town in Argentina did the two helicopters collide?")
    assert answer.text == "Villa Castelli"
    citation = answer.citations[0]
    assert citation.quote.startswith("Rescuers reached the wreck")
    assert citation.answer_in_quote is not None
    assert len(generator.prompts) == 2
    assert "Villa Castelli" not in generator.prompts[0][-1]["content"]


ALPS = (
    "With its snow-capped mountains, the Bleone Valley, where a Germanwings jet crashed "
    "Tuesday, is a beautiful but remote place.\n\n"
    "The jet came down on the Trois Eveches mountain, the tourist office said."
)


class _ReadsForThePeak(ScriptedGenerator):
    """Names the valley of the best sentence; the mountain once it is shown."""

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        self.prompts.append(messages)
        return "Trois Eveches" if "Trois Eveches" in messages[-1]["content"] else "Bleone Valley"


def test_a_thing_of_the_kind_asked_named_further_down_gets_a_second_look(
    fake_desk: Newsdesk,
) -> None:
    """ "Which mountain …?": the best sentence names a valley (and mountains, none in
    particular); the next paragraph names the mountain, and the answer is read there."""
    for _ in fake_desk.add_text(ALPS, "Jet crashes in the Alps"):
        pass
    generator = _ReadsForThePeak()
    fake_desk._generator = generator
    answer = fake_desk.ask("Which mountain did the Germanwings jet crash in the valley on?")
    assert answer.text == "Trois Eveches mountain"
    assert answer.citations[0].quote.startswith("The jet came down")
    assert len(generator.prompts) == 2


def test_no_second_look_when_no_thing_of_the_kind_is_further_down(fake_desk: Newsdesk) -> None:
    """The same story without the mountain's paragraph: the model is asked once."""
    text = ALPS.split("\n\n")[0] + "\n\nThe tourist office said the place was remote."
    for _ in fake_desk.add_text(text, "Jet crashes in the Alps"):
        pass
    generator = _ReadsForThePeak()
    fake_desk._generator = generator
    answer = fake_desk.ask("Which mountain did the Germanwings jet crash in the valley on?")
    assert len(generator.prompts) == 1
    assert "Trois Eveches" not in answer.text


BARDO = (
    "In an audio statement, ISIS identified the two men who used weapons to kill people "
    "in the Bardo Museum attack in Tunis.\n\n"
    "The minister said 23 people were killed in Tunis."
)


class _CountsTheDead(ScriptedGenerator):
    """Invents a count until the sentence giving one is shown."""

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        self.prompts.append(messages)
        return "23 people" if "23 people" in messages[-1]["content"] else "300 people"


def test_a_whole_sentence_for_a_count_gets_a_second_look_at_the_count_further_down(
    fake_desk: Newsdesk,
) -> None:
    """The model's count is in no shown sentence, so the first reading is the whole best
    sentence (which counts the gunmen); the count of the dead, further down, is read
    instead."""
    for _ in fake_desk.add_text(BARDO, "Museum attack"):
        pass
    generator = _CountsTheDead()
    fake_desk._generator = generator
    answer = fake_desk.ask("How many people were killed in the Bardo Museum attack in Tunis?")
    assert answer.text == "23 people"
    assert answer.citations[0].quote.startswith("The minister said")
    assert len(generator.prompts) == 2


def test_no_second_look_for_a_count_when_none_is_further_down(fake_desk: Newsdesk) -> None:
    text = BARDO.split("\n\n")[0] + "\n\nThe minister said the museum was closed in Tunis."
    for _ in fake_desk.add_text(text, "Museum attack"):
        pass
    generator = _CountsTheDead()
    fake_desk._generator = generator
    answer = fake_desk.ask("How many people were killed in the Bardo Museum attack in Tunis?")
    assert len(generator.prompts) == 1
    assert "23" not in answer.text and "300" not in answer.text


class _ReadsForTheStreet(ScriptedGenerator):
    """Names the street once it is shown; before, the best sentence's corners."""

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        self.prompts.append(messages)
        content = messages[-1]["content"]
        return "Williamson Street" if "Williamson" in content else "two street corners"


class _NamesTheGroup(ScriptedGenerator):
    """Names the group of the best sentence; another once that one is shown."""

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        self.prompts.append(messages)
        content = messages[-1]["content"]
        return "Egyptian Islamic Jihad" if "Egyptian" in content else "HAMAS"


def test_a_name_of_no_other_kind_gets_no_second_look(fake_desk: Newsdesk) -> None:
    """SQuAD's "What organization is devoted to Jihad against Israel?": "HAMAS" does not
    say "organization", yet names one; a sentence naming an organization further down
    is not read in its place."""
    story = (
        "HAMAS is devoted to jihad against Israel, the report said.\n\n"
        "The Egyptian Islamic Jihad organization had other aims."
    )
    for _ in fake_desk.add_text(story, "Jihad groups"):
        pass
    generator = _NamesTheGroup()
    fake_desk._generator = generator
    assert fake_desk.ask("What organization is devoted to jihad against Israel?").text == "HAMAS"
    assert len(generator.prompts) == 1


def test_a_declined_kind_gets_no_second_look(fake_desk: Newsdesk) -> None:
    """Our near miss: the story gives the street where the shooting happened, not the
    residence's. The first answer names no street and is declined; a street further
    down is not read in its place."""
    story = (
        "Kenny was responding to a disturbance at a Madison residence near two street "
        "corners.\n\nProtesters adopted a hashtag for Williamson Street, where the shooting "
        "happened."
    )
    for _ in fake_desk.add_text(story, "Madison shooting"):
        pass
    generator = _ReadsForTheStreet()
    fake_desk._generator = generator
    assert fake_desk.ask("What street was the Madison residence on?").declined
    assert len(generator.prompts) == 1


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


def test_a_second_look_that_finds_nothing_invents_nothing(fake_desk: Newsdesk) -> None:
    """Without the town's sentence the second look has nothing to read: no town is
    invented and "Argentina" is not offered as the answer."""
    _crash_desk(
        fake_desk, CRASH.split("\n\n")[0] + "\n\nThe show's crew was unhurt, a producer said."
    )
    answer = fake_desk.ask("Near which town in Argentina did the two helicopters collide?")
    assert answer.declined or "Villa Castelli" not in answer.text
    assert answer.text != "Argentina"
