"""Every export format shows the same cited statements and reference numbers."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document

from retrieval.export import FORMATS, export, file_filter
from retrieval.export.document import build_document
from retrieval.export.pdf import FONT_DIR
from retrieval.export.text import render_text
from retrieval.types import Answer, Statement
from tests.export.samples import (
    ARTICLE,
    EXTENSIONS,
    P_CRAM,
    P_DEC,
    P_NOV,
    P_ROCKETS,
    ROCKETS,
    ROOT,
    SCHEMA_COMMON,
    TITLE,
    URL,
    _html_parse,
    flat,
    read_back,
)


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
    assert headings == ["Answer", "References", "Articles cited (1 of 1 searched)"]


SCHEMA_BRIEFING = {
    "length",
    "overview",
    "points",
    "entities",
    "timeline",
    "stories",
    "differences",
    "mentions",
}
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
    "answer_start",
    "answer_end",
    "source",
    "url",
    "published",
}
ARTICLE_KEYS = {"id", "title", "source", "url", "published", "file"}


def _check_json_common(data: dict) -> None:
    assert data["schema_version"] == 3
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
    assert len(data["statements"]) == 7
    assert data["stories"] == [
        {"heading": "Rockets fired at the Green Zone", "points": data["points"]}
    ]
    assert [d["citations"] for d in data["differences"]] == [[1], [2]]
    assert {d["fact"] for d in data["differences"]} == {"rockets"}


def test_schema_doc_mentions_every_key():
    documented = (ROOT / "retrieval" / "export" / "SCHEMA.md").read_text("utf-8")
    keys = SCHEMA_COMMON | SCHEMA_BRIEFING | CITATION_KEYS | ARTICLE_KEYS | {"closest_paragraphs"}
    for key in keys:
        assert f"`{key}`" in documented, key


@pytest.mark.parametrize("ext", [".md", ".html", ".docx", ".pdf"])
def test_briefing_exports_have_all_sections(briefing, tmp_path, ext):
    seen = flat(read_back(export(briefing, tmp_path / f"b{ext}")))
    for heading in (
        "Overview",
        "Key points",
        "Where the articles differ",
        "People, places and organisations",
        "Timeline",
        "Suspicious paragraphs",
    ):
        assert heading in seen
    assert "Moqtada Sadr" in seen and "Kataib Hezbollah" in seen
    assert "November 17" in seen and "December 10" in seen
    assert flat(P_DEC) in seen and "[5]" in seen and "[6]" not in seen


def test_formats_cover_every_extension():
    listed = {ext for exts in FORMATS.values() for ext in exts}
    assert listed == set(EXTENSIONS)
    assert "PDF document (*.pdf)" in file_filter()


def test_fonts_are_bundled_with_licence():
    assert FONT_DIR == ROOT / "resources" / "fonts"
    assert (FONT_DIR / "DejaVuSans.ttf").is_file()
    assert (FONT_DIR / "DejaVuSans-Bold.ttf").is_file()
    assert "Bitstream" in (FONT_DIR / "LICENSE").read_text("utf-8")


def _short_answer() -> Answer:
    """ "eight" answered from the rockets sentence, its words marked in the quote."""
    start = P_ROCKETS.index("eight")
    marked = replace(ROCKETS, answer_start=start, answer_end=start + len("eight"))
    return Answer(
        question="How many rockets were fired at the Green Zone?",
        statements=(Statement("eight", (marked,)),),
        declined=False,
        articles=(ARTICLE,),
        created="2024-01-05T10:30:00+00:00",
    )


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".pdf", ".json"])
def test_the_short_answer_is_the_text_and_its_words_are_marked_in_the_quote(
    tmp_path: Path, suffix: str
) -> None:
    path = export(_short_answer(), tmp_path / f"answer{suffix}")
    if suffix == ".md":
        assert "**eight**" in path.read_text("utf-8")
    elif suffix == ".html":
        assert "<mark>eight</mark>" in path.read_text("utf-8")
    elif suffix == ".docx":
        runs = [r for p in Document(str(path)).paragraphs for r in p.runs]
        assert any(r.text == "eight" and r.bold for r in runs)
    elif suffix == ".json":
        data = json.loads(path.read_text("utf-8"))
        assert data["text"] == "eight"
        [c] = data["citations"]
        assert c["paragraph_text"][c["answer_start"] : c["answer_end"]] == "eight"
    shown = "".join(read_back(path).replace("**", "").split())
    assert "launchedeightrockets" in shown  # the whole quote is still there


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx", ".pdf"])
def test_the_marked_words_keep_their_spaces_in_the_quote(tmp_path: Path, suffix: str) -> None:
    """A user reads "launched eight rockets", never "launchedeightrockets"."""
    path = export(_short_answer(), tmp_path / f"answer{suffix}")
    if suffix == ".md":
        assert "launched **eight** rockets" in path.read_text("utf-8")
    elif suffix == ".html":
        assert "launched <mark>eight</mark> rockets" in path.read_text("utf-8")
    shown = " ".join(read_back(path).replace("**", "").split())
    assert "launched eight rockets" in shown


def test_plain_text_never_wraps_inside_a_hyphenated_word() -> None:
    """A trial's "**52-year-" / "old**" in the terminal: a line breaks between words only."""
    answer = _short_answer()
    statement = answer.statements[0]
    text = "the 52-year-old round-trip well-known " * 12
    answer = replace(answer, statements=(replace(statement, text=text.strip()),))
    for width in range(40, 90):
        lines = render_text(build_document(answer), width=width).splitlines()
        assert not any(line.rstrip().endswith("-") for line in lines), width


def test_plain_text_prose_lines_align_under_the_first() -> None:
    """A trial's long whole-sentence answer wrapped with its later lines indented deeper
    than its first."""
    answer = _short_answer()
    statement = replace(answer.statements[0], text="the rockets were fired " * 12)
    answer = replace(answer, statements=(statement,))
    lines = render_text(build_document(answer), width=60).splitlines()
    start = lines.index("ANSWER") + 1
    body = lines[start : lines.index("", start)]
    assert len(body) > 1
    assert {len(line) - len(line.lstrip()) for line in body} == {2}
    assert not any("  " in line.strip() for line in body)  # one space between words


def test_plain_text_shows_one_space_where_the_source_typed_two() -> None:
    """A trial's '"Fish in the Dark,"  the Broadway debut' in the terminal."""
    answer = _short_answer()
    statement = replace(answer.statements[0], text="Fish in the Dark," + "  the Broadway debut")
    answer = replace(answer, statements=(statement,))
    assert "Dark, the Broadway" in render_text(build_document(answer))
