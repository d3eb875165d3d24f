"""Downloading a URL within limits: size, time, redirects and protocol errors.

A hostile or broken server must never hang the add, fill the memory or crash
it: the body is read in small pieces against a byte limit and an overall
deadline (so a server that trickles one byte at a time still stops), redirects
are capped and may only lead to http(s), and every failure becomes an
:class:`IngestError` saying why.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from retrieval.settings import IngestSettings
from retrieval.types import IngestError

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Newsdesk/0.1 (offline news reader)"
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """At most a few redirects, and only to web addresses (never ``file:`` or ``ftp:``)."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(  # type: ignore[override]
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any
    ) -> Any:
        target = urllib.parse.urljoin(req.full_url, headers.get("Location") or "")
        if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
            fp.close()
            raise IngestError(req.full_url, f"the server redirected to a non-web address {target}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def download(url: str, settings: IngestSettings) -> tuple[bytes, str, str]:
    """Fetch ``url``; returns the body, its content type and the final URL."""
    opener = urllib.request.build_opener(_LimitedRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    timeout = settings.url_timeout_seconds
    try:
        with opener.open(request, timeout=timeout) as response:
            data = _read_limited(response, url, settings)
            return data, response.headers.get("Content-Type", ""), response.geturl()
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            raise IngestError(url, f"too many redirects (more than {MAX_REDIRECTS})") from None
        raise IngestError(url, f"HTTP {error.code}") from None
    except urllib.error.URLError as error:
        raise IngestError(url, _network_reason(error.reason, timeout)) from None
    except TimeoutError:
        raise IngestError(url, f"timed out after {timeout:g} s") from None
    except http.client.HTTPException as error:
        reason = type(error).__name__
        raise IngestError(url, f"the server sent a broken response ({reason})") from None
    except (OSError, ValueError) as error:
        raise IngestError(url, _network_reason(error, timeout)) from None


def _read_limited(response: Any, url: str, settings: IngestSettings) -> bytes:
    limit = settings.max_download_bytes
    too_big = f"the download is larger than {limit / 1_000_000:g} MB"
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise IngestError(url, too_big)
    deadline = time.monotonic() + settings.download_deadline_seconds
    chunks: list[bytes] = []
    size = 0
    # read1 returns what has arrived instead of waiting for a full chunk, so
    # the deadline is checked even while a server drips bytes.
    while chunk := response.read1(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise IngestError(url, too_big)
        if time.monotonic() > deadline:
            seconds = settings.download_deadline_seconds
            raise IngestError(url, f"the download took longer than {seconds:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _network_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError | socket.timeout) or "timed out" in str(reason):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "the server's name could not be found (offline?)"
    if isinstance(reason, ConnectionRefusedError):
        return "the server refused the connection"
    return f"could not download: {reason}"
