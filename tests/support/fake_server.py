"""A local OpenAI-style chat server that misbehaves on request, for the failure paths.

It runs on 127.0.0.1 in a thread (stdlib ``http.server``), records every
request body, and answers according to :attr:`FakeChatServer.mode`:

- ``ok``: the first quoted sentence of the last message (like ``ScriptedGenerator``),
  as JSON or streamed word by word;
- ``drop``: streams two pieces, then closes the connection mid-chunk;
- ``truncated``: streams two pieces, then ends cleanly without finishing;
- ``error``: HTTP :attr:`status` with an OpenAI-style error body, every time;
- ``busy``: HTTP 429 with ``Retry-After: 0`` for the first :attr:`busy_count` requests, then ``ok``;
- ``nonsense``: HTTP 200 whose body is not a chat completion;
- ``nonsense-stream``: the same nonsense as a server-sent event;
- ``slow``: waits :attr:`delay` seconds, then ``ok``.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeChatServer:
    """Start with :meth:`start`, stop with :meth:`stop`; :attr:`url` is its base URL."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.status = 500
        self.busy_count = 1
        self.delay = 2.0
        self.nonsense = "<html>Gateway says hi</html>"
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeChatServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def reply_for(self, body: dict[str, Any]) -> str:
        quoted = re.findall(r'"([^"]+)"', body["messages"][-1]["content"])
        return quoted[0] if quoted else "I have no evidence."


def _handler(fake: FakeChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # keep the test output clean

        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(body)
            fake.headers.append(dict(self.headers))
            mode = fake.mode
            if mode == "busy" and len(fake.requests) <= fake.busy_count:
                self._json({"error": {"message": "rate limited"}}, 429, {"Retry-After": "0"})
            elif mode == "error":
                self._json({"error": {"message": f"boom {fake.status}"}}, fake.status)
            elif mode == "nonsense":
                self._raw(fake.nonsense.encode(), "application/json")
            elif mode == "nonsense-stream":
                self._raw(f"data: {fake.nonsense}\n\n".encode(), "text/event-stream")
            elif mode in ("drop", "truncated"):
                self._half_stream(body, drop=mode == "drop")
            else:
                if mode == "slow":
                    time.sleep(fake.delay)
                self._answer(body)

        def _answer(self, body: dict[str, Any]) -> None:
            text = fake.reply_for(body)
            if not body.get("stream"):
                message = {"role": "assistant", "content": text}
                choice = {"index": 0, "message": message, "finish_reason": "stop"}
                self._json({"object": "chat.completion", "choices": [choice]})
                return
            self._start_stream()
            for word in re.findall(r"\S+\s*", text):
                self._chunk(_sse({"choices": [{"index": 0, "delta": {"content": word}}]}))
            self._chunk(_sse({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")

        def _half_stream(self, body: dict[str, Any], drop: bool) -> None:
            words = re.findall(r"\S+\s*", fake.reply_for(body))
            self._start_stream()
            for word in words[:2]:
                self._chunk(_sse({"choices": [{"index": 0, "delta": {"content": word}}]}))
            if drop:  # half a chunk, then the connection goes away
                self.wfile.write(b'40\r\ndata: {"choi')
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            else:
                self._chunk(b"")
            self.close_connection = True

        def _start_stream(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _json(
            self, data: Any, status: int = 200, headers: dict[str, str] | None = None
        ) -> None:
            self._raw(json.dumps(data).encode(), "application/json", status, headers)

        def _raw(
            self,
            data: bytes,
            content_type: str,
            status: int = 200,
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _sse(data: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(data)}\n\n".encode()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
