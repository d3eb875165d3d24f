"""A second Newsdesk process on a PostgreSQL archive, for the tests that need two.

Usage: ``python tests/support/archive_client.py DSN add PATH... [--pause-in-transaction]``.
Adds the paths (files or folders) through the ordinary pipeline with the fake
embedder, then prints one JSON line: the ids of the articles it added and of
those it found already there. With ``--pause-in-transaction`` it prints
``inside`` once the first article's paragraphs are written, before the commit,
and waits there (to be killed).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import retrieval.library.archive_store as archive_store  # noqa: E402
from retrieval.ingest.pipeline import add_inputs  # noqa: E402
from retrieval.library.postgres import PostgresLibrary  # noqa: E402
from retrieval.settings import ArchiveSettings, IngestSettings  # noqa: E402
from tests.support.fakes import HashingEmbedder  # noqa: E402

MAX_CHARS = 300


def pause_inside_transaction() -> None:
    """Stop after the first article's COPY, its transaction still open."""
    copy = archive_store._copy_paragraphs

    def copy_then_wait(*args: Any) -> None:
        copy(*args)
        print("inside", flush=True)
        time.sleep(600)

    archive_store._copy_paragraphs = copy_then_wait  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    dsn, action, *items = argv
    assert action == "add"
    if "--pause-in-transaction" in items:
        items.remove("--pause-in-transaction")
        pause_inside_transaction()
    library = PostgresLibrary(
        ArchiveSettings(backend="postgres", dsn=dsn),
        HashingEmbedder(),  # type: ignore[arg-type]
        IngestSettings(max_paragraph_chars=MAX_CHARS),
    )
    added, present = [], []
    print("ready", flush=True)
    for step in add_inputs(library, items):
        if step.article is not None:
            (present if step.duplicate else added).append(step.article.id)
    library.close()
    print(json.dumps({"added": added, "present": present}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
