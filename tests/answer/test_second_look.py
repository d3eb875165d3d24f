"""The second look: when the model's first reply to the best sentences does not answer
(it only repeats the question, names a place of another kind than asked, or falls back
to a whole sentence where a count, a date or a name was asked), the next sentences of the
same story are read; each case has a twin where no second look may happen
(retrieval/answer/rereading.py: second_look)."""

from __future__ import annotations

from retrieval.answer.answer import Draft
from retrieval.answer.evidence import Evidence
from retrieval.answer.rereading import from_a_weaker_sentence
from retrieval.engine import Newsdesk
from retrieval.types import Citation, Paragraph, Statement
from tests.support.fakes import ScriptedGenerator

CRASH = (
    "The two helicopters collided near a town in Argentina on Monday.\n\n"
    "Rescuers reached the wreck of the two helicopters in the town of Villa Castelli."
)


class _ReadsOnSight(ScriptedGenerator):
    """Replies ``seen`` once a shown sentence holds ``cue``, ``unseen`` before: a model
    that reads the answer only where it is shown."""

    def __init__(self, cue: str, seen: str, unseen: str) -> None:
        super().__init__()
        self.cue, self.seen, self.unseen = cue, seen, unseen

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        self.prompts.append(messages)
        return self.seen if self.cue in messages[-1]["content"] else self.unseen


def _reading(
    desk: Newsdesk, story: str, title: str, cue: str, seen: str, unseen: str
) -> _ReadsOnSight:
    """``desk`` with ``story`` added and a model reading as :class:`_ReadsOnSight`."""
    for _ in desk.add_text(story, title):
        pass
    generator = _ReadsOnSight(cue, seen, unseen)
    desk._generator = generator
    return generator


def _crash_desk(desk: Newsdesk, text: str) -> _ReadsOnSight:
    return _reading(
        desk, text, "Helicopters collide", "Villa Castelli", "Villa Castelli", "Argentina"
    )


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


def _peak(desk: Newsdesk, story: str) -> _ReadsOnSight:
    """Names the valley of the best sentence; the mountain once it is shown."""
    return _reading(desk, story, "Jet crashes in the Alps", "Trois Eveches", "Trois Eveches",
                    "Bleone Valley")  # fmt: skip


def test_a_thing_of_the_kind_asked_named_further_down_gets_a_second_look(
    fake_desk: Newsdesk,
) -> None:
    """ "Which mountain …?": the best sentence names a valley (and mountains, none in
    particular); the next paragraph names the mountain, and the answer is read there."""
    generator = _peak(fake_desk, ALPS)
    answer = fake_desk.ask("Which mountain did the Germanwings jet crash in the valley on?")
    assert answer.text == "Trois Eveches mountain"
    assert answer.citations[0].quote.startswith("The jet came down")
    assert len(generator.prompts) == 2


def test_no_second_look_when_no_thing_of_the_kind_is_further_down(fake_desk: Newsdesk) -> None:
    """The same story without the mountain's paragraph: the model is asked once."""
    text = ALPS.split("\n\n")[0] + "\n\nThe tourist office said the place was remote."
    generator = _peak(fake_desk, text)
    answer = fake_desk.ask("Which mountain did the Germanwings jet crash in the valley on?")
    assert len(generator.prompts) == 1
    assert "Trois Eveches" not in answer.text


BARDO = (
    "In an audio statement, ISIS identified the two men who used weapons to kill people "
    "in the Bardo Museum attack in Tunis.\n\n"
    "The minister said 23 people were killed in Tunis."
)


def _count(desk: Newsdesk, story: str) -> _ReadsOnSight:
    """Invents a count until the sentence giving one is shown."""
    return _reading(desk, story, "Museum attack", "23 people", "23 people", "300 people")


def test_a_whole_sentence_for_a_count_gets_a_second_look_at_the_count_further_down(
    fake_desk: Newsdesk,
) -> None:
    """The model's count is in no shown sentence, so the first reading is the whole best
    sentence (which counts the gunmen); the count of the dead, further down, is read
    instead."""
    generator = _count(fake_desk, BARDO)
    answer = fake_desk.ask("How many people were killed in the Bardo Museum attack in Tunis?")
    assert answer.text == "23 people"
    assert answer.citations[0].quote.startswith("The minister said")
    assert len(generator.prompts) == 2


def test_no_second_look_for_a_count_when_none_is_further_down(fake_desk: Newsdesk) -> None:
    text = BARDO.split("\n\n")[0] + "\n\nThe minister said the museum was closed in Tunis."
    generator = _count(fake_desk, text)
    answer = fake_desk.ask("How many people were killed in the Bardo Museum attack in Tunis?")
    assert len(generator.prompts) == 1
    assert "23" not in answer.text and "300" not in answer.text


def test_a_name_of_no_other_kind_gets_no_second_look(fake_desk: Newsdesk) -> None:
    """SQuAD's "What organization is devoted to Jihad against Israel?": "HAMAS" does not
    say "organization", yet names one; a sentence naming an organization further down
    is not read in its place."""
    story = (
        "HAMAS is devoted to jihad against Israel, the report said.\n\n"
        "The Egyptian Islamic Jihad organization had other aims."
    )
    generator = _reading(
        fake_desk, story, "Jihad groups", "Egyptian", "Egyptian Islamic Jihad", "HAMAS"
    )
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
    generator = _reading(
        fake_desk, story, "Madison shooting", "Williamson", "Williamson Street",
        "two street corners",
    )  # fmt: skip
    assert fake_desk.ask("What street was the Madison residence on?").declined
    assert len(generator.prompts) == 1


