"""Killing an add or a remove (SIGKILL) at many points never leaves the database
and the FAISS index disagreeing, never shows a half-added or half-removed
article, and running the same command again completes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from retrieval.ingest import pipeline
from retrieval.ingest.paragraphs import split_paragraphs
from retrieval.ingest.pipeline import add_all
from retrieval.library.library import Library
from retrieval.settings import IngestSettings
from tests.conftest import ROOT, SAMPLE
from tests.support.crash_child import MAX_CHARS
from tests.support.fakes import HashingEmbedder

CHILD = ROOT / "tests" / "support" / "crash_child.py"
HOOKS = ["transaction", "committed", "index-written", "index-renamed"]
STORIES = 24


def open_library(folder: Path) -> Library:
    return pipeline.open_library(
        folder, HashingEmbedder(), IngestSettings(max_paragraph_chars=MAX_CHARS)
    )


def kill_child(lib: Path, action: str, target: str, hook: str = "", count: int = 1,
               delay: float = 0.0) -> bool:  # fmt: skip
    """Run the child and SIGKILL it at ``hook`` (its ``count``-th time) or after ``delay``.

    Returns True when it was killed, False when it finished first.
    """
    args = [sys.executable, str(CHILD), str(lib), action, target]
    if hook:
        args += [hook, str(count)]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=os.environ)
    assert child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "ready"
        if hook:
            line = child.stdout.readline().strip()
            assert line == "paused", f"the child never reached {hook} #{count}: {line!r}"
        else:
            time.sleep(delay)
        killed = child.poll() is None
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    return killed


def assert_consistent(library: Library) -> None:
    """Database, keyword index and FAISS hold the same paragraphs; every article is whole."""
    ids = set(library.store.paragraph_ids())
    with library.store._lock:
        fts = {row[0] for row in library.store._db.execute("SELECT rowid FROM paragraph_fts")}
    assert library.vectors().ids() == ids == fts
    for article in library.articles():
        expected = split_paragraphs(library.body(article.id), library.ingest)
        assert article.paragraph_count == len(expected) > 0, f"{article.title} is partial"


def stories(folder: Path, numbers: range = range(STORIES)) -> Path:
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for n in numbers:
        (folder / f"story-{n:02d}.txt").write_text(f"Story number {n}\n\n{text}\nEnd {n}.", "utf-8")
    return folder


def test_killing_an_add_at_many_points_never_leaves_a_disagreement(tmp_path: Path) -> None:
    main = stories(tmp_path / "articles")
    # The index is saved once, when a batch ends: those kills need a batch of their own.
    late = [stories(tmp_path / f"late-{n}", range(STORIES + 2 * n, STORIES + 2 * n + 2))
            for n in range(2)]  # fmt: skip
    lib = tmp_path / "lib"
    points = [(main, {"hook": hook, "count": 3}) for hook in HOOKS[:2]]
    points += [(main, {"delay": delay}) for delay in (0.05, 0.15, 0.25, 0.35)]
    points += [(folder, {"hook": hook}) for folder, hook in zip(late, HOOKS[2:], strict=True)]
    seen = []
    for folder, point in points:
        killed = kill_child(lib, "add", str(folder), **point)  # type: ignore[arg-type]
        assert killed, f"the add finished before the kill at {point}"
        library = open_library(lib)
        assert_consistent(library)
        seen.append(len(library.articles()))
        library.close()
    assert seen == sorted(seen) and seen[5] < STORIES, seen
    library = open_library(lib)
    add_all(library, [str(main), *map(str, late)])  # adding again completes the job
    titles = [a.title for a in library.articles()]
    assert sorted(titles) == sorted(f"Story number {n}" for n in range(STORIES + 4))
    assert_consistent(library)


def test_killing_a_remove_at_many_points_never_leaves_a_disagreement(tmp_path: Path) -> None:
    source = stories(tmp_path / "articles")
    lib = tmp_path / "lib"
    library = open_library(lib)
    add_all(library, [str(source)])
    before = {a.id: library.store.paragraph_ids([a.id]) for a in library.articles()}
    library.close()
    targets = sorted(before)[:22]  # the last two stay
    points = [{"hook": hook, "count": 2} for hook in HOOKS]
    points += [{"delay": delay} for delay in (0.03, 0.08, 0.14, 0.2)]
    for point in points:
        left = [i for i in targets if i in before]
        killed = kill_child(lib, "remove", ",".join(map(str, left)), **point)  # type: ignore[arg-type]
        assert killed, f"the remove finished before the kill at {point}"
        library = open_library(lib)
        assert_consistent(library)
        remaining = {a.id: library.store.paragraph_ids([a.id]) for a in library.articles()}
        assert set(remaining) <= set(before) and set(before) - set(targets) <= set(remaining)
        for article_id, ids in remaining.items():
            assert ids == before[article_id], "a half-removed article is visible"
        before = remaining
        library.close()
    assert len(before) > STORIES - len(targets), "some removals were still left to finish"
    library = open_library(lib)
    for article_id in targets:  # removing again completes the job
        library.remove(article_id)
    assert len(library.articles()) == STORIES - len(targets)
    assert_consistent(library)
    assert not any(library.remove(article_id) for article_id in targets)
