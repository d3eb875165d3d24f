"""Hybrid search on the archive's server: HNSW kNN, ``ts_rank_cd`` keywords, and
their reciprocal rank fusion in one statement (:class:`ArchiveSearch`).

The fusion is exactly :func:`retrieval.search.hybrid.reciprocal_rank_fusion`'s
(same constant, same tie order), so both backends rank alike.

HNSW: Malkov and Yashunin, "Efficient and robust approximate nearest neighbor
search using Hierarchical Navigable Small World graphs" (2016), as implemented
by pgvector (https://github.com/pgvector/pgvector).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import psycopg

from retrieval.text.keywords import content_words

SCORED_ROWS = 2_000
"""About how many rows a keyword query scores at most (see ``ArchiveSearch.keyword_plan``)."""
STATISTICS_SECONDS = 60.0
"""How long the server's word-frequency estimates are reused before they are read again."""

T = TypeVar("T")


def _any_lexeme(name: str) -> str:
    """SQL: a tsquery OR-ing the stems in parameter ``name`` ('simple' keeps them as
    they are); NULL when there are none, which matches nothing."""
    return (
        "(SELECT to_tsquery('simple', string_agg(quote_literal(lexeme), ' | '))"
        f" FROM unnest(%({name})s::text[]) AS lexeme)"
    )


# The kNN (HNSW, or exact in chosen articles), equal distances in id order.
_DENSE = (
    "SELECT id, row_number() OVER (ORDER BY distance, id) AS rank FROM ("
    " SELECT id, embedding <=> %(query)s AS distance FROM {source}"
    " ORDER BY embedding <=> %(query)s LIMIT %(depth)s) nearest"
)
# Every stem of the question scores (ts_rank_cd, text weighted 1.0, title 0.4
# as the local BM25 weights them); only rows holding a selective stem are scored.
_KEYWORD = (
    "SELECT id, score, row_number() OVER (ORDER BY score DESC, id) AS rank FROM ("
    " SELECT p.id, ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', p.tsv, q.every) AS score"
    f" FROM paragraphs p, (SELECT {_any_lexeme('every')} AS every,"
    f" {_any_lexeme('selective')} AS selective) q"
    " WHERE p.tsv @@ q.selective {scope} ORDER BY score DESC, p.id LIMIT %(depth)s) best"
)
# Exact search inside chosen articles (HNSW would filter after its candidate
# list and could miss them); OFFSET 0 keeps the planner from using HNSW.
_CHOSEN = (
    "(SELECT * FROM (SELECT id, embedding FROM paragraphs"
    " WHERE article_id = ANY(%(articles)s) OFFSET 0) chosen)"
)


