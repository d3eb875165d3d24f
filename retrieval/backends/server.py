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
from collections.abc import Iterator
from typing import Any

import httpx
from httpx_sse import EventSource, SSEError

from retrieval.backends.base import GeneratorError, summary
from retrieval.settings import ServerSettings
from retrieval.types import Piece, Restart

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

    def load(self) -> None:
        """Nothing to load: the server holds the model (it is reached on first use)."""

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

    def stream(
        self, messages: list[dict[str, str]], max_new_tokens: int
    ) -> Iterator[Piece | Restart]:
        body = self._body(messages, max_new_tokens, stream=True)
        for wait in self._attempts():
            time.sleep(wait)
            started = False
            try:
                with self._client.stream("POST", self._chat_url, json=body) as response:
                    self._check_status(response)
                    for piece in self._pieces(response):
                        started = True
                        yield Piece(piece)
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
                        f"writing ({summary(error)})"
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
            why = summary(error)
            return f"could not connect to the server at {self.url}: is it running? ({why})"
        return f"the connection to the server at {self.url} failed ({summary(error)})"

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
