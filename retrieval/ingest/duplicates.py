"""Near-duplicate articles: the same wire story syndicated under other headlines.

MinHash signatures (datasketch, Broder 1997) of each article's word 5-grams
estimate the Jaccard similarity of two bodies; page furniture and a new
headline change few shingles, so copies of one story score high while
different stories on one topic score near zero.
"""

from __future__ import annotations

import re
import threading
import weakref

import numpy as np

from retrieval.backends.deferred_imports import DATASKETCH_UNUSED, import_deferring
from retrieval.library.base import ArticleLibrary
from retrieval.types import Article

# Only MinHash is used: its LSH classes' scipy.integrate is not imported (0.3 s of launch).
MinHash = import_deferring("datasketch", DATASKETCH_UNUSED).MinHash

NUM_PERM = 128
SHINGLE_WORDS = 5
SAME_STORY = 0.6  # estimated Jaccard similarity of two copies of one story
_WORD = re.compile(r"\w+", re.UNICODE)

_signatures: weakref.WeakKeyDictionary[ArticleLibrary, dict[int, np.ndarray]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def signature(text: str) -> np.ndarray:
    """The MinHash signature of ``text``'s word 5-grams, shape ``(NUM_PERM,)``, uint64."""
    words = [w.lower() for w in _WORD.findall(text)]
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS])
        for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
    }
    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def same_story(library: ArticleLibrary, text: str) -> tuple[Article, float] | None:
    """The stored article ``text`` is a copy of, with the estimated similarity; or None.

    Signatures of the stored articles are computed once per library and kept
    up to date by :func:`remember`.
    """
    known = _known(library)
    if not known:
        return None
    ids = list(known)
    matrix = np.stack([known[i] for i in ids])
    scores = (matrix == signature(text)).mean(axis=1)
    best = int(np.argmax(scores))
    if scores[best] < SAME_STORY:
        return None
    article = library.article(ids[best])
    return (article, float(scores[best])) if article is not None else None


def remember(library: ArticleLibrary, article: Article, text: str) -> None:
    """Record a newly stored article's signature."""
    _known(library)[article.id] = signature(text)


def _known(library: ArticleLibrary) -> dict[int, np.ndarray]:
    with _lock:
        known = _signatures.get(library)
        if known is None:
            known = {a.id: signature(library.body(a.id)) for a in library.articles()}
            _signatures[library] = known
        present = {a.id for a in library.articles()}
        for gone in set(known) - present:
            del known[gone]
        return known
