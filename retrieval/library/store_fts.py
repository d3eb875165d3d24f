"""The SQL of a BM25 keyword search over the library's FTS5 table.

:func:`bm25_sql` turns a planned :class:`~retrieval.text.keywords.KeywordQuery`
into one statement for :meth:`retrieval.library.store.Store.keyword_search`
(SQLite FTS5's ``bm25()``, the paragraph's text weighted 1.0 and its article's
title 0.4).
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.text.keywords import KeywordQuery


def bm25_sql(
    query: KeywordQuery, k: int, article_ids: Sequence[int] | None = None
) -> tuple[str, list[object]]:
    """The statement and its parameters giving ``(paragraph id, score)`` rows, best
    ``k`` first (higher score = better), only of ``article_ids`` when given."""
    score = "bm25(paragraph_fts, 1.0, 0.4)"
    if query.candidates is None:
        sql = f"SELECT rowid, -{score} AS score FROM paragraph_fts WHERE paragraph_fts MATCH ?"
        args: list[object] = [query.match]
        column = "rowid"
    else:
        # BM25 adds up per word. "candidates AND every word" scores each
        # selective word twice; subtracting the candidates' own score
        # leaves the BM25 of the whole question, while FTS5 only walks
        # the rows that hold a selective word (materialized, so it is not
        # restarted row by row).
        rows = f"SELECT rowid AS id, {score} AS s FROM paragraph_fts WHERE paragraph_fts MATCH ?"
        sql = (
            f"WITH doubled AS MATERIALIZED ({rows}), selective AS MATERIALIZED ({rows})"
            " SELECT doubled.id, selective.s - doubled.s AS score"
            " FROM doubled JOIN selective ON selective.id = doubled.id WHERE 1"
        )
        args = [f"({query.candidates}) AND ({query.match})", query.candidates]
        column = "doubled.id"
    if article_ids is not None:
        marks = ",".join("?" * len(article_ids))
        sql += f" AND {column} IN (SELECT id FROM paragraphs WHERE article_id IN ({marks}))"
        args.extend(article_ids)
    sql += " ORDER BY score DESC LIMIT ?"
    args.append(k)
    return sql, args
