"""``newsdesk --self-test``: passes on a right answer, fails on anything else."""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import replace

import pytest

from desktop.cli.main import main
from desktop.cli.self_test import EXPECTED_PARAGRAPH, check_answer, run_self_test
from retrieval.engine import Newsdesk
from retrieval.settings import Settings
from retrieval.types import Answer
from tests.support.fakes import HashingEmbedder, ScriptedGenerator


class FakeModelDesk(Newsdesk):
    """The real engine on the fast fake models."""

    def __init__(self, settings: Settings) -> None:
        # The hashing embedder scores weakly: never decline, answer from the best evidence.
        retrieval = settings.retrieval.model_copy(update={"decline_threshold": 0.0})
        settings = settings.model_copy(update={"retrieval": retrieval})
        super().__init__(settings, embedder=HashingEmbedder(), generator=ScriptedGenerator())

    def load_models(self) -> None:
        self.embedder.encode(["warm up"])  # the fakes need no loading; spaCy is not asked


class MisCitingDesk(FakeModelDesk):
    """Answers eight, but cites another paragraph of the article."""

    def ask(self, question: str, article_ids: Sequence[int] | None = None) -> Answer:
        return cite_another_paragraph(super().ask(question, article_ids))


class NetworkUsingDesk(FakeModelDesk):
    """Tries to reach a server while loading its models, as a hub check would."""

    def load_models(self) -> None:
        socket.create_connection(("huggingface.co", 443), timeout=1)


def cite_another_paragraph(answer: Answer) -> Answer:
    first = answer.citations[0]
    other = next(h.paragraph for h in answer.considered if h.paragraph.id != first.paragraph_id)
    wrong = replace(
        first,
        paragraph_id=other.id,
        paragraph_index=other.index,
        paragraph_text=other.text,
        quote=other.text,
        quote_start=0,
        quote_end=len(other.text),
    )
    statement = replace(answer.statements[0], citations=(wrong,))
    return replace(answer, statements=(statement,))


@pytest.fixture
def right_answer(settings: Settings) -> Answer:
    desk = FakeModelDesk(settings)
    try:
        for _ in desk.add([str(_sample())]):
            pass
        return desk.ask("How many rockets were fired at the Green Zone?")
    finally:
        desk.close()


def _sample():  # noqa: ANN202
    from retrieval.resources import sample_article

    return sample_article()


def test_a_right_answer_passes_the_check(right_answer: Answer) -> None:
    assert EXPECTED_PARAGRAPH in right_answer.citations[0].paragraph_text
    assert check_answer(right_answer) == []


def test_an_answer_citing_the_wrong_paragraph_fails(right_answer: Answer) -> None:
    problems = check_answer(cite_another_paragraph(right_answer))
    assert len(problems) == 1 and "not the paragraph saying" in problems[0]


def test_an_answer_that_does_not_say_eight_fails(right_answer: Answer) -> None:
    statement = replace(right_answer.statements[0], text="Several rockets were fired.")
    problems = check_answer(replace(right_answer, statements=(statement,)))
    assert problems == ["the answer does not say eight: 'Several rockets were fired.'"]


def test_a_declined_answer_fails(right_answer: Answer) -> None:
    declined = replace(right_answer, statements=(), declined=True)
    assert len(check_answer(declined)) == 3  # declined, no eight, no citation


def test_the_self_test_exits_zero_only_for_the_right_answer(settings: Settings) -> None:
    said: list[str] = []
    assert run_self_test(settings, FakeModelDesk, said.append) == 0
    assert said[-1].startswith("self-test: PASS")
    said.clear()
    assert run_self_test(settings, MisCitingDesk, said.append) == 1
    assert any("FAIL: the first citation is" in line for line in said)


def test_the_self_test_fails_when_anything_reaches_for_the_network(settings: Settings) -> None:
    said: list[str] = []
    assert run_self_test(settings, NetworkUsingDesk, said.append) == 1
    assert any("tried to use the network: look up 'huggingface.co'" in s for s in said)
    assert socket.getaddrinfo("localhost", 80)  # the guard is lifted afterwards


def test_the_self_test_never_touches_the_users_library(settings: Settings) -> None:
    assert run_self_test(settings, FakeModelDesk, lambda _: None) == 0
    assert not settings.library.exists()


@pytest.mark.models
def test_the_self_test_passes_from_source_on_the_real_models(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out
    assert "self-test: running from source" in out
    assert EXPECTED_PARAGRAPH in out and "self-test: PASS" in out
