"""A sentence keeping to the question's framing, on fake models that answer whatever the
evidence's strength: the year, numbers, negation, prefix and opposite words, the day named,
a word shared with what was searched; each near miss declined has a twin that must still be
answered (retrieval/answer/framing.py). Who did it, how many and the reason are
tests/answer/test_located.py's."""

from __future__ import annotations

import pytest

from retrieval.answer.framing import says_nothing_asked
from retrieval.engine import Newsdesk
from retrieval.types import Citation, Statement
from tests.answer.conftest import asked
from tests.support.fakes import ScriptedGenerator

REMOVALS = (
    "The site took down nearly 5,000 posts reported by the government in the first half of 2014."
)


def test_a_sentence_about_another_year_does_not_answer_for_the_year_asked(
    lenient_desk: Newsdesk,
) -> None:
    for _ in lenient_desk.add_text(REMOVALS, "Posts removed"):
        pass
    lenient_desk._generator = ScriptedGenerator(reply="5,000 posts")
    assert lenient_desk.ask("How many posts did the site take down in 2013?").declined
    answer = lenient_desk.ask("How many posts did the site take down in 2014?")
    assert not answer.declined and "5,000 posts" in answer.text


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
            "Brocard's conjecture says that there are always at least four primes between "
            "the squares of consecutive primes greater than 2.",
            "Brocard's conjecture",
            "What conjecture holds that there are always a minimum of 5 primes between the "
            "squares of consecutive primes?",
            "What conjecture holds that there are always a minimum of 4 primes between the "
            "squares of consecutive primes?",
            "Brocard's conjecture",
            id="a number the sentence writes in words ('four' for 4)",
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
        pytest.param(
            'After three weeks off, "SNL" returns with "Furious 7" star Dwayne Johnson as host.',
            "three weeks",
            "How long was the show off, as of Sunday's episode?",
            "How long had Dwayne Johnson's Saturday Night Live been off?",
            "three weeks",
            id="a day in a show's name ('Saturday Night Live') names no day",
        ),
        pytest.param(
            "After the war, the Normans built 14 castles in the south of the country.",
            "14 castles",
            "How many castles did the Normans build before the war?",
            "How many castles did the Normans build before their king died?",
            "14 castles",
            id="'before' opposes 'after' only for the same thing ('the war')",
        ),
        pytest.param(
            "If a Directive's deadline for implementation is not met, a citizen may rely on "
            "the Directive in court.",
            "a citizen may rely on the Directive",
            "What happens if the Directive's deadline is met?",
            "What happens if the Directive's deadline is not met?",
            "a citizen may rely on the Directive",
            id="a plain question against a sentence negating its word ('not met')",
        ),
        pytest.param(
            "The Santer Commission eventually resigned over corruption allegations, though "
            "the court held that Cresson did not break any law.",
            "the Santer Commission",
            "What commission did not resign over corruption allegations?",
            "What commission resigned over corruption allegations?",
            "Santer Commission",
            id="a negated question against a sentence saying its word plainly, negating another",
        ),
        pytest.param(
            "There are direct contractual links between the architect's client and the "
            "main contractor.",
            "direct contractual links",
            "How are the client and subcontractor linked?",
            "How are the client and contractor linked?",
            "direct contractual links",
            id="a word made another thing by a prefix ('subcontractor' for 'contractor')",
        ),
        pytest.param(
            "What we now call gravity was not identified as a universal force until the work "
            "of Isaac Newton.",
            "Isaac Newton",
            "Who identified gravity as a force before Isaac Newton did?",
            "Who identified gravity as a force?",
            "Isaac Newton",
            id="'not … until' gives a time, negating nothing",
        ),
        pytest.param(
            "I found myself more drawn to Carl Jung than the book of Corinthians.",
            "Carl Jung",
            "Who wrote the book The Myth of Certainty?",
            "Who was the writer more drawn to than the book of Corinthians?",
            "Carl Jung",
            id="a sentence saying neither the act asked ('wrote') nor its object's name",
        ),
    ],
)
def test_a_near_miss_is_declined_and_its_twin_answered(
    lenient_desk: Newsdesk, story: str, reply: str, near_miss: str, twin: str, expected: str
) -> None:
    assert asked(lenient_desk, story, reply, near_miss).declined
    answer = lenient_desk.ask(twin)
    assert not answer.declined and expected in answer.text


