"""Paragraph splitting: the unit every citation points at."""

from __future__ import annotations

import pytest

from retrieval.ingest.paragraphs import is_boilerplate, split_paragraphs, split_title
from retrieval.settings import IngestSettings
from retrieval.text.sentences import sentence_spans
from retrieval.types import ParagraphSpan
from tests.conftest import EVAL

SETTINGS = IngestSettings()


def assert_exact(text: str, spans: list[ParagraphSpan]) -> None:
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text


def seed() -> tuple[str | None, str]:
    text = (EVAL / "seed-article.txt").read_text(encoding="utf-8")
    title, start = split_title(text)
    return title, text[start:]


def test_seed_article_keeps_its_own_paragraphs() -> None:
    title, body = seed()
    assert title == "Eight rockets target US embassy in Baghdad: Iraq army"
    spans = split_paragraphs(body, SETTINGS)
    assert_exact(body, spans)
    texts = [span.text for span in spans]
    [rockets] = [t for t in texts if "launched eight rockets" in t]
    assert rockets.startswith("An Iraqi military statement on Sunday")
    assert rockets.endswith("which is usually empty.")
    assert texts[0].startswith("Rockets hit US embassy as tensions mount")  # the standfirst
    assert texts[-1].startswith("The statement could be an attempt")
    assert len(texts) == 20


def test_seed_article_drops_caption_and_agency_line() -> None:
    _, body = seed()
    texts = [span.text for span in split_paragraphs(body, SETTINGS)]
    assert not any("[File: Ahmad al-Rubaye/AFP]" in t for t in texts)
    assert "Source: News Agencies" not in texts


def test_squad_paragraph_numbers_line_up_with_the_blocks() -> None:
    roomy = IngestSettings(max_paragraph_chars=10_000)
    files = sorted((EVAL / "squad" / "articles").glob("*.txt"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        blocks = [block.strip() for block in text.split("\n\n")]
        title, start = split_title(text)
        assert title == blocks[0]
        spans = split_paragraphs(text[start:], roomy)
        assert [span.text for span in spans] == blocks[1:], path.name


def test_squad_long_paragraphs_split_inside_their_block_only() -> None:
    text = (EVAL / "squad" / "articles" / "construction.txt").read_text(encoding="utf-8")
    _, start = split_title(text)
    body = text[start:]
    spans = split_paragraphs(body, SETTINGS)
    assert_exact(body, spans)
    blocks = body.split("\n\n")
    assert all(any(span.text in block for block in blocks) for span in spans)


def test_a_cnn_story_without_breaks_becomes_short_passages() -> None:
    stories = sorted((EVAL / "news" / "articles").glob("[0-9a-f]*.txt"))[:20]
    for path in stories:
        text = path.read_text(encoding="utf-8")
        assert "\n\n" not in text.strip()
        spans = split_paragraphs(text, SETTINGS)
        assert_exact(text, spans)
        if len(text) > 2 * SETTINGS.max_paragraph_chars:
            assert len(spans) >= 3
        for span in spans:
            sentences = sentence_spans(span.text)
            assert len(span.text) <= SETTINGS.max_paragraph_chars or len(sentences) == 1
            if len(spans) > 1:  # a story shorter than the limit stays whole
                assert len(sentences) <= SETTINGS.target_paragraph_sentences + 1


def test_passages_cover_every_sentence_in_order() -> None:
    body = " ".join(f"Sentence number {n} says something new." for n in range(30))
    spans = split_paragraphs(body, IngestSettings(max_paragraph_chars=200))
    assert " ".join(span.text for span in spans) == body
    assert all(len(span.text) <= 200 for span in spans)


def test_a_sentence_longer_than_the_limit_stands_alone() -> None:
    long_sentence = "Word " + "word " * 100 + "end."
    body = f"Short one. {long_sentence} Short two."
    spans = split_paragraphs(body, IngestSettings(max_paragraph_chars=100))
    assert_exact(body, spans)
    assert any(span.text == long_sentence for span in spans)


def test_single_newlines_separate_paragraphs_when_there_are_no_blank_lines() -> None:
    body = "First paragraph of the story here.\nSecond paragraph follows.\r\nThird one ends it."
    spans = split_paragraphs(body, SETTINGS)
    assert [s.text for s in spans] == [
        "First paragraph of the story here.",
        "Second paragraph follows.",
        "Third one ends it.",
    ]
    assert_exact(body, spans)


def test_short_fragments_are_dropped_but_short_sentences_kept() -> None:
    body = "12%\n\nIt rained.\n\nMedia playback is not supported on this device\n\nThe end came."
    assert [s.text for s in split_paragraphs(body, SETTINGS)] == ["It rained.", "The end came."]


@pytest.mark.parametrize(
    "line",
    [
        "Source: News Agencies",
        "Source: Al Jazeera and news agencies",
        "Advertisement",
        "Read more: Why the embassy matters",
        "Share this article",
        "Follow us on Twitter",
        "Copyright 2020 Al Jazeera Media Network",
        "© 2021 Example News. All rights reserved.",
        "The attack came days before the anniversary [File: Ahmad al-Rubaye/AFP]",
        "Protesters gather outside the embassy [Khalid Mohammed/AP Photo]",
    ],
)
def test_boilerplate_lines_are_recognised(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "The source said the advertisement ran for a week before it was pulled.",
        "Read more about the case in the court documents, the lawyer told reporters.",
        "Copyright lawyers say the ruling will change how songs are licensed.",
        "“The US embassy confirms rockets targeting the International Zone [Green Zone]"
        " resulted in the engagement of embassy defensive systems,” the statement said.",
        "Share prices fell 3% on Monday.",
        "Follow the money, investigators said.",
    ],
)
def test_real_sentences_are_never_boilerplate(line: str) -> None:
    assert not is_boilerplate(line)
    assert [s.text for s in split_paragraphs(line, SETTINGS)] == [line]


def test_split_title_finds_a_headline() -> None:
    text = "\n  Rockets hit Baghdad\n\nThe first paragraph."
    title, start = split_title(text)
    assert title == "Rockets hit Baghdad"
    assert text[start:] == "The first paragraph."


@pytest.mark.parametrize(
    "text",
    [
        "This opens with a sentence.\n\nAnd continues.",
        "Only one line without a body",
        "A first line that wraps\ninto a second line.\n\nNext paragraph.",
        "x" * 300 + "\n\nBody text.",
    ],
)
def test_split_title_leaves_text_without_a_headline(text: str) -> None:
    assert split_title(text) == (None, 0)


def test_empty_text_has_no_paragraphs() -> None:
    assert split_paragraphs("", SETTINGS) == []
    assert split_paragraphs("\n\n  \n", SETTINGS) == []
