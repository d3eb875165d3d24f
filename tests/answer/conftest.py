"""Fixtures and helpers shared by the answer-check tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.engine import Newsdesk
from retrieval.settings import RetrievalSettings, Settings
from retrieval.types import Answer
from tests.support.fakes import HashingEmbedder, ScriptedGenerator


@pytest.fixture
def lenient_desk(tmp_path: Path) -> Iterator[Newsdesk]:
    """Fake models that answer whatever the evidence's strength: only the answer's own
    checks can decline."""
    retrieval = RetrievalSettings(decline_threshold=0.0, verifier=False)
    settings = Settings(library=tmp_path / "library", retrieval=retrieval)
    desk = Newsdesk(settings, embedder=HashingEmbedder(), generator=ScriptedGenerator())
    yield desk
    desk.close()


def asked(desk: Newsdesk, story: str, reply: str, question: str) -> Answer:
    """``desk``'s answer to ``question`` with ``story`` added, when the model replies ``reply``."""
    for _ in desk.add_text(story, story.split()[0]):
        pass
    desk._generator = ScriptedGenerator(reply=reply)
    return desk.ask(question)
