"""Keyword queries: function words dropped, names and numbers kept, common words cheap."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.library.store import Store
from retrieval.text.keywords import KeywordQuery, content_words, plan_keyword_query
from retrieval.types import ArticleDraft, ParagraphSpan


def test_function_words_are_dropped_and_names_and_numbers_kept() -> None:
    words = content_words("How many rockets did the US fire at the Green Zone in 2019?")
    assert words == ["rockets", "us", "fire", "green", "zone", "2019"]
    assert content_words("Who was she with when it happened, and why?") == ["happened"]
    assert content_words("Is WHO part of the UN?") == ["who", "part", "un"]


def test_only_selective_words_pick_the_rows_but_every_word_scores() -> None:
    counts = {"city": 9_000, "bridge": 12, "opened": 300}
    query = plan_keyword_query(
        "Which city opened the bridge?", lambda w, limit: min(counts[w], limit), 5_000
    )
    assert query == KeywordQuery('"city" OR "opened" OR "bridge"', '"opened" OR "bridge"')
    rare = plan_keyword_query("the bridge", lambda w, limit: 12, 5_000)
    assert rare == KeywordQuery('"bridge"')
    assert plan_keyword_query("what is it?", lambda w, limit: 0) is None


def test_when_every_word_is_common_the_least_common_pick_the_rows() -> None:
    counts = {"city": 30_000, "year": 90_000}
    query = plan_keyword_query("Which year, which city?", lambda w, limit: min(counts[w], limit))
    assert query == KeywordQuery('"year" OR "city"', '"city"')
    everywhere = plan_keyword_query("year", lambda w, limit: limit)
    assert everywhere == KeywordQuery('"year"')


def _store_with_a_common_word(folder: Path) -> Store:
    """300 paragraphs: "city" in 240 of them, "bridge" in 4, "river" in 60."""
    store = Store(folder / "library.sqlite3")
    texts = []
    for n in range(300):
        words = [f"filler{n}", "report"]
        if n % 5:
            words.append("city")
        if n % 75 == 0:
            words.append("bridge")
        if n % 5 == 2:
            words += ["river", "river"]
        texts.append(" ".join(words) + ".")
    body = "\n\n".join(texts)
    spans, start = [], 0
    for text in texts:
        spans.append(ParagraphSpan(start, start + len(text), text))
        start += len(text) + 2
    draft = ArticleDraft(title="Town news", text=body, source="test")
    store.insert_article(draft, "hash", spans, np.zeros((len(spans), 4), dtype=np.float32))
    return store


def test_keyword_search_on_a_common_word_keeps_the_top_ranking(tmp_path: Path) -> None:
    store = _store_with_a_common_word(tmp_path)
    question = "Which city bridge crosses the river?"
    everything = store.keyword_search(question, 10, common_from=10_000)
    selective = store.keyword_search(question, 10, common_from=100)  # "city" is now common
    assert len(everything) == len(selective) == 10
    assert [pid for pid, _ in selective[:4]] == [pid for pid, _ in everything[:4]]
    # The same BM25 scores: every word of the question still counts.
    assert [score for _, score in selective] == pytest.approx([s for _, s in everything][:10])
    texts = {p.id: p.text for p in store.paragraphs(ids=[pid for pid, _ in selective])}
    assert all("bridge" in texts[pid] or "river" in texts[pid] for pid, _ in selective)
    assert len(store.keyword_search(question, 300, common_from=10_000)) == 244
    assert len(store.keyword_search(question, 300, common_from=100)) == 64  # "city"-only skipped
    [article] = store.articles()
    assert store.keyword_search(question, 5, [article.id], common_from=100) == selective[:5]
    assert store.keyword_search(question, 5, [article.id + 1], common_from=100) == []
    only_city = store.keyword_search("city", 10, common_from=100)
    assert len(only_city) == 10  # a question of common words alone still finds paragraphs
