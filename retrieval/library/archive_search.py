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
does them (see ``archive_server._migration_3`` for the few that differ).

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
COUNTED_HITS = 5_000
"""A word's paragraphs are counted up to this many; beyond, the server's estimate is used."""
STATISTICS_SECONDS = 60.0
"""How long a word's paragraph count is reused (another client may have added since)."""

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
# BM25 as SQLite FTS5 computes it (fts5_aux.c: k1 = 1.2, b = 0.75; a term's
# frequency weights text 1.0 and title 0.4; the row length is text and title
# tokens): every term of the question scores; only rows holding a selective
# one are scored. ``terms`` may repeat a stem (two words of one stem score twice,
# as two FTS5 phrases do).
_KEYWORD = (
    "SELECT id, score, row_number() OVER (ORDER BY score DESC, id) AS rank FROM ("
    " SELECT p.id, sum(t.idf * m.tf * 2.2 / (m.tf + 1.2 * (0.25 + 0.75 * p.tokens / t.average)))"
    f" AS score FROM paragraphs p, (SELECT {_any_lexeme('selective')} AS selective) q,"
    " LATERAL (SELECT u.lexeme, (SELECT sum(CASE w WHEN 'A' THEN 1.0 ELSE 0.4 END)"
    " FROM unnest(u.weights) w)::float8 AS tf FROM unnest(p.tsv) u"
    " WHERE u.lexeme = ANY(%(every)s::text[])) m,"
    " (SELECT lexeme, average, CASE WHEN idf <= 0 THEN 1e-6 ELSE idf END AS idf FROM ("
    " SELECT term.lexeme, s.average,"
    " ln((greatest(s.n - term.hits, 0) + 0.5) / (term.hits + 0.5)) AS idf"
    " FROM unnest(%(every)s::text[], %(hits)s::float8[]) AS term(lexeme, hits),"
    " (SELECT paragraphs::float8 AS n, tokens::float8 / greatest(paragraphs, 1) AS average"
    " FROM paragraph_totals) s) raw) t"
    " WHERE p.tsv @@ q.selective AND t.lexeme = m.lexeme {scope}"
    " GROUP BY p.id ORDER BY score DESC, p.id LIMIT %(depth)s) best"
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
        self._hits_cache: dict[str, tuple[float, float]] = {}  # stem: (paragraphs, when counted)

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
        if not plan["every"]:
            return []
        scope = "" if article_ids is None else "AND p.article_id = ANY(%(articles)s)"
        statement = _KEYWORD.format(scope=scope) + " ORDER BY rank"
        args = {**plan, "depth": k, "articles": list(article_ids or [])}
        return self._run(lambda db: [(int(r[0]), float(r[1])) for r in db.execute(statement, args)])

    def keyword_plan(self, question: str) -> dict[str, list[str] | list[float]]:
        """What the keyword query is given for ``question``.

        Returns:
            ``every``: the Porter stem of each content word of the question (a
            stem repeats when two words share it: each scores, as each
            quoted word is an FTS5 phrase of its own); ``hits``: how many
            paragraphs hold each (BM25's document frequency); ``selective``:
            the stems whose rows are scored.

        BM25 costs time for every row it scores, so, as locally
        (``retrieval.text.keywords.plan_keyword_query``), every stem scores
        but only rows holding one of the question's rarer stems are scored:
        the rarest stems whose paragraphs add up to at most ``SCORED_ROWS``
        (always at least the rarest one). A row holding none of them holds
        only the question's common words and ranks low anyway.
        """
        every = [stem for word in content_words(question) for stem in self._terms(word)]
        hits = self._hits(every)
        distinct = dict(zip(every, hits, strict=True))
        selective: list[str] = []
        rows = 0.0
        for stem in sorted(distinct, key=lambda stem: distinct[stem]):
            if selective and rows + distinct[stem] > SCORED_ROWS:
                break
            selective.append(stem)
            rows += distinct[stem]
        return {"every": every, "hits": hits, "selective": selective}

    def forget_statistics(self) -> None:
        """Drop the cached paragraph counts of words (after this client added or removed)."""
        self._hits_cache.clear()

    def _terms(self, word: str) -> list[str]:
        """The Porter stems of one word, as the archive's ``tsvector`` holds them.

        A word FTS5 cuts in parts (``well-known``, ``O'Brien``) gives a stem per
        part, each scored as a term (FTS5 scores the parts as one phrase).
        """
        if word not in self._stem_cache:
            rows = self._run(
                lambda db: db.execute(
                    "SELECT lexeme FROM unnest(to_tsvector('newsdesk', newsdesk_words(%s)))"
                    " ORDER BY positions[1], lexeme",
                    (word,),
                ).fetchall()
            )
            if len(self._stem_cache) > 50_000:
                self._stem_cache.clear()
            self._stem_cache[word] = [row[0] for row in rows]
        return self._stem_cache[word]

    def _hits(self, stems: Sequence[str]) -> list[float]:
        """How many paragraphs hold each stem: counted (up to ``COUNTED_HITS``) on the
        server's GIN index and kept ``STATISTICS_SECONDS``; beyond that, PostgreSQL's
        own estimate (``pg_stats.most_common_elems`` of ``tsv``, kept by ANALYZE)."""
        now = time.monotonic()
        missing = [
            stem
            for stem in dict.fromkeys(stems)
            if now - self._hits_cache.get(stem, (0.0, -float("inf")))[1] >= STATISTICS_SECONDS
        ]
        if missing:
            rows = self._run(
                lambda db: db.execute(
                    "SELECT (SELECT count(*) FROM (SELECT 1 FROM paragraphs"
                    " WHERE tsv @@ to_tsquery('simple', quote_literal(stem))"
                    " LIMIT %(cap)s) found) FROM unnest(%(stems)s::text[]) stem",
                    {"stems": missing, "cap": COUNTED_HITS},
                ).fetchall()
            )
            estimates = self._stem_counts() if any(r[0] >= COUNTED_HITS for r in rows) else {}
            for stem, (counted,) in zip(missing, rows, strict=True):
                found = float(counted)
                if counted >= COUNTED_HITS:
                    found = max(found, estimates.get(stem, 0.0))
                self._hits_cache[stem] = (found, now)
            if len(self._hits_cache) > 50_000:
                self._hits_cache = {s: self._hits_cache[s] for s in missing}
        return [self._hits_cache[stem][0] for stem in stems]

    def _stem_counts(self) -> dict[str, float]:
        """Estimated paragraphs holding each common stem (empty before the first ANALYZE)."""
        rows = self._run(
            lambda db: db.execute(
                "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs,"
                " c.reltuples FROM pg_stats s JOIN pg_class c ON c.oid = 'paragraphs'::regclass"
                " WHERE s.schemaname = current_schema() AND s.tablename = 'paragraphs'"
                " AND s.attname = 'tsv'"
            ).fetchall()
        )
        if not (rows and rows[0][0] and rows[0][1]):
            return {}
        stems, frequencies, total = rows[0]
        return {s: f * max(total, 0) for s, f in zip(stems, frequencies, strict=False)}

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
            f" keyword AS ({_KEYWORD.format(scope=scope)})"
            " SELECT coalesce(d.id, k.id),"
            " coalesce(1.0::float8 / (%(rrf)s + d.rank), 0) + coalesce(1.0::float8 / (%(rrf)s"
            " + k.rank), 0) AS score, d.rank, k.rank"
            " FROM dense d FULL OUTER JOIN keyword k ON k.id = d.id"
            " ORDER BY score DESC, d.rank NULLS LAST, k.rank LIMIT %(limit)s"
        )
        args = {
            **plan,
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


def as_vector(vector: np.ndarray) -> np.ndarray:
    """``vector`` as contiguous float32, as pgvector's binary format takes it."""
    return np.ascontiguousarray(vector, dtype=np.float32)


def _rank(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]
