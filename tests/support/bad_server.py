"""A local web server that misbehaves on purpose, for the URL tests.

Routes: ``/good`` (an article), ``/missing`` (404), ``/hang`` (never answers),
``/drip`` (headers, then one byte every 50 ms forever), ``/loop`` (redirects to
itself forever), ``/ping`` and ``/pong`` (redirect to each other), ``/to-file``
(redirects to a ``file:`` address), ``/huge-declared`` (says 2 GB and sends it),
``/huge-stream`` (streams 2 GB with no length), ``/garbage`` (not HTTP at all),
``/empty`` (200 with no body), ``/scripts`` (a page of nothing but scripts).
The server counts the bytes each route managed to send.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TWO_GB = 2 * 1024**3
ARTICLE_HTML = """<!doctype html><html><head><title>Council approves budget</title></head>
<body><article><h1>Council approves budget</h1>
<p>The city council approved a budget of 4.2 million euros on Monday after a long debate.</p>
<p>The mayor said the money would pay for two new schools and a bridge over the river.</p>
</article></body></html>"""
SCRIPTS_HTML = (
    "<html><head><title>App</title></head><body>"
    + ("<script>var x = 1; document.write('loading the application, please wait');</script>" * 200)
    + "</body></html>"
)


class MisbehavingServer(ThreadingHTTPServer):
    """The server, with what it sent and a switch that releases hung handlers."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.sent: dict[str, int] = {}
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: MisbehavingServer

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        route = self.path.split("?")[0]
        redirects = {"/loop": "/loop", "/ping": "/pong", "/pong": "/ping",
                     "/to-file": "file:///etc/passwd"}  # fmt: skip
        if route in redirects:
            self._head(302, Location=redirects[route])
        elif route == "/good":
            self._body("text/html; charset=utf-8", ARTICLE_HTML.encode())
        elif route == "/scripts":
            self._body("text/html", SCRIPTS_HTML.encode())
        elif route == "/empty":
            self._body("text/html", b"")
        elif route == "/hang":
            self.server.release.wait(30)
        elif route == "/drip":
            self._head(200, **{"Content-Type": "text/plain"})
            self._stream(route, b"x", pause=0.05)
        elif route == "/huge-declared":
            self._head(200, **{"Content-Type": "text/html", "Content-Length": str(TWO_GB)})
            self._stream(route, b"<p>" + b"a" * 65533)
        elif route == "/huge-stream":
            self._head(200, **{"Content-Type": "text/html"})
            self._stream(route, b"<p>" + b"a" * 65533)
        elif route == "/garbage":
            self.wfile.write(b"\x00\x01 this is not HTTP \xff\r\n\r\n")
        else:
            self.send_error(404)

    def _head(self, code: int, **headers: str) -> None:
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _body(self, content_type: str, body: bytes) -> None:
        self._head(200, **{"Content-Type": content_type, "Content-Length": str(len(body))})
        self.wfile.write(body)

    def _stream(self, route: str, piece: bytes, pause: float = 0.0) -> None:
        sent = 0
        try:
            while sent < TWO_GB and not self.server.release.is_set():
                self.wfile.write(piece)
                self.wfile.flush()
                sent += len(piece)
                self.server.sent[route] = sent
                if pause:
                    time.sleep(pause)
        except OSError:
            pass  # the client hung up: what we want

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def misbehaving_server() -> Iterator[MisbehavingServer]:
    """Run the server in a thread for the duration of the block."""
    server = MisbehavingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
