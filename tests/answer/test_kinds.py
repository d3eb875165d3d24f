"""Whether a located answer is of the kind its question asks for, on fake models that
answer whatever the evidence's strength: an amount, a score, a name (not a word naming
nothing, not only the source a sentence quotes, not a restatement of the question, not a
place for another kind of thing); each near miss declined has a twin that must still be
answered (retrieval/answer/kinds.py); a count is given with its part
(retrieval/answer/located.py). Times, dates and lengths are tests/answer/test_times.py's;
whether a name asked for is given, tests/answer/test_names.py's; the age asked for,
tests/answer/test_ages.py's."""

from __future__ import annotations

from retrieval.engine import Newsdesk
from tests.answer.conftest import asked


def test_how_many_of_a_whole_is_the_part_counted(lenient_desk: Newsdesk) -> None:
    """A trial's "How many access doors has LAX closed?" answered "approximately 300
    access doors", the whole the closed ones are counted out of."""
    story = "Gannon said about 18 out of approximately 300 access doors have been closed."
    answer = asked(
        lenient_desk, story, "approximately 300 access doors",
        "How many access doors has the airport closed?",
    )  # fmt: skip
    assert answer.text == "about 18 out of approximately 300 access doors"
    whole = "The airport has approximately 300 access doors, Gannon said."
    answer = asked(
        lenient_desk, whole, "approximately 300 access doors",
        "How many access doors does the airport have?",
    )  # fmt: skip
    assert answer.text == "approximately 300 access doors"


