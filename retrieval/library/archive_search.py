"""Hybrid search on the archive's server: HNSW kNN, BM25 keywords, and their
reciprocal rank fusion in one statement (:class:`ArchiveSearch`).

The keyword score is SQLite FTS5's BM25 (Robertson and Zaragoza, "The
Probabilistic Relevance Framework: BM25 and Beyond", 2009; constants, column
weights and row length as in FTS5's ``fts5_aux.c``), computed from the
``tsvector`` (term frequencies by weight), ``paragraphs.tokens`` and
``paragraph_totals``, so that both backends rank keywords alike and give the
same answers. The fusion is exactly
:func:`retrieval.search.hybrid.reciprocal_rank_fusion`'s (same constant, same
tie order). Words are tokenized and stemmed as FTS5's ``porter unicode61``
does them (see ``archive_schema._migration_3`` for the few that differ).

HNSW: Malkov and Yashunin, "Efficient and robust approximate nearest neighbor
search using Hierarchical Navigable Small World graphs" (2016), as implemented
by pgvector (https://github.com/pgvector/pgvector).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import psycopg

from retrieval.text.keywords import content_words

SCORED_ROWS = 2_000
"""About how many rows a keyword query scores at most (see ``ArchiveSearch.keyword_plan``)."""
K1, B = 1.2, 0.75
"""BM25's constants, as FTS5 sets them."""

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
# A question's terms, their paragraph counts and the archive's totals, in one
# round trip: BM25's inputs (see ArchiveSearch.keyword_plan).
_TERMS = (
    ", stems AS (SELECT w.n, s.lexeme FROM words w,"
    " unnest(to_tsvector('newsdesk', newsdesk_words(w.word))) s)"
    " SELECT t.paragraphs, t.tokens,"
    " array(SELECT s.lexeme FROM stems s ORDER BY s.n, s.lexeme),"
    " array(SELECT coalesce(h.paragraphs, 0) FROM stems s"
    " LEFT JOIN lexeme_hits h ON h.lexeme = s.lexeme ORDER BY s.n, s.lexeme)"
    " FROM paragraph_totals t"
)


