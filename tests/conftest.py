from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retrieval.engine import Newsdesk
from retrieval.settings import RetrievalSettings, Settings
from tests.support.fakes import HashingEmbedder, ScriptedGenerator

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


@pytest.fixture
def fake_desk(settings: Settings):
    """An engine on fake models: fast, for the pipeline's own logic."""
    desk = Newsdesk(settings, embedder=HashingEmbedder(), generator=ScriptedGenerator())
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
