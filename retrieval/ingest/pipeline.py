"""Adding articles: expand the inputs → read → split → embed → write.

Everything slow happens before the one write per article
(:meth:`retrieval.library.library.Library.store_article`), so a cancelled or
killed add never leaves half an article. Each function is a generator of
:class:`~retrieval.types.AddProgress` that stops at its next ``yield`` when
closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from retrieval.backends.base import Embedder
from retrieval.ingest.duplicates import remember, same_story
from retrieval.ingest.paragraphs import split_paragraphs
from retrieval.ingest.sources import expand_inputs, read_input
from retrieval.library.base import ArticleLibrary
from retrieval.library.library import Library, content_hash
from retrieval.library.vectors import IndexPolicy
from retrieval.settings import IngestSettings
from retrieval.types import AddProgress, Article, ArticleDraft, IngestError

EMBED_BATCH = 64


def open_library(
    folder: Path,
    embedder: Embedder,
    settings: IngestSettings,
    index_policy: IndexPolicy | None = None,
) -> Library:
    """A library that re-splits its articles with ``settings`` when the chunking changes."""
    return Library(
        folder,
        embedder,
        settings,
        index_policy,
        chunker=lambda body: split_paragraphs(body, settings),
    )


def add_inputs(library: ArticleLibrary, items: Sequence[str]) -> Iterator[AddProgress]:
    """Add files, folders, URLs and feeds; yields progress.

    A broken input is reported (``AddProgress.error``) and skipped; the others go on.
    So is each feed entry that cannot be added, its reason naming the entry.
    """
    inputs = expand_inputs(list(items))
    total = len(inputs)
    with library.batch():
        for done, item in enumerate(inputs):
            yield AddProgress(done, total, item, "Reading")
            try:
                reading = read_input(item, library.ingest)
            except IngestError as error:
                yield AddProgress(done + 1, total, item, error.reason, 1.0, error=error)
                continue
            for skipped in reading.skipped:  # a feed entry without text, named
                yield AddProgress(done, total, item, skipped.reason, error=skipped)
            if len(reading.drafts) == 1:
                try:
                    yield from _add_one(library, reading.drafts[0], done, total, item)
                except IngestError as error:
                    yield AddProgress(done + 1, total, item, error.reason, 1.0, error=error)
                    continue
            else:
                for draft in reading.drafts:
                    try:  # one feed entry of several: a failure names it, the others go on
                        yield from _add_one(library, draft, done, total, item)
                    except IngestError as error:
                        named = IngestError(item, f"feed entry “{draft.title}”: {error.reason}")
                        yield AddProgress(done, total, item, named.reason, 1.0, error=named)
            yield AddProgress(done + 1, total, item, "Added", 1.0)


def add_drafts(library: ArticleLibrary, drafts: Iterable[ArticleDraft]) -> Iterator[AddProgress]:
    """Add already-read articles (pasted text, feed entries); yields progress."""
    drafts = list(drafts)
    with library.batch():
        for done, draft in enumerate(drafts):
            try:
                yield from _add_one(library, draft, done, len(drafts), draft.title)
            except IngestError as error:
                yield AddProgress(
                    done + 1, len(drafts), draft.title, error.reason, 1.0, error=error
                )
                continue
            yield AddProgress(done + 1, len(drafts), draft.title, "Added", 1.0)


def add_all(
    library: ArticleLibrary, items: Sequence[str]
) -> tuple[list[Article], list[IngestError]]:
    """Run :func:`add_inputs` to the end; returns the articles and the failures."""
    added: list[Article] = []
    errors: list[IngestError] = []
    for step in add_inputs(library, items):
        if step.article is not None:
            added.append(step.article)
        if step.error is not None:
            errors.append(step.error)
    return added, errors


def _add_one(
    library: ArticleLibrary, draft: ArticleDraft, done: int, total: int, item: str
) -> Iterator[AddProgress]:
    settings = library.ingest
    limit = settings.max_article_chars
    if len(draft.text) > limit:
        raise IngestError(
            item,
            f"the article is too long ({len(draft.text):,} characters; the limit is "
            f"{limit:,}, setting ingest.max_article_chars)",
        )
    spans = split_paragraphs(draft.text, settings)
    if not spans:
        raise IngestError(item, "no paragraphs of text found")
    digest = content_hash(draft.text)
    existing = library.find_by_hash(digest)
    if existing is not None:
        yield AddProgress(done, total, item, "Already in the library", 1.0, existing, None, True)
        return
    copy = same_story(library, draft.text)
    texts = [span.text for span in spans]
    parts = []
    for start in range(0, len(texts), EMBED_BATCH):
        # A cancelled add stops at one of these yields, before any write.
        yield AddProgress(done, total, item, "Embedding", start / len(texts))
        parts.append(library.embedder.encode(texts[start : start + EMBED_BATCH]))
    article = library.store_article(draft, digest, spans, np.concatenate(parts))
    remember(library, article, draft.text)
    if copy is not None:
        original, _ = copy
        message = f"Same story as [{original.id}] “{original.title}”"
        yield AddProgress(done, total, item, message, 1.0, article, same_story_as=original)
        return
    yield AddProgress(done, total, item, "Stored", 1.0, article)
