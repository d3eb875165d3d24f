"""What the stages above the library need from it, whichever backend holds the articles.

Two backends implement :class:`ArticleLibrary`: the local folder
(:class:`retrieval.library.library.Library`: SQLite + FTS5 + FAISS) and a shared
PostgreSQL + pgvector archive (:class:`retrieval.library.postgres.PostgresLibrary`).
Ingest, search, answers, briefings and exports only use what is listed here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

import numpy as np

from retrieval.backends.base import Embedder
from retrieval.library.history import HistoryDatabase
from retrieval.settings import IngestSettings
from retrieval.types import Article, ArticleDraft, Paragraph, ParagraphSpan


class ArchiveError(RuntimeError):
    """The archive server cannot do what was asked; the message says why, in words."""


class DenseIndex(Protocol):
    """Vectors keyed by paragraph id, searchable by similarity (what hybrid search reads)."""

    def __len__(self) -> int: ...

    def search(
        self, query: np.ndarray, k: int, allowed: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (id, score) pairs, higher is closer, optionally only among ``allowed``."""
        ...

    def ids(self) -> set[int]:
        """Every id held."""
        ...


class ParagraphStore(Protocol):
    """Paragraph rows and their keyword index (what hybrid search reads)."""

    def paragraphs(
        self, article_id: int | None = None, ids: Sequence[int] | None = None
    ) -> list[Paragraph]:
        """Paragraphs of one article, or those with the given ids (in that order)."""
        ...

    def paragraph_ids(self, article_ids: Sequence[int] | None = None) -> list[int]:
        """Ids of every paragraph, or of those in the given articles."""
        ...

    def keyword_search(
        self, question: str, k: int, article_ids: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (paragraph id, score) pairs by keyword relevance, best first."""
        ...


@runtime_checkable
class ServerRanking(Protocol):
    """A store that runs the whole hybrid ranking itself (dense + keyword + fusion)."""

    def hybrid_ranking(
        self,
        query: np.ndarray,
        question: str,
        depth: int,
        limit: int,
        article_ids: Sequence[int] | None,
        rrf_k: int,
    ) -> list[tuple[int, float, int | None, int | None]]:
        """Fused ``(paragraph id, RRF score, dense rank, keyword rank)``, best first."""
        ...


class ArticleRows(ParagraphStore, Protocol):
    """The article and paragraph rows a backend's store reads and searches."""

    def articles(self) -> list[Article]: ...

    def article(self, article_id: int) -> Article | None: ...

    def find_by_hash(self, content_hash: str) -> Article | None: ...

    def body(self, article_id: int) -> str: ...

    def set_details(
        self, article_id: int, published: str | None, source: str, url: str | None
    ) -> bool: ...

    def article_vectors(self, article_id: int) -> np.ndarray: ...


class ArticleLibrary(ABC):
    """Articles with their paragraphs and vectors: what ingest, search and answers use.

    The reads are answered from the backend's ``store``; each backend writes
    and keeps its dense index in its own way.
    """

    embedder: Embedder
    ingest: IngestSettings
    store: ArticleRows

    @abstractmethod
    def vectors(self) -> DenseIndex:
        """The dense index (ids are paragraph ids)."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection or files."""

    @abstractmethod
    def store_article(
        self,
        draft: ArticleDraft,
        digest: str,
        spans: Sequence[ParagraphSpan],
        vectors: np.ndarray,
    ) -> Article:
        """Write one article with its paragraphs and vectors, all or nothing.

        Args:
            draft: The article as read.
            digest: Its content hash (``retrieval.library.library.content_hash``).
            spans: Its paragraphs (offsets into ``draft.text``).
            vectors: One row per paragraph, shape ``(len(spans), dimension)``.
        """

    @abstractmethod
    def batch(self) -> AbstractContextManager[None]:
        """Start a run of adds: the local backend saves its index once at the end; the
        archive first checks this login may write (``ArchiveError`` before any work)."""

    @abstractmethod
    def remove(self, article_id: int) -> bool:
        """Remove an article and its vectors; False when it was not there."""

    @abstractmethod
    def history_database(self) -> HistoryDatabase:
        """A new connection to where this library keeps the history; the caller closes it.

        Its own connection, so a window can keep an answer at once while a
        long add holds the library's own.

        Raises:
            ArchiveError: The archive's server cannot be reached.
        """

    def articles(self) -> list[Article]:
        """Every article, oldest first."""
        return self.store.articles()

    def article(self, article_id: int) -> Article | None:
        """One article, or None when it is not (or no longer) there."""
        return self.store.article(article_id)

    def find_by_hash(self, digest: str) -> Article | None:
        """The article whose body has this content hash, if stored."""
        return self.store.find_by_hash(digest)

    def paragraphs(self, article_id: int) -> list[Paragraph]:
        """The paragraphs of an article, in order."""
        return self.store.paragraphs(article_id=article_id)

    def paragraphs_by_id(self, ids: Sequence[int]) -> list[Paragraph]:
        """Paragraphs with the given ids, in that order (unknown ids skipped)."""
        return self.store.paragraphs(ids=ids)

    def set_details(
        self, article_id: int, published: str | None, source: str, url: str | None
    ) -> Article | None:
        """Set an article's publication date, source and address; the updated article.

        None when no article has this id. Paragraphs, vectors and citations
        keep their ids: only the details change.
        """
        if not self.store.set_details(article_id, published, source, url):
            return None
        return self.store.article(article_id)

    def body(self, article_id: int) -> str:
        """The full text of an article."""
        return self.store.body(article_id)

    def article_vectors(self, article_id: int) -> np.ndarray:
        """An article's stored vectors in paragraph order, shape ``(paragraphs, dimension)``."""
        return self.store.article_vectors(article_id)
