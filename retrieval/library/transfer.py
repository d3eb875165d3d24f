"""Copying articles between libraries: a laptop's folder to a team archive and back.

``newsdesk library push --to DSN`` and ``pull --from DSN`` run
:func:`copy_library`. Each article is copied with its paragraphs, offsets and
stored vectors (nothing is re-embedded) in one write on the target, and an
article whose content hash the target already holds is skipped: running it
again after an interruption carries on where it stopped, and running it twice
copies nothing twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from retrieval.library.base import ArticleLibrary
from retrieval.types import AddProgress, ArticleDraft, ParagraphSpan


def copy_library(source: ArticleLibrary, target: ArticleLibrary) -> Iterator[AddProgress]:
    """Copy every article of ``source`` that ``target`` lacks; yields one step per article.

    Each step's ``message`` says how many were copied and skipped so far and,
    once one article is done, about how long the rest will take.

    Raises:
        ValueError: The two libraries were embedded with different models.
        ArchiveError: The archive failed or is read-only (what was copied stays).
    """
    if source.embedder.name != target.embedder.name:
        raise ValueError(
            f"the libraries use different embedding models ({source.embedder.name} and "
            f"{target.embedder.name}): their vectors cannot be mixed"
        )
    articles = source.articles()
    total = len(articles)
    copied = skipped = 0
    started = time.monotonic()
    with target.batch():
        for done, article in enumerate(articles, start=1):
            stored = target.find_by_hash(article.content_hash)
            already_there = stored is not None
            if stored is None:
                draft = ArticleDraft(
                    title=article.title,
                    text=source.body(article.id),
                    source=article.source,
                    url=article.url,
                    published=article.published,
                    author=article.author,
                    file=article.file,
                )
                spans = [
                    ParagraphSpan(p.start, p.end, p.text) for p in source.paragraphs(article.id)
                ]
                vectors = source.article_vectors(article.id)
                stored = target.store_article(draft, article.content_hash, spans, vectors)
                copied += 1
            else:
                skipped += 1
            elapsed = time.monotonic() - started
            left = elapsed / done * (total - done)
            message = f"{copied} copied, {skipped} already there" + (
                f", about {_duration(left)} left" if done < total else ""
            )
            yield AddProgress(
                done, total, article.title, message, 1.0, stored, duplicate=already_there
            )


def _duration(seconds: float) -> str:
    """``"1 h 5 min"``, ``"3 min 20 s"`` or ``"12 s"``."""
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds} s"