def test_a_second_look_that_finds_nothing_invents_nothing(fake_desk: Newsdesk) -> None:
    """Without the town's sentence the second look has nothing to read: no town is
    invented and "Argentina" is not offered as the answer."""
    _crash_desk(
        fake_desk, CRASH.split("\n\n")[0] + "\n\nThe show's crew was unhurt, a producer said."
    )
    answer = fake_desk.ask("Near which town in Argentina did the two helicopters collide?")
    assert answer.declined or "Villa Castelli" not in answer.text
    assert answer.text != "Argentina"


MADISON = (
    "The officer who killed Robinson, 12-year department veteran Matt Kenny, had used "
    "deadly force before in Madison, the police chief said. Robinson was unarmed when "
    "he was killed, the chief said."
)


class _EchoesAmongMany(ScriptedGenerator):
    """Repeats the question's "Robinson" while several sentences are shown, and reads
    "Matt Kenny" once one sentence alone is: a small model's echo."""

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        self.prompts.append(messages)
        return "Robinson" if "[2]" in messages[-1]["content"] else "Matt Kenny"


def test_a_reply_repeating_the_question_is_asked_again_of_the_best_sentence_alone(
    fake_desk: Newsdesk,
) -> None:
    """The model echoes the question's name among the shown sentences; shown the best
    sentence alone, it names the officer, and the answer is cited there with its words
    marked."""
    for _ in fake_desk.add_text(MADISON, "Madison shooting"):
        pass
    generator = _EchoesAmongMany()
    fake_desk._generator = generator
    answer = fake_desk.ask("What is the name of the Madison officer who killed Robinson?")
    assert answer.text == "Matt Kenny"
    citation = answer.citations[0]
    assert citation.quote.startswith("The officer who killed Robinson")
    marked = citation.answer_in_quote
    assert marked is not None and citation.quote[marked[0] : marked[1]] == "Matt Kenny"
    assert len(generator.prompts) == 2
    assert "[2]" in generator.prompts[0][-1]["content"]
    assert "[2]" not in generator.prompts[1][-1]["content"]


def test_a_reply_repeating_the_question_of_the_best_sentence_alone_is_not_taken(
    fake_desk: Newsdesk,
) -> None:
    """The twin: the model echoes the question shown the best sentence alone too; no
    echo is given as the answer."""
    for _ in fake_desk.add_text(MADISON, "Madison shooting"):
        pass
    fake_desk._generator = ScriptedGenerator(reply="Robinson")
    answer = fake_desk.ask("What is the name of the Madison officer who killed Robinson?")
    assert answer.text != "Robinson"


def _rated(index: int, sentence: str, answer_logit: float) -> Evidence:
    paragraph = Paragraph(100 + index, 1, index, sentence, 0, len(sentence), "Primes")
    return Evidence(paragraph, 0, len(sentence), 0.5, 0.5, 0.5, True, answer_logit)


def test_an_answer_is_read_again_only_from_a_sentence_rated_far_below_the_best() -> None:
    """The trigger of the reading again (rereading.py: from_a_weaker_sentence): the
    best sentence rated as stating the answer by :data:`WEAKER_BY` log-odds more than
    the answer's own; then only the sentences rated as stating it, that much above the
    answer's, are read again. Otherwise (the best's own answer, or one from a sentence
    rated close to it) no second reading."""
    euclid = _rated(7, "Euclid also showed how to construct a perfect number.", 3.6)
    mersenne = _rated(8, "The French monk Marin Mersenne looked at primes.", -0.5)
    prize = _rated(14, "In 2009, the project was awarded a US$100,000 prize.", 1.1)
    draft = Draft("Who demonstrated it?", (), (euclid, prize, mersenne), False)

    def said_in(evidence: Evidence, words: str) -> Statement:
        text, paragraph = evidence.sentence, evidence.paragraph
        citation = Citation(
            paragraph.id, 1, "Primes", paragraph.index, text, text, 0, len(text), "pasted"
        )
        return Statement(words, (citation,))

    assert from_a_weaker_sentence(said_in(mersenne, "Marin Mersenne"), draft) == [euclid, prize]
    assert from_a_weaker_sentence(said_in(euclid, "Euclid"), draft) == []
    # rated as stating an answer too, but far below the best: the best is read again
    assert from_a_weaker_sentence(said_in(prize, "US$100,000"), draft) == [euclid]
    close = Draft("Who demonstrated it?", (), (_rated(7, euclid.sentence, 0.8), mersenne), False)
    assert from_a_weaker_sentence(said_in(mersenne, "Marin Mersenne"), close) == []
    near = Draft("Who demonstrated it?", (), (_rated(7, euclid.sentence, 2.4), prize), False)
    assert from_a_weaker_sentence(said_in(prize, "US$100,000"), near) == []
