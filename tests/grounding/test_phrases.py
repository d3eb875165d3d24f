"""The phrase a short answer's words belong to (:mod:`retrieval.grounding.phrases`):
the words a model dropped are put back, and a "Which <noun> …?" question is answered
by a thing of that kind."""

from __future__ import annotations

import pytest

from retrieval.grounding.phrases import (
    asked_kind,
    complete_phrase,
    kind_span,
    names_something,
    names_the_kind,
)
from retrieval.grounding.prepositions import (
    both_sides,
    conjoined_with_the_given,
    every_one_listed,
    object_of_stranded_preposition,
)


@pytest.mark.parametrize(
    ("sentence", "words", "shown"),
    [
        pytest.param(
            "These are caused by the heating of the land, combined with extremely high humidity.",
            "humidity",
            "extremely high humidity",
            id="a head noun takes its modifiers",
        ),
        pytest.param(
            "AFL-CIO President Richard Trumka sent a clear message to members of Congress.",
            "Richard Trumka",
            "AFL-CIO President Richard Trumka",
            id="a name grown over a hyphenated word takes the whole word",
        ),
        pytest.param(
            "As of 2005, there were about 667,000 firms employing 1 million contractors.",
            "667,000",
            "about 667,000 firms",
            id="a count takes the noun it counts and the word bounding it",
        ),
        pytest.param(
            "They left in a huge convoy of over 200 vehicles, some fitted with machine guns.",
            "200 vehicles",
            "over 200 vehicles",
            id="a count keeps its bound: over",
        ),
        pytest.param(
            "At least 26 militants were killed, officials said.",
            "26 militants",
            "At least 26 militants",
            id="a count keeps its bound: at least",
        ),
        pytest.param(
            "Residents said at least 11 people were killed at polling stations.",
            "people",
            "at least 11 people",
            id="a bound is never cut: least 11 people",
        ),
        pytest.param(
            "If convicted, they face up to $250,000 in fines.",
            "$250,000",
            "up to $250,000",
            id="an amount keeps its bound: up to",
        ),
        pytest.param(
            "Prices rose to 40 dollars a barrel.",
            "40 dollars",
            "40 dollars",
            id="a preposition of the verb is no bound",
        ),
        pytest.param(
            "ITV increased its offer to £34m per year for the rights.",
            "£34m per year",
            "£34m per year",
            id="an amount after 'to' alone is not bounded",
        ),
        pytest.param(
            "An outlawed group launched eight rockets targeting the Green Zone.",
            "eight",
            "eight rockets",
            id="the sample's count",
        ),
        pytest.param(
            "The Pleistocene epoch is part of the Quaternary period.",
            "Quaternary",
            "Quaternary period",
            id="the first part of a name takes the rest",
        ),
        pytest.param(
            "Kublai's Chinese advisers still wielded significant power in the government.",
            "Kublai",
            "Kublai",
            id="a word modifying another noun is not grown into it",
        ),
        pytest.param(
            "Kublai moved the capital from Karakorum in Mongolia to Khanbaliq in 1264.",
            "Khanbaliq",
            "Khanbaliq",
            id="a whole name stays",
        ),
        pytest.param(
            "Kublai moved the capital from Karakorum in Mongolia to Khanbaliq in 1264.",
            "1264",
            "1264",
            id="a year stays",
        ),
        pytest.param(
            "Shirley learned of the attack when he planned to attack Fort Niagara.",
            "Niagara",
            "Fort Niagara",
            id="a name's last word takes the words before it",
        ),
        pytest.param(
            "Extension of the Florida East Coast Railway drew visitors to other areas.",
            "Railway",
            "Florida East Coast Railway",
            id="a name's last word takes all its words",
        ),
        pytest.param(
            "In 1805 the British engineer Arthur Woolf patented a compound engine.",
            "Arthur Woolf",
            "Arthur Woolf",
            id="a name is not grown into the title before it",
        ),
        pytest.param(
            "Their official rank was nebulous.",
            "rank",
            "official rank",
            id="no pronoun is added",
        ),
        pytest.param(
            "The coalition won the most seats in the election on 4 October.",
            "October",
            "4 October",
            id="a month takes its day before it",
        ),
        pytest.param(
            "The court will hear arguments in the state cases on April 28.",
            "April",
            "April 28",
            id="a month takes its day after it",
        ),
        pytest.param(
            "In March, the medical center will hold a reception.",
            "March",
            "March",
            id="a month alone stays",
        ),
    ],
)
def test_the_short_answer_is_completed_to_the_phrase_it_heads(
    sentence: str, words: str, shown: str
) -> None:
    start = sentence.index(words)
    first, last = complete_phrase(sentence, (start, start + len(words)))
    assert sentence[first:last] == shown


