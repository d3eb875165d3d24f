"""Phrasing on an OpenAI-compatible chat-completions server.

vLLM, Text Generation Inference, Ollama, llama.cpp's server and
``transformers serve`` all answer ``POST {base_url}/chat/completions``. Only
the phrasing moves there: retrieval, evidence selection and the citation
checks stay on this machine, and the messages sent are the ones
``answer.py`` and ``briefing.py`` build — the selected evidence sentences,
never the rest of the library.

Busy (429) and failing (5xx) replies and lost connections are retried with
exponential backoff (honouring ``Retry-After``); a timeout is not retried, as
a slow server would only make the user wait longer. Every failure becomes a
:class:`GeneratorError` that says what went wrong in words. With fallback
allowed, :class:`FallbackGenerator` lets the local model answer instead and
says so in its :attr:`~FallbackGenerator.name`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from httpx_sse import EventSource, SSEError

from retrieval.api_keys import api_key
from retrieval.generation import Generator, GeneratorError, StreamRestart
from retrieval.settings import ServerSettings, Settings

CHAT_PATH = "chat/completions"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_SECONDS = 30.0


class _Retry(Exception):
    """A failure worth another attempt: ``message`` in words, ``wait`` in seconds or None."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.wait = wait


class ServerGenerator:
    """A model on an OpenAI-compatible server, asked for greedy chat completions."""

    def __init__(
        self, config: ServerSettings, key: str | None = None, transport: Any = None
    ) -> None:
        self.config = config
        self.model = config.model.strip()
        self.url = config.base_url.strip().rstrip("/")
        self.name = f"{self.model or '(no model)'} at {_where(self.url)} (server)"
        self._chat_url = f"{self.url}/{CHAT_PATH}"
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(config.timeout_seconds, connect=config.connect_timeout_seconds),
            transport=transport,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        body = self._body(messages, max_new_tokens, stream=False)
        for wait in self._attempts():
            time.sleep(wait)
            try:
                response = self._client.post(self._chat_url, json=body)
                self._check_status(response)
                return _reply_text(self._json(response))
            except _Retry as retry:
                self._last_retry = retry
            except httpx.TimeoutException as error:
                raise GeneratorError(self._timed_out(error)) from error
            except httpx.TransportError as error:
                self._last_retry = _Retry(self._unreachable(error))
        raise GeneratorError(self._gave_up())

    def stream(self, messages: list[dict[str, str]], max_new_tokens: int) -> Iterator[str]:
        body = self._body(messages, max_new_tokens, stream=True)
        for wait in self._attempts():
            time.sleep(wait)
            started = False
            try:
                with self._client.stream("POST", self._chat_url, json=body) as response:
                    self._check_status(response)
                    for piece in self._pieces(response):
                        started = True
                        yield piece
                return
            except _Retry as retry:
                self._last_retry = retry
            except httpx.TimeoutException as error:
                raise GeneratorError(self._timed_out(error)) from error
            except SSEError as error:
                raise GeneratorError(self._malformed(str(error))) from error
            except httpx.TransportError as error:
                if started:  # pieces were shown: a retry would repeat them
                    raise GeneratorError(
                        f"the connection to the server at {self.url} broke while it was "
                        f"writing ({_summary(error)})"
                    ) from error
                self._last_retry = _Retry(self._unreachable(error))
        raise GeneratorError(self._gave_up())

    # -- requests --------------------------------------------------------------

    def _body(self, messages: list[dict[str, str]], max_tokens: int, stream: bool) -> dict:
        if not _is_http(self.url) or not _where(self.url):
            raise GeneratorError(
                f"the server address {self.url!r} is not an http:// or https:// URL"
            )
        if not self.model:
            raise GeneratorError(
                "no server model is set: give the name of the model the server serves "
                "(Settings, or --model NAME)"
            )
        return {
            "model": self.model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": 0.0,
            "stream": stream,
        }

    def _attempts(self) -> Iterator[float]:
        """The wait before each attempt: none first, then exponential backoff."""
        self._last_retry = _Retry("")
        yield 0.0
        for retry in range(self.config.retries):
            asked = self._last_retry.wait
            backoff = self.config.retry_backoff_seconds * 2**retry
            yield min(asked, MAX_RETRY_AFTER_SECONDS) if asked is not None else backoff

    def _check_status(self, response: httpx.Response) -> None:
        if response.status_code < 400:
            return
        response.read()
        detail = _error_detail(response)
        status = f"HTTP {response.status_code}" + (f": {detail}" if detail else "")
        if response.status_code in RETRY_STATUSES:
            busy = "is busy" if response.status_code == 429 else "failed"
            raise _Retry(f"the server at {self.url} {busy} ({status})", _retry_after(response))
        hint = ""
        if response.status_code in (401, 403):
            hint = "; check the API key (NEWSDESK_API_KEY or Settings)"
        elif response.status_code == 404:
            hint = "; check the base URL (it usually ends in /v1) and the model name"
        raise GeneratorError(f"the server at {self.url} refused the request ({status}){hint}")

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as error:
            raise GeneratorError(self._malformed(f"not JSON: {response.text[:80]!r}")) from error

    def _pieces(self, response: httpx.Response) -> Iterator[str]:
        """The text of each streamed chunk; ends at ``[DONE]`` or a finish reason."""
        finished = False
        for event in EventSource(response).iter_sse():
            if event.data.strip() == "[DONE]":
                return
            try:
                chunk = json.loads(event.data)
            except ValueError as error:
                raise GeneratorError(self._malformed(f"not JSON: {event.data[:80]!r}")) from error
            if not isinstance(chunk, dict):
                raise GeneratorError(self._malformed(f"not an object: {event.data[:80]!r}"))
            if "error" in chunk:
                raise GeneratorError(
                    f"the server at {self.url} failed while writing: {_message(chunk['error'])}"
                )
            choices = chunk.get("choices")
            if not isinstance(choices, list):
                raise GeneratorError(self._malformed("a streamed chunk has no 'choices'"))
            for choice in choices[:1]:
                if not isinstance(choice, dict):
                    raise GeneratorError(self._malformed(f"a choice is {choice!r:.40}"))
                content = (choice.get("delta") or {}).get("content")
                if isinstance(content, str) and content:
                    yield content
                finished = finished or bool(choice.get("finish_reason"))
            if finished:
                return
        raise GeneratorError(
            f"the server at {self.url} ended the stream before the answer was complete"
        )

    # -- messages ----------------------------------------------------------------

    def _unreachable(self, error: httpx.TransportError) -> str:
        if isinstance(error, httpx.ConnectError):
            why = _summary(error)
            return f"could not connect to the server at {self.url}: is it running? ({why})"
        return f"the connection to the server at {self.url} failed ({_summary(error)})"

    def _timed_out(self, error: httpx.TimeoutException) -> str:
        if isinstance(error, httpx.ConnectTimeout):
            seconds = self.config.connect_timeout_seconds
            return f"could not connect to the server at {self.url} within {seconds:g} s"
        seconds = self.config.timeout_seconds
        return f"the server at {self.url} did not answer within {seconds:g} s"

    def _malformed(self, what: str) -> str:
        return (
            f"the server at {self.url} sent a reply that is not an OpenAI chat completion ({what})"
        )

    def _gave_up(self) -> str:
        tries = self.config.retries + 1
        return f"{self._last_retry.message} — gave up after {tries} attempt{'s' * (tries > 1)}"


