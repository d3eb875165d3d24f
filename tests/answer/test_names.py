"""Whether an answer gives the name its question asks for, on fake models that answer
whatever the evidence's strength: not the thing unnamed ("one of its cameramen", "street
corners"), not an age, not a whole sentence that mentions the people asked about without
naming them; each near miss declined has a twin that must still be answered
(retrieval/answer/names.py)."""

from __future__ import annotations

from retrieval.engine import Newsdesk
from tests.answer.conftest import asked
from tests.support.fakes import ScriptedGenerator


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


def test_a_thing_known_by_name_is_not_answered_by_the_kind_alone(lenient_desk: Newsdesk) -> None:
    """The issue's near miss: a story that gives a street corner but not the street."""
    story = "Police said the shooting happened at a quiet street corner late on Friday."
    question = "What street did the shooting happen on?"
    assert asked(lenient_desk, story, "a quiet street corner", question).declined
    named = "Witnesses said the shooting happened on Williamson Street late on Friday."
    answer = asked(lenient_desk, named, "Williamson Street", question)
    assert answer.text == "Williamson Street"


def test_the_name_of_a_person_is_not_answered_by_an_age(lenient_desk: Newsdesk) -> None:
    """A trial's near miss: the stabbing story gives the suspect's age, never his name."""
    story = "Police arrested a 40-year-old man at his home near the scene on Monday."
    question = "What is the name of the man arrested in the stabbings?"
    assert asked(lenient_desk, story, "40-year-old", question).declined
    named = "Officers detained Tatsuhiko Hirano, 40, after the Osaka shooting on Friday."
    shooting = "What is the name of the man detained after the Osaka shooting?"
    assert "Tatsuhiko Hirano" in asked(lenient_desk, named, "Tatsuhiko Hirano", shooting).text


