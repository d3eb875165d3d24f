"""Reading files, folders, feeds and URLs into article drafts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from retrieval.ingest.paragraphs import split_paragraphs
from retrieval.ingest.sources import (
    SUPPORTED_SUFFIXES,
    IngestError,
    expand_inputs,
    read_any,
    read_file,
    read_text,
    read_url,
)
from retrieval.settings import IngestSettings
from tests.conftest import EVAL

SETTINGS = IngestSettings()
PARAGRAPHS = [
    "A volley of rockets has targeted the United States embassy in Baghdad, Iraq's "
    "military said on Sunday, sparking fears of renewed unrest.",
    "An Iraqi military statement said an outlawed group launched eight rockets targeting "
    "the Green Zone, injuring one Iraqi security person.",
    "The embassy said its defence system was activated to deflect the attack, and that "
    "there was minor damage to the compound.",
]
ARTICLE_HTML = f"""<!doctype html><html><head><title>Rockets hit embassy | Example News</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2020-12-20T10:00:00Z">
<link rel="canonical" href="https://example.com/world/rockets"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Rockets hit embassy</h1>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article><footer>Copyright 2020 Example News</footer></body></html>"""
FEED_XML = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example News</title><link>https://example.com</link>
<item><title>Rockets hit embassy</title><link>https://example.com/a</link>
<pubDate>Sun, 20 Dec 2020 10:00:00 GMT</pubDate><author>jane@example.com (Jane Doe)</author>
<description><![CDATA[<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>]]></description></item>
<item><title>Second story</title><link>https://example.com/b</link>
<description>{PARAGRAPHS[2]}</description></item>
</channel></rss>"""


def paragraph_texts(text: str) -> list[str]:
    return [span.text for span in split_paragraphs(text, SETTINGS)]


# -- plain text --------------------------------------------------------------------


def test_seed_article_text_file(tmp_path: Path) -> None:
    [draft] = read_file(EVAL / "seed-article.txt", SETTINGS)
    assert draft.title == "Eight rockets target US embassy in Baghdad: Iraq army"
    assert draft.file == "seed-article.txt"
    assert draft.source == str((EVAL / "seed-article.txt").resolve())
    assert draft.text.startswith("Rockets hit US embassy as tensions mount")
    assert any("launched eight rockets" in p for p in paragraph_texts(draft.text))


def test_squad_text_file_body_starts_at_the_first_paragraph() -> None:
    path = EVAL / "squad" / "articles" / "construction.txt"
    [draft] = read_file(path, SETTINGS)
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    assert draft.title == "Construction"
    assert draft.text.split("\n\n")[0] == blocks[1]