def test_a_number_in_a_name_need_not_be_repeated(lenient_desk: Newsdesk) -> None:
    story = "The crew of the mission brought back 21 kilograms of lunar rock to Earth."
    answer = asked(lenient_desk, story, "21 kilograms", "What did Apollo 11 bring back to Earth?")
    assert not answer.declined and "21 kilograms" in answer.text


def test_a_question_asking_the_opposite_of_the_sentence_is_declined(
    lenient_desk: Newsdesk,
) -> None:
    """SQuAD 2.0's antonym-swapped questions, and a prefix the other way round."""
    story = "Larger drugs can provoke a neutralizing immune response in the patient."
    reply = "a neutralizing immune response"
    smaller = "What kind of immune response do smaller drugs provoke?"
    assert asked(lenient_desk, story, reply, smaller).declined
    answer = lenient_desk.ask("What kind of immune response do larger drugs provoke?")
    assert "neutralizing immune response" in answer.text
    kpn = "Although this use of the name was incorrect, the services were managed by KPN."
    question = "Though the name was correct, who managed the services?"
    assert asked(lenient_desk, kpn, "KPN", question).declined
    incorrect = "Though the name was incorrect, who managed the services?"
    assert lenient_desk.ask(incorrect).text == "KPN"


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


def test_a_sentence_leaning_on_the_one_before_it_says_what_was_asked() -> None:
    """ "he told the UK's outlet The Sun" shares no word with "Which newspaper did Zayn
    speak to after quitting One Direction?"; the sentence before it in its paragraph,
    which "he" stands for, does. A sentence with nothing asked before it still says
    nothing."""
    before = "Former One Direction member Zayn Malik spoke for the first time since leaving."
    quote = "\"I can't do this anymore,\" he told the UK's outlet The Sun."
    question = "Which newspaper did Zayn speak to after quitting One Direction?"

    def citing(paragraph: str) -> Statement:
        start = paragraph.index(quote)
        citation = Citation(1, 1, "Story", 0, paragraph, quote, start, start + len(quote))
        return Statement("The Sun", (citation,))

    assert not says_nothing_asked(question, citing(before + " " + quote))
    assert says_nothing_asked(question, citing("The fans were upset. " + quote))
    assert says_nothing_asked(question, citing(quote + " " + before))


def test_a_sentence_on_another_match_says_nothing_asked() -> None:
    """A run's "Aaron Lennon" for "Who scored Southampton's penalty equalizer against
    Chelsea?": the cited sentence tells of another match and shares no word with the
    question but the "s" of a possessive; it leans on no sentence before it by a
    pronoun, so the one naming Chelsea and Southampton does not count."""
    earlier = "Earlier, Chelsea was held 1-1 at home to Southampton."
    quote = (
        "In Sunday's other clash, Everton won 3-0 over Newcastle, who had Fabricio "
        "Coloccini sent off for a foul on Aaron Lennon."
    )
    paragraph = earlier + " " + quote
    start = paragraph.index(quote)
    citation = Citation(1, 1, "Story", 0, paragraph, quote, start, start + len(quote))
    question = "Who scored Southampton's penalty equalizer against Chelsea?"
    assert says_nothing_asked(question, Statement("Aaron Lennon", (citation,)))


def test_a_question_counting_the_thing_otherwise_is_declined(lenient_desk: Newsdesk) -> None:
    """SQuAD's near miss "… a sum of three primes?" answered "Goldbach's conjecture", which
    is about two."""
    story = (
        "One of them is Goldbach's conjecture, which asserts that every even integer n "
        "greater than 2 can be written as a sum of two primes."
    )
    three = "Which conjecture holds that every even integer is a sum of three primes?"
    assert asked(lenient_desk, story, "Goldbach's conjecture", three).declined
    two = "Which conjecture holds that every even integer is a sum of two primes?"
    assert lenient_desk.ask(two).text == "Goldbach's conjecture"


def test_a_question_naming_another_of_a_numbered_name_is_declined(
    lenient_desk: Newsdesk,
) -> None:
    """SQuAD's near miss "What title did Henry II take …?" answered from a sentence
    about Henry III."""
    story = "Bethencourt took the title of King of the Canary Islands, as vassal to Henry III."
    second = "What title did Bethencourt take as vassal to Henry II?"
    assert asked(lenient_desk, story, "King of the Canary Islands", second).declined
    third = "What title did Bethencourt take as vassal to Henry III?"
    assert lenient_desk.ask(third).text == "King of the Canary Islands"
