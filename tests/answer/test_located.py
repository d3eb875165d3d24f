"""Checks of a located answer against the sentence it cites, on fake models that answer
whatever the evidence's strength: each asks for a decline or a repair on a near miss
and its twin that must still be answered (retrieval/answer/located.py, framing.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.answer.framing import says_nothing_asked
from retrieval.engine import Newsdesk
from retrieval.settings import RetrievalSettings, Settings
from retrieval.types import Answer, Citation, Statement
from tests.answer.test_answer import ask_with_reply
from tests.support.fakes import HashingEmbedder, ScriptedGenerator

REMOVALS = (
    "The site took down nearly 5,000 posts reported by the government in the first half of 2014."
)


@pytest.fixture
def lenient_desk(tmp_path: Path) -> Iterator[Newsdesk]:
    """Fake models that answer whatever the evidence's strength: only the answer's own
    checks can decline."""
    retrieval = RetrievalSettings(decline_threshold=0.0, verifier=False)
    settings = Settings(library=tmp_path / "library", retrieval=retrieval)
    desk = Newsdesk(settings, embedder=HashingEmbedder(), generator=ScriptedGenerator())
    yield desk
    desk.close()


def test_a_sentence_about_another_year_does_not_answer_for_the_year_asked(
    lenient_desk: Newsdesk,
) -> None:
    for _ in lenient_desk.add_text(REMOVALS, "Posts removed"):
        pass
    lenient_desk._generator = ScriptedGenerator(reply="5,000 posts")
    assert lenient_desk.ask("How many posts did the site take down in 2013?").declined
    answer = lenient_desk.ask("How many posts did the site take down in 2014?")
    assert not answer.declined and "5,000 posts" in answer.text


def test_a_name_asked_for_is_not_answered_by_the_thing_unnamed(lenient_desk: Newsdesk) -> None:
    """A near miss: the story says a cameraman was attacked, never his name."""
    unnamed = "Protesters attacked one of its cameramen outside the station on Friday."
    for _ in lenient_desk.add_text(unnamed, "Station attacked"):
        pass
    lenient_desk._generator = ScriptedGenerator(reply="one of its cameramen")
    question = "What is the name of the cameraman the protesters attacked?"
    assert lenient_desk.ask(question).declined
    named = "Protesters attacked its cameraman, Ravi Kumar, outside the studio on Friday."
    for _ in lenient_desk.add_text(named, "Cameraman hurt"):
        pass
    lenient_desk._generator = ScriptedGenerator(reply="Ravi Kumar")
    assert lenient_desk.ask(question).text == "Ravi Kumar"


def _asked(desk: Newsdesk, story: str, reply: str, question: str) -> Answer:
    """``desk``'s answer to ``question`` with ``story`` added, when the model replies ``reply``."""
    for _ in desk.add_text(story, story.split()[0]):
        pass
    desk._generator = ScriptedGenerator(reply=reply)
    return desk.ask(question)


@pytest.mark.parametrize(
    ("story", "reply", "near_miss", "twin", "expected"),
    [
        pytest.param(
            "On 31 March 2012, Sky announced the total number of homes with Sky+HD was 4,222,000.",
            "31 March 2012",
            "When did Sky announce the total number of homes with Sky+HD was 3,222,000?",
            "When did Sky announce the total number of homes with Sky+HD was 4,222,000?",
            "31 March 2012",
            id="SQuAD 2.0: the sentence gives another number than the question's",
        ),
        pytest.param(
            "Islamism is an Islamic revival movement often characterized by moral conservatism.",
            "Islamism",
            "What is a non-Islamic revival movement?",
            "What is an Islamic revival movement?",
            "Islamism",
            id="a question negating the sentence by a prefix",
        ),
        pytest.param(
            "The Social Chapter is a chapter of the 1997 Treaty of Amsterdam on social policy.",
            "the 1997 Treaty of Amsterdam",
            "What treaty is the Social Chapter not a chapter of?",
            "What treaty is the Social Chapter a chapter of?",
            "Treaty of Amsterdam",
            id="a negated question against a plain sentence",
        ),
        pytest.param(
            "The inquiry began after a Ferguson police officer, Darren Wilson, shot and killed "
            "Michael Brown, an unarmed teenager.",
            "Darren Wilson",
            "Who shot the two police officers wounded during the protest?",
            "Who shot Michael Brown?",
            "Darren Wilson",
            id="the doer of the action to someone else",
        ),
        pytest.param(
            "On June 21, the war party attacked the trading centre, killing 14 people.",
            "14 people",
            "How many people were killed in Sunday's attack?",
            "How many people were killed in the June 21 attack?",
            "14 people",
            id="all articles loaded: an attack of June 21 in an article never naming Sunday",
        ),
        pytest.param(
            "On Saturday, residents said at least 11 people were killed at polling stations.",
            "11 people",
            "How many people were killed in Sunday's attack?",
            "How many people were killed in Saturday's attacks?",
            "at least 11 people",
            id="all articles loaded: a sentence naming Saturday for Sunday's attack",
        ),
    ],
)
def test_a_near_miss_is_declined_and_its_twin_answered(
    lenient_desk: Newsdesk, story: str, reply: str, near_miss: str, twin: str, expected: str
) -> None:
    assert _asked(lenient_desk, story, reply, near_miss).declined
    answer = lenient_desk.ask(twin)
    assert not answer.declined and expected in answer.text


