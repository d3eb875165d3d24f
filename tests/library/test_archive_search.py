"""Search on the archive's server: its fusion, its HNSW setting, and its BM25, which
must rank a question's paragraphs exactly as the local library's FTS5 does."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retrieval.ingest.pipeline import add_all
from retrieval.library.library import Library
from retrieval.library.postgres import PostgresLibrary
from retrieval.search.hybrid import reciprocal_rank_fusion
from retrieval.settings import ArchiveSettings, IngestSettings
from tests.conftest import SAMPLE
from tests.library.test_postgres_archive import QUESTION, archive, archive_settings, stories
from tests.support.archive_client import MAX_CHARS
from tests.support.fakes import HashingEmbedder

__all__ = ["archive_settings", "stories"]  # fixtures shared with test_postgres_archive


def test_server_fusion_is_the_local_reciprocal_rank_fusion_of_the_server_rankings(
    archive_settings: ArchiveSettings, stories: Path, tmp_path: Path
) -> None:
    library = archive(archive_settings)
    add_all(library, [str(stories), str(SAMPLE)])
    store, embedder = library.store, library.embedder
    chosen = [a.id for a in library.articles()[:3]]
    for question in (QUESTION, "Who won the French and Indian War?", "What is a CPU?"):
        query = embedder.encode([question])[0]
        for scope in (None, chosen):
            fused = store.hybrid_ranking(query, question, 50, 24, scope, 60)
            dense = store.dense_search(query, 50, scope)
            keyword = store.keyword_search(question, 50, scope)
            local = reciprocal_rank_fusion([[i for i, _ in dense], [i for i, _ in keyword]])
            assert [(i, s) for i, s, _, _ in fused] == local[:24]
    # Dense search inside chosen articles is exact: the similarities of a full scan.
    query = embedder.encode([QUESTION])[0]
    vectors = np.concatenate([library.article_vectors(a) for a in chosen])
    cosine = (vectors @ query) / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(query))
    found = [score for _, score in store.dense_search(query, 10, chosen)]
    assert np.allclose(found, np.sort(cosine)[::-1][:10], atol=1e-5)


def test_the_dense_search_uses_the_ef_search_setting(archive_settings: ArchiveSettings) -> None:
    for ef in (archive_settings.ef_search, 120):
        library = archive(archive_settings.model_copy(update={"ef_search": ef}))
        try:
            shown = library.store._run(lambda db: db.execute("SHOW hnsw.ef_search").fetchone())
            assert shown == (str(ef),)
        finally:
            library.close()
    assert ArchiveSettings().ef_search == 800  # recall@50 ≥ 95% at 1M paragraphs (README)


def test_the_server_ranks_keywords_by_the_local_bm25(
    archive_settings: ArchiveSettings, stories: Path, tmp_path: Path
) -> None:
    """Same articles, same question: the same paragraphs in the same keyword order,
    with FTS5's BM25 scores, on the whole archive and in chosen articles."""
    files = [str(stories), str(SAMPLE)]
    server = archive(archive_settings)
    local = Library(
        tmp_path / "local", HashingEmbedder(), IngestSettings(max_paragraph_chars=MAX_CHARS)
    )
    add_all(server, files)
    add_all(local, files)

    def ranked(library: Library | PostgresLibrary, question: str, scope: bool):
        titles = {a.id: a.title for a in library.articles()}
        chosen = [i for i, t in titles.items() if "Norman" in t or "rockets" in t]
        found = library.store.keyword_search(question, 50, chosen if scope else None)
        where = {
            p.id: (titles[p.article_id], p.index)
            for p in library.store.paragraphs(ids=[i for i, _ in found])
        }
        return [(where[i], round(score, 6)) for i, score in found]

    questions = (
        QUESTION,
        "Who won the French and Indian War?",
        "When did the Normans conquer England, and who led them?",
        "Which rockets hit the embassy compound near the river?",
        "Who was Kaidu's grandfather, the well-known khan?",
    )
    for question in questions:
        for scope in (False, True):
            expected = ranked(local, question, scope)
            assert expected, question
            assert ranked(server, question, scope) == expected, (question, scope)
    # Removing an article changes every word's statistics the same way on both.
    for library in (server, local):
        library.remove(next(a.id for a in library.articles() if "Norman" in a.title))
    assert ranked(server, questions[2], False) == ranked(local, questions[2], False)
    server.close()
    local.close()
