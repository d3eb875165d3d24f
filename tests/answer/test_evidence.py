"""Sentence vectors for evidence scoring: remembered, and the same as encoding anew."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from retrieval.answer import evidence
from retrieval.answer.evidence import sentence_vectors
from retrieval.types import Hit, Paragraph
from tests.support.fakes import HashingEmbedder


class CountingEmbedder(HashingEmbedder):
    """Remembers every text it was asked to encode."""

    def __init__(self) -> None:
        super().__init__()
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return super().encode(texts)


SENTENCES = [
    "Militants launched eight rockets at the Green Zone.",
    "The embassy was not hit.",
    "Police closed the road.",
]


def test_a_sentence_seen_before_is_not_encoded_again() -> None:
    embedder = CountingEmbedder()
    first = sentence_vectors(embedder, SENTENCES[:2])
    again = sentence_vectors(embedder, SENTENCES)
    assert embedder.encoded == SENTENCES  # each sentence once, although asked for twice
    np.testing.assert_array_equal(again[:2], first)
    np.testing.assert_array_equal(again, HashingEmbedder().encode(SENTENCES))


def test_each_embedder_has_its_own_vectors() -> None:
    """Two embedders (two models) never share remembered vectors."""
    one, other = CountingEmbedder(), CountingEmbedder()
    sentence_vectors(one, SENTENCES)
    sentence_vectors(other, SENTENCES)
    assert other.encoded == SENTENCES


def test_the_least_recently_used_sentences_are_forgotten_past_the_limit(
    monkeypatch: object,
) -> None:
    monkeypatch.setattr(evidence, "REMEMBERED_SENTENCES", 2)  # type: ignore[attr-defined]
    embedder = CountingEmbedder()
    sentence_vectors(embedder, SENTENCES[:2])
    sentence_vectors(embedder, SENTENCES[:1])  # the first is now the most recently used
    sentence_vectors(embedder, SENTENCES[2:])  # the second is forgotten
    embedder.encoded.clear()
    vectors = sentence_vectors(embedder, SENTENCES)
    assert embedder.encoded == [SENTENCES[1]]
    np.testing.assert_array_equal(vectors, HashingEmbedder().encode(SENTENCES))


TOWER = (
    "The tallest building in Downtown Jacksonville's skyline is the Bank of America Tower, "
    "constructed in 1990 as the Barnett Center. It has a height of 617 ft (188 m) and "
    "includes 42 floors. Other notable structures include the Wells Fargo Center."
)


def tower_hit() -> Hit:
    paragraph = Paragraph(1, 1, 0, TOWER, 0, len(TOWER), "Jacksonville, Florida")
    return Hit(paragraph, 1.0)


def test_a_sentence_opening_with_a_pronoun_is_read_with_the_sentence_before_it() -> None:
    ranked = evidence.score_sentences(
        "How tall is the Bank of America Tower?", [tower_hit()], HashingEmbedder()
    )
    best = ranked[0]
    assert best.sentence.startswith("It has a height of 617 ft")
    assert best.passage.startswith("The tallest building")
    assert best.passage.endswith("includes 42 floors.")
    assert best.typed


def test_the_sentence_before_does_not_lend_its_answer_to_the_pronoun_sentence() -> None:
    ranked = evidence.score_sentences(
        "When was the Bank of America Tower constructed?", [tower_hit()], HashingEmbedder()
    )
    pair = next(e for e in ranked if e.sentence.startswith("It has a height"))
    assert not pair.typed  # "1990" is in the sentence before, not in "It has a height …"
    assert ranked[0].passage.endswith("as the Barnett Center.")


CHARACTER = (
    'The novel "Lords of the Sith" will feature an Imperial official named Moff Mors. '
    "The character is the first gay figure in the official Star Wars universe. "
    "The company said the books are approved."
)


@pytest.mark.parametrize(
    ("question", "leans_back"),
    [
        ("What's the name of the first gay character in Star Wars?", True),
        ("Who is the first gay figure in the Star Wars universe?", False),
    ],
    ids=["the asked thing named by 'The <noun>'", "another noun"],
)
def test_a_sentence_naming_the_asked_thing_by_the_noun_is_read_with_the_one_before(
    question: str, leans_back: bool
) -> None:
    """ "The character is …" stands for the one the sentence before names (Moff Mors), when
    the question asks about a character; "The company said …" leans on nothing."""
    paragraph = Paragraph(1, 1, 0, CHARACTER, 0, len(CHARACTER), "Star Wars")
    ranked = evidence.score_sentences(question, [Hit(paragraph, 1.0)], HashingEmbedder())
    figure = next(e for e in ranked if e.sentence.startswith("The character"))
    assert figure.passage.startswith('The novel "Lords') is leans_back
    company = next(e for e in ranked if e.sentence.startswith("The company"))
    assert company.passage == company.sentence


ISTANBUL = (
    "A prosecutor involved in a controversial case died Tuesday after he was shot during a "
    "hostage siege in an Istanbul courthouse. Police stormed the building. Prosecutor Mehmet "
    "Selim Kiraz died in the hospital from his injuries, the prime minister said."
)


def _evidence(text: str, sentence: str, score: float) -> evidence.Evidence:
    paragraph = Paragraph(1, 1, 0, text, 0, len(text), "Siege")
    start = text.index(sentence)
    return evidence.Evidence(paragraph, start, start + len(sentence), score, 0.5, 0.5, True)


def test_a_question_asking_for_a_name_is_shown_the_sentence_naming_one() -> None:
    """The lead outscores the sentence with the prosecutor's name; both are shown."""
    lead = _evidence(ISTANBUL, ISTANBUL.split(". ")[0], 0.9)
    police = _evidence(ISTANBUL, "Police stormed the building", 0.7)
    named = _evidence(ISTANBUL, "Prosecutor Mehmet Selim Kiraz died in the hospital", 0.6)
    ranked = [lead, police, named]
    question = "Who was the prosecutor who died after the Istanbul courthouse siege?"
    assert evidence.with_a_name([lead], ranked, question, 3) == [lead, named]
    # A question not asking for a name, or a shown sentence already naming one: as chosen.
    assert evidence.with_a_name([lead], ranked, "Why did the prosecutor die?", 3) == [lead]
    assert evidence.with_a_name([named], ranked, question, 3) == [named]
