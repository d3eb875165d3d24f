"""Ask and brief through a real ``transformers serve`` running the packaged SmolLM2.

The server is started on 127.0.0.1 by the fixture below and stopped at the
end of the module; nothing here needs a network.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.local_server import RunningServer, transformers_serve
from desktop.cli.main import main
from retrieval.backends.local import describe_model
from retrieval.briefs import Briefing
from retrieval.engine import Newsdesk
from retrieval.settings import GenerationSettings, ServerSettings, Settings
from retrieval.types import Answer, Done, Piece
from tests.conftest import SAMPLE
from tests.support.fake_server import free_port

pytestmark = pytest.mark.models

QUESTION = "How many rockets were fired at the Green Zone?"


@pytest.fixture(scope="module")
def served() -> Iterator[RunningServer]:
    with transformers_serve(Settings().cache_dir) as server:
        yield server


@pytest.fixture(scope="module")
def server_desk(served: RunningServer, tmp_path_factory: pytest.TempPathFactory):
    server = ServerSettings(base_url=served.base_url, model=served.model, timeout_seconds=300)
    settings = Settings(
        library=tmp_path_factory.mktemp("served") / "library",
        generation=GenerationSettings(backend="server", server=server),
    )
    desk = Newsdesk(settings)
    for _ in desk.add([str(SAMPLE)]):
        pass
    yield desk
    desk.close()


def test_a_streamed_answer_through_the_server_cites_the_paragraph_that_says_eight(
    server_desk: Newsdesk, served: RunningServer
) -> None:
    *pieces, done = list(server_desk.ask_stream(QUESTION))
    assert len(pieces) > 1 and all(isinstance(p, Piece) for p in pieces)  # it streamed
    assert isinstance(done, Done) and isinstance(done.result, Answer)
    answer = done.result
    assert not answer.declined
    assert "eight" in answer.text.lower()
    first = answer.citations[0]
    assert "launched eight rockets" in first.paragraph_text
    assert first.paragraph_text[first.quote_start : first.quote_end] == first.quote
    paragraphs = server_desk.library.paragraphs(first.article_id)
    assert paragraphs[first.paragraph_index].text == first.paragraph_text
    assert answer.backend == f"{served.model} at {served.base_url.split('/')[2]} (server)"


def test_a_briefing_through_the_server_is_cited_and_names_the_server(
    server_desk: Newsdesk,
) -> None:
    briefing = server_desk.brief(length="short")
    assert isinstance(briefing, Briefing)
    assert briefing.points and briefing.overview_written >= 1
    assert all(s.citations for s in briefing.statements)
    for statement in (*briefing.overview, *briefing.points):
        citation = statement.citations[0]
        assert citation.quote in citation.paragraph_text
    assert any(entry.date == "November 17" for entry in briefing.timeline)
    assert briefing.backend.endswith("(server)")


def test_the_command_line_asks_and_briefs_through_the_server(
    served: RunningServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a CPU server on a busy 2-core machine: more than the default 30 s per reply
    monkeypatch.setenv("NEWSDESK_GENERATION__SERVER__TIMEOUT_SECONDS", "300")
    lib = str(tmp_path / "lib")
    assert main(["--library", lib, "add", str(SAMPLE)]) == 0
    server = ["--server", served.base_url, "--model", served.model]
    assert main(["--library", lib, *server, "ask", QUESTION]) == 0
    out = capsys.readouterr().out
    assert "eight" in out.lower() and "[1] Eight rockets target US embassy" in out
    assert f"phrased by {served.model} at 127.0.0.1" in out
    assert main(["--library", lib, *server, "brief"]) == 0
    out = capsys.readouterr().out
    assert "KEY POINTS" in out and "TIMELINE" in out and "(server)" in out


def test_a_server_that_is_down_is_explained_or_replaced_by_the_local_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = str(tmp_path / "lib")
    main(["--library", lib, "add", str(SAMPLE)])
    down = ["--server", f"http://127.0.0.1:{free_port()}/v1", "--model", "any"]
    assert main(["--library", lib, *down, "--no-fallback", "ask", QUESTION]) == 1
    err = capsys.readouterr().err
    assert "newsdesk: error: could not connect to the server at http://127.0.0.1" in err
    assert main(["--library", lib, *down, "--fallback", "ask", QUESTION]) == 0
    out = capsys.readouterr().out
    assert "eight" in out.lower()
    local = describe_model(Settings().generation.model)
    assert f"phrased by {local}, standing in for the server" in out
