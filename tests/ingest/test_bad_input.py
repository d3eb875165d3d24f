"""Bad files in a batch: each is refused with its name and a reason, or handled;
the library is exactly as it was for every failure, and the good files are added."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fpdf import FPDF

from retrieval.ingest import pipeline
from retrieval.ingest.pipeline import add_all, add_inputs
from retrieval.library.library import Library
from retrieval.settings import IngestSettings
from tests.conftest import SAMPLE
from tests.support.fakes import HashingEmbedder

GOOD = (
    "Bridge opens\n\nThe mayor opened the new river bridge on Monday after six years of "
    "work.\n\nTraffic across the old bridge will stop next month, the city said.\n"
)
ACCENTED = "Café société\n\nLes élèves du lycée ont reçu leurs diplômes à Genève lundi."
ARTICLE_WITH_SCRIPTS = (
    "<html><head><title>Storm closes roads</title><script>var tracker = 1;</script></head>"
    "<body><script>document.write('subscribe now');</script><article><h1>Storm closes roads"
    "</h1><p>A storm closed three roads in the north of the county on Tuesday night.</p>"
    "<script>window.location = 'http://evil.example';</script><p>Crews expect to reopen "
    "them by Thursday, the highways agency said in a statement.</p></article>"
    + "<script>console.log('ad slot');</script>" * 300
    + "</body></html>"
)
BROKEN_FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Budget passes</title><description>The council approved the budget on Monday.\
</description></item>
<item><title>Empty entry</title><description></description></item>
<item><title>Script entry</title><description><![CDATA[<script>alert(1)</script>]]>
</description></item>
<item><description>The mayor opened the new bridge over the river on Tuesday.</description>
<pubDate>not a date at all</pubDate></item>
<item><title>Cut off</title><description>The storm closed three"""


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def corrupt_pdf(folder: Path) -> Path:
    return write(folder / "corrupt.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%garbage")


