"""Which PDF library reads news PDFs best: measured on PDFs made with fpdf2.

Usage::

    python -m benchmarks.pdf_layout

Each of the 10 XSum articles (``../shared/eval/news``) is set by fpdf2 in two
layouts: one column and two columns, both with an 18 pt headline, a running
masthead and a "Page N of M" footer on every page, paragraphs separated by a
vertical gap, line-end hyphenation (words broken at the margin, compounds
broken at their hyphen) and "fi" set as the ligature "ﬁ". The truth is the
article's own text.

Readers compared: pypdf (plain and ``extraction_mode="layout"``),
pdfplumber's ``extract_text``, pypdfium2's ``get_text_range`` and Newsdesk's
reader (``retrieval.ingest.pdf``, pdfplumber words + layout rules).

Measured per reader: word accuracy (``difflib`` ratio between the truth's
words and the extracted words, so order, furniture and broken words all
count), furniture lines leaked, exact paragraphs recovered (Newsdesk only:
the others return lines), the title, and seconds per page.
Results: ``benchmarks/results/pdf_layout/summary.json``.
"""

from __future__ import annotations

import difflib
import io
import json
import re
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdf import FPDF

from retrieval.ingest.pdf import read_pdf
from retrieval.resources import resources_dir

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "eval" / "news" / "articles"
OUT = Path(__file__).resolve().parent / "results" / "pdf_layout"
MASTHEAD = "THE DAILY EXAMPLE | World News"
FOOTER = "Page {n} of {m} - Subscribe at example.test/join"
FONT = resources_dir() / "fonts" / "DejaVuSans.ttf"


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFKC", text).split()


def make_pdf(title: str, paragraphs: list[str], columns: int) -> bytes:
    """An article set by fpdf2 with masthead, footer, hyphenation and ligatures."""
    pdf = FPDF(format="A4", unit="pt")
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_auto_page_break(False)
    margin, gutter = 50.0, 20.0
    col_width = (pdf.w - 2 * margin - (columns - 1) * gutter) / columns
    size, pitch = 10.0, 13.0
    pages: list[int] = []

    def new_page() -> float:
        pdf.add_page()
        pages.append(pdf.page_no())
        pdf.set_font("DejaVu", size=8)
        pdf.text(margin, 30, MASTHEAD)
        return 70.0

    y = new_page()
    pdf.set_font("DejaVu", size=18)
    pdf.text(margin, y, title)
    y += 34
    top, column = y, 0
    pdf.set_font("DejaVu", size=size)
    for paragraph in paragraphs:
        for line in _wrap(pdf, paragraph.replace("fi", "ﬁ"), col_width):
            if y > pdf.h - 70:
                column += 1
                if column >= columns:
                    y = new_page()
                    top, column = y, 0
                    pdf.set_font("DejaVu", size=size)
                else:
                    y = top
            pdf.text(margin + column * (col_width + gutter), y, line)
            y += pitch
        y += pitch  # the gap between paragraphs
    for page in pages:
        pdf.page = page
        pdf.set_font("DejaVu", size=7)
        pdf.text(margin, pdf.h - 30, FOOTER.format(n=page, m=len(pages)))
    pdf.page = len(pages)
    return bytes(pdf.output())


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Lines no wider than ``width``; a word that does not fit is hyphenated."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if pdf.get_string_width(trial) <= width:
            line = trial
            continue
        head, tail = _hyphenate(pdf, line, word, width)
        lines.append(f"{line} {head}".strip() if head else line)
        line = tail
    if line:
        lines.append(line)
    return lines


def _hyphenate(pdf: FPDF, line: str, word: str, width: float) -> tuple[str, str]:
    if "-" in word.strip("-"):  # a compound breaks at its own hyphen
        head, tail = word.split("-", 1)
        if pdf.get_string_width(f"{line} {head}-") <= width:
            return head + "-", tail
    if len(word) >= 8 and word.isalpha():
        for cut in range(len(word) - 3, 3, -1):
            if pdf.get_string_width(f"{line} {word[:cut]}-") <= width:
                return word[:cut] + "-", word[cut:]
    return "", word


# -- readers -------------------------------------------------------------------------


def _pypdf(data: bytes, mode: str) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if mode == "layout":
        return "\n".join(p.extract_text(extraction_mode="layout") for p in reader.pages)
    return "\n".join(p.extract_text() for p in reader.pages)


def _pdfplumber(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _pdfium(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def _newsdesk(data: bytes) -> str:
    found = read_pdf(data)
    return f"{found.title}\n\n{found.body}"


READERS: dict[str, Callable[[bytes], str]] = {
    "pypdf": lambda d: _pypdf(d, "plain"),
    "pypdf layout mode": lambda d: _pypdf(d, "layout"),
    "pdfplumber extract_text": _pdfplumber,
    "pypdfium2 get_text_range": _pdfium,
    "newsdesk (pdfplumber + layout)": _newsdesk,
}


def _articles() -> list[tuple[str, list[str]]]:
    found = []
    for path in sorted(ARTICLES.glob("xsum-sample-*.txt")):
        blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
        title = " ".join(blocks[0].split()[:8])
        found.append((title, blocks))
    return found


def run(out: Path = OUT) -> dict[str, Any]:
    """Measure every reader on every article and layout; writes ``summary.json``."""
    scores: dict[str, dict[str, list[float]]] = {name: {} for name in READERS}
    for title, paragraphs in _articles():
        truth = _words(title + " " + " ".join(paragraphs))
        for columns in (1, 2):
            data = make_pdf(title, paragraphs, columns)
            page_count = len(re.findall(rb"/Type\s*/Page\b", data))
            for name, reader in READERS.items():
                started = time.perf_counter()
                text = reader(data)
                seconds = time.perf_counter() - started
                got = _words(text)
                matcher = difflib.SequenceMatcher(None, truth, got, autojunk=False)
                row = scores[name]
                row.setdefault(f"word accuracy, {columns} col", []).append(matcher.ratio())
                leaked = text.count("THE DAILY EXAMPLE") + text.count("Subscribe at")
                row.setdefault("furniture lines leaked", []).append(leaked)
                row.setdefault("seconds per page", []).append(seconds / max(page_count, 1))
                if name.startswith("newsdesk"):
                    found = read_pdf(data)
                    got_paragraphs = found.body.split("\n\n")
                    want = [" ".join(_words(p)) for p in paragraphs]
                    exact = sum(1 for p in got_paragraphs if p in want) / len(want)
                    row.setdefault(f"paragraphs exact, {columns} col", []).append(exact)
                    row.setdefault("title right", []).append(float(found.title == title))
    summary = {
        name: {metric: round(sum(v) / len(v), 4) for metric, v in metrics.items()}
        for name, metrics in scores.items()
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