def test_an_answer_drops_a_closing_phrase_that_repeats_the_question(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's "Gene Block of UCLA" for "Who is the chancellor of UCLA?"."""
    story = 'Chancellor Gene Block of UCLA called the dust up a "teachable moment."'
    answer = asked(lenient_desk, story, "Gene Block of UCLA", "Who is the chancellor of UCLA?")
    assert answer.text == "Gene Block"
    kept = asked(lenient_desk, story, "Gene Block of UCLA", "Which chancellor spoke of a moment?")
    assert kept.text == "Gene Block of UCLA"  # the college is news to this question
    title = "Bethencourt took the title of King of the Canary Islands in 1404."
    whole = asked(
        lenient_desk, title, "King of the Canary Islands",
        "What title did Bethencourt take in the Canary Islands?",
    )  # fmt: skip
    assert whole.text == "King of the Canary Islands"  # a title, not a name and a place


def test_who_is_the_described_one_gets_the_name_the_sentence_gives(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's whole sentence for "Who is the only person arrested in the killing of
    Avijit Roy?": the model only repeated the question's name."""
    story = (
        "The only person arrested in the killing of Roy, the U.S. blogger, is Farabi "
        "Shafiur Rahman, who had called for his death in Facebook posts."
    )
    question = "Who is the only person arrested in the killing of Avijit Roy?"
    answer = asked(lenient_desk, story, "Avijit Roy", question)
    assert answer.text == "Farabi Shafiur Rahman"
    assert answer.citations[0].answer_in_quote is not None


def test_how_many_is_not_answered_by_a_year(lenient_desk: Newsdesk) -> None:
    """A trial's "How many times did Kim Jong Il visit Moscow?" answered "2011"."""
    story = "Kim visited Moscow several times, with his last visit in 2011."
    assert asked(lenient_desk, story, "2011", "How many times did Kim visit Moscow?").declined
    counted = "The army sent 2000 soldiers to the border in 2011, officials said."
    answer = asked(lenient_desk, counted, "2000", "How many soldiers did the army send?")
    assert answer.text.startswith("2000")
    # A trial's "2016" for "How many episodes will the first season have?".
    season = (
        '"Fear The Walking Dead" will premiere in the late summer with season two set for 2016.'
    )
    question = "How many episodes will the first season of Fear The Walking Dead have?"
    assert asked(lenient_desk, season, "2016", question).declined
    paid = "The council paid for 2000 meals for the families, officials said."
    answer = asked(lenient_desk, paid, "2000", "How many meals did the council pay for?")
    assert answer.text.startswith("2000")  # "for" a count of meals


def test_a_share_asked_for_is_not_answered_without_an_amount(lenient_desk: Newsdesk) -> None:
    """A trial's "What share of the vote did Netanyahu's party win?" answered "a fourth
    term"."""
    story = "Netanyahu is seeking a fourth term in the election on Tuesday."
    question = "What share of the vote did Netanyahu's party win?"
    assert asked(lenient_desk, story, "a fourth term", question).declined
    years = "Netanyahu, in office for six years, is seeking a fourth term on Tuesday."
    assert asked(lenient_desk, years, "six years", question).declined  # an amount, no share
    won = "Netanyahu's party won 23% of the vote on Tuesday."
    assert "23%" in asked(lenient_desk, won, "23%", question).text


def test_a_sentence_saying_it_is_not_known_does_not_answer(lenient_desk: Newsdesk) -> None:
    """The near miss a news story states outright: "haven't said"."""
    story = (
        "Federal authorities haven't said if Victor Solis would face charges for helping "
        "his son leave California."
    )
    question = "What charges does Victor Solis face for helping his son?"
    # The model's phrase is nowhere in the story: the fallback would be the sentence.
    assert asked(lenient_desk, story, "obstruction of justice", question).declined


def test_a_name_asked_for_is_not_answered_by_a_word_naming_nothing(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's "British" for the name of the official who sent the leaders' details."""
    story = (
        "An official at Australia's immigration department sent the details, "
        "British newspaper the Guardian reported."
    )
    question = "What was the name of the immigration official who sent the details?"
    assert asked(lenient_desk, story, "British", question).declined
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
    assert asked(lenient_desk, story, "Shelly Shapiro", question).declined
    assert lenient_desk.ask("Who is the editor of the books at Del Rey?").text == "Shelly Shapiro"
    said = asked(
        lenient_desk, "Police Chief Tom Jackson said the two officers were shot from a hill.",
        "Tom Jackson", "Who is the police chief?",
    )  # fmt: skip
    assert not said.declined and "Tom Jackson" in said.text


def test_an_answer_restating_the_question_is_declined(lenient_desk: Newsdesk) -> None:
    """A trial's 'Two prominent "secular" politicians in Tunisia in 2013' for "Which two
    secular politicians were assassinated in Tunisia in 2013?": no one is named."""
    story = (
        'The group was accused of murdering two prominent "secular" politicians in Tunisia in 2013.'
    )
    reply = 'two prominent "secular" politicians in Tunisia in 2013'
    question = "Which two secular politicians were assassinated in Tunisia in 2013?"
    assert asked(lenient_desk, story, reply, question).declined
    engines = asked(
        lenient_desk, "Engines using three or four expansion stages are known as triple and "
        "quadruple expansion engines.", "triple and quadruple expansion engines",
        "What are engines using four expansion stages known as?",
    )  # fmt: skip
    assert engines.text == "triple and quadruple expansion engines"
    cells = asked(
        lenient_desk, "In addition there are regulatory T cells which have a role in "
        "modulating immune response.", "regulatory T cells",
        "What kind of T cells have the purpose of modulating the immune response?",
    )  # fmt: skip
    assert cells.text == "regulatory T cells"  # one describing word answers "What kind of …?"
    sort = "Which two secular politicians were assassinated in some sort of attack in Tunisia?"
    attacked = (
        'The group was accused of murdering two prominent "secular" politicians in some sort of '
        "attack in Tunisia."
    )
    assert asked(lenient_desk, attacked, 'two prominent "secular" politicians', sort).declined


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
    assert asked(lenient_desk, story, "Aurora", question).declined
    assert lenient_desk.ask("In which town was the cousin arrested at his home?").text == "Aurora"


def test_a_restatement_not_found_word_for_word_is_declined_too(lenient_desk: Newsdesk) -> None:
    """The trial's restatement was the model's phrase, supported but not in the sentence
    word for word ("in Tunisia" is not there)."""
    story = (
        'Jihadists have posed a challenge, murdering two prominent "secular" politicians in 2013.'
    )
    reply = 'Two prominent "secular" politicians in Tunisia in 2013'
    question = "Which two secular politicians were assassinated in Tunisia in 2013?"
    assert asked(lenient_desk, story, reply, question).declined


def test_a_score_asked_for_is_not_answered_by_a_time_in_the_match(lenient_desk: Newsdesk) -> None:
    """A trial's near miss: the report gives when the try came, not the final score."""
    story = "Vialelle went over for Castres' only try after eight minutes at the Stade Pierre."
    question = "What was the final score in Castres' match at the Stade Pierre?"
    assert asked(lenient_desk, story, "eight minutes", question).declined
    scored = "Castres lost 22-13 at the Stade Pierre on Saturday."
    assert asked(lenient_desk, scored, "22-13", question).text == "22-13"


def test_a_sentence_that_asks_answers_nothing(lenient_desk: Newsdesk) -> None:
    """A trial's near miss answered by the whole sentence: the column asks the reader."""
    story = "Or perhaps you revelled in Australia being skittled for just 85 at Trent Bridge?"
    question = "Which bowler skittled Australia for just 85 at Trent Bridge?"
    assert asked(lenient_desk, story, "Australia", question).declined
    told = "Stuart Broad skittled Australia for just 85 at Trent Bridge with eight wickets."
    assert asked(lenient_desk, told, "Stuart Broad", question).text == "Stuart Broad"


def test_where_is_not_answered_by_the_place_the_question_names(lenient_desk: Newsdesk) -> None:
    """A trial's "El Paso, Texas" for where in El Paso the father left his son."""
    story = "Victor Solis was last seen in El Paso, Texas, with his son on Friday."
    question = "Where did Victor Solis say he dropped off his son in El Paso?"
    assert asked(lenient_desk, story, "El Paso, Texas", question).declined
    told = "Victor Solis said he dropped off his son at a bus station in El Paso, Texas."
    assert asked(lenient_desk, told, "a bus station", question).text == "a bus station"


def test_who_is_the_role_is_not_answered_by_a_sentence_never_saying_it(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's near miss: the story names a character of the novel, never its author."""
    story = "The novel Lords of the Sith will feature a lesbian Imperial official, Moff Mors."
    question = "Who is the author of the Star Wars novel Lords of the Sith?"
    assert asked(lenient_desk, story, "Moff Mors", question).declined
    said = "Chancellor Gene Block of UCLA called the dust-up a teachable moment."
    answer = asked(lenient_desk, said, "Gene Block", "Who is the chancellor of UCLA?")
    assert "Gene Block" in answer.text


def test_a_place_does_not_answer_which_newspaper(lenient_desk: Newsdesk) -> None:
    """A session's "Japan" for "Which newspaper …?" (the outlet is "based in Japan");
    its twins: the newspaper's own name, and a country for "Which country …?"."""
    story = (
        "According to the Choson Sinbo, a pro-North Korea newspaper based in Japan, the "
        "baguettes are sold at a new restaurant in Pyongyang."
    )
    question = "Which newspaper reported on the baguettes sold in Pyongyang?"
    assert asked(lenient_desk, story, "Japan", question).declined
    assert asked(lenient_desk, story, "the Choson Sinbo", question).text == "the Choson Sinbo"
    country = "In which country is the pro-North Korea newspaper based?"
    assert asked(lenient_desk, story, "Japan", country).text == "Japan"
    # A run's "The Sun", which spaCy labels a location, still names the outlet.
    sun = "\"I can't do this anymore,\" he told the UK's outlet The Sun."
    outlet = asked(lenient_desk, sun, "The Sun", "Which outlet did Zayn Malik talk to?")
    assert outlet.text == "The Sun"


def test_a_ground_does_not_answer_which_club(lenient_desk: Newsdesk) -> None:
    """A run's "Carrow Road" (Norwich's ground) for the near miss "Which club did Turner
    sign for after being released by Norwich?"; its twin, a club named as a town is."""
    story = (
        "Turner also had spells on loan at Fulham and Sheffield Wednesday during his "
        "time at Carrow Road."
    )
    question = "Which club did Turner sign for after being released by Norwich?"
    assert asked(lenient_desk, story, "Carrow Road", question).declined
    loan = "Which club did Turner join on loan during his time at Carrow Road?"
    assert "Fulham" in asked(lenient_desk, story, "Fulham", loan).text
    # A run's twin: spaCy's small model labels "Shrewsbury Town" a facility too.
    sheet = (
        "Their only clean sheet in 12 matches under Moyes was against League One side "
        "Shrewsbury Town in the EFL Cup."
    )
    against = "Against which team did Sunderland keep their only clean sheet under Moyes?"
    assert "Shrewsbury Town" in asked(lenient_desk, sheet, "Shrewsbury Town", against).text


def test_which_things_gets_every_one_the_sentence_lists(lenient_desk: Newsdesk) -> None:
    """A trial's "Two and a Half Men" alone for "Which TV shows is John Stamos doing guest
    roles on?" (the sentence lists "Galavant" too)."""
    story = (
        'Otherwise, Stamos is keeping busy with guest roles on "Two and a Half Men" and '
        '"Galavant" amid rumors of a possible "Full House" reunion.'
    )
    shows = asked(
        lenient_desk, story, "Two and a Half Men",
        "Which TV shows is John Stamos doing guest roles on?",
    )  # fmt: skip
    assert shows.text == '"Two and a Half Men" and "Galavant"'
    quote = shows.citations[0].quote
    assert shows.citations[0].answer_in_quote == (quote.index('"Two'), quote.index(" amid"))


def test_the_name_beside_the_things_description_answers_a_restated_question(
    lenient_desk: Newsdesk,
) -> None:
    """A trial's two declines: the model only restated the thing asked ("Wendy Doniger's
    book", "UK's nuclear missile submarine fleet"), and the sentence names it in
    apposition to that description; a sentence naming none is still declined."""
    book = (
        'Earlier last year, Penguin India withdrew "The Hindus: An Alternative History," a '
        "book by American academic Wendy Doniger, after a local advocacy group sued."
    )
    question = "Which book by American academic Wendy Doniger did Penguin India withdraw?"
    answer = asked(lenient_desk, book, "Wendy Doniger's book", question)
    assert answer.text == "The Hindus: An Alternative History"
    fleet = (
        "A Labour-led government could slacken its commitment to Trident, the UK's nuclear "
        "missile submarine fleet."
    )
    question = "What is the name of the UK's nuclear missile submarine fleet?"
    answer = asked(lenient_desk, fleet, "UK's nuclear missile submarine fleet", question)
    assert answer.text == "Trident"
    unnamed = "Penguin India withdrew a book by the American academic Wendy Doniger."
    question = "Which book by the academic Wendy Doniger did Penguin India pull?"
    assert asked(lenient_desk, unnamed, "Wendy Doniger's book", question).declined


def test_how_much_gets_the_amount_given_for_the_thing_asked(lenient_desk: Newsdesk) -> None:
    """A trial's "10 cents" (the dailies' price) for what the vendor charges to read the
    sports papers, which the same sentence prices at "30 naira (15 cents)"."""
    story = (
        "For some of the dailies, its 20 naira,(10 cents) 30 naira (15 cents) for the sports "
        "papers and 50 naira (30 cents) for the magazines."
    )
    question = "How much does the vendor charge free readers to read the sports papers?"
    assert asked(lenient_desk, story, "10 cents", question).text == "30 naira (15 cents)"
    magazines = "How much does the vendor charge to read the magazines?"
    assert lenient_desk.ask(magazines).text == "50 naira (30 cents)"


def test_a_question_giving_one_of_a_list_gets_the_others(lenient_desk: Newsdesk) -> None:
    """SQuAD's "ships" for "Along with toys, where are oscillating cylinder steam engines
    typically used?": the sentence lists "toys and models", the ships are another use."""
    story = (
        "These engines are mainly used in toys and models, because of their simplicity, but "
        "have also been used in full size working engines, mainly on ships."
    )
    question = "Along with toys, where are oscillating cylinder steam engines typically used?"
    answer = asked(lenient_desk, story, "ships", question)
    assert answer.text == "models"
    assert answer.citations[0].answer_in_quote == (story.index("models"), story.index(", because"))


def test_a_question_ending_on_a_preposition_gets_its_object(lenient_desk: Newsdesk) -> None:
    """SQuAD's "Jurchen capital" for "Where did Kublai move the Mongol capital to?": the
    sentence moves it to Khanbaliq, near the Jurchen capital."""
    story = (
        "Kublai readied the move of the Mongol capital from Karakorum in Mongolia to "
        "Khanbaliq in 1264, constructing a new city near the former Jurchen capital Zhongdu."
    )
    question = "Where did Kublai move the Mongol capital to?"
    answer = asked(lenient_desk, story, "Jurchen capital", question)
    assert answer.text == "Khanbaliq"


def test_a_prepositions_object_restating_the_question_leaves_the_answer(
    lenient_desk: Newsdesk,
) -> None:
    """The twin: "a public school", the object of "graduated from", only restates "Which
    public high school … did Chuck Schumer graduate from?"; the name stays."""
    story = (
        "Before attending Harvard, he graduated from a public school, James Madison High, "
        "whose alumni include Ruth Bader Ginsburg."
    )
    question = "Which public high school in Brooklyn did Chuck Schumer graduate from?"
    answer = asked(lenient_desk, story, "James Madison High", question)
    assert answer.text == "James Madison High"


def test_countries_named_answer_which_countries_though_the_sentence_says_countries(
    lenient_desk: Newsdesk,
) -> None:
    """SQuAD dev's "Which countries use the green Greek cross …?": the model listed them,
    and the answer became the sentence's "different countries"."""
    story = (
        "Other symbols are common in different countries: the green Greek cross in France, "
        "Argentina, the United Kingdom, Belgium, Ireland, Italy, Spain, and India."
    )
    reply = "France, Argentina, United Kingdom, Belgium, Ireland, Italy, Spain, and India"
    question = "Which countries use the green Greek cross as a symbol of pharmacy?"
    answer = asked(lenient_desk, story, reply, question)
    assert answer.text.startswith("France, Argentina") and answer.text.endswith("India")