def scanned_pdf(folder: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(90, 90, 90)
    pdf.rect(20, 20, 170, 240, style="F")  # a page that is only a picture
    path = folder / "scanned.pdf"
    pdf.output(str(path))
    return path


def binary_txt(folder: Path) -> Path:
    noise = random.Random(7).randbytes(20_000)
    return write(folder / "photo.txt", b"\x89PNG\r\n\x1a\n" + noise)


def huge_txt(folder: Path) -> Path:
    path = folder / "huge.txt"
    line = b"The quick brown fox jumps over the lazy dog near the river bank.\n"
    with path.open("wb") as out:
        out.write(line * (50 * 1024 * 1024 // len(line) + 1))
    return path


# file maker -> (what the error says, in words)
REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "corrupt PDF": (corrupt_pdf, "not a PDF: the file is damaged"),
    "PDF with no text layer": (scanned_pdf, r"no text layer \(scanned PDF\?\)"),
    "binary file renamed .txt": (binary_txt, "not a text file"),
    "empty file": (lambda f: write(f / "empty.txt", b""), "the file is empty"),
    "only whitespace": (lambda f: write(f / "blank.md", " \n\t\n"), "the file is empty"),
    "HTML with no article text": (
        lambda f: write(f / "nav.html", "<html><body><nav>Home | World</nav></body></html>"),
        "the page has no article text",
    ),
    "HTML full of <script>": (
        lambda f: write(f / "app.html", "<html><body>" + "<script>x()</script>" * 500),
        "the page has no article text",
    ),
    "50 MB text file": (huge_txt, r"too large to be an article \(52\.4 MB; the limit is 30 MB"),
    "feed with no entries": (
        lambda f: write(f / "feed.xml", "<?xml version='1.0'?><rss><channel/></rss>"),
        "not a news feed: no entries found",
    ),
    "headline and nothing else": (
        lambda f: write(f / "stub.txt", "Headline only\n\n12%\n"),
        "no paragraphs of text found",
    ),
    "unsupported type": (lambda f: write(f / "sheet.xlsx", b"PK\x03\x04"), "unsupported file"),
}


def open_library(folder: Path, **limits: int) -> Library:
    return pipeline.open_library(folder, HashingEmbedder(), IngestSettings(**limits))


def snapshot(library: Library) -> tuple[list[int], list[int], set[int]]:
    """Articles, database paragraph ids and FAISS ids: what must not change."""
    ids = sorted(library.store.paragraph_ids())
    return [a.id for a in library.articles()], ids, library.vectors().ids()


@pytest.fixture
def library(tmp_path: Path) -> Library:
    library = open_library(tmp_path / "lib")
    add_all(library, [str(SAMPLE)])
    return library


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_bad_file_is_refused_by_name_and_the_rest_of_the_batch_added(
    case: str, library: Library, tmp_path: Path
) -> None:
    make, reason = REFUSED[case]
    bad = make(tmp_path)
    good = write(tmp_path / "good.txt", GOOD)
    before = snapshot(library)
    steps = list(add_inputs(library, [str(bad), str(good)]))
    [failed] = [s for s in steps if s.error is not None]
    assert failed.error is not None and bad.name in failed.error.source
    assert failed.item == str(bad) and failed.message == failed.error.reason
    assert re.search(reason, failed.error.reason), failed.error.reason
    added = [s.article for s in steps if s.article is not None]
    assert [a.title for a in added] == ["Bridge opens"]
    articles, paragraphs, vectors = snapshot(library)
    assert articles == [*before[0], added[0].id]
    assert set(before[1]) < set(paragraphs) and vectors == set(paragraphs)
    assert len(paragraphs) - len(before[1]) == added[0].paragraph_count == 2


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be"])
def test_latin_1_and_utf_16_files_are_read_as_text(
    encoding: str, library: Library, tmp_path: Path
) -> None:
    path = write(tmp_path / f"cafe-{encoding}.txt", ACCENTED.encode(encoding))
    [article], errors = add_all(library, [str(path)])
    assert errors == []
    assert article.title == "Café société"
    [paragraph] = library.paragraphs(article.id)
    assert paragraph.text == ACCENTED.split("\n\n")[1]


def test_an_article_wrapped_in_scripts_keeps_its_text_and_drops_the_code(
    library: Library, tmp_path: Path
) -> None:
    path = write(tmp_path / "storm.html", ARTICLE_WITH_SCRIPTS)
    [article], errors = add_all(library, [str(path)])
    assert errors == [] and article.title == "Storm closes roads"
    texts = [p.text for p in library.paragraphs(article.id)]
    assert texts[0].startswith("A storm closed three roads")
    assert "Crews expect to reopen" in texts[-1]
    body = library.body(article.id)
    assert not any(code in body for code in ("document.write", "console.log", "window."))


def test_a_feed_adds_the_entries_that_have_text_and_names_the_others(
    library: Library, tmp_path: Path
) -> None:
    path = write(tmp_path / "wire.rss", BROKEN_FEED)
    added, errors = add_all(library, [str(path)])
    assert [e.reason for e in errors] == [
        "feed entry “Empty entry”: it has a title but no text",
        "feed entry “Script entry”: its text is only markup or script, no readable words",
        "feed entry “Cut off”: the feed is cut off or broken there",
    ]
    assert [a.title for a in added] == [
        "Budget passes",
        "The mayor opened the new bridge over the river on Tuesday.",
    ]
    assert all(a.published is None and a.paragraph_count == 1 for a in added)
    assert library.vectors().ids() == set(library.store.paragraph_ids())


def test_an_article_over_the_length_limit_is_refused_and_says_which_setting(
    tmp_path: Path,
) -> None:
    library = open_library(tmp_path / "lib", max_article_chars=100_000)
    path = write(tmp_path / "report.txt", "Annual report\n\n" + "All is well this year. " * 10_000)
    added, [error] = add_all(library, [str(path)])
    assert added == [] and error.source == str(path)
    assert error.reason == (
        "the article is too long (229,999 characters; the limit is 100,000, "
        "setting ingest.max_article_chars)"
    )
    assert library.articles() == [] and library.vectors().ids() == set()


def test_an_article_of_10000_paragraphs_is_added_in_seconds(tmp_path: Path) -> None:
    lines = [
        f"On day {n} the council discussed agenda item {n * 7} and voted on motion {n}."
        for n in range(10_000)
    ]
    path = write(tmp_path / "minutes.txt", "Council minutes\n\n" + "\n\n".join(lines))
    library = open_library(tmp_path / "lib")
    started = time.perf_counter()
    [article], errors = add_all(library, [str(path)])
    elapsed = time.perf_counter() - started
    assert errors == [] and article.paragraph_count == 10_000
    assert elapsed < 30, f"adding took {elapsed:.1f} s"
    paragraphs = library.paragraphs(article.id)
    assert paragraphs[9_999].text == lines[9_999] and paragraphs[9_999].number == 10_000
    assert library.vectors().ids() == {p.id for p in paragraphs}
    hits = library.store.keyword_search("motion 4321", 3)
    assert paragraphs[4_321].id in [paragraph_id for paragraph_id, _ in hits]


def test_newsdesk_add_reports_each_failure_and_adds_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.cli.main import main

    monkeypatch.setattr("retrieval.engine.make_embedder", lambda settings: HashingEmbedder())
    good = write(tmp_path / "good.txt", GOOD)
    bad = [corrupt_pdf(tmp_path), binary_txt(tmp_path), write(tmp_path / "empty.txt", b"")]
    lib = str(tmp_path / "lib")
    status = main(["--library", lib, "add", str(bad[0]), str(good), str(bad[1]), str(bad[2])])
    out, err = capsys.readouterr()
    assert status == 1
    assert "added [1] Bridge opens (2 paragraphs)" in out
    failed = [line for line in err.splitlines() if line.startswith("failed: ")]
    assert failed == [
        f"failed: {bad[0]}: not a PDF: the file is damaged",
        f"failed: {bad[1]}: not a text file",
        f"failed: {bad[2]}: the file is empty",
    ]
    assert main(["--library", lib, "list"]) == 0
    assert "Bridge opens" in capsys.readouterr().out
