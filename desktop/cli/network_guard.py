"""Refusing and recording every attempt to reach the network.

The self-test runs under this guard to prove that loading the models and
answering a question never leaves the machine: any name lookup or internet
connection fails at once and is remembered, and the self-test then fails.
Local (Unix-domain) sockets are left alone.
"""

from __future__ import annotations

import socket
from types import TracebackType
from typing import Any

_INTERNET = (socket.AF_INET, socket.AF_INET6)


class NetworkUsedError(OSError):
    """Raised in place of a network call while the guard is active."""


class NetworkGuard:
    """A context manager that refuses internet sockets and name lookups."""

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self._saved: dict[str, Any] = {}

    def __enter__(self) -> NetworkGuard:
        guard = self
        connect = socket.socket.connect
        connect_ex = socket.socket.connect_ex

        def guarded_connect(sock: socket.socket, address: Any) -> Any:
            if sock.family in _INTERNET:
                guard._refuse(f"connect to {address!r}")
            return connect(sock, address)

        def guarded_connect_ex(sock: socket.socket, address: Any) -> Any:
            if sock.family in _INTERNET:
                guard._refuse(f"connect to {address!r}")
            return connect_ex(sock, address)

        def guarded_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            guard._refuse(f"look up {host!r} (port {port!r})")

        self._saved = {
            "connect": connect,
            "connect_ex": connect_ex,
            "getaddrinfo": socket.getaddrinfo,
        }
        socket.socket.connect = guarded_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = guarded_getaddrinfo
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        socket.socket.connect = self._saved["connect"]  # type: ignore[method-assign]
        socket.socket.connect_ex = self._saved["connect_ex"]  # type: ignore[method-assign]
        socket.getaddrinfo = self._saved["getaddrinfo"]

    def _refuse(self, what: str) -> None:
        self.attempts.append(what)
        raise NetworkUsedError(f"network use refused: {what}")