class ArchiveSearch(ABC):
    """The searches a :class:`~retrieval.library.archive_store.PostgresStore` runs on the server.

    A subclass gives :meth:`_run` (its connection, under its lock, errors in words).
    """

    def __init__(self) -> None:
        self._stem_cache: dict[str, list[str]] = {}
        self._counts: dict[str, float] = {}
        self._counts_read = -float("inf")

    @abstractmethod
    def _run(self, work: Callable[[psycopg.Connection[Any]], T], retry: bool = True) -> T:
        """``work(connection)``, its errors as ``ArchiveError``."""

    def dense_search(
        self, query: np.ndarray, k: int, article_ids: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (paragraph id, cosine similarity) pairs by HNSW (exact in chosen articles)."""
        source = "paragraphs" if article_ids is None else _CHOSEN
        statement = (
            "SELECT id, 1 - distance FROM ("
            f" SELECT id, embedding <=> %(query)s AS distance FROM {source}"
            " ORDER BY embedding <=> %(query)s LIMIT %(depth)s) nearest ORDER BY distance, id"
        )
        args = {"query": as_vector(query), "depth": k, "articles": list(article_ids or [])}
        return self._run(lambda db: [(int(r[0]), float(r[1])) for r in db.execute(statement, args)])

    def keyword_search(
        self, question: str, k: int, article_ids: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (paragraph id, ``ts_rank_cd`` score) pairs, best first."""
        every, selective = self.keyword_plan(question)
        if not every:
            return []
        scope = "" if article_ids is None else "AND p.article_id = ANY(%(articles)s)"
        statement = _KEYWORD.format(scope=scope) + " ORDER BY rank"
        args = {
            "every": every,
            "selective": selective,
            "depth": k,
            "articles": list(article_ids or []),
        }
        return self._run(lambda db: [(int(r[0]), float(r[1])) for r in db.execute(statement, args)])

    def keyword_plan(self, question: str) -> tuple[list[str], list[str]]:
        """The question's English stems: all of them (they score), and those that pick the rows.

        ``ts_rank_cd`` reads each scored row's ``tsvector`` from the table, so
        the cost is in rows scored. As locally
        (``retrieval.text.keywords.plan_keyword_query``) every stem scores but
        only rows holding one of the question's rarer stems are scored: here
        the rarest stems whose paragraphs add up to at most ``SCORED_ROWS``
        (always at least the rarest one). A row holding none of them holds
        only the question's common words and ranks low anyway. How many
        paragraphs hold a stem is PostgreSQL's own estimate
        (``pg_stats.most_common_elems`` of ``tsv``, kept by ANALYZE; a stem not
        listed is rarer than every listed one), read at most once a minute.
        """
        every = list(dict.fromkeys(s for w in content_words(question) for s in self._stems(w)))
        counts = self._stem_counts()
        floor = min(counts.values(), default=0.0)
        estimate = {stem: counts.get(stem, floor) for stem in every}
        if sum(estimate.values()) <= SCORED_ROWS:
            return every, every
        selective: list[str] = []
        rows = 0.0
        for stem in sorted(every, key=lambda stem: estimate[stem]):
            if selective and rows + estimate[stem] > SCORED_ROWS:
                break
            selective.append(stem)
            rows += estimate[stem]
        return every, selective

    def _stems(self, word: str) -> list[str]:
        """The English stems of one word, as ``to_tsvector('english', …)`` makes them."""
        if word not in self._stem_cache:
            rows = self._run(
                lambda db: db.execute(
                    "SELECT tsvector_to_array(to_tsvector('english', %s))", (word,)
                ).fetchall()
            )
            if len(self._stem_cache) > 50_000:
                self._stem_cache.clear()
            self._stem_cache[word] = list(rows[0][0] or [])
        return self._stem_cache[word]

    def _stem_counts(self) -> dict[str, float]:
        """Estimated paragraphs holding each common stem (empty before the first ANALYZE)."""
        now = time.monotonic()
        if now - self._counts_read < STATISTICS_SECONDS:
            return self._counts
        rows = self._run(
            lambda db: db.execute(
                "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs,"
                " c.reltuples FROM pg_stats s JOIN pg_class c ON c.oid = 'paragraphs'::regclass"
                " WHERE s.schemaname = current_schema() AND s.tablename = 'paragraphs'"
                " AND s.attname = 'tsv'"
            ).fetchall()
        )
        counts: dict[str, float] = {}
        if rows and rows[0][0] and rows[0][1]:
            stems, frequencies, total = rows[0]
            counts = {s: f * max(total, 0) for s, f in zip(stems, frequencies, strict=False)}
        self._counts, self._counts_read = counts, now
        return counts

    def hybrid_ranking(
        self,
        query: np.ndarray,
        question: str,
        depth: int,
        limit: int,
        article_ids: Sequence[int] | None,
        rrf_k: int,
    ) -> list[tuple[int, float, int | None, int | None]]:
        """Dense and keyword rankings fused by reciprocal rank fusion, in one statement.

        ``score = 1/(rrf_k + dense rank) + 1/(rrf_k + keyword rank)`` (a missing
        rank adds nothing); ties keep the dense ranking's order, then the
        keyword ranking's, as the local fusion does (Cormack, Clarke and
        Büttcher, SIGIR 2009).

        Returns:
            Up to ``limit`` ``(paragraph id, score, dense rank, keyword rank)``, best first.
        """
        source = "paragraphs" if article_ids is None else _CHOSEN
        scope = "" if article_ids is None else "AND p.article_id = ANY(%(articles)s)"
        every, selective = self.keyword_plan(question)
        statement = (
            f"WITH dense AS ({_DENSE.format(source=source)}),"
            f" keyword AS ({_KEYWORD.format(scope=scope)})"
            " SELECT coalesce(d.id, k.id),"
            " coalesce(1.0::float8 / (%(rrf)s + d.rank), 0) + coalesce(1.0::float8 / (%(rrf)s"
            " + k.rank), 0) AS score, d.rank, k.rank"
            " FROM dense d FULL OUTER JOIN keyword k ON k.id = d.id"
            " ORDER BY score DESC, d.rank NULLS LAST, k.rank LIMIT %(limit)s"
        )
        args = {
            "query": as_vector(query),
            "every": every,
            "selective": selective,
            "depth": depth,
            "limit": limit,
            "rrf": rrf_k,
            "articles": list(article_ids or []),
        }
        return self._run(
            lambda db: [
                (int(r[0]), float(r[1]), _rank(r[2]), _rank(r[3]))
                for r in db.execute(statement, args)
            ]
        )


def as_vector(vector: np.ndarray) -> np.ndarray:
    """``vector`` as contiguous float32, as pgvector's binary format takes it."""
    return np.ascontiguousarray(vector, dtype=np.float32)


def _rank(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]
