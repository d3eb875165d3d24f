"""A shared archive on PostgreSQL with pgvector: the library for a team.

Same contract as the local library (:class:`retrieval.library.base.ArticleLibrary`):
:class:`PostgresLibrary` here, over four parts:

- :mod:`retrieval.library.archive_server`: connecting (the password from
  ``NEWSDESK_DB_PASSWORD``, the keyring or ``~/.pgpass``, never a setting),
  every failure as an :class:`~retrieval.library.base.ArchiveError` in words
  (server down, too slow, login refused, read-only role, pgvector missing),
  and the versioned schema the app creates and migrates: articles; paragraphs
  with their offsets, a generated ``tsvector`` with a GIN index and a
  ``vector(dimension)`` column with an HNSW index for cosine distance; the
  history of questions and briefings, each login seeing its own.
- :mod:`retrieval.library.archive_store`: the rows, one transaction per
  article (a killed client leaves nothing; two clients adding the same story
  store it once).
- :mod:`retrieval.library.archive_search`: hybrid search on the server in one
  statement, fused by reciprocal rank fusion exactly as locally.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

import numpy as np

from retrieval.backends.base import Embedder
from retrieval.library.archive_server import describe
from retrieval.library.archive_store import PostgresStore
from retrieval.library.base import ArchiveError, ArticleLibrary
from retrieval.settings import ArchiveSettings, IngestSettings
from retrieval.types import Article, ArticleDraft, ParagraphSpan


class PostgresVectors:
    """The archive's dense index seen as a :class:`~retrieval.library.base.DenseIndex`.

    The HNSW index lives in the server and follows every committed write, so
    there is nothing to add, remove or save here.
    """

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def __len__(self) -> int:
        return self.store.paragraph_count()

    def search(
        self, query: np.ndarray, k: int, allowed: Sequence[int] | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` (paragraph id, cosine similarity), optionally among ``allowed`` ids."""
        if allowed is None:
            return self.store.dense_search(query, k)
        wanted = set(allowed)
        # Rank the allowed paragraphs exactly: their articles, then keep only those ids.
        articles = sorted({p.article_id for p in self.store.paragraphs(ids=list(wanted))})
        found = self.store.dense_search(query, len(wanted), articles)
        return [(pid, score) for pid, score in found if pid in wanted][:k]

    def ids(self) -> set[int]:
        """Every paragraph id in the archive."""
        return set(self.store.paragraph_ids())


class PostgresLibrary(ArticleLibrary):
    """A shared archive on a PostgreSQL server: an :class:`~retrieval.library.base.ArticleLibrary`.

    Raises (on construction):
        ArchiveError: The server cannot be reached, refuses the login, lacks
            pgvector, or holds an archive of another embedding model.
    """

    def __init__(
        self, settings: ArchiveSettings, embedder: Embedder, ingest: IngestSettings
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.ingest = ingest
        self.store: PostgresStore = PostgresStore(settings, embedder)
        self._vectors = PostgresVectors(self.store)

    @property
    def where(self) -> str:
        """``user@host/dbname``, for messages."""
        return describe(self.settings.dsn)

    def vectors(self) -> PostgresVectors:
        """The dense index (kept by the server)."""
        return self._vectors

    def close(self) -> None:
        """Close the connection."""
        self.store.close()

    def store_article(
        self,
        draft: ArticleDraft,
        digest: str,
        spans: Sequence[ParagraphSpan],
        vectors: np.ndarray,
        added: str | None = None,
    ) -> Article:
        """Write one article with its paragraphs and vectors in one transaction.

        When another client stored the same text first, its article is
        returned and nothing is written.

        Raises:
            ArchiveError: The login is read-only, or the server failed (nothing is written).
        """
        article_id = self.store.insert_article(draft, digest, spans, vectors, added)
        article = self.find_by_hash(digest) if article_id is None else self.article(article_id)
        if article is None:  # stored, then removed by another client at once
            raise ArchiveError(f"The article was removed from the archive {self.where} meanwhile.")
        return article

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Start adding: first check this login may write, so a read-only one is told
        before anything is read or embedded. Nothing to group: the server indexes
        every committed article at once.

        Raises:
            ArchiveError: The login or the server is read-only (in words).
        """
        self.store.check_writable()
        yield

    def remove(self, article_id: int) -> bool:
        """Remove an article and its paragraphs; False when it was not there."""
        return self.store.delete_article(article_id)

    def history_database(self) -> PostgresStore:
        """A new connection to the archive, for the history (each login sees its own).

        Raises:
            ArchiveError: The server cannot be reached or refuses the login.
        """
        return PostgresStore(self.settings, self.embedder)
