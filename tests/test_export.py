"""Exports: every format shows the same cited statements, safely."""

from __future__ import annotations

import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

import retrieval.export as export_module
from retrieval.export import FORMATS, ExportError, export, file_filter
from retrieval.export.document import build_document
from retrieval.export.markdown import escape
from retrieval.export.pdf import FONT_DIR
from retrieval.types import (
    DECLINE_MESSAGE,
    Answer,
    Article,
    Briefing,
    Citation,
    Entities,
    Hit,
    Paragraph,
    Statement,
    TimelineEntry,
)

ROOT = Path(__file__).resolve().parents[1]
TITLE = "Eight rockets target US embassy in Baghdad: Iraq army"
URL = "https://www.aljazeera.com/news/2020/12/20/rockets-target-us-embassy-in-baghdad"
P_ROCKETS = (
    "An Iraqi military statement on Sunday said an “an outlawed group” launched eight "
    "rockets targeting the Green Zone, injuring one Iraqi security person manning a "
    "checkpoint and causing material damage to some cars and a residential complex, "
    "which is usually empty."
)
P_CRAM = (
    "The US embassy’s C-RAM defence system, which is used to destroy missiles midair, "
    "was activated to deflect the attack, the embassy said in a statement."
)
P_NOV = (
    "The first on November 17 saw a volley of rockets slam into the US embassy and "
    "various parts of the Iraqi capital, killing one young woman."
)
P_SADR = (
    "Moqtada Sadr, a populist scholar and former militia leader, tweeted that “no one "
    "has the right to use weapons outside of the state”."
)
P_DEC = (
    "On December 10, two convoys transporting logistical equipment for the US-led "
    "coalition helping Iraqi troops fight armed groups were targeted with roadside bombs."
)
EXTENSIONS = [".md", ".markdown", ".html", ".htm", ".docx", ".pdf", ".json"]
HOSTILE = "Look <script>alert(1)</script> and [x](http://evil) or ![i](http://evil/p.png)."

ARTICLE = Article(
    id=1,
    title=TITLE,
    source=URL,
    url=URL,
    published="2020-12-20",
    author=None,
    file="baghdad-embassy-rockets.txt",
    added="2024-01-05T10:00:00+00:00",
    content_hash="abc",
    paragraph_count=23,
)
EVIL = Article(
    id=2,
    title="Hostile <script>alert(1)</script> [x](http://evil)",
    source="pasted",
    url="javascript:alert(1)",
    published=None,
    author=None,
    file=None,
    added="2024-01-05T10:00:00+00:00",
    content_hash="def",
    paragraph_count=1,
)


def cite(index: int, text: str, quote: str | None = None, article: Article = ARTICLE) -> Citation:
    """A citation of ``quote`` (default: the whole paragraph) in paragraph ``index``."""
    quote = quote or text
    start = text.index(quote)
    return Citation(
        paragraph_id=article.id * 100 + index,
        article_id=article.id,
        article_title=article.title,
        paragraph_index=index,
        paragraph_text=text,
        quote=quote,
        quote_start=start,
        quote_end=start + len(quote),
        source=article.source,
        url=article.url,
        published=article.published,
        article_file=article.file,
    )


def hit(index: int, text: str, score: float) -> Hit:
    para = Paragraph(100 + index, 1, index, text, 0, len(text), TITLE)
    return Hit(para, score)


ROCKETS, CRAM, NOV = cite(4, P_ROCKETS), cite(5, P_CRAM), cite(15, P_NOV)


@pytest.fixture
def answer() -> Answer:
    return Answer(
        question="How many rockets were fired at the Green Zone?",
        statements=(
            Statement("An outlawed group launched eight rockets at the Green Zone.", (ROCKETS,)),
            Statement("The embassy’s C-RAM system was activated.", (CRAM, cite(4, P_ROCKETS))),
            Statement("A November 17 attack killed one young woman.", (NOV, ROCKETS)),
        ),
        declined=False,
        articles=(ARTICLE,),
        created="2024-01-05T10:30:00+00:00",
    )


@pytest.fixture
def declined() -> Answer:
    hits = (hit(19, P_SADR, 0.4), hit(16, P_DEC, 0.3), hit(5, P_CRAM, 0.2), hit(15, P_NOV, 0.1))
    return Answer(
        question="What did the Pope say about the attack?",
        statements=(),
        declined=True,
        considered=hits,
        articles=(ARTICLE,),
        created="2024-01-05T10:31:00+00:00",
    )


