"""Exports stay safe: hostile text inert, declines explicit, files never half-written."""

from __future__ import annotations

import dataclasses
import json
import re
import zipfile

import pytest

import retrieval.export as export_module
from retrieval.export import ExportError, export
from retrieval.export.document import closest_paragraphs
from retrieval.export.markdown import escape
from retrieval.types import DECLINE_MESSAGE
from tests.export.samples import (
    SCHEMA_COMMON,
    TITLE,
    _html_parse,
    _html_text,
    flat,
    read_back,
)


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
    assert re.search(r"(?<!\\)\]\(http", source) is None and "<script>" not in source
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

    monkeypatch.setattr("retrieval.export.markdown.render_markdown", broken)
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


def test_a_declined_answer_lists_no_paragraph_of_an_unrelated_story(declined, tmp_path):
    """Retrieval always returns its nearest paragraphs: in a library of other stories they
    share no word with the question and are not offered as worth a look."""
    off_topic = dataclasses.replace(declined, question="Who won the 2018 World Cup final?")
    assert closest_paragraphs(off_topic) == ()
    seen = flat(read_back(export(off_topic, tmp_path / "d.md")))
    assert DECLINE_MESSAGE in seen and "Closest paragraphs" not in seen
    assert [h.paragraph.index for h in closest_paragraphs(declined)] == [19, 16, 5]
    # A question naming someone the story never names shares only common words with it.
    named = dataclasses.replace(declined, question="What did Washiqur Rahman say about rockets?")
    assert closest_paragraphs(named) == ()