def test_a_name_is_not_given_by_a_clause_on_the_people_asked_about(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's near miss: "Jewish students opposed to a Student Council resolution"
    names the council, not a student (the whole sentence was the answer)."""
    story = (
        "At another campus, Jewish students opposed to a Student Council resolution were "
        "heckled by protesters."
    )
    question = "What was the name of the Jewish student questioned by the council?"
    assert asked(lenient_desk, story, "Rachel Beyda was questioned", question).declined


def test_a_theatre_asked_for_is_not_answered_by_a_sentence_naming_none(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's "At which theater is the play playing?" answered by the whole opening
    sentence, which names no theatre; the sentence naming the Cort Theatre answers."""
    story = 'This weekend marked the official opening of "Fish in the Dark" on Broadway.'
    question = 'At which theater is the play "Fish in the Dark" playing?'
    assert asked(lenient_desk, story, "The Broadway theater", question).declined
    named = '"Fish in the Dark" opened this weekend at the vintage Cort Theatre on Broadway.'
    answer = asked(lenient_desk, named, "Cort Theatre", question)
    assert not answer.declined and "Cort Theatre" in answer.text


def test_the_names_asked_for_are_not_answered_by_the_people_unnamed(
    lenient_desk: Newsdesk,
) -> None:
    story = "The U.S. Navy rescued two Saudi Arabia air force pilots from the Gulf of Aden."
    question = "What are the names of the two Saudi pilots rescued by the U.S. Navy?"
    assert asked(lenient_desk, story, "two Saudi Arabia air force pilots", question).declined
    router = "Sky Q comes with a new broadband router, the Sky Q Hub, at no extra cost."
    answer = asked(
        lenient_desk, router, "Sky Q Hub", "What is the name of Sky Q's broadband router?"
    )
    assert answer.text == "Sky Q Hub"  # a name that lengthens the question's own words
    river = "The Trout River is completely contained inside Jacksonville's city limits."
    question = "What is the name of the river that is completely contained inside Jacksonville?"
    assert asked(lenient_desk, river, "Trout River", question).text == "Trout River"


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
    assert asked(lenient_desk, crash, "Juan Perez", question).declined
    named = "The two pilots, Juan Castillo and Roberto Abate, died near Villa Castelli."
    answer = asked(lenient_desk, named, "Juan Perez", "What are the names of the two pilots?")
    assert not answer.declined and "Juan Castillo" in answer.text


def test_a_whole_sentence_counting_the_people_asked_for_does_not_name_them(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's near miss: "two were quickly caught" says how many, not who; the words
    saying which men ("two", "caught") are not the thing to be named."""
    story = "Of the three involved in the Monday morning attack, two were quickly caught."
    question = "What are the names of the two men caught after the attack?"
    assert asked(lenient_desk, story, "Zikrullah", question).declined
    named = "Two men, Zikrullah and Ariful Islam, were quickly caught after the attack."
    answer = asked(lenient_desk, named, "Omar Ali", question)
    assert not answer.declined and "Zikrullah" in answer.text


def test_a_whole_sentence_never_mentioning_the_one_whose_name_is_asked_is_declined(
    lenient_desk: Newsdesk,
) -> None:
    story = (
        "The confusion only got worse after Malaysia Airlines mistakenly told controllers "
        "they could see the flight over Cambodia."
    )
    question = "What was the name of the airline employee who said the plane was over Cambodia?"
    assert asked(lenient_desk, story, "Ahmad Yusof", question).declined
    twin = (
        "The district grew near the original Fresno Normal School, later renamed California "
        "State University at Fresno."
    )
    original = "What was the original name of California State University at Fresno?"
    answer = asked(lenient_desk, twin, "Fresno State Normal", original)  # a name, not a thing
    assert not answer.declined and "Fresno Normal School" in answer.text


def test_a_name_asked_for_is_not_given_by_the_names_the_question_has(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's near miss answered by the whole sentence: "a Delta baggage handler"
    names the airline, not the handler."""
    question = (
        "What was the name of the Delta baggage handler arrested for gun smuggling at "
        "Atlanta's airport?"
    )
    unnamed = (
        "The crackdown on employee screening comes after the arrest of a Delta baggage handler "
        "and passenger accused of gun smuggling at Atlanta's Hartsfield-Jackson International "
        "Airport."
    )
    assert asked(lenient_desk, unnamed, "Delta baggage handler", question).declined
    named = (
        "Police arrested Delta baggage handler Eugene Harvey, accused of gun smuggling at "
        "Atlanta's airport, on Friday."
    )
    assert asked(lenient_desk, named, "Eugene Harvey", question).text == "Eugene Harvey"


def test_which_university_is_not_answered_by_a_sentence_naming_none(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's near miss answered by the whole sentence: "a university professor"
    names no university."""
    question = "Which university did the professor arrested over the cartoon teach at?"
    unnamed = (
        "In 2012, a university professor was arrested for circulating a cartoon that poked "
        "fun at the chief minister."
    )
    reply = "He taught at the University of Calcutta."  # found nowhere: the whole sentence
    assert asked(lenient_desk, unnamed, reply, question).declined
    named = "In 2012, a Jadavpur University professor was arrested for circulating a cartoon."
    answer = asked(lenient_desk, named, "Jadavpur University", question)
    assert answer.text == "Jadavpur University"


def test_a_date_the_question_names_may_be_the_articles_own(lenient_desk: Newsdesk) -> None:
    """A trial's "What was damaged in the storm of 2 November 2014?": the story's date
    line became its publication date, so its text never says "November"; another
    story that does must not take the question from it; another day is still no answer."""
    for _ in lenient_desk.add_text(
        "Homes and businesses were damaged in the storm, but weather experts were not "
        "able to confirm it was a tornado.",
        "Storm damage",
        published="2014-11-02",
    ):
        pass
    other = "Sky said its profits rose in November."
    answer = asked(lenient_desk, other, "Homes and businesses", "What was damaged in the storm "
                   "of 2 November 2014?")  # fmt: skip
    assert answer.text == "Homes and businesses"
    assert answer.citations[0].quote.startswith("Homes and businesses were damaged")
    other_day = lenient_desk.ask("What was damaged in the storm of 9 November 2014?")
    assert other_day.declined, other_day.text  # not the story's date, not said


def test_a_name_asked_for_is_not_given_by_a_place_or_a_people(lenient_desk: Newsdesk) -> None:
    """A trial's near misses: the stories never name the facility or the politicians, and
    the model said "U.S. soil" and "Libyans"; their twins name them."""
    base = (
        "The cousins planned an attack on a U.S. military facility in northern Illinois, "
        "as an attack on U.S. soil, prosecutors said."
    )
    facility = "What is the name of the northern Illinois military facility the cousins targeted?"
    assert asked(lenient_desk, base, "U.S. soil", facility).declined
    politicians = "What were the names of the two secular politicians murdered in Tunisia in 2013?"
    gunmen = (
        "Radical jihadists trained by Libyans murdered two secular politicians in Tunisia in 2013."
    )
    assert asked(lenient_desk, gunmen, "Libyans", politicians).declined
    named = "The cousins targeted Joliet Training Center, a military facility in northern Illinois."
    assert asked(lenient_desk, named, "Joliet Training Center", facility).text == (
        "Joliet Training Center"
    )
    half = "What was the name of the eastern half of the colony of 1788?"  # a place: SQuAD dev
    divided = (
        "After the founding of the colony of New South Wales in 1788, Australia was divided "
        "into an eastern half named New South Wales and a western half named New Holland."
    )
    assert asked(lenient_desk, divided, "New South Wales", half).text == "New South Wales"
    city = "What is the name of the city the cousins flew from?"
    flew = "The cousins flew from Chicago to Cairo on Wednesday, the complaint says."
    assert asked(lenient_desk, flew, "Chicago", city).text == "Chicago"


def test_who_was_x_s_son_is_not_answered_by_what_x_is(lenient_desk: Newsdesk) -> None:
    """SQuAD 2.0's "Who was Bohemond's son?" (unanswerable) was answered "Robert's son":
    the sentence says whose son Bohemond is. The twin naming the son is answered."""
    story = "In 1107, the Normans under the command of Bohemond, Robert's son, landed in Valona."
    assert asked(lenient_desk, story, "Robert's son", "Who was Bohemond's son?").declined
    named = "Emperor Gegeen Khan, Ayurbarwada's son and successor, ruled for only two years."
    answer = asked(lenient_desk, named, "Gegeen Khan", "Who was Ayurbarwada's son?")
    assert answer.text == "Emperor Gegeen Khan"