@pytest.fixture
def briefing() -> Briefing:
    return Briefing(
        articles=(ARTICLE,),
        length="short",
        overview=(Statement("Rockets targeted the US embassy in Baghdad.", (ROCKETS,)),),
        points=(
            Statement("The C-RAM defence system deflected the attack.", (CRAM,)),
            Statement("Sadr condemned the use of weapons outside the state.", (cite(19, P_SADR),)),
        ),
        entities=Entities(
            ("Moqtada Sadr", "Qassem Soleimani"), ("Baghdad",), ("Kataib Hezbollah",)
        ),
        timeline=(
            TimelineEntry(
                "November 17", "2020-11-17", Statement("Rockets killed a woman.", (NOV,))
            ),
            TimelineEntry(
                "December 10", "2020-12-10", Statement("Convoys hit.", (cite(16, P_DEC),))
            ),
        ),
        created="2024-01-05T11:00:00+00:00",
    )


@pytest.fixture
def hostile() -> Answer:
    bad = cite(0, HOSTILE, article=EVIL)
    return Answer(
        question="What does <b>it</b> say?",
        statements=(Statement(HOSTILE, (bad,)),),
        declined=False,
        articles=(EVIL,),
        created="2024-01-05T12:00:00+00:00",
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def read_back(path: Path) -> str:
    """What a reader sees in the exported file, as plain text."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return "\n".join(p.text for p in Document(str(path)).paragraphs)
    if suffix == ".pdf":
        return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    if suffix in (".html", ".htm"):
        return _html_text(path.read_text("utf-8"))
    if suffix in (".md", ".markdown"):
        return re.sub(r"\\(.)", r"\1", path.read_text("utf-8"))
    return path.read_text("utf-8")


class _TextAndTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._skip = tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _html_parse(markup: str) -> _TextAndTags:
    parser = _TextAndTags()
    parser.feed(markup)
    parser.close()
    return parser


def _html_text(markup: str) -> str:
    return "".join(_html_parse(markup).text)


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_answer_exports_show_quotes_and_reference_numbers(answer, tmp_path, ext):
    path = export(answer, tmp_path / f"answer{ext}")
    assert path.is_file()
    seen = flat(read_back(path))
    if ext == ".json":
        data = json.loads(path.read_text("utf-8"))
        assert [c["quote"] for c in data["citations"]] == [P_ROCKETS, P_CRAM, P_NOV]
        assert [s["citations"] for s in data["statements"]] == [[1], [2, 1], [3, 1]]
        return
    assert answer.question in seen
    for quote in (P_ROCKETS, P_CRAM, P_NOV):
        assert flat(quote) in seen
    for n in (1, 2, 3):
        assert f"[{n}]" in seen
    assert "[4]" not in seen
    assert "¶5" in seen and "¶6" in seen and "¶16" in seen
    assert URL in seen and "2020-12-20" in seen


def test_pdf_keeps_unicode_and_quote_words(answer, tmp_path):
    text = flat(read_back(export(answer, tmp_path / "answer.pdf")))
    assert "“an outlawed group”" in text
    assert "embassy’s C-RAM" in text
    assert f"{TITLE}, ¶5" in text
    assert "injuring one Iraqi security person manning a checkpoint" in text


def test_references_numbered_by_first_appearance(answer):
    doc = build_document(answer)
    assert [r.n for r in doc.references] == [1, 2, 3]
    assert [r.citation.paragraph_index for r in doc.references] == [4, 5, 15]
    assert [r.paragraph_number for r in doc.references] == [5, 6, 16]
    assert [i.refs for i in doc.statements] == [(1,), (2, 1), (3, 1)]


def test_html_reference_numbers_link_to_reference_list(answer, tmp_path):
    markup = export(answer, tmp_path / "a.html").read_text("utf-8")
    tags = _html_parse(markup).tags
    anchors = {a["href"] for t, a in tags if t == "a" and a.get("href", "").startswith("#")}
    ids = {a["id"] for _, a in tags if a.get("id")}
    assert anchors == {"#ref-1", "#ref-2", "#ref-3"}
    assert {"ref-1", "ref-2", "ref-3"} <= ids
    assert "<style>" in markup and "<link" not in markup and "src=" not in markup


def test_docx_reference_numbers_are_superscript(answer, tmp_path):
    word = Document(str(export(answer, tmp_path / "a.docx")))
    sup = [r.text for p in word.paragraphs for r in p.runs if r.font.superscript]
    assert sup == ["[1]", "[2][1]", "[3][1]"]
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Answer", "References", "Articles"]


SCHEMA_COMMON = {
    "schema_version",
    "kind",
    "title",
    "question",
    "created",
    "text",
    "declined",
    "articles",
    "citations",
    "statements",
}
SCHEMA_BRIEFING = {"length", "overview", "points", "entities", "timeline"}
CITATION_KEYS = {
    "n",
    "article_id",
    "article_title",
    "article_file",
    "paragraph_index",
    "paragraph_text",
    "quote",
    "quote_start",
    "quote_end",
    "source",
    "url",
    "published",
}
ARTICLE_KEYS = {"id", "title", "source", "url", "published", "file"}


def _check_json_common(data: dict) -> None:
    assert data["schema_version"] == 1
    assert set(data["articles"][0]) == ARTICLE_KEYS
    for n, c in enumerate(data["citations"], start=1):
        assert set(c) == CITATION_KEYS and c["n"] == n
        assert c["paragraph_text"][c["quote_start"] : c["quote_end"]] == c["quote"]
    numbers = {c["n"] for c in data["citations"]}
    for s in data["statements"]:
        assert set(s) == {"text", "citations"} and set(s["citations"]) <= numbers


def test_json_answer_schema(answer, tmp_path):
    data = json.loads(export(answer, tmp_path / "a.json").read_text("utf-8"))
    assert set(data) == SCHEMA_COMMON
    _check_json_common(data)
    assert data["kind"] == "answer" and data["declined"] is False
    assert data["question"] == answer.question and data["text"] == answer.text
    assert data["articles"][0]["file"] == "baghdad-embassy-rockets.txt"


def test_json_briefing_schema(briefing, tmp_path):
    data = json.loads(export(briefing, tmp_path / "b.json").read_text("utf-8"))
    assert set(data) == SCHEMA_COMMON | SCHEMA_BRIEFING
    _check_json_common(data)
    assert data["kind"] == "briefing" and data["question"] is None and data["declined"] is False
    assert data["overview"] == data["text"] == "Rockets targeted the US embassy in Baghdad."
    assert data["points"] == [
        {"text": "The C-RAM defence system deflected the attack.", "citations": [2]},
        {"text": "Sadr condemned the use of weapons outside the state.", "citations": [3]},
    ]
    assert data["entities"]["organisations"] == ["Kataib Hezbollah"]
    assert data["timeline"][0] == {
        "date": "November 17",
        "iso": "2020-11-17",
        "text": "Rockets killed a woman.",
        "citations": [4],
    }
    assert len(data["statements"]) == 5


def test_schema_doc_mentions_every_key():
    documented = (ROOT / "retrieval" / "export" / "SCHEMA.md").read_text("utf-8")
    keys = SCHEMA_COMMON | SCHEMA_BRIEFING | CITATION_KEYS | ARTICLE_KEYS | {"closest_paragraphs"}
    for key in keys:
        assert f"`{key}`" in documented, key


@pytest.mark.parametrize("ext", [".md", ".html", ".docx", ".pdf"])
def test_briefing_exports_have_all_sections(briefing, tmp_path, ext):
    seen = flat(read_back(export(briefing, tmp_path / f"b{ext}")))
    for heading in ("Overview", "Key points", "People, places and organisations", "Timeline"):
        assert heading in seen
    assert "Moqtada Sadr" in seen and "Kataib Hezbollah" in seen
    assert "November 17" in seen and "December 10" in seen
    assert flat(P_DEC) in seen and "[5]" in seen and "[6]" not in seen


def test_html_escapes_hostile_article(hostile, tmp_path):
    markup = export(hostile, tmp_path / "h.html").read_text("utf-8")
    parsed = _html_parse(markup)
    assert "<script" not in markup.lower()
    assert not [t for t, _ in parsed.tags if t in ("script", "img", "iframe", "b")]
    hrefs = [a.get("href") or "" for t, a in parsed.tags if t == "a"]
    assert all(h.startswith("#ref-") for h in hrefs)
    text = "".join(parsed.text)
    assert "<script>alert(1)</script>" in text and "[x](http://evil)" in text
    assert "javascript:alert(1)" in text


def test_markdown_hostile_text_stays_literal(hostile, tmp_path):
    source = export(hostile, tmp_path / "h.md").read_text("utf-8")
    assert "](http" not in source and "<script>" not in source
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(source)
    assert "<a " not in rendered and "<img" not in rendered and "<script" not in rendered
    assert "[x](http://evil)" in _html_text(rendered)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered


def test_markdown_escape_round_trips_through_commonmark():
    markdown_it = pytest.importorskip("markdown_it")
    raw = r"*a* _b_ `c` # d + e ! f | g {h} \i <j> ~k~ &amp; see www.evil.com or http://x.y"
    rendered = markdown_it.MarkdownIt("commonmark").render(escape(raw))
    assert _html_text(rendered).strip() == raw


@pytest.mark.parametrize("ext", [".md", ".html", ".docx", ".pdf", ".json"])
def test_declined_answer_says_so_and_lists_closest(declined, tmp_path, ext):
    path = export(declined, tmp_path / f"d{ext}")
    if ext == ".json":
        data = json.loads(path.read_text("utf-8"))
        assert data["declined"] is True and data["text"] == DECLINE_MESSAGE
        assert data["citations"] == [] and data["statements"] == []
        assert [p["paragraph_index"] for p in data["closest_paragraphs"]] == [19, 16, 5]
        assert set(data) == SCHEMA_COMMON | {"closest_paragraphs"}
        return
    seen = flat(read_back(path))
    assert DECLINE_MESSAGE in seen
    assert "Closest paragraphs" in seen and "not cited as support" in seen
    assert "populist scholar" in seen and "roadside bombs" in seen and "C-RAM" in seen
    assert "young woman" not in seen
    assert "References" not in seen and "[1]" not in seen
    assert f"{TITLE} ¶20" in seen


def test_unknown_extension_raises_and_keeps_existing_file(answer, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("keep me", "utf-8")
    with pytest.raises(ExportError) as info:
        export(answer, target)
    assert str(info.value) == (
        "unsupported export format '.txt' — use .md, .html, .pdf, .docx or .json"
    )
    assert target.read_text("utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_failed_render_leaves_existing_file_intact(answer, tmp_path, monkeypatch):
    target = tmp_path / "answer.md"
    target.write_text("previous export", "utf-8")

    def broken(doc):
        raise ValueError("boom")

    monkeypatch.setitem(export_module._RENDERERS, ".md", broken)
    with pytest.raises(ExportError, match="boom"):
        export(answer, target)
    assert target.read_text("utf-8") == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.md"]


def test_failed_write_leaves_no_temp_file(answer, tmp_path, monkeypatch):
    target = tmp_path / "answer.pdf"
    target.write_bytes(b"old pdf")

    def no_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export_module.os, "replace", no_replace)
    with pytest.raises(ExportError, match="Permission denied"):
        export(answer, target)
    assert target.read_bytes() == b"old pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.pdf"]


def test_overwrite_and_uppercase_extension(answer, tmp_path):
    target = tmp_path / "Answer.DOCX"
    target.write_bytes(b"stale")
    export(answer, target)
    assert zipfile.is_zipfile(target)


def test_missing_folder_is_a_clear_error(answer, tmp_path):
    with pytest.raises(ExportError, match="cannot write"):
        export(answer, tmp_path / "nope" / "a.json")


def test_formats_cover_every_extension():
    listed = {ext for exts in FORMATS.values() for ext in exts}
    assert listed == set(EXTENSIONS)
    assert "PDF document (*.pdf)" in file_filter()


def test_fonts_are_bundled_with_licence():
    assert FONT_DIR == ROOT / "resources" / "fonts"
    assert (FONT_DIR / "DejaVuSans.ttf").is_file()
    assert (FONT_DIR / "DejaVuSans-Bold.ttf").is_file()
    assert "Bitstream" in (FONT_DIR / "LICENSE").read_text("utf-8")
