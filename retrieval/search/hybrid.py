"""Hybrid search: dense similarity fused with keyword relevance by reciprocal rank fusion.

Locally: FAISS and FTS5 BM25, fused here. On a PostgreSQL archive the server
ranks and fuses in one statement (pgvector HNSW and the same BM25, see
``retrieval.library.archive_search``); the rest is the same for both.

Reciprocal rank fusion: Cormack, Clarke and Büttcher, SIGIR 2009.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.backends.base import Embedder
from retrieval.library.base import DenseIndex, ParagraphStore, ServerRanking
from retrieval.types import Hit


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], k: int = 60, weights: Sequence[float] | None = None
) -> list[tuple[int, float]]:
    """Fuse ranked id lists: ``score(id) = Σ weight / (k + rank)``, rank from 1.

    Returns (id, score) pairs, best first; ties keep first-seen order.
    """
    weights = weights or [1.0] * len(rankings)
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=False):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def hybrid_search(
    store: ParagraphStore,
    vectors: DenseIndex,
    embedder: Embedder,
    question: str,
    k: int = 8,
    article_ids: Sequence[int] | None = None,
    rrf_k: int = 60,
    depth: int = 50,
) -> list[Hit]:
    """The ``k`` paragraphs that best match ``question``, best first; repeated text once.

    Args:
        store: The paragraphs and their keyword index (a server-side store ranks itself).
        vectors: The dense index of the same paragraphs (ids are paragraph ids).
        embedder: Turns the question into a vector like the paragraphs'.
        question: What the user asked.
        k: How many paragraphs to return.
        article_ids: Limit the search to these articles (None: all).
        rrf_k: Reciprocal-rank-fusion constant.
        depth: How deep each ranking goes before fusion.
    """
    query = embedder.encode([question])[0]
    if isinstance(store, ServerRanking):
        ranked = store.hybrid_ranking(query, question, depth, k * 3, article_ids, rrf_k)
        fused = [(pid, score) for pid, score, _, _ in ranked]
        dense_rank = {pid: rank for pid, _, rank, _ in ranked if rank is not None}
        keyword_rank = {pid: rank for pid, _, _, rank in ranked if rank is not None}
    else:
        allowed = None if article_ids is None else store.paragraph_ids(article_ids)
        dense = vectors.search(query, depth, allowed)
        keyword = store.keyword_search(question, depth, article_ids)
        dense_rank = {pid: rank for rank, (pid, _) in enumerate(dense, start=1)}
        keyword_rank = {pid: rank for rank, (pid, _) in enumerate(keyword, start=1)}
        # Fuse deeper than k: copies of one paragraph (a syndicated story added
        # twice) are shown once, the best-ranked copy standing for all.
        fused = reciprocal_rank_fusion(
            [[pid for pid, _ in dense], [pid for pid, _ in keyword]], k=rrf_k
        )[: k * 3]
    scores = dict(fused)
    hits: list[Hit] = []
    seen: set[str] = set()
    for paragraph in store.paragraphs(ids=[pid for pid, _ in fused]):
        text = " ".join(paragraph.text.lower().split())
        if text in seen:
            continue
        seen.add(text)
        hits.append(
            Hit(paragraph, scores[paragraph.id], dense_rank.get(paragraph.id),
                keyword_rank.get(paragraph.id))
        )  # fmt: skip
        if len(hits) == k:
            break
    return hits
