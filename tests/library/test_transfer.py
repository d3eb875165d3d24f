"""``newsdesk library push`` / ``pull``: a laptop's library to the team archive and back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop.cli.main import main
from retrieval.ingest import pipeline
from retrieval.ingest.pipeline import add_all
from retrieval.library.base import ArticleLibrary
from retrieval.library.postgres import PostgresLibrary
from retrieval.library.transfer import copy_library
from retrieval.search.hybrid import hybrid_search
from retrieval.settings import IngestSettings
from tests.conftest import EVAL, SAMPLE
from tests.support.fakes import HashingEmbedder
from tests.support.postgres import TestServer

SQUAD = EVAL / "squad" / "articles"


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI on the fake embedder, with no saved settings of the user."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setattr(
        "retrieval.backends.factory.make_embedder", lambda settings: HashingEmbedder()
    )


def local(folder: Path) -> ArticleLibrary:
    return pipeline.open_library(folder, HashingEmbedder(), IngestSettings())


def snapshot(library: ArticleLibrary) -> list[tuple[str, list[tuple[int, int, str]], bytes]]:
    """Each article's hash, paragraphs (offsets, text) and vectors, oldest first."""
    return [
        (
            a.content_hash,
            [(p.start, p.end, p.text) for p in library.paragraphs(a.id)],
            np.round(library.article_vectors(a.id), 6).tobytes(),
        )
        for a in library.articles()
    ]


def test_push_then_pull_round_trips_every_article_and_reruns_copy_nothing(
    pg_server: TestServer, pg_database: str, tmp_path: Path, capsys, cli_env
) -> None:
    laptop = tmp_path / "laptop"
    library = local(laptop)
    add_all(library, [str(SQUAD), str(SAMPLE)])
    before = snapshot(library)
    question = "How many rockets were fired at the Green Zone?"
    found = hybrid_search(library.store, library.vectors(), library.embedder, question, k=5)
    library.close()
    dsn = pg_server.uri(pg_database)

    assert main(["--library", str(laptop), "library", "push", "--to", dsn]) == 0
    out = capsys.readouterr().out
    assert "13 articles pushed to" in out and "0 already there" in out
    assert main(["--library", str(laptop), "library", "push", "--to", dsn]) == 0
    assert "0 articles pushed to" in capsys.readouterr().out  # idempotent

    offline = tmp_path / "offline"
    assert main(["--library", str(offline), "library", "pull", "--from", dsn]) == 0
    assert "13 articles pulled from" in capsys.readouterr().out
    pulled = local(offline)
    assert snapshot(pulled) == before
    hits = hybrid_search(pulled.store, pulled.vectors(), pulled.embedder, question, k=5)
    assert [h.paragraph.text for h in hits] == [h.paragraph.text for h in found]


def test_an_interrupted_push_resumes_where_it_stopped(
    pg_server: TestServer, pg_database: str, tmp_path: Path
) -> None:
    library = local(tmp_path / "laptop")
    add_all(library, [str(SQUAD)])
    archive = PostgresLibrary(pg_server.archive(pg_database), HashingEmbedder(), IngestSettings())
    steps = copy_library(library, archive)
    first = [next(steps) for _ in range(5)]
    steps.close()  # Ctrl+C after five articles
    assert [s.done for s in first] == [1, 2, 3, 4, 5] and first[0].total == 12
    assert "left" in first[-1].message
    assert len(archive.articles()) == 5
    rest = list(copy_library(library, archive))
    assert sum(not s.duplicate for s in rest) == 7 and sum(s.duplicate for s in rest) == 5
    assert snapshot(archive) == snapshot(library)


def test_a_push_to_an_unreachable_server_says_so_and_keeps_the_local_library(
    tmp_path: Path, capsys, cli_env
) -> None:
    laptop = tmp_path / "laptop"
    library = local(laptop)
    add_all(library, [str(SAMPLE)])
    library.close()
    dsn = f"postgresql://news@/news?host={tmp_path}&port=5999"
    assert main(["--library", str(laptop), "library", "push", "--to", dsn]) == 1
    assert "cannot be reached: is the server running" in capsys.readouterr().err
    assert len(local(laptop).articles()) == 1
