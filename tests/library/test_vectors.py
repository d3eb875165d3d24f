"""The approximate (IVF) index: same answers as exact search, removal, filters, reopening."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from retrieval.ingest import pipeline
from retrieval.ingest.pipeline import add_drafts
from retrieval.library.library import INDEX_META_FILE, Library
from retrieval.library.vectors import FaissVectorStore, IndexPolicy
from retrieval.search.hybrid import hybrid_search
from retrieval.settings import IngestSettings
from retrieval.types import ArticleDraft
from tests.support.fakes import HashingEmbedder

DIMENSION = 32
SMALL_POLICY = IndexPolicy(approximate_from=200, probe_share=0.25, min_probes=1)


def clustered_vectors(count: int, seed: int = 3) -> np.ndarray:
    """Unit vectors around 40 random centres, like embeddings of a few topics."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, DIMENSION))
    points = centres[rng.integers(40, size=count)] + 0.6 * rng.standard_normal((count, DIMENSION))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def indexes() -> tuple[FaissVectorStore, FaissVectorStore, np.ndarray]:
    """An approximate and an exact index over the same 6,000 vectors (ids 1000…)."""
    vectors = clustered_vectors(6000)
    ids = list(range(1000, 7000))
    policy = IndexPolicy(approximate_from=5000, probe_share=0.25, min_probes=1)
    spec = policy.spec_for(len(ids))
    approximate = FaissVectorStore.create(DIMENSION, spec, vectors[:: 6000 // 2000])
    approximate.add(ids, vectors)
    exact = FaissVectorStore(DIMENSION)
    exact.add(ids, vectors)
    return approximate, exact, vectors


def test_policy_switches_to_ivf_above_the_threshold_only() -> None:
    policy = IndexPolicy(approximate_from=50_000)
    assert policy.spec_for(49_999).kind == "flat"
    spec = policy.spec_for(1_000_000)
    assert (spec.kind, spec.cells, spec.probes) == ("ivf", 1024, 128)
    assert policy.spec_for(100_000).probes == 32
    assert policy.suits(spec, 1_200_000) and policy.suits(spec, 300_000)
    assert not policy.suits(spec, 5_000_000)  # cells too crowded: retrain
    assert not policy.suits(policy.spec_for(10), 60_000)


def test_approximate_search_finds_what_exact_search_finds(indexes) -> None:
    approximate, exact, vectors = indexes
    assert approximate.spec.kind == "ivf" and exact.spec.kind == "flat"
    rng = np.random.default_rng(11)
    queries = vectors[rng.integers(len(vectors), size=40)] + 0.2 * rng.standard_normal(
        (40, DIMENSION)
    )
    recalls, same_first = [], 0
    for query in queries.astype(np.float32):
        found = approximate.search(query, 50)
        truth = exact.search(query, 50)
        recalls.append(len({i for i, _ in found} & {i for i, _ in truth}) / 50)
        same_first += found[0][0] == truth[0][0]
    assert np.mean(recalls) >= 0.95
    assert same_first == len(queries)


def test_filtered_approximate_search_is_exact_among_the_allowed_ids(indexes) -> None:
    approximate, exact, vectors = indexes
    allowed = list(range(3000, 3060))  # one "article": 1% of the index
    for query in vectors[:10]:
        found = approximate.search(query, 10, allowed)
        assert found == exact.search(query, 10, allowed)
        assert len(found) == 10 and all(3000 <= i < 3060 for i, _ in found)


def test_removing_from_the_approximate_index(tmp_path: Path) -> None:
    vectors = clustered_vectors(3000)
    spec = IndexPolicy(approximate_from=1000).spec_for(3000)
    index = FaissVectorStore.create(DIMENSION, spec, vectors)
    index.add(list(range(3000)), vectors)
    index.remove(range(0, 3000, 2))
    assert index.ids() == set(range(1, 3000, 2))
    assert all(i % 2 == 1 for i, _ in index.search(vectors[0], 50))
    index.save(tmp_path / "index.faiss")
    reopened = FaissVectorStore.load(tmp_path / "index.faiss")
    assert reopened.spec == index.spec and reopened.ids() == index.ids()


def drafts(count: int, paragraphs: int = 10, start: int = 0) -> list[ArticleDraft]:
    """Articles of distinct sentences (each paragraph names its story and number)."""
    rng = np.random.default_rng(start)
    words = [
        "river",
        "council",
        "budget",
        "rocket",
        "harvest",
        "museum",
        "vaccine",
        "court",
        "storm",
        "train",
    ]
    made = []
    for number in range(start, start + count):
        body = "\n\n".join(
            f"Story {number} part {p} reports on the {' and '.join(rng.choice(words, 3))} today."
            for p in range(paragraphs)
        )
        made.append(ArticleDraft(title=f"Story {number}", text=body, source="test"))
    return made


def open_library(folder: Path) -> Library:
    return pipeline.open_library(folder, HashingEmbedder(), IngestSettings(), SMALL_POLICY)


def assert_consistent(library: Library) -> None:
    assert library.vectors().ids() == set(library.store.paragraph_ids())


def test_a_library_crossing_the_threshold_switches_kind_and_keeps_ids(tmp_path: Path) -> None:
    library = open_library(tmp_path)
    list(add_drafts(library, drafts(15)))  # 150 paragraphs: below 200
    assert library.vectors().spec.kind == "flat"
    list(add_drafts(library, drafts(15, start=15)))  # 300: above
    assert library.vectors().spec.kind == "ivf"
    assert_consistent(library)
    saved = json.loads((tmp_path / INDEX_META_FILE).read_text("utf-8"))
    assert saved["index"]["kind"] == "ivf" and saved["count"] == 300
    library.close()

    reopened = open_library(tmp_path)
    assert reopened.vectors().spec == library.vectors().spec  # loaded, not rebuilt as flat
    assert_consistent(reopened)
    for article in reopened.articles()[:22]:  # down to 80 paragraphs: under half the threshold
        assert reopened.remove(article.id)
        assert_consistent(reopened)
    assert reopened.vectors().spec.kind == "flat"
    reopened.close()
    assert open_library(tmp_path).vectors().spec.kind == "flat"


def test_removing_an_article_above_the_threshold(tmp_path: Path) -> None:
    library = open_library(tmp_path)
    list(add_drafts(library, drafts(30)))
    target = library.articles()[4]
    gone = {p.id for p in library.paragraphs(target.id)}
    assert library.remove(target.id)
    assert library.vectors().spec.kind == "ivf"
    assert_consistent(library)
    assert not gone & {pid for pid, _ in library.vectors().search(np.ones(64), 300)}
    reopened = open_library(tmp_path)
    assert_consistent(reopened)
    assert len(reopened.vectors()) == 290


def test_article_filter_with_the_approximate_index(tmp_path: Path) -> None:
    library = open_library(tmp_path)
    list(add_drafts(library, drafts(30)))
    assert library.vectors().spec.kind == "ivf"
    chosen = [library.articles()[7].id, library.articles()[21].id]
    wanted = library.paragraphs(chosen[1])[3]
    hits = hybrid_search(
        library.store, library.vectors(), library.embedder, wanted.text, k=8, article_ids=chosen
    )
    assert len(hits) == 8
    assert {hit.paragraph.article_id for hit in hits} <= set(chosen)
    assert hits[0].paragraph.id == wanted.id


def test_an_index_saved_without_its_kind_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = open_library(tmp_path)
    list(add_drafts(library, drafts(30)))
    library.close()
    meta_path = tmp_path / INDEX_META_FILE
    meta = json.loads(meta_path.read_text("utf-8"))
    del meta["index"]  # as saved before the index had kinds
    meta_path.write_text(json.dumps(meta), "utf-8")
    builds = []
    build = Library._build_index
    monkeypatch.setattr(Library, "_build_index", lambda self: builds.append(1) or build(self))
    reopened = open_library(tmp_path)
    assert reopened.vectors().spec.kind == "ivf" and builds == [1]
    assert_consistent(reopened)
    assert open_library(tmp_path).vectors().spec.kind == "ivf" and builds == [1]


def test_training_samples_are_found_however_sparse_the_ids(tmp_path: Path) -> None:
    library = open_library(tmp_path)
    list(add_drafts(library, drafts(40)))
    with library.store.transaction() as db:  # leave only odd ids: a stride of 4 finds none
        db.execute("DELETE FROM paragraphs WHERE id % 2 = 0")
    assert len(library.store.sample_vectors(50)) == 50
    assert library.store.sample_vectors(50).shape[1] == HashingEmbedder.dimension
