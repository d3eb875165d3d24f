"""Exports a reader can trust (../shared/cases/11 and issue 13's export list).

Right-to-left scripts shaped in the PDF, glyphs no font has visibly marked
and named, sources without local paths, only cited articles listed,
publication and export dates, plain Markdown, quotes never doubled.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pdfplumber
from docx import Document
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from retrieval.engine import Newsdesk
from retrieval.export import export, export_notes, suggested_file_name
from retrieval.types import Answer, Article, Citation, Statement
from tests.conftest import EVAL
from tests.export.samples import cite as sample_cite
from tests.export.samples import read_back

BOOK_FAIR = EVAL.parent / "cases" / "11-rtl-emoji-pdf-export" / "book-fair.txt"
FORMATS = (".md", ".html", ".docx", ".pdf", ".json")


def cite(desk: Newsdesk, article: Article, index: int) -> Citation:
    """A citation of the whole stored paragraph ``index`` of ``article``."""
    text = desk.library.store.paragraphs(article.id)[index].text
    return sample_cite(index, text, article=article)


def added(desk: Newsdesk, *paths: Path) -> list[Article]:
    return [s.article for s in desk.add([str(p) for p in paths]) if s.article is not None]


def book_fair_answer(desk: Newsdesk, tmp_path: Path) -> tuple[Answer, Path]:
    copy = tmp_path / "private" / "folder" / BOOK_FAIR.name
    copy.parent.mkdir(parents=True)
    shutil.copy(BOOK_FAIR, copy)
    [article] = added(desk, copy)
    answer = Answer(
        question="What did organiser Salma Haddad tell visitors?",
        statements=(
            Statement("She said a book is a friend that never betrays.", (cite(desk, article, 1),)),
            Statement("The novel's Hebrew title is given.", (cite(desk, article, 2),)),
        ),
        declined=False,
        articles=(article,),
    )
    return answer, copy


def embedded_fonts(pdf: Path) -> list[TTFont]:
    """The font subsets embedded in ``pdf``."""
    fonts = []
    for page in PdfReader(str(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            data = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            fonts.append(TTFont(io.BytesIO(data)))
    return fonts


def test_pdf_shapes_arabic_and_hebrew_and_draws_the_emoji(
    fake_desk: Newsdesk, tmp_path: Path
) -> None:
    answer, _ = book_fair_answer(fake_desk, tmp_path)
    pdf = export(answer, tmp_path / "answer.pdf")
    fonts = embedded_fonts(pdf)
    glyphs = {name for font in fonts for name in font.getGlyphOrder()}
    drawn = {code for font in fonts for code in font.getBestCmap()}
    # Joined Arabic: contextual forms (Arabic Presentation Forms-B, U+FE70-FEFF),
    # e.g. the lam-alef ligature of "لا".
    assert "uniFEFB" in glyphs
    assert len({g for g in glyphs if g.startswith("uniFE")}) >= 8
    with pdfplumber.open(pdf) as document:  # the glyphs in visual order, left to right
        text = "\n".join(page.extract_text() for page in document.pages)
    # Right to left: the last word of the quote stands leftmost, each word mirrored.
    assert "«نوخي لا قيدص باتكلا»" in text
    assert "ליבש" in text and "ףוחה" in text
    assert 0x1F4DA in drawn and "draws record crowds 📚" in text  # from the emoji font
    assert export_notes(answer, ".pdf") == []


def test_a_character_no_font_has_is_marked_and_named(fake_desk: Newsdesk, tmp_path: Path) -> None:
    path = tmp_path / "show.txt"
    path.write_text("Calligraphy show 書 opens\n\nThe show opened on Monday in the town hall.\n")
    [article] = added(fake_desk, path)
    answer = Answer(
        "When did the show open?",
        (Statement("On Monday.", (cite(fake_desk, article, 0),)),),
        False,
        articles=(article,),
    )
    with pdfplumber.open(export(answer, tmp_path / "show.pdf")) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "Calligraphy show □ opens" in text
    [note] = export_notes(answer, ".pdf")
    assert "書 (U+66F8 CJK UNIFIED IDEOGRAPH-66F8)" in note and "□" in note


def test_docx_keeps_every_character(fake_desk: Newsdesk, tmp_path: Path) -> None:
    answer, _ = book_fair_answer(fake_desk, tmp_path)
    docx = export(answer, tmp_path / "answer.docx")
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    for piece in (
        "Book fair in Alexandria draws record crowds 📚",
        "«الكتاب صديق لا يخون»",
        "שביל החוף",
    ):
        assert piece in text
    assert export_notes(answer, ".docx") == []


def test_sources_are_file_names_or_urls_never_local_paths(
    fake_desk: Newsdesk, tmp_path: Path
) -> None:
    answer, copy = book_fair_answer(fake_desk, tmp_path)
    for suffix in FORMATS:
        written = export(answer, tmp_path / f"answer{suffix}")
        shown = read_back(written)
        assert str(copy.parent) not in shown, suffix
        assert "book-fair.txt" in shown, suffix


def test_only_cited_articles_are_listed_with_dates_and_the_count_searched(
    fake_desk: Newsdesk, tmp_path: Path
) -> None:
    answer, _ = book_fair_answer(fake_desk, tmp_path)
    other = tmp_path / "other.txt"
    other.write_text("Harbour news\n\nThe harbour reopened on Monday after repairs.\n")
    [uncited] = added(fake_desk, other)
    answer = Answer(answer.question, answer.statements, False, articles=(*answer.articles, uncited))
    markdown = export(answer, tmp_path / "a.md").read_text("utf-8")
    assert "## Articles cited (1 of 2 searched)" in markdown
    assert "Harbour news" not in markdown
    assert "published date unknown" in markdown and "Published: date unknown" in markdown
    assert "**Exported:** " in markdown
    data = json.loads(export(answer, tmp_path / "a.json").read_text("utf-8"))
    assert data["articles_searched"] == 2 and [a["title"] for a in data["articles"]] == [
        "Book fair in Alexandria draws record crowds 📚"
    ]
    assert data["exported"] and data["articles"][0]["source"] == "book-fair.txt"


def test_markdown_is_not_over_escaped_and_quotes_are_not_doubled(
    fake_desk: Newsdesk, tmp_path: Path
) -> None:
    path = tmp_path / "sky.txt"
    path.write_text(
        "Sky deal agreed\n\n"
        '"We are delighted," said the chief of Sky (United Kingdom) on Friday.\n\n'
        "The deal is worth 4.5 billion pounds (about $5.8bn), the company said.\n"
    )
    [article] = added(fake_desk, path)
    answer = Answer(
        "What did Sky say?",
        (
            Statement("Sky said it was delighted.", (cite(fake_desk, article, 0),)),
            Statement("It is worth 4.5 billion pounds.", (cite(fake_desk, article, 1),)),
        ),
        False,
        articles=(article,),
    )
    markdown = export(answer, tmp_path / "sky.md").read_text("utf-8")
    assert "Sky (United Kingdom)" in markdown and "(about $5.8bn)" in markdown
    assert "Sky said it was delighted. [1]" in markdown and "\\[" not in markdown
    assert '“"' not in markdown and '"”' not in markdown
    assert '**[1]** "We are delighted," said the chief' in markdown
    assert "“The deal is worth 4.5 billion pounds" in markdown
    for suffix in (".html", ".docx", ".pdf"):
        shown = read_back(export(answer, tmp_path / f"sky{suffix}"))
        assert '“"' not in shown and '"”' not in shown, suffix


def test_default_file_name_comes_from_the_question(fake_desk: Newsdesk, tmp_path: Path) -> None:
    answer, _ = book_fair_answer(fake_desk, tmp_path)
    assert suggested_file_name(answer) == "what-did-organiser-salma-haddad-tell-visitors.pdf"
    assert suggested_file_name(answer, ".DOCX").endswith(".docx")
