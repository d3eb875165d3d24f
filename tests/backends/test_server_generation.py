"""Generation on an OpenAI-compatible server: every failure path, on a misbehaving fake.

The fake server (``tests/fake_server.py``) is started and stopped here; the
pipeline around it runs on fake models, so these tests are fast. The same
pipeline through a real ``transformers serve`` is in ``test_server_real.py``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator

import pytest

from retrieval.backends.base import GeneratorError
from retrieval.backends.factory import make_generator
from retrieval.backends.fallback import FallbackGenerator
from retrieval.backends.server import ServerGenerator
from retrieval.briefs import Briefing
from retrieval.engine import Newsdesk
from retrieval.settings import GenerationSettings, ServerSettings, Settings
from retrieval.types import Answer, Done, Piece, Restart
from tests.answer.test_answer import load
from tests.support.fake_server import FakeChatServer, free_port
from tests.support.fakes import HashingEmbedder, ScriptedGenerator

QUESTION = "How many rockets were launched targeting the Green Zone?"
MESSAGES = [{"role": "user", "content": 'Evidence:\n"Eight rockets hit the zone."\n\nQuestion: ?'}]


@pytest.fixture
def fake() -> Iterator[FakeChatServer]:
    server = FakeChatServer().start()
    yield server
    server.stop()


def config(url: str, **changes: object) -> ServerSettings:
    base = {
        "base_url": url,
        "model": "big-model",
        "timeout_seconds": 2.0,
        "connect_timeout_seconds": 1.0,
        "retries": 2,
        "retry_backoff_seconds": 0.01,
    }
    return ServerSettings.model_validate({**base, **changes})


def desk_on(settings: Settings, generator: object) -> Newsdesk:
    desk = Newsdesk(settings, embedder=HashingEmbedder(), generator=generator)  # type: ignore[arg-type]
    load(desk)
    return desk


def test_a_reply_is_streamed_and_matches_the_whole_reply(fake: FakeChatServer) -> None:
    server = ServerGenerator(config(fake.url), key="secret-key")
    pieces = list(server.stream(MESSAGES, 16))
    assert pieces == [Piece(w) for w in ("Eight ", "rockets ", "hit ", "the ", "zone.")]
    assert server.generate(MESSAGES, 16) == "Eight rockets hit the zone."
    first = fake.requests[0]
    assert first["model"] == "big-model" and first["stream"] is True
    assert first["max_tokens"] == 16 and first["temperature"] == 0.0
    assert first["messages"] == MESSAGES
    assert fake.headers[0]["Authorization"] == "Bearer secret-key"
    assert server.name == f"big-model at {fake.url.split('/')[2]} (server)"


def test_only_the_selected_evidence_is_sent_and_the_answer_names_the_server(
    fake: FakeChatServer, settings: Settings
) -> None:
    desk = desk_on(settings, ServerGenerator(config(fake.url)))
    try:
        answer = desk.ask(QUESTION)
        briefing = desk.brief()
        paragraphs = [p.text for a in desk.articles() for p in desk.library.paragraphs(a.id)]
    finally:
        desk.close()
    assert not answer.declined and "launched eight rockets" in answer.text
    assert answer.backend.startswith("big-model at 127.0.0.1") and "(server)" in answer.backend
    assert briefing.backend == answer.backend and briefing.overview
    sent = [json.dumps(r["messages"]) for r in fake.requests]
    # one answer, one overview sentence per story
    assert len(sent) == 1 + briefing.overview_written == 1 + len(briefing.stories)
    cited = {c.paragraph_text for c in (*answer.citations, *briefing.citations)}
    for paragraph in paragraphs:
        if paragraph not in cited:  # the rest of the library never leaves the machine
            assert all(json.dumps(paragraph)[1:40] not in body for body in sent), paragraph
    assert answer.citations[0].quote in json.loads(sent[0])[-1]["content"]


def test_a_busy_server_is_retried_after_its_retry_after(fake: FakeChatServer) -> None:
    fake.mode, fake.busy_count = "busy", 2
    started = time.perf_counter()
    reply = "".join(_texts(ServerGenerator(config(fake.url)).stream(MESSAGES, 16)))
    assert reply == "Eight rockets hit the zone."
    assert len(fake.requests) == 3
    assert time.perf_counter() - started < 1.5  # Retry-After: 0 is honoured, not the timeout


def test_a_failing_server_is_retried_then_explained(fake: FakeChatServer) -> None:
    fake.mode, fake.status = "error", 503
    with pytest.raises(GeneratorError) as error:
        ServerGenerator(config(fake.url)).generate(MESSAGES, 16)
    assert len(fake.requests) == 3
    message = str(error.value)
    assert f"the server at {fake.url} failed (HTTP 503: boom 503)" in message
    assert "gave up after 3 attempts" in message


@pytest.mark.parametrize(
    ("status", "hint"), [(401, "check the API key"), (404, "check the base URL")]
)
def test_a_refused_request_is_not_retried_and_says_what_to_check(
    fake: FakeChatServer, status: int, hint: str
) -> None:
    fake.mode, fake.status = "error", status
    with pytest.raises(GeneratorError, match=f"HTTP {status}: boom {status}.*{hint}"):
        list(ServerGenerator(config(fake.url)).stream(MESSAGES, 16))
    assert len(fake.requests) == 1


@pytest.mark.parametrize("stream", [False, True])
def test_nonsense_json_is_reported_as_malformed(fake: FakeChatServer, stream: bool) -> None:
    fake.mode = "nonsense"
    server = ServerGenerator(config(fake.url))
    with pytest.raises(GeneratorError, match="not an OpenAI chat completion"):
        list(server.stream(MESSAGES, 16)) if stream else server.generate(MESSAGES, 16)
    fake.nonsense = json.dumps({"choices": "none today"})
    with pytest.raises(GeneratorError, match="not an OpenAI chat completion"):
        server.generate(MESSAGES, 16)


@pytest.mark.parametrize("nonsense", ["{not json", '{"choices": "none"}', '{"choices": [7]}', "[]"])
def test_a_nonsense_event_in_a_stream_is_reported_as_malformed(
    fake: FakeChatServer, nonsense: str
) -> None:
    fake.mode, fake.nonsense = "nonsense-stream", nonsense
    with pytest.raises(GeneratorError, match="not an OpenAI chat completion"):
        list(ServerGenerator(config(fake.url)).stream(MESSAGES, 16))


def test_a_connection_dropped_mid_stream_is_reported(fake: FakeChatServer) -> None:
    fake.mode = "drop"
    pieces: list[object] = []
    with pytest.raises(GeneratorError, match="connection .* broke while it was writing"):
        for piece in ServerGenerator(config(fake.url)).stream(MESSAGES, 16):
            pieces.append(piece)
    assert pieces == [Piece("Eight "), Piece("rockets ")]
    assert len(fake.requests) == 1  # pieces were shown: not silently repeated


def test_a_stream_that_ends_unfinished_is_reported(fake: FakeChatServer) -> None:
    fake.mode = "truncated"
    with pytest.raises(GeneratorError, match="ended the stream before the answer was complete"):
        list(ServerGenerator(config(fake.url)).stream(MESSAGES, 16))


def test_a_server_that_answers_after_the_timeout_is_given_up_on(fake: FakeChatServer) -> None:
    fake.mode, fake.delay = "slow", 3.0
    started = time.perf_counter()
    with pytest.raises(GeneratorError, match="did not answer within 0.5 s"):
        list(ServerGenerator(config(fake.url, timeout_seconds=0.5)).stream(MESSAGES, 16))
    assert time.perf_counter() - started < 2.0
    assert len(fake.requests) == 1


def test_a_server_that_is_down_is_explained() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(GeneratorError) as error:
        ServerGenerator(config(url)).generate(MESSAGES, 16)
    assert f"could not connect to the server at {url}: is it running?" in str(error.value)
    assert "gave up after 3 attempts" in str(error.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"model": ""}, "no server model is set"),
        ({"base_url": "localhost:8000"}, "not an http"),
        ({"base_url": "http://[::1"}, "not an http"),
    ],
)
def test_an_incomplete_configuration_is_explained(changes: dict, message: str) -> None:
    with pytest.raises(GeneratorError, match=message):
        ServerGenerator(config("http://127.0.0.1:9/v1", **changes)).generate(MESSAGES, 16)


def test_without_fallback_the_user_gets_the_cause_and_the_library_is_untouched(
    settings: Settings,
) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    desk = desk_on(settings, ServerGenerator(config(url, retries=0)))
    try:
        before = [a.id for a in desk.articles()]
        with pytest.raises(GeneratorError, match="could not connect to the server"):
            desk.ask(QUESTION)
        with pytest.raises(GeneratorError, match="could not connect to the server"):
            desk.brief()
        assert [a.id for a in desk.articles()] == before
    finally:
        desk.close()


def test_with_fallback_a_server_that_is_down_is_replaced_by_the_local_model(
    settings: Settings,
) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    generator = FallbackGenerator(ServerGenerator(config(url, retries=0)), ScriptedGenerator)
    desk = desk_on(settings, generator)
    try:
        answer = desk.ask(QUESTION)
        briefing = desk.brief()
    finally:
        desk.close()
    assert not answer.declined and "launched eight rockets" in answer.text
    for backend in (answer.backend, briefing.backend):
        assert backend.startswith("scripted test generator, standing in for the server")
        assert "could not connect to the server" in backend


def test_with_fallback_a_dropped_stream_restarts_with_the_local_model(
    fake: FakeChatServer, settings: Settings
) -> None:
    fake.mode = "drop"
    generator = FallbackGenerator(ServerGenerator(config(fake.url)), ScriptedGenerator)
    desk = desk_on(settings, generator)
    try:
        items = list(desk.ask_stream(QUESTION))
    finally:
        desk.close()
    restart = next(i for i, item in enumerate(items) if isinstance(item, Restart))
    # the server's half answer, then a restart
    assert items[:restart] == [Piece("An "), Piece("Iraqi ")]
    done = items[-1]
    assert isinstance(done, Done) and isinstance(done.result, Answer)
    answer = done.result
    assert answer.text.startswith("An Iraqi military statement")  # not "An Iraqi An Iraqi …"
    assert "standing in for the server (the connection" in answer.backend


def test_the_server_answers_again_once_it_is_back(fake: FakeChatServer) -> None:
    fake.mode = "error"
    generator = FallbackGenerator(ServerGenerator(config(fake.url, retries=0)), ScriptedGenerator)
    assert generator.generate(MESSAGES, 16) == "Eight rockets hit the zone."
    assert generator.name.startswith("scripted test generator, standing in")
    fake.mode = "ok"
    assert "".join(_texts(generator.stream(MESSAGES, 16))) == "Eight rockets hit the zone."
    assert generator.name.endswith("(server)") and generator.last_failure is None


def test_make_generator_builds_the_server_backend_from_settings(
    fake: FakeChatServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_API_KEY", "from-the-environment")
    server = config(fake.url)
    chosen = settings.model_copy(
        update={"generation": GenerationSettings(backend="server", server=server)}
    )
    made = make_generator(chosen)
    assert isinstance(made, ServerGenerator)
    assert made.generate(MESSAGES, 8) == "Eight rockets hit the zone."
    assert fake.headers[-1]["Authorization"] == "Bearer from-the-environment"
    server_with_fallback = server.model_copy(update={"allow_fallback": True})
    chosen = settings.model_copy(
        update={"generation": GenerationSettings(backend="server", server=server_with_fallback)}
    )
    assert isinstance(make_generator(chosen), FallbackGenerator)


def test_a_briefing_through_the_server_is_cited_like_a_local_one(
    fake: FakeChatServer, settings: Settings
) -> None:
    desk = desk_on(settings, ServerGenerator(config(fake.url)))
    try:
        *_, done = desk.brief_steps()
    finally:
        desk.close()
    assert isinstance(done, Done) and isinstance(done.result, Briefing)
    briefing = done.result
    assert briefing.points and all(s.citations for s in briefing.statements)


def _texts(events: Iterable[object]) -> list[str]:
    return [event.text for event in events if isinstance(event, Piece)]
