"""The add's progress line and closing summary, as the window and the CLI show them."""

from __future__ import annotations

from retrieval.ingest.progress import AddTally, input_name, time_left
from retrieval.types import AddProgress, Article, IngestError


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def article(paragraphs: int) -> Article:
    return Article(1, "T", "s", None, None, None, None, "2026-01-01", "h", paragraphs)


def test_the_line_names_the_file_and_guesses_the_time_left_once_it_can() -> None:
    clock = Clock()
    tally = AddTally(clock=clock)
    step = AddProgress(0, 10, "/home/ana/news/normans.txt", "Embedding", 0.5)
    assert tally.line(step) == "1 of 10 · normans.txt: Embedding"  # too early to guess
    clock.now += 30.0  # 2.5 of 10 inputs in 30 s: 90 s left
    step = AddProgress(2, 10, "https://example.org/a/b", "Reading", 0.5)
    assert tally.line(step) == "3 of 10 · https://example.org/a/b: Reading · about 2 min left"


def test_time_left_in_words() -> None:
    assert time_left(3) == "a few seconds left"
    assert time_left(41) == "about 40 s left"
    assert time_left(600) == "about 10 min left"
    assert input_name("x" * 80 + ".txt").endswith("…")


def test_the_summary_counts_added_paragraphs_and_skips() -> None:
    tally = AddTally()
    tally.count(AddProgress(0, 3, "a.txt", "Stored", 1.0, article(12)))
    tally.count(AddProgress(1, 3, "b.txt", "Stored", 1.0, article(1)))
    tally.count(AddProgress(2, 3, "c.txt", "Already in the library", 1.0, article(4), None, True))
    tally.count(AddProgress(3, 3, "d.pdf", "bad", 1.0, error=IngestError("d.pdf", "not a PDF")))
    assert tally.summary() == (
        "Added 2 articles (13 paragraphs); 2 skipped: 1 already in the library, "
        "1 could not be added."
    )
    assert tally.failed == ["d.pdf: not a PDF"]
    assert AddTally().summary() == "Added 0 articles (0 paragraphs)."