def test_a_number_in_a_name_need_not_be_repeated(lenient_desk: Newsdesk) -> None:
    story = "The crew of the mission brought back 21 kilograms of lunar rock to Earth."
    answer = _asked(lenient_desk, story, "21 kilograms", "What did Apollo 11 bring back to Earth?")
    assert not answer.declined and "21 kilograms" in answer.text


def test_how_old_is_not_answered_by_a_year(lenient_desk: Newsdesk) -> None:
    story = "Arthaud, who won the Route du Rhum race in 1990, died in the helicopter crash."
    assert _asked(lenient_desk, story, "1990", "How old was Arthaud when she died?").declined
    aged = "Arthaud, 57, died in the helicopter crash in Argentina on Monday."
    answer = _asked(lenient_desk, aged, "57", "How old was Arthaud when she died?")
    assert answer.text == "57"


def test_a_date_asked_for_is_not_answered_by_a_season(lenient_desk: Newsdesk) -> None:
    story = "The series will premiere in late summer on AMC, the network said."
    question = "On what date does the series premiere on AMC?"
    assert _asked(lenient_desk, story, "late summer", question).declined
    dated = "The drama will premiere on August 23 on AMC, the network said."
    question = "On what date does the drama premiere on AMC?"
    answer = _asked(lenient_desk, dated, "August 23", question)
    assert not answer.declined and "August 23" in answer.text


def test_a_thing_known_by_name_is_not_answered_by_the_kind_alone(lenient_desk: Newsdesk) -> None:
    """The issue's near miss: a story that gives a street corner but not the street."""
    story = "Police said the shooting happened at a quiet street corner late on Friday."
    question = "What street did the shooting happen on?"
    assert _asked(lenient_desk, story, "a quiet street corner", question).declined
    named = "Witnesses said the shooting happened on Williamson Street late on Friday."
    answer = _asked(lenient_desk, named, "Williamson Street", question)
    assert answer.text == "Williamson Street"


def test_a_question_asking_the_opposite_of_the_sentence_is_declined(
    lenient_desk: Newsdesk,
) -> None:
    """SQuAD 2.0's antonym-swapped questions, and a prefix the other way round."""
    story = "Larger drugs can provoke a neutralizing immune response in the patient."
    reply = "a neutralizing immune response"
    smaller = "What kind of immune response do smaller drugs provoke?"
    assert _asked(lenient_desk, story, reply, smaller).declined
    answer = lenient_desk.ask("What kind of immune response do larger drugs provoke?")
    assert "neutralizing immune response" in answer.text
    kpn = "Although this use of the name was incorrect, the services were managed by KPN."
    question = "Though the name was correct, who managed the services?"
    assert _asked(lenient_desk, kpn, "KPN", question).declined
    incorrect = "Though the name was incorrect, who managed the services?"
    assert lenient_desk.ask(incorrect).text == "KPN"


def test_the_names_asked_for_are_not_answered_by_the_people_unnamed(
    lenient_desk: Newsdesk,
) -> None:
    story = "The U.S. Navy rescued two Saudi Arabia air force pilots from the Gulf of Aden."
    question = "What are the names of the two Saudi pilots rescued by the U.S. Navy?"
    assert _asked(lenient_desk, story, "two Saudi Arabia air force pilots", question).declined
    router = "Sky Q comes with a new broadband router, the Sky Q Hub, at no extra cost."
    answer = _asked(
        lenient_desk, router, "Sky Q Hub", "What is the name of Sky Q's broadband router?"
    )
    assert answer.text == "Sky Q Hub"  # a name that lengthens the question's own words
    river = "The Trout River is completely contained inside Jacksonville's city limits."
    question = "What is the name of the river that is completely contained inside Jacksonville?"
    assert _asked(lenient_desk, river, "Trout River", question).text == "Trout River"


