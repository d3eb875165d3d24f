"""PDFs read with their layout (../shared/cases/04 and 05, and PDFs made here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from retrieval.engine import Newsdesk
from retrieval.ingest.pdf import read_pdf
from retrieval.ingest.sources import read_file
from retrieval.resources import resources_dir
from retrieval.settings import IngestSettings
from retrieval.types import IngestError
from tests.conftest import EVAL

CASES = EVAL.parent / "cases"
HYPHENATION = CASES / "04-pdf-hyphenation" / "tarrow-reservoir.pdf"
HEADERS = CASES / "05-pdf-running-headers" / "ferry-terminal.pdf"
NAMES = ("Ada", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lu")


def paragraphs_of(desk: Newsdesk, path: Path) -> tuple[str, list[str]]:
    [article] = [s.article for s in desk.add([str(path)]) if s.article is not None]
    return article.title, [p.text for p in desk.library.store.paragraphs(article.id)]


def test_hyphenation_case_keeps_compounds_and_joins_broken_words(fake_desk: Newsdesk) -> None:
    title, paragraphs = paragraphs_of(fake_desk, HYPHENATION)
    assert title == "Reservoir hits record low in Tarrow Valley"
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("The Tarrow Valley water authority said on Friday")
    assert "38 percent of capacity" in paragraphs[0] and "the lowest level" in paragraphs[0]
    assert "reservoir near Hollins Gap" in paragraphs[0]
    assert "new water-saving rules" in paragraphs[1]
    assert "private swimming pools" in paragraphs[1]


def test_running_headers_and_footers_never_reach_a_paragraph(fake_desk: Newsdesk) -> None:
    title, paragraphs = paragraphs_of(fake_desk, HEADERS)
    assert title == "Ferry terminal plan moves ahead in Hollins Gap"
    text = "\n".join(paragraphs)
    assert "COURIER" not in text and "Subscribe" not in text and "Page " not in text
    assert (
        "The new ferry terminal will cost an estimated 14 million dollars and is due to open"
        " in the spring of next year." in paragraphs
    )
    assert all(p.rstrip().endswith(".") for p in paragraphs)


def _article_pdf(path: Path, *, columns: int, pages: int = 1) -> list[str]:
    """A made-up article in one or two columns with masthead and footer on every page."""
    pdf = FPDF(format="A4", unit="pt")
    pdf.add_font("DejaVu", "", str(resources_dir() / "fonts" / "DejaVuSans.ttf"))
    width = (pdf.w - 100 - (columns - 1) * 20) / columns
    paragraphs = []
    for page in range(pages):
        pdf.add_page()
        pdf.set_font("DejaVu", size=8)
        pdf.text(50, 30, "THE EXAMPLE TIMES | Tuesday")
        pdf.text(50, pdf.h - 30, f"Page {page + 1} of {pages} - example.test")
        if page == 0:
            pdf.set_font("DejaVu", size=20)
            pdf.text(50, 70, "Council approves ﬁve new parks")
        pdf.set_font("DejaVu", size=10)
        for column in range(columns):
            y = 110.0
            for _ in range(3):
                number = len(paragraphs) + 1
                name = NAMES[number % len(NAMES)]
                lines = [f"{name} spoke {k} times about the ﬁrst {number} parks" for k in range(3)]
                lines[-1] += "."
                for line in lines:
                    pdf.text(50 + column * (width + 20), y, line)
                    y += 13
                y += 13
                paragraphs.append(" ".join(lines).replace("ﬁ", "fi"))
    path.write_bytes(bytes(pdf.output()))
    return paragraphs


@pytest.mark.parametrize("columns", [1, 2])
def test_columns_are_read_in_order_with_ligatures_normalised(tmp_path: Path, columns: int) -> None:
    path = tmp_path / "parks.pdf"
    expected = _article_pdf(path, columns=columns, pages=2)
    found = read_pdf(path.read_bytes())
    assert found.title == "Council approves five new parks"
    assert found.body.split("\n\n") == expected


def test_a_one_page_masthead_and_footer_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "parks.pdf"
    expected = _article_pdf(path, columns=1, pages=1)
    [draft] = read_file(path, IngestSettings())
    assert draft.title == "Council approves five new parks"
    assert draft.text.split("\n\n") == expected


def test_a_pdf_without_text_still_says_so(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(IngestError, match=r"no text layer \(scanned PDF\?\)"):
        read_file(path, IngestSettings())


def test_a_password_protected_pdf_says_so(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "The council met on Monday.")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(IngestError, match="the PDF is password-protected"):
        read_file(path, IngestSettings())
