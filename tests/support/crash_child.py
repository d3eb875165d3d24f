"""The process that the crash-safety tests kill: adds or removes articles.

Usage: ``python tests/crash_child.py LIBRARY add|remove TARGET [HOOK COUNT]``.
``add`` adds the folder TARGET; ``remove`` removes the comma-separated article
ids in TARGET. With HOOK, the process prints ``paused`` and stops (to be
killed) at the COUNT-th time it reaches that point:

- ``transaction``: inside the write transaction, before it commits;
- ``committed``: after the commit, before the in-memory FAISS index changes;
- ``index-written``: the new index file is written beside the old one;
- ``index-renamed``: the index file is replaced, its metadata not yet.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import faiss  # noqa: E402

import retrieval.library.store as store  # noqa: E402
from retrieval.ingest.pipeline import (
    add_inputs,
    open_library,  # noqa: E402
)
from retrieval.library.vectors import FaissVectorStore  # noqa: E402
from retrieval.settings import IngestSettings  # noqa: E402
from tests.support.fakes import HashingEmbedder  # noqa: E402

MAX_CHARS = 200
# Each article takes at least this long, so a kill after a delay lands mid-job.
ADD_PAUSE = 0.05
REMOVE_PAUSE = 0.04


def pause_at(owner: Any, name: str, after: bool, count: int) -> None:
    """Make ``owner.name`` stop the process on its ``count``-th call."""
    original = getattr(owner, name)
    calls = [0]

    def paused(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs) if after else None
        calls[0] += 1
        if calls[0] == count:
            print("paused", flush=True)
            time.sleep(60)
        return result if after else original(*args, **kwargs)

    setattr(owner, name, paused)


def install(hook: str, action: str, count: int) -> None:
    if hook == "transaction":
        target = "_insert_paragraphs" if action == "add" else "_delete_paragraphs"
        pause_at(store, target, after=True, count=count)
    elif hook == "committed":
        pause_at(FaissVectorStore, "add" if action == "add" else "remove", False, count)
    elif hook == "index-written":
        pause_at(faiss, "write_index", after=True, count=count)
    elif hook == "index-renamed":
        pause_at(FaissVectorStore, "save", after=True, count=count)


class SlowEmbedder(HashingEmbedder):
    """Slow enough that an add of a few dozen articles takes over a second."""

    def encode(self, texts: Any) -> Any:
        time.sleep(ADD_PAUSE)
        return super().encode(texts)


def main(folder: str, action: str, target: str, hook: str = "", count: str = "1") -> None:
    settings = IngestSettings(max_paragraph_chars=MAX_CHARS)
    library = open_library(Path(folder), SlowEmbedder(), settings)
    library.vectors()  # opening may rebuild the index: not a point under test
    if hook:
        install(hook, action, int(count))
    print("ready", flush=True)
    if action == "add":
        for _ in add_inputs(library, [target]):
            pass
    else:
        for article_id in (int(i) for i in target.split(",")):
            library.remove(article_id)
            time.sleep(REMOVE_PAUSE)
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