def test_where_is_not_answered_by_a_time(lenient_desk: Newsdesk) -> None:
    story = "Two police officers were shot Wednesday night during a protest in Ferguson."
    question = "Where was one of the two officers shot during the protest from?"
    assert _asked(lenient_desk, story, "Wednesday night", question).declined


def test_a_sentence_saying_it_is_not_known_does_not_answer(lenient_desk: Newsdesk) -> None:
    """The near miss a news story states outright: "haven't said"."""
    story = (
        "Federal authorities haven't said if Victor Solis would face charges for helping "
        "his son leave California."
    )
    question = "What charges does Victor Solis face for helping his son?"
    # The model's phrase is nowhere in the story: the fallback would be the sentence.
    assert _asked(lenient_desk, story, "obstruction of justice", question).declined


def test_a_question_sharing_no_word_with_the_cited_sentence_says_nothing_asked() -> None:
    """A follow-up asked with nothing before it: "them" stands for nothing. With the
    earlier question searched too, the rockets' sentence answers it."""
    commissioners = "Commissioners have sometimes been found to have abused their offices."
    rockets = "An outlawed group launched eight rockets targeting the Green Zone."

    def citing(quote: str) -> Statement:
        citation = Citation(1, 1, "Story", 0, quote, quote, 0, len(quote))
        return Statement(quote.split()[0], (citation,))

    assert says_nothing_asked("Who fired them?", citing(commissioners))
    follow_up = "How many rockets were fired at the Green Zone? Who fired them?"
    assert not says_nothing_asked(follow_up, citing(rockets))


def test_a_count_the_model_misread_is_found_in_the_sentence(lenient_desk: Newsdesk) -> None:
    """The model's "14 people" is in no loaded sentence: the sample's sentence gives the
    injured, "one Iraqi security person", not its eight rockets."""
    question = "How many people were injured when rockets targeted the Green Zone?"
    answer = ask_with_reply(lenient_desk, "14 people", question)
    assert answer.text == "one Iraqi security person"
    assert answer.statements[0].citations[0].answer_in_quote is not None