def test_text_without_headline_is_titled_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "embassy_attack-report.txt"
    path.write_text(" ".join(PARAGRAPHS) + "\r\n", encoding="utf-8")
    [draft] = read_file(path, SETTINGS)
    assert draft.title == "Embassy attack report"
    assert draft.text == " ".join(PARAGRAPHS)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_text_encodings_are_decoded(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "story.md"
    path.write_bytes("# Café closes\n\nThe café’s owner said “goodbye” on Sunday.".encode(encoding))
    [draft] = read_file(path, SETTINGS)
    assert draft.title == "Café closes"
    assert draft.text == "The café’s owner said “goodbye” on Sunday."


def test_binary_file_renamed_txt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(IngestError, match="not a text file") as caught:
        read_file(path, SETTINGS)
    assert caught.value.source == str(path.resolve())


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n", encoding="utf-8")
    with pytest.raises(IngestError, match="the file is empty"):
        read_file(path, SETTINGS)


def test_unsupported_and_missing_files_say_why(tmp_path: Path) -> None:
    path = tmp_path / "data.xyz"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(IngestError, match=r"unsupported file type \.xyz"):
        read_any(str(path), SETTINGS)
    with pytest.raises(IngestError, match="no such file"):
        read_any(str(tmp_path / "missing.txt"), SETTINGS)


def test_pasted_text() -> None:
    draft = read_text("Rockets hit embassy\n\n" + "\n\n".join(PARAGRAPHS))
    assert draft.source == "pasted"
    assert draft.title == "Rockets hit embassy"
    assert paragraph_texts(draft.text) == PARAGRAPHS
    assert read_text(PARAGRAPHS[0], title="Mine").title == "Mine"


# -- html, pdf, docx, feeds --------------------------------------------------------


def test_html_file_keeps_paragraphs_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "rockets.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    [draft] = read_file(path, SETTINGS)
    assert draft.title == "Rockets hit embassy"
    assert draft.published == "2020-12-20"
    assert draft.author == "Jane Doe"
    assert draft.url == "https://example.com/world/rockets"
    assert draft.file == "rockets.html"
    assert paragraph_texts(draft.text) == PARAGRAPHS


def test_html_without_a_date_gets_no_guessed_date(tmp_path: Path) -> None:
    path = tmp_path / "undated.htm"
    path.write_text(ARTICLE_HTML.replace("2020-12-20T10:00:00Z", ""), encoding="utf-8")
    [draft] = read_file(path, SETTINGS)
    assert draft.published is None  # not the footer's "Copyright 2020"


def test_html_without_article_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    with pytest.raises(IngestError, match="no article text"):
        read_file(path, SETTINGS)


def make_pdf(path: Path, title: str | None, lines: list[str]) -> None:
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.multi_cell(0, 6, line)
        pdf.ln(4)
    pdf.output(str(path))


def test_pdf_paragraphs_are_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "story.pdf"
    make_pdf(path, None, ["Rockets hit embassy", *PARAGRAPHS])
    [draft] = read_file(path, SETTINGS)
    assert draft.title == "Rockets hit embassy"
    assert paragraph_texts(draft.text) == PARAGRAPHS


def test_pdf_title_comes_from_metadata(tmp_path: Path) -> None:
    path = tmp_path / "story.pdf"
    make_pdf(path, "Embassy attacked", PARAGRAPHS)
    [draft] = read_file(path, SETTINGS)
    assert draft.title == "Embassy attacked"
    assert "launched eight rockets" in draft.text


def test_damaged_and_scanned_pdfs_say_why(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"this is not a pdf at all")
    with pytest.raises(IngestError, match="not a PDF: the file is damaged"):
        read_file(broken, SETTINGS)
    scanned = tmp_path / "scanned.pdf"
    make_pdf(scanned, None, [])
    with pytest.raises(IngestError, match=r"no text layer \(scanned PDF\?\)"):
        read_file(scanned, SETTINGS)


def test_docx_heading_becomes_the_title(tmp_path: Path) -> None:
    path = tmp_path / "story.docx"
    document = docx.Document()
    document.add_heading("Rockets hit embassy", level=1)
    for paragraph in PARAGRAPHS:
        document.add_paragraph(paragraph)
    document.add_paragraph("")
    document.save(str(path))
    [draft] = read_file(path, SETTINGS)
    assert draft.title == "Rockets hit embassy"
    assert paragraph_texts(draft.text) == PARAGRAPHS


def test_docx_title_from_core_properties(tmp_path: Path) -> None:
    path = tmp_path / "story.docx"
    document = docx.Document()
    document.core_properties.title = "Embassy attacked"
    for paragraph in PARAGRAPHS:
        document.add_paragraph(paragraph)
    document.save(str(path))
    [draft] = read_file(path, SETTINGS)
    assert draft.title == "Embassy attacked"
    assert paragraph_texts(draft.text) == PARAGRAPHS


def test_damaged_docx_says_why(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(IngestError, match="not a Word document"):
        read_file(path, SETTINGS)


def test_feed_file_gives_one_article_per_entry(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_text(FEED_XML, encoding="utf-8")
    first, second = read_file(path, SETTINGS)
    assert first.title == "Rockets hit embassy"
    assert first.url == "https://example.com/a"
    assert first.published == "2020-12-20"
    assert first.file == "news.rss"
    assert paragraph_texts(first.text) == PARAGRAPHS[:2]
    assert second.text == PARAGRAPHS[2]


def test_xml_that_is_not_a_feed_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.xml"
    path.write_text("<?xml version='1.0'?><config><a>1</a></config>", encoding="utf-8")
    with pytest.raises(IngestError, match="not a news feed"):
        read_file(path, SETTINGS)


# -- folders -----------------------------------------------------------------------


def test_folder_expands_to_supported_files_sorted_and_recursive(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ["b.txt", "a.html", "sub/c.pdf", "notes.xyz", ".secret.txt", ".hidden/d.txt"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    expanded = expand_inputs([str(tmp_path), "https://example.com/x"])
    assert expanded == [
        str(tmp_path / "a.html"),
        str(tmp_path / "b.txt"),
        str(tmp_path / "sub" / "c.pdf"),
        "https://example.com/x",
    ]
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".rss"} <= SUPPORTED_SUFFIXES


# -- URLs --------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[str, bytes]] = {
        "/article": ("text/html; charset=utf-8", ARTICLE_HTML.encode()),
        "/feed": ("application/rss+xml", FEED_XML.encode()),
        "/big": ("text/html", b"<p>" + b"x" * 5000 + b"</p>"),
    }

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        if self.path == "/slow":
            time.sleep(1.0)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        if self.path not in self.routes:
            self.send_error(404)
            return
        content_type, body = self.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.end_headers()  # no Content-Length: the reader must count
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_article(server: str) -> None:
    [draft] = read_any(f"{server}/moved", SETTINGS)
    assert draft.title == "Rockets hit embassy"
    assert draft.source == f"{server}/moved"
    assert draft.published == "2020-12-20"
    assert paragraph_texts(draft.text) == PARAGRAPHS


def test_url_feed(server: str) -> None:
    drafts = read_url(f"{server}/feed", SETTINGS)
    assert [d.title for d in drafts] == ["Rockets hit embassy", "Second story"]
    assert drafts[0].author and "Jane Doe" in drafts[0].author


def test_url_errors_say_why(server: str) -> None:
    with pytest.raises(IngestError, match="HTTP 404"):
        read_url(f"{server}/missing", SETTINGS)
    with pytest.raises(IngestError, match="larger than"):
        read_url(f"{server}/big", IngestSettings(max_download_bytes=1000))
    with pytest.raises(IngestError, match=r"timed out after 0\.3 s"):
        read_url(f"{server}/slow", IngestSettings(url_timeout_seconds=0.3))


def test_unreachable_server_says_why() -> None:
    with pytest.raises(IngestError, match="refused|could not download"):
        read_url("http://127.0.0.1:9/nothing", SETTINGS)
