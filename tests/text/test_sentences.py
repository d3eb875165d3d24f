"""Sentence splitting: what citations quote, so boundaries must be right."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from retrieval.text.sentences import sentence_spans, split_sentences
from tests.conftest import EVAL

CASES = [
    (
        "Mr. Smith went to Washington. He met Dr. Jones at St. Paul's. It rained.",
        ["Mr. Smith went to Washington.", "He met Dr. Jones at St. Paul's.", "It rained."],
    ),
    (
        "The U.S. and the U.N. agreed on Jan. 5. The deal was worth $3.5 billion.",
        ["The U.S. and the U.N. agreed on Jan. 5.", "The deal was worth $3.5 billion."],
    ),
    ("J. R. R. Tolkien wrote it. Then he died.", ["J. R. R. Tolkien wrote it.", "Then he died."]),
    (
        "Apple Inc. sells phones, e.g. iPhones, i.e. phones. Costs vs. benefits rose.",
        ["Apple Inc. sells phones, e.g. iPhones, i.e. phones.", "Costs vs. benefits rose."],
    ),
    (
        "It was built in the U.S. The president came.",
        ["It was built in the U.S.", "The president came."],
    ),
    (
        "She paused... Then she left. Wait... what?",
        ["She paused...", "Then she left.", "Wait... what?"],
    ),
    (
        'He said, "We are done." Then he left. “It is over,” she said. (It was.) Next.',
        [
            'He said, "We are done."',
            "Then he left.",
            "“It is over,” she said.",
            "(It was.)",
            "Next.",
        ],
    ),
    (
        "He asked ‘why?’ Nobody knew. Really! Yes.",
        ["He asked ‘why?’", "Nobody knew.", "Really!", "Yes."],
    ),
    (
        "Rockets were fired in 1998 . The next day was calm . Police came .",
        ["Rockets were fired in 1998 .", "The next day was calm .", "Police came ."],
    ),
    (
        "A car hit No. 5 Main St. on Tuesday. It fled.",
        ["A car hit No. 5 Main St. on Tuesday.", "It fled."],
    ),
    (
        # A factorial is no sentence end: "(p − 1)! + 1" goes on with an operator.
        "It holds if the factorial (p − 1)! + 1 is divisible by 7. So 4! = 24 here.",
        ["It holds if the factorial (p − 1)! + 1 is divisible by 7.", "So 4! = 24 here."],
    ),
    (
        # Only a factorial's "!" goes on: a list's dashes and a "!" before a dash still end.
        "Key points:\n- The budget passed.\n- The tax rose. He won! – The crowd cheered.",
        ["Key points:\n- The budget passed.", "- The tax rose.", "He won!", "– The crowd cheered."],
    ),
    (
        "First block without a stop\n\nSecond block.",
        ["First block without a stop", "Second block."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sentences_are_split_where_a_reader_would(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_spans_are_exact_trimmed_offsets() -> None:
    text = "  One sentence here.   Another one follows!\n  And a third?  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "One sentence here.",
        "Another one follows!",
        "And a third?",
    ]
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert sentence_spans("") == []
    assert sentence_spans("   \n\n  ") == []


def test_a_cnn_story_splits_into_many_sentences_quickly() -> None:
    stories = sorted((EVAL / "news" / "articles").glob("[0-9a-f]*.txt"))[:40]
    texts = [path.read_text(encoding="utf-8") for path in stories]
    began = time.perf_counter()
    results = [sentence_spans(text) for text in texts]
    elapsed = time.perf_counter() - began
    assert elapsed < 1.0
    for text, spans in zip(texts, results, strict=True):
        assert len(spans) > 5
        assert all(text[s:e].strip() == text[s:e] and e > s for s, e in spans)
        assert all(b[0] >= a[1] for a, b in zip(spans, spans[1:], strict=False))


def test_seed_paragraph_sentences(seed_text: str) -> None:
    paragraph = next(p for p in seed_text.split("\n\n") if p.startswith("In Iraq, the US plans"))
    assert split_sentences(paragraph) == [
        "In Iraq, the US plans to reduce the number of troops from 3,000 to 2,500 by "
        "mid-January, before Trump is to leave office.",
        "But the frequency of rocket attacks in Iraq has frustrated the Trump administration.",
    ]


@pytest.fixture
def seed_text() -> str:
    return Path(EVAL / "seed-article.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "sentences",
    [
        ["Talks will resume at 10 a.m. Tuesday (5 a.m. ET) in Geneva, officials said.", "No."],
        ["The meeting ran until 11:30 p.m. Thursday, when the board voted.", "It was close."],
        ["The U.S. Senate passed the bill on Jan. 5 by a vote of 52 to 48.", "It goes on."],
        ["Dr. Smith, who works at No. 10 Downing Street, declined to comment.", "She left."],
        ["The fire started at about 9 p.m.", "Police closed the road an hour later."],
        ["airs Sunday at 9 p.m.", "Read more: How the show stumbled."],
    ],
)
def test_times_and_abbreviations_split_only_where_a_sentence_ends(sentences: list[str]) -> None:
    assert split_sentences(" ".join(sentences)) == sentences


def test_sentences_glued_without_a_space_are_split() -> None:
    """Text copied from web pages loses the space after a full stop; the sentence
    after it is then its own citation, not the tail of the one before."""
    text = (
        "These societies also served as a space for travellers to share these stories."
        "Political geographers such as Friedrich Ratzel also supported imperialism."
    )
    assert split_sentences(text) == [
        "These societies also served as a space for travellers to share these stories.",
        "Political geographers such as Friedrich Ratzel also supported imperialism.",
    ]
    assert split_sentences("Is it over?Yes, the mediator said.") == [
        "Is it over?",
        "Yes, the mediator said.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "He served in the U.S.Army for a decade.",
        "The site runs on Node.js and was sold to Amazon.Com last year.",
        "Shares fell 3.5 per cent.",
    ],
)
def test_points_inside_words_do_not_split_a_sentence(sentence: str) -> None:
    assert split_sentences(sentence) == [sentence]


def test_the_reader_never_starts_a_passage_at_tuesday() -> None:
    from retrieval.ingest.paragraphs import split_paragraphs
    from retrieval.settings import IngestSettings

    long = (
        "Talks between the union and the port will resume at 10 a.m. Tuesday (5 a.m. ET), "
        "the mediator said. " * 12
    ).strip()
    spans = split_paragraphs(long, IngestSettings())
    assert len(spans) > 1
    assert not any(span.text.startswith("Tuesday") for span in spans)