def test_a_count_of_some_of_the_people_asked_about_is_repaired_to_the_whole_count(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's "Three": the stars were some of the dead, the sentence counts them all."""
    story = (
        "Three French sports stars were among 10 people killed when two helicopters "
        "collided in Argentina on Monday evening, authorities said."
    )
    question = "How many people were killed when the two helicopters collided?"
    answer = _asked(lenient_desk, story, "Three", question)
    assert answer.text == "10 people"
    stars = "How many sports stars were killed when the two helicopters collided?"
    lenient_desk._generator = ScriptedGenerator(reply="Three")
    assert lenient_desk.ask(stars).text.startswith("Three")


def test_who_did_it_is_not_answered_by_the_one_it_was_done_to(lenient_desk: Newsdesk) -> None:
    """A trial's "Roy" for "Who killed him?": Roy was killed by the same act."""
    story = "Rahman was hacked to death in the same brazen act that killed Roy in February."
    assert _asked(lenient_desk, story, "Roy", "Who killed the blogger Rahman?").declined
    answer = _asked(
        lenient_desk, "Police said two students killed Roy.", "two students", "Who killed Roy?"
    )
    assert answer.text == "two students"


def test_a_whole_sentence_not_naming_the_people_asked_for_is_declined(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's near miss: the crash story names the town, never the two pilots. The
    model's reply is in no sentence, so the sentence itself would have been the answer."""
    crash = (
        "Eight French passengers and the choppers' two Argentinian pilots died in the "
        "midair crash near the town of Villa Castelli in La Rioja province."
    )
    question = "What are the names of the two Argentinian pilots?"
    assert _asked(lenient_desk, crash, "Juan Perez", question).declined
    named = "The two pilots, Juan Castillo and Roberto Abate, died near Villa Castelli."
    answer = _asked(lenient_desk, named, "Juan Perez", "What are the names of the two pilots?")
    assert not answer.declined and "Juan Castillo" in answer.text


def test_who_did_it_is_not_answered_by_what_the_thing_asked_about_acts_on(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's "Moff Mors" for "Who wrote Lords of the Sith?": the novel features the
    character; it names no author."""
    story = 'The novel "Lords of the Sith" will feature an Imperial official named Moff Mors.'
    assert _asked(lenient_desk, story, "Moff Mors", "Who wrote Lords of the Sith?").declined
    answer = lenient_desk.ask("Which official will Lords of the Sith feature?")
    assert answer.text == "Moff Mors"


def test_what_time_is_not_answered_by_a_day(lenient_desk: Newsdesk) -> None:
    """A trial's "Tuesday" for "What time did the Germanwings plane crash?"."""
    story = "The jet crashed on Tuesday in a remote valley of the Alps."
    assert _asked(lenient_desk, story, "Tuesday", "What time did the jet crash?").declined
    assert lenient_desk.ask("What day did the jet crash?").text == "Tuesday"
    timed = _asked(
        lenient_desk, "Witnesses said the plane crashed at about 11 a.m.", "about 11 a.m.",
        "What time did the plane crash?",
    )  # fmt: skip
    assert "11 a.m." in timed.text


def test_a_name_asked_for_is_not_answered_by_a_word_naming_nothing(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's "British" for the name of the official who sent the leaders' details."""
    story = (
        "An official at Australia's immigration department sent the details, "
        "British newspaper the Guardian reported."
    )
    question = "What was the name of the immigration official who sent the details?"
    assert _asked(lenient_desk, story, "British", question).declined
    answer = lenient_desk.ask("What nationality is the newspaper that reported it?")
    assert answer.text == "British"


def test_the_source_a_sentence_quotes_does_not_answer_for_those_it_names(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's "Shelly Shapiro" for the first gay Star Wars character: she is only the
    editor the news comes from. Asked who the editor is, she is the answer."""
    story = (
        "The novel will feature an official named Moff Mors, according to "
        "Shelly Shapiro, editor of the books at Del Rey."
    )
    question = "What's the name of the first gay character in the novel?"
    assert _asked(lenient_desk, story, "Shelly Shapiro", question).declined
    assert lenient_desk.ask("Who is the editor of the books at Del Rey?").text == "Shelly Shapiro"
    said = _asked(
        lenient_desk, "Police Chief Tom Jackson said the two officers were shot from a hill.",
        "Tom Jackson", "Who is the police chief?",
    )  # fmt: skip
    assert not said.declined and "Tom Jackson" in said.text


def test_why_answered_by_restating_the_question_gets_the_reason_the_sentence_gives(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's "Glendale officer pulled over Henson's son" for "Why did Glendale police
    pull over Henson's son?"."""
    story = (
        "The incident started when a Glendale officer pulled over Johnson in October "
        "for failing to yield to a pedestrian at a cross walk."
    )
    answer = _asked(
        lenient_desk, story, "Glendale officer pulled over Johnson",
        "Why did Glendale police pull over Johnson?",
    )  # fmt: skip
    assert answer.text == "for failing to yield to a pedestrian at a cross walk"
    citation = answer.citations[0]
    assert citation.answer_in_quote is not None
    start, end = citation.answer_in_quote
    assert citation.quote[start:end] == answer.text


def test_when_will_is_not_answered_by_the_date_of_something_past(lenient_desk: Newsdesk) -> None:
    """A trial's "December" for "When will the Palestinians make their next bid?": the
    story gives the month they fell short, not the next bid."""
    story = (
        "They may try again at the United Nations, where they fell one vote short of "
        "recognition in December."
    )
    question = "When will the Palestinians make their next bid at the United Nations?"
    assert _asked(lenient_desk, story, "December", question).declined
    twin = "When did the Palestinians fall one vote short at the United Nations?"
    assert lenient_desk.ask(twin).text == "December"
    planned = _asked(
        lenient_desk, "The council said the new bridge will open in March.", "March",
        "When will the new bridge open?",
    )  # fmt: skip
    assert planned.text == "March"


def test_what_time_gets_the_time_of_day_the_sentence_gives(lenient_desk: Newsdesk) -> None:
    """A trial's "March 8, 2014" for "At what time were the last words heard?"."""
    story = "On March 8, 2014, at 1:19 a.m., someone spoke the last words from the flight."
    answer = _asked(lenient_desk, story, "March 8, 2014", "At what time were the last words heard?")
    assert answer.text == "1:19 a.m."
    assert lenient_desk.ask("On what date were the last words heard?").text == "March 8, 2014"


def test_how_old_gets_the_age_given_beside_the_name(lenient_desk: Newsdesk) -> None:
    """A trial's whole sentence for "How old was Boris Nemtsov?": the model said "55
    years", which the sentence does not say word for word."""
    story = "Nemtsov, 55, was shot dead last Friday night as he walked near the Kremlin."
    answer = _asked(lenient_desk, story, "55 years", "How old was Boris Nemtsov when he was shot?")
    assert answer.text == "55"
    assert answer.citations[0].answer_in_quote is not None


def test_who_did_it_is_found_in_another_shown_sentence_when_the_named_one_did_not(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's declined "Who created the MatchGrid program?": the model named David
    Jacobs from a sentence saying he received a kidney; another paragraph says that
    Jacobs created the program, by a participle."""
    story = (
        "In 2014 Jacobs paid it forward with his programming skills, creating MatchGrid, a program "
        "that matches donor pairs.\n\nA computer programmer named David Jacobs received a "
        "kidney transplant."
    )
    answer = _asked(lenient_desk, story, "David Jacobs", "Who created the MatchGrid program?")
    assert answer.text == "Jacobs"
    assert "creating MatchGrid" in answer.citations[0].quote


def test_a_whole_sentence_never_mentioning_the_one_whose_name_is_asked_is_declined(
    lenient_desk: Newsdesk,
) -> None:
    story = (
        "The confusion only got worse after Malaysia Airlines mistakenly told controllers "
        "they could see the flight over Cambodia."
    )
    question = "What was the name of the airline employee who said the plane was over Cambodia?"
    assert _asked(lenient_desk, story, "Ahmad Yusof", question).declined
    twin = (
        "The district grew near the original Fresno Normal School, later renamed California "
        "State University at Fresno."
    )
    asked = "What was the original name of California State University at Fresno?"
    answer = _asked(lenient_desk, twin, "Fresno State Normal", asked)  # asks a name, not a thing
    assert not answer.declined and "Fresno Normal School" in answer.text


def test_how_long_is_not_answered_without_a_length(lenient_desk: Newsdesk) -> None:
    """A trial's "long time" for "How long did it take to match up this kidney chain?": the
    sentence gives a length ("two years") but not of what was asked."""
    story = "Matching people in a chain took a long time when the program began two years ago."
    question = "How long did it take to match the chain?"
    assert _asked(lenient_desk, story, "long time", question).declined


def test_how_long_is_answered_by_a_length(lenient_desk: Newsdesk) -> None:
    story = "We matched this chain in about three weeks, Jacobs said."
    answer = _asked(lenient_desk, story, "about three weeks", "How long did it take to match it?")
    assert answer.text == "about three weeks"


def test_an_answer_restating_the_question_is_declined(lenient_desk: Newsdesk) -> None:
    """A trial's 'Two prominent "secular" politicians in Tunisia in 2013' for "Which two
    secular politicians were assassinated in Tunisia in 2013?": no one is named."""
    story = (
        'The group was accused of murdering two prominent "secular" politicians in Tunisia in 2013.'
    )
    reply = 'two prominent "secular" politicians in Tunisia in 2013'
    question = "Which two secular politicians were assassinated in Tunisia in 2013?"
    assert _asked(lenient_desk, story, reply, question).declined
    engines = _asked(
        lenient_desk, "Engines using three or four expansion stages are known as triple and "
        "quadruple expansion engines.", "triple and quadruple expansion engines",
        "What are engines using four expansion stages known as?",
    )  # fmt: skip
    assert engines.text == "triple and quadruple expansion engines"


def test_a_sentence_leaving_the_thing_asked_unnamed_does_not_name_it(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's "Aurora" (the cousin's home) for the base in a plot against "an
    unspecified U.S. military facility in northern Illinois"."""
    story = (
        "His cousin was arrested at his home in Aurora over a plot to attack an unspecified "
        "U.S. military facility in northern Illinois."
    )
    question = "Which military base in Illinois were the cousins planning to attack?"
    assert _asked(lenient_desk, story, "Aurora", question).declined
    assert lenient_desk.ask("In which town was the cousin arrested at his home?").text == "Aurora"


def test_a_restatement_not_found_word_for_word_is_declined_too(lenient_desk: Newsdesk) -> None:
    """The trial's restatement was the model's phrase, supported but not in the sentence
    word for word ("in Tunisia" is not there)."""
    story = (
        'Jihadists have posed a challenge, murdering two prominent "secular" politicians in 2013.'
    )
    reply = 'Two prominent "secular" politicians in Tunisia in 2013'
    question = "Which two secular politicians were assassinated in Tunisia in 2013?"
    assert _asked(lenient_desk, story, reply, question).declined
