from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from retrieval.engine import Newsdesk
from retrieval.settings import RetrievalSettings, Settings
from tests.support.fakes import HashingEmbedder, ScriptedGenerator
from tests.support.postgres import TestServer

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "samples" / "baghdad-embassy-rockets.txt"
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh library folder (the user's cache is shared).

    The trained abstention verifier is off: its weights are calibrated for the
    real embedder, and the fakes' vectors mean nothing to it. Tests on the real
    models (``real_desk``, ``tests/answer/test_real_answers.py``) keep it on.
    """
    return Settings(library=tmp_path / "library", retrieval=RetrievalSettings(verifier=False))


@pytest.fixture(scope="session")
def pg_server():
    """One real PostgreSQL 16 + pgvector server (pgserver) for the whole session.

    It fails, never skips, when the server cannot start: the archive backend
    is tested everywhere the suite runs. Its data lives outside pytest's
    temporary folder: pytest resets that folder's tree to mode 0700 when
    another session starts, which would lock the server's own user out.
    """
    server = TestServer(Path(tempfile.mkdtemp(prefix="newsdesk-pg-")) / "data")
    yield server
    server.stop()


@pytest.fixture
def pg_database(pg_server: TestServer):
    """A fresh database on the session's server (pgvector installed), dropped after the test."""
    name = pg_server.new_database()
    yield name
    pg_server.drop_database(name)


@pytest.fixture(params=["local", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    """Which library backend a test runs on: the local folder or a PostgreSQL archive."""
    return str(request.param)


@pytest.fixture
def backend_settings(settings: Settings, backend: str, request: pytest.FixtureRequest) -> Settings:
    """``settings`` on the backend under test (a fresh archive database for ``postgres``)."""
    if backend == "postgres":
        server: TestServer = request.getfixturevalue("pg_server")
        archive = server.archive(request.getfixturevalue("pg_database"))
        settings = settings.model_copy(update={"archive": archive})
    return settings


@pytest.fixture
def fake_desk(backend_settings: Settings):
    """An engine on fake models: fast, for the pipeline's own logic; on each backend."""
    desk = Newsdesk(backend_settings, embedder=HashingEmbedder(), generator=ScriptedGenerator())
    yield desk
    desk.close()


@pytest.fixture(scope="session")
def real_desk(tmp_path_factory: pytest.TempPathFactory):
    """An engine on the real packaged models with the sample article loaded."""
    folder = tmp_path_factory.mktemp("real") / "library"
    desk = Newsdesk(Settings(library=folder))
    for _ in desk.add([str(SAMPLE)]):
        pass
    yield desk
    desk.close()


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A copy of the bundled sample article."""
    target = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, target)
    return target
