"""URLs that fail in every way a server can: each stops at a limit, says why, loses nothing."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.ingest.pipeline import add_all, open_library
from retrieval.ingest.sources import read_url
from retrieval.settings import IngestSettings
from retrieval.types import IngestError
from tests.support.bad_server import TWO_GB, MisbehavingServer, misbehaving_server
from tests.support.fakes import HashingEmbedder

LIMITS = IngestSettings(url_timeout_seconds=0.5, download_deadline_seconds=1.5)
# route -> what the user is told
FAILURES = {
    "/missing": "HTTP 404",
    "/hang": r"timed out after 0\.5 s",
    "/drip": r"the download took longer than 1\.5 s",
    "/loop": r"too many redirects \(more than 5\)",
    "/ping": r"too many redirects \(more than 5\)",
    "/to-file": "redirected to a non-web address file:///etc/passwd",
    "/huge-declared": "the download is larger than 25 MB",
    "/huge-stream": "the download is larger than 25 MB",
    "/garbage": "the server sent a broken response",
    "/empty": "the page has no article text",
    "/scripts": "the page has no article text",
}


@pytest.fixture(scope="module")
def server() -> Iterator[MisbehavingServer]:
    with misbehaving_server() as running:
        yield running


@pytest.mark.parametrize("route", sorted(FAILURES))
def test_each_bad_url_stops_at_its_limit_and_says_why(
    server: MisbehavingServer, route: str
) -> None:
    started = time.monotonic()
    with pytest.raises(IngestError, match=FAILURES[route]) as caught:
        read_url(server.url + route, LIMITS)
    assert caught.value.source == server.url + route
    assert time.monotonic() - started < 5, "the limits must stop it quickly"


def test_a_2_gb_body_is_abandoned_at_the_size_limit(server: MisbehavingServer) -> None:
    for route in ("/huge-stream", "/huge-declared"):
        with pytest.raises(IngestError, match="larger than"):
            read_url(server.url + route, LIMITS)
    time.sleep(0.3)  # let the server notice that the client hung up
    # A declared 2 GB is refused before reading; a streamed one right after 25 MB
    # (the rest in flight sits in socket buffers, a few MB at most).
    assert server.sent.get("/huge-declared", 0) < 10_000_000
    assert server.sent["/huge-stream"] < LIMITS.max_download_bytes + 10_000_000 < TWO_GB


def test_a_batch_of_bad_urls_adds_the_good_one_and_reports_each_failure(
    server: MisbehavingServer, tmp_path: Path
) -> None:
    library = open_library(tmp_path / "lib", HashingEmbedder(), LIMITS)
    urls = [server.url + route for route in sorted(FAILURES)] + [server.url + "/good"]
    started = time.monotonic()
    added, errors = add_all(library, urls)
    assert time.monotonic() - started < 20
    assert [a.title for a in added] == ["Council approves budget"]
    assert [e.source for e in errors] == urls[:-1]
    for error, route in zip(errors, sorted(FAILURES), strict=True):
        assert re.search(FAILURES[route], error.reason), (route, error.reason)
    assert len(library.articles()) == 1
    assert library.vectors().ids() == set(library.store.paragraph_ids())
