"""The library: where articles and their paragraph vectors are stored.

Reading, splitting and embedding happen in :mod:`retrieval.ingest.pipeline`,
which writes through :meth:`Library.store_article`.

How an interrupted add (crash, kill, power loss) can never leave the database
and the FAISS index disagreeing, nor show a half-added article:

1. Everything slow (reading, splitting, embedding) happens before any write
   (in the ingest pipeline).
2. An article, its paragraphs, their vectors and their FTS5 rows are then
   committed in ONE SQLite transaction (WAL, ``synchronous=FULL``), which also
   bumps a ``generation`` counter. Until that commit nothing of the article
   exists; after it, all of it does.
3. The FAISS index is only a cache of the vectors stored in SQLite. It is
   saved atomically (write + rename) together with the generation it reflects.
   On open, an index whose generation, embedding model or chunking differs
   from the database is rebuilt from the stored vectors (no re-embedding
   unless the model changed), so a kill between the commit and the index save
   costs one rebuild, never a disagreement.
4. The index's kind (exact flat, or approximate IVF above a size; see
   ``retrieval.library.vectors.IndexPolicy``) is saved in the same metadata. An index
   that no longer suits the library's size is rebuilt from the database when
   a batch of adds or a remove ends, or on open, never in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from retrieval.backends.base import Embedder
from retrieval.library.base import ArticleLibrary
from retrieval.library.store import Store
from retrieval.library.vectors import FaissVectorStore, IndexPolicy, IndexSpec, faiss_version
from retrieval.settings import IngestSettings
from retrieval.types import Article, ArticleDraft, ParagraphSpan

DATABASE_FILE = "library.sqlite3"
INDEX_FILE = "paragraphs.faiss"
INDEX_META_FILE = "paragraphs.faiss.json"
FORMAT_VERSION = 1


class Library(ArticleLibrary):
    """Articles in SQLite plus their paragraph vectors in FAISS."""

    def __init__(
        self,
        folder: Path,
        embedder: Embedder,
        ingest: IngestSettings,
        index_policy: IndexPolicy | None = None,
        chunker: Callable[[str], list[ParagraphSpan]] | None = None,
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.embedder = embedder
        self.ingest = ingest
        self.index_policy = index_policy or IndexPolicy()
        self.chunker = chunker
        self.store: Store = Store(folder / DATABASE_FILE)
        self._vectors: FaissVectorStore | None = None
        self._lock = threading.RLock()

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    # -- reading (articles, paragraphs, bodies: ArticleLibrary) ---------

    def vectors(self) -> FaissVectorStore:
        """The FAISS index, checked against the database on first use."""
        with self._lock:
            if self._vectors is None:
                self._vectors = self._open_index()
            return self._vectors

    # -- adding and removing ---------------------------------------------

    def store_article(
        self,
        draft: ArticleDraft,
        digest: str,
        spans: Sequence[ParagraphSpan],
        vectors: np.ndarray,
    ) -> Article:
        """Write one article with its paragraphs and vectors in one transaction.

        Args:
            draft: The article as read.
            digest: Its :func:`content_hash`.
            spans: Its paragraphs (offsets into ``draft.text``).
            vectors: One row per paragraph, shape ``(len(spans), dimension)``.

        Returns:
            The stored article.
        """
        with self._lock:
            index = self.vectors()
            article_id, ids = self.store.insert_article(draft, digest, spans, vectors)
            index.add(ids, vectors)
        article = self.store.article(article_id)
        assert article is not None
        return article

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Save the FAISS index once when a batch of adds ends, if it wrote anything.

        Once per batch, not per article: a large folder would otherwise
        rewrite the whole index after every file.
        """
        generation = self.store.generation()
        try:
            yield
        finally:
            if self._vectors is not None and self.store.generation() != generation:
                self._save_index(self._refit_index())

    def remove(self, article_id: int) -> bool:
        """Remove an article and its vectors; False when it was not there."""
        with self._lock:
            if self.store.article(article_id) is None:
                return False
            vectors = self.vectors()
            ids = self.store.delete_article(article_id)
            vectors.remove(ids)
            self._save_index(self._refit_index())
            return True

    def history_database(self) -> Store:
        """A new connection to the library's database file, for the history."""
        return Store(self.store.path)

    def build_key(self) -> dict[str, object]:
        """What the index depends on; any change forces a rebuild."""
        return {
            "format": FORMAT_VERSION,
            "embedding_model": self.embedder.name,
            "max_paragraph_chars": self.ingest.max_paragraph_chars,
            "target_paragraph_sentences": self.ingest.target_paragraph_sentences,
            "min_paragraph_chars": self.ingest.min_paragraph_chars,
        }

    def _open_index(self) -> FaissVectorStore:
        key = self.build_key()
        stored_key = json.loads(self.store.meta("build_key") or "null")
        if stored_key is not None and stored_key != key:
            self._rebuild_paragraphs()
        if stored_key != key:
            self.store.set_meta("build_key", json.dumps(key, sort_keys=True))
        meta_path = self.folder / INDEX_META_FILE
        index_path = self.folder / INDEX_FILE
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            spec = IndexSpec.from_dict(meta.get("index"))
            if (
                meta.get("build_key") == key
                and meta.get("generation") == self.store.generation()
                and spec is not None
                and self.index_policy.suits(spec, self.store.paragraph_count())
            ):
                loaded = FaissVectorStore.load(index_path, self.index_policy)
                if loaded.spec.kind == spec.kind and loaded.spec.cells == spec.cells:
                    return loaded
        except (OSError, ValueError, RuntimeError):
            pass  # missing or damaged: rebuilt below from the database
        vectors = self._build_index()
        self._save_index(vectors)
        return vectors

    def _build_index(self) -> FaissVectorStore:
        """A new index, of the kind that suits the library's size, from the stored vectors."""
        spec = self.index_policy.spec_for(self.store.paragraph_count())
        training = None
        if spec.kind == "ivf":
            training = self.store.sample_vectors(self.index_policy.training_size(spec))
        vectors = FaissVectorStore.create(self.embedder.dimension, spec, training)
        for ids, batch in self.store.iter_vectors():
            vectors.add(ids, batch)
        return vectors

    def _refit_index(self) -> FaissVectorStore:
        """The index, rebuilt first if the library grew or shrank out of its kind."""
        with self._lock:
            vectors = self.vectors()
            if not self.index_policy.suits(vectors.spec, len(vectors)):
                vectors = self._vectors = self._build_index()
            return vectors

    def _save_index(self, vectors: FaissVectorStore) -> None:
        vectors.save(self.folder / INDEX_FILE)
        meta = {
            "build_key": self.build_key(),
            "generation": self.store.generation(),
            "dimension": vectors.dimension,
            "count": len(vectors),
            "index": vectors.spec.as_dict(),
            "faiss": faiss_version(),
        }
        temp = self.folder / (INDEX_META_FILE + ".tmp")
        temp.write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(temp, self.folder / INDEX_META_FILE)

    def _rebuild_paragraphs(self) -> None:
        """Re-split and re-embed every article (model or chunking changed).

        Raises:
            RuntimeError: The library was opened without a ``chunker``.
        """
        if self.chunker is None:
            raise RuntimeError(
                "the library was built with other chunking or another embedding model; "
                "open it through retrieval.ingest.pipeline.open_library to rebuild it"
            )
        for article in self.store.articles():
            body = self.store.body(article.id)
            spans = self.chunker(body) or []
            vectors = self.embedder.encode([s.text for s in spans])
            self.store.replace_paragraphs(article.id, article.title, spans, vectors)


def content_hash(text: str) -> str:
    """Hash of an article body, blind to whitespace differences."""
    normal = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()