MEDALS = (
    "At the 2012 London Olympics, Muffat won the gold medal in the 400-meter freestyle, "
    "silver in the 200-meter freestyle and bronze in the relay."
)


def kind_at(question: str, sentence: str, answer: str) -> str | None:
    start = sentence.index(answer)
    found = kind_span(question, sentence, (start, start + len(answer)))
    return None if found is None else sentence[found[0] : found[1]]


def test_which_thing_is_answered_by_a_thing_of_that_kind() -> None:
    """ "What medal …?" is the gold medal the sentence names, not another race's silver;
    an answer already naming one, or a sentence naming none but the question's own,
    stays as it is."""
    medal = "What medal did Muffat win in the 400-meter freestyle?"
    assert kind_at(medal, MEDALS, "silver") == "gold medal"
    assert kind_at(medal, MEDALS, "gold") is None  # inside "the gold medal"
    court = "Which court were the fans summoned to?"
    summons = (
        "The men were summoned to Waltham Forest Magistrates' Court by the Metropolitan Police."
    )
    assert kind_at(court, summons, "Metropolitan Police") == "Waltham Forest Magistrates' Court"
    city = "Which city is the fifth-largest city in California?"
    assert kind_at(city, "Fresno is the fifth-largest city in California.", "Fresno") is None
    group = "Which organization is calling for Elizabeth Warren to run?"
    calling = "The progressive organization Democracy for America is calling for Warren to run."
    assert kind_at(group, calling, "Democracy for America") is None  # its name names one
    brocard = "What conjecture holds that there are four primes between the squares?"
    says = "H. Brocard's conjecture says there are four primes; other conjectures disagree."
    assert kind_at(brocard, says, "H. Brocard's conjecture") is None
    kind = "What kind of division of power did the government have?"
    assert kind_at(kind, "It had a tripartite division of power.", "tripartite") is None
    # A trial's "public school" for the model's right "James Madison High", which the
    # parse misreads but a comma sets beside the school.
    school = "Which high school did Schumer graduate from in Brooklyn?"
    graduated = (
        "Before attending Harvard, he graduated from a public school, James Madison High, "
        "whose alumni include Supreme Court Justice Ruth Bader Ginsburg."
    )
    assert kind_at(school, graduated, "James Madison High") is None


VALLEY = (
    "With its snow-capped mountains, the Bleone Valley, where a Germanwings jet crashed "
    "Tuesday, is a beautiful but remote place."
)
PEAK = "The crash occurred in a particularly steep spot on the Trois Eveches mountain, he said."


def test_one_thing_asked_is_not_answered_by_things_of_its_kind() -> None:
    """ "Which mountain …?" asks for one: "snow-capped mountains" names none, so the
    valley sentence has no mountain to put in the answer's place and the sentence
    further down, naming one, does. A plural question takes plurals."""
    mountain = "Which mountain did the Germanwings jet crash on?"
    assert kind_at(mountain, VALLEY, "Bleone Valley") is None
    assert not names_the_kind(mountain, VALLEY)
    assert names_the_kind(mountain, PEAK)
    assert kind_at(mountain, PEAK, "steep spot") == "Trois Eveches mountain"
    assert names_the_kind("Which mountains were closed to skiers?", VALLEY)
    assert not names_the_kind("Which court were the fans summoned to?", "They were due in court.")
    assert not names_the_kind("Who flew the plane?", PEAK)  # no kind asked


SOLIS = "Henry Solis, a police rookie, is accused of killing a man in Pomona."


@pytest.mark.parametrize(
    ("words", "names"),
    [("Pomona", True), ("a police rookie", True), ("accused", False), ("is accused of", False)],
)
def test_an_answer_names_something_only_with_a_noun_name_or_number(words: str, names: bool) -> None:
    start = SOLIS.index(words)
    assert names_something(SOLIS, (start, start + len(words))) is names


def test_what_the_asked_thing_is_called_is_answered_by_one_of_its_kind() -> None:
    """SQuAD's "Category 2" for "What is the scale used to measure the strength of
    hurricanes called?": the sentence names the scale."""
    sentence = "The storm was a strong Category 2 on the Saffir-Simpson Scale."
    called = "What is the scale used to measure the strength of hurricanes called?"
    assert kind_at(called, sentence, "Category 2") == "Saffir-Simpson Scale"
    assert kind_at(called, sentence, "Saffir-Simpson Scale") is None
    category = "What category was the storm?"
    assert kind_at(category, sentence, "Category 2") is None