def _keyword_sql(terms: int, scope: str) -> str:
    """SQL: the best ``%(depth)s`` rows by BM25, as SQLite FTS5 computes it.

    ``fts5_aux.c``: Σ idf · tf·(k1+1) / (tf + k1·(1 − b + b·length/average)),
    where a term's frequency weights its text occurrences 1.0 and its title
    ones 0.4 (``ts_rank_cd`` of a one-term query with weights {D, C, B, A}
    = {0.1, 0.2, 0.4, 1.0} is that sum, in single precision: rounded to the
    fifth it is a multiple of, it is exact) and the row length counts
    text and title tokens. Every term (parameters ``term0``…, as tsqueries,
    with ``idf0``…) scores; only rows holding a ``selective`` one are scored.
    """
    if terms == 0:
        return "SELECT NULL::bigint AS id, NULL::float8 AS score, NULL::bigint AS rank WHERE false"
    weights = "'{0.1, 0.2, 0.4, 1.0}'"
    frequencies = ", ".join(
        f"round(ts_rank_cd({weights}, p.tsv, %(term{i})s::tsquery, 0) * 5.0::float8) / 5 AS tf{i}"
        for i in range(terms)
    )
    score = " + ".join(
        f"%(idf{i})s::float8 * tf{i} * {K1 + 1} / (tf{i} + norm)" for i in range(terms)
    )
    return (
        "SELECT id, score, row_number() OVER (ORDER BY score DESC, id) AS rank FROM ("
        f" SELECT id, {score} AS score FROM ("
        f" SELECT p.id, {K1} * ({1 - B} + {B} * p.tokens / %(average)s::float8) AS norm,"
        f" {frequencies} FROM paragraphs p"
        f" WHERE p.tsv @@ {_any_lexeme('selective')} {scope} OFFSET 0) scored"
        " ORDER BY score DESC, id LIMIT %(depth)s) best"
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
        """Best ``k`` (paragraph id, BM25 score) pairs, best first (higher is better)."""
        plan = self.keyword_plan(question)
        if not plan["selective"]:
            return []
        scope = "" if article_ids is None else "AND p.article_id = ANY(%(articles)s)"
        statement = _keyword_sql(len(plan["every"]), scope) + " ORDER BY rank"
        args = {**_arguments(plan), "depth": k, "articles": list(article_ids or [])}
        return self._run(lambda db: [(int(r[0]), float(r[1])) for r in db.execute(statement, args)])

    def keyword_plan(self, question: str) -> dict[str, Any]:
        """What the keyword query is given for ``question`` (one round trip to the server).

        Returns:
            ``every``: the Porter stem of each content word of the question (a
            stem repeats when two words share it: each scores, as each quoted
            word is an FTS5 phrase of its own); ``idf``: each one's inverse
            document frequency, FTS5's ``log((N − n + 0.5) / (n + 0.5))``,
            at least 1e-6, with ``n`` from ``lexeme_hits`` (exact: kept by
            the adding and removing transactions); ``average``: the mean
            paragraph length in tokens; ``selective``: the stems whose rows
            are scored.

        BM25 costs time for every row it scores, so, as locally
        (``retrieval.text.keywords.plan_keyword_query``), every stem scores
        but only rows holding one of the question's rarer stems are scored:
        the rarest stems whose paragraphs add up to at most ``SCORED_ROWS``
        (always at least the rarest one). A row holding none of them holds
        only the question's common words and ranks low anyway.
        """
        words = content_words(question)
        row = self._run(
            lambda db: db.execute(
                "WITH words AS (SELECT * FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, n))"
                f"{_TERMS}",
                (words,),
            ).fetchone()
        )
        paragraphs, tokens, every, hits = row or (0, 0, [], [])
        counts = dict(zip(every, hits, strict=True))
        selective: list[str] = []
        rows = 0
        for stem in sorted(counts, key=lambda stem: counts[stem]):
            if counts[stem] == 0:  # in no paragraph: selects nothing
                continue
            if selective and rows + counts[stem] > SCORED_ROWS:
                break
            selective.append(stem)
            rows += counts[stem]
        return {
            "every": every,
            "idf": [_idf(paragraphs, n) for n in hits],
            "average": tokens / max(paragraphs, 1),
            "selective": selective,
        }

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
        plan = self.keyword_plan(question)
        statement = (
            f"WITH dense AS ({_DENSE.format(source=source)}),"
            f" keyword AS ({_keyword_sql(len(plan['every']), scope)})"
            " SELECT coalesce(d.id, k.id),"
            " coalesce(1.0::float8 / (%(rrf)s + d.rank), 0) + coalesce(1.0::float8 / (%(rrf)s"
            " + k.rank), 0) AS score, d.rank, k.rank"
            " FROM dense d FULL OUTER JOIN keyword k ON k.id = d.id"
            " ORDER BY score DESC, d.rank NULLS LAST, k.rank LIMIT %(limit)s"
        )
        args = {
            **_arguments(plan),
            "query": as_vector(query),
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


def _idf(paragraphs: int, holding: int) -> float:
    """FTS5's inverse document frequency of a term ``holding`` of ``paragraphs`` hold."""
    idf = math.log((paragraphs - holding + 0.5) / (holding + 0.5))
    return idf if idf > 0 else 1e-6


def _arguments(plan: dict[str, Any]) -> dict[str, Any]:
    """The keyword query's parameters for ``plan`` (one tsquery and idf per term)."""
    arguments: dict[str, Any] = {"average": plan["average"], "selective": plan["selective"]}
    for i, (stem, idf) in enumerate(zip(plan["every"], plan["idf"], strict=True)):
        arguments[f"term{i}"] = "'" + stem.replace("'", "''") + "'"
        arguments[f"idf{i}"] = idf
    return arguments


def as_vector(vector: np.ndarray) -> np.ndarray:
    """``vector`` as contiguous float32, as pgvector's binary format takes it."""
    return np.ascontiguousarray(vector, dtype=np.float32)


def _rank(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]