class FallbackGenerator:
    """The server's phrasing, or the local model's when the server fails.

    :attr:`name` tells who phrased the latest reply, with the server's failure
    when the local model stood in, so an Answer or Briefing built after the
    reply names its real backend.
    """

    def __init__(self, server: Generator, local: Callable[[], Generator]) -> None:
        self._server = server
        self._make_local = local
        self._local: Generator | None = None
        self.name = server.name
        self.last_failure: str | None = None

    def close(self) -> None:
        """Close the server connection."""
        close = getattr(self._server, "close", None)
        if callable(close):
            close()

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        try:
            reply = self._server.generate(messages, max_new_tokens)
        except GeneratorError as error:
            return self._stand_in(error).generate(messages, max_new_tokens)
        self._answered_by_server()
        return reply

    def stream(self, messages: list[dict[str, str]], max_new_tokens: int) -> Iterator[str]:
        started = False
        try:
            for piece in self._server.stream(messages, max_new_tokens):
                if not started:
                    self._answered_by_server()  # before the yield: the reader may stop early
                    started = True
                yield piece
        except GeneratorError as error:
            local = self._stand_in(error)
            if started:
                yield StreamRestart()  # discard the server's half answer
            yield from local.stream(messages, max_new_tokens)

    def _answered_by_server(self) -> None:
        self.name = self._server.name
        self.last_failure = None

    def _stand_in(self, error: GeneratorError) -> Generator:
        if self._local is None:
            try:
                self._local = self._make_local()
                load = getattr(self._local, "load", None)
                if callable(load):
                    load()
            except GeneratorError as local_error:
                self._local = None
                raise GeneratorError(
                    f"{error}; the local model could not stand in either: {local_error}"
                ) from error
        self.last_failure = str(error)
        self.name = f"{self._local.name}, standing in for the server ({error})"
        return self._local


def make_server_generator(settings: Settings, local: Callable[[], Generator]) -> Generator:
    """The server generator the settings describe, with the local fallback if allowed."""
    config = settings.generation.server
    server = ServerGenerator(config, api_key(config.base_url))
    return FallbackGenerator(server, local) if config.allow_fallback else server


def _is_http(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def _where(url: str) -> str:
    """``host:port`` of ``url`` ('' when it is not a valid URL)."""
    try:
        return httpx.URL(url).netloc.decode()
    except httpx.InvalidURL:
        return ""


def _reply_text(data: Any) -> str:
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        content = None
    if not isinstance(content, str):
        raise GeneratorError(
            "the server sent a reply that is not an OpenAI chat completion "
            f"(no choices[0].message.content in {json.dumps(data)[:80]})"
        )
    return content


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None  # absent, or an HTTP date: use the backoff


def _error_detail(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text.strip()[:200]
    if isinstance(data, dict):
        return _message(data.get("error") or data.get("detail") or data)[:200]
    return str(data)[:200]


def _message(error: Any) -> str:
    if isinstance(error, dict):
        return str(error.get("message") or error)
    return str(error)


def _summary(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
