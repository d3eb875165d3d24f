"""The server's phrasing, with the local model standing in when the server fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from retrieval.backends.base import Generator, GeneratorError
from retrieval.types import Piece, Restart


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

    def load(self) -> None:
        """Nothing to load up front: the local model is loaded only if it must stand in."""

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

    def stream(
        self, messages: list[dict[str, str]], max_new_tokens: int
    ) -> Iterator[Piece | Restart]:
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
                yield Restart("the server broke off")  # discard the server's half answer
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