def test_between_whom_is_answered_by_both_sides() -> None:
    """SQuAD's "the architect's client" for "There are direct contractual links between
    who?": links are between two."""
    sentence = (
        "There are direct contractual links between the architect's client and the main contractor."
    )
    question = "There are direct contractual links between who?"
    start = sentence.index("the architect's client")
    grown = both_sides(question, sentence, (start, start + len("the architect's client")))
    assert grown is not None
    assert sentence[grown[0] : grown[1]] == "the architect's client and the main contractor"
    whole = (start, len(sentence) - 1)
    assert both_sides(question, sentence, whole) is None  # already both
    assert both_sides("Who has direct contractual links?", sentence, whole) is None


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("Which countries did he visit in 2010?", "France", "France and Germany"),
        ("What tribes did he visit in 2010?", "Germany", "France and Germany"),
        ("Which country did he visit first?", "France", None),  # one asked for
        ("Which countries did he visit?", "France and Germany", None),  # all there
        ("Who did he visit in 2010?", "France", None),
    ],
)
def test_which_things_is_answered_by_every_one_listed(
    question: str, answer: str, expected: str | None
) -> None:
    sentence = "He visited France and Germany in 2010, with his sons."
    start = sentence.index(answer)
    grown = every_one_listed(question, sentence, (start, start + len(answer)))
    assert (grown and sentence[grown[0] : grown[1]]) == expected


def test_an_article_and_a_modifier_are_grown_to_their_noun() -> None:
    """A trial's "a marijuana" (of "a marijuana grinder") for "What weapon did officers
    find …?": an article and a modifier name nothing without their noun."""
    sentence = "Officers found marijuana, honey oil, a marijuana grinder and a knife, Castro said."
    start = sentence.index("a marijuana")
    grown = complete_phrase(sentence, (start, start + len("a marijuana")), kind="weapon")
    assert sentence[grown[0] : grown[1]] == "a marijuana grinder"
    knife = sentence.index("a knife")
    assert complete_phrase(sentence, (knife, knife + 7), kind="weapon") == (knife, knife + 7)


def test_a_name_asked_for_by_its_kind_is_not_grown_into_another_thing() -> None:
    """A trial's "San Francisco attraction" for "In which city is the Full House home?"."""
    sentence = "The home became a San Francisco attraction after the show."
    start = sentence.index("San Francisco")
    span = (start, start + len("San Francisco"))
    grown = complete_phrase(sentence, span, asked_kind("In which city is the Full House home?"))
    assert sentence[grown[0] : grown[1]] == "San Francisco"
    assert sentence[slice(*complete_phrase(sentence, span))] == "San Francisco attraction"


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Along with toys, where are oscillating cylinder steam engines typically used?",
            "These engines are mainly used in toys and models, because of their simplicity.",
            "models",
        ),
        (
            "Along with electric motors, what type of engines superseded piston steam engines?",
            "Piston steam engines remained dominant until the 20th century, when they were "
            "superseded by electric motors and internal combustion engines.",
            "internal combustion engines",
        ),
        (
            "Besides Confucianism, what religions were tolerated?",
            "Confucianism was tolerated, as were Buddhism and Islam.",
            None,
        ),
        (
            "Where are oscillating cylinder steam engines typically used?",
            "These engines are mainly used in toys and models, because of their simplicity.",
            None,
        ),
    ],
    ids=[
        "the other of two",
        "the other with its modifiers",
        "no list joined to it",
        "no one given",
    ],
)
def test_a_question_giving_one_of_a_list_is_answered_by_the_others(
    question: str, sentence: str, expected: str | None
) -> None:
    """ "Along with toys, where …?" asks for what the sentence lists with toys."""
    span = conjoined_with_the_given(question, sentence)
    assert (span and sentence[span[0] : span[1]]) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Where did Kublai move the Mongol capital to?",
            "Kublai readied the move of the Mongol capital from Karakorum in Mongolia to "
            "Khanbaliq, near the former Jurchen capital.",
            "Khanbaliq",
        ),
        (
            "What does the EU's legitimacy rest on?",
            "This suggests the EU's legitimacy rests on the ultimate authority of member "
            "states and the democratic will of the people.",
            "the ultimate authority of member states and the democratic will of the people",
        ),
        (
            "What does the EU's legitimacy rest on?",
            "The EU's legitimacy depends on the member states.",
            None,
        ),
        (
            "What street did the shooting happen on?",
            "Police said the shooting happened at a quiet street corner late on Friday.",
            None,
        ),
    ],
    ids=[
        "the object of the question's word",
        "the object with its own words",
        "another word",
        "a time where none is asked",
    ],
)
def test_a_question_ending_on_a_preposition_is_answered_by_its_object(
    question: str, sentence: str, expected: str | None
) -> None:
    span = object_of_stranded_preposition(question, sentence)
    assert (span and sentence[span[0] : span[1]]) == expected
