"""Reading a PDF's text with its layout: columns, paragraphs, title, page furniture.

Text and positions come from pdfplumber (MIT, on pdfminer.six), chosen by
measurement against pypdf (plain and layout mode) and pypdfium2 on PDFs made
with fpdf2 (``benchmarks/pdf_layout.py``). From the positioned lines this
module rebuilds what a reader sees:

- reading order: a page whose lines leave a vertical gutter free is read
  column by column (a simple X-Y cut: lines that cross the gutter, such as a
  headline over both columns, stay where they are);
- paragraphs: a vertical gap clearly larger than the usual line spacing, a
  change of font size, or the page break after a finished sentence;
- running headers and footers: a line repeated (digits aside) at the top or
  bottom of most pages is dropped, and so is a bare page number;
- the title: the largest-font line of the first page when it is larger than
  the body text, else a short first block that does not end like a sentence;
- line-end hyphens: joined when the joined word is in the English word list
  (``resources/words``), kept when both halves are words ("water-saving");
- every line is NFKC-normalised, so ligatures such as "ﬁ" are searchable.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from retrieval.resources import resources_dir

_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_PAGE_NUMBER = re.compile(r"^\s*(page\s+)?\d{1,4}(\s*(/|of)\s*\d{1,4})?\s*$", re.IGNORECASE)
_HYPHEN_END = re.compile(r"(\w+)-$")
_WORD_START = re.compile(r"^([a-z]+)")
_TITLE_MAX_CHARS = 200
_PARAGRAPH_GAP = 1.4  # a gap this many times the usual line pitch opens a paragraph
_GUTTER_MIN = 8.0  # points of free space that make a column gutter
_EDGE_LINES = 2  # header/footer candidates: this many lines at each page edge


class PdfReadError(Exception):
    """The PDF cannot be read; ``reason`` says why in a user's words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Line:
    """One line of text on a page, in PDF points (origin at the top left)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    page_height: float = 0.0


@dataclass(frozen=True)
class PdfText:
    """What the reader found: the title (when one stands out) and the body.

    ``body`` has paragraphs separated by blank lines.
    """

    title: str | None
    body: str
    meta_title: str


def read_pdf(data: bytes) -> PdfText:
    """Read a PDF's text with its layout.

    Args:
        data: The PDF file's bytes.

    Returns:
        The title and body; ``body`` is empty when no page has a text layer.

    Raises:
        PdfReadError: When the file is damaged or password-protected.
    """
    pages, meta_title = _page_lines(data)
    return lines_to_text(pages, meta_title)


def lines_to_text(pages: list[list[Line]], meta_title: str = "") -> PdfText:
    """Rebuild title and paragraphs from positioned lines, page after page."""
    pages = _drop_running_lines(pages)
    body_size = _body_size(pages)
    paragraphs: list[list[Line]] = []
    for number, page in enumerate(pages):
        ordered = _reading_order(page)
        pitch = _line_pitch(ordered)
        previous: Line | None = None
        for line in ordered:
            if previous is None:
                starts = number == 0 or not paragraphs or _ends_sentence(paragraphs[-1][-1])
            else:
                starts = _opens_paragraph(previous, line, pitch)
            if starts or not paragraphs:
                paragraphs.append([line])
            else:
                paragraphs[-1].append(line)
            previous = line
    title, paragraphs = _take_title(paragraphs, body_size)
    texts = [_join_lines([line.text for line in lines]) for lines in paragraphs]
    return PdfText(title, "\n\n".join(t for t in texts if t), meta_title)


# -- extraction ------------------------------------------------------------------


def _page_lines(data: bytes) -> tuple[list[list[Line]], str]:
    import pdfplumber  # imported late: pdfminer is slow to load and rarely needed
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            meta_title = str(pdf.metadata.get("Title") or "").strip()
            pages = [_lines_of(page, n) for n, page in enumerate(pdf.pages)]
    except PDFPasswordIncorrect:
        raise PdfReadError("the PDF is password-protected") from None
    except PdfminerException as error:  # pdfplumber wraps pdfminer's errors
        cause = error.args[0] if error.args else None
        if isinstance(cause, PDFPasswordIncorrect):
            raise PdfReadError("the PDF is password-protected") from None
        raise PdfReadError("not a PDF: the file is damaged") from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, OSError, AssertionError):
        raise PdfReadError("not a PDF: the file is damaged") from None
    except Exception as error:  # pdfminer raises many of its own on broken files
        if "password" in str(error).lower() or "encrypt" in type(error).__name__.lower():
            raise PdfReadError("the PDF is password-protected") from None
        raise PdfReadError("not a PDF: the file is damaged") from None
    return pages, meta_title


def _lines_of(page: Any, number: int) -> list[Line]:
    words = page.extract_words(extra_attrs=["size"], keep_blank_chars=False, use_text_flow=False)
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        row = rows[-1] if rows else None
        if row is not None and abs(word["top"] - row[0]["top"]) <= 0.5 * word["size"]:
            row.append(word)
        else:
            rows.append([word])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        segment: list[dict[str, Any]] = [row[0]]
        for word in row[1:]:
            if word["x0"] - segment[-1]["x1"] > max(_GUTTER_MIN, 1.5 * word["size"]):
                lines.append(_line(segment, number, page.height))
                segment = []
            segment.append(word)
        lines.append(_line(segment, number, page.height))
    return [line for line in lines if line.text]


def _line(words: list[dict[str, Any]], page: int, height: float) -> Line:
    text = unicodedata.normalize("NFKC", " ".join(w["text"] for w in words))
    return Line(
        text=" ".join(text.split()),
        x0=min(w["x0"] for w in words),
        x1=max(w["x1"] for w in words),
        top=min(w["top"] for w in words),
        bottom=max(w["bottom"] for w in words),
        size=statistics.median(w["size"] for w in words),
        page=page,
        page_height=float(height),
    )


# -- page furniture ----------------------------------------------------------------


def _furniture_key(line: Line) -> tuple[str, int]:
    """The line's text with digits masked, and its height on the page in 6-point steps."""
    return re.sub(r"\d+", "#", line.text.casefold()), round(line.top / 6)


def _edges(page: list[Line]) -> list[Line]:
    by_height = sorted(page, key=lambda line: line.top)
    return by_height[:_EDGE_LINES] + by_height[-_EDGE_LINES:]


def _drop_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Without page furniture.

    Dropped: a line found at the same height, digits aside, among the top
    or bottom lines of most pages; page numbers; and lines in the page's
    top or bottom tenth set smaller than the body text (a one-page masthead
    or footer).
    """
    body_size = _body_size(pages)
    counts: Counter[tuple[str, int]] = Counter()
    for page in pages:
        counts.update({_furniture_key(line) for line in _edges(page)})
    needed = max(2, (len(pages) + 1) // 2)
    repeated = {key for key, n in counts.items() if n >= needed} if len(pages) > 1 else set()
    kept: list[list[Line]] = []
    for page in pages:
        edges = {id(line) for line in _edges(page)}
        kept.append(
            [
                line
                for line in page
                if not (id(line) in edges and _furniture_key(line) in repeated)
                and not _PAGE_NUMBER.match(line.text)
                and not _small_at_edge(line, body_size)
            ]
        )
    return kept


def _small_at_edge(line: Line, body_size: float) -> bool:
    if line.page_height <= 0 or line.size >= body_size - 0.5:
        return False
    return line.bottom < 0.1 * line.page_height or line.top > 0.9 * line.page_height


# -- order and paragraphs ------------------------------------------------------------


def _reading_order(lines: list[Line]) -> list[Line]:
    """Lines top to bottom, a two-column band read column by column."""
    ordered = sorted(lines, key=lambda line: (line.top, line.x0))
    gutter = _gutter(ordered)
    if gutter is None:
        return ordered
    result: list[Line] = []
    band: list[Line] = []
    for line in ordered:
        if line.x0 < gutter < line.x1:  # crosses the gutter: closes the band
            result.extend(_columns(band, gutter))
            band = []
            result.append(line)
        else:
            band.append(line)
    result.extend(_columns(band, gutter))
    return result


def _columns(band: list[Line], gutter: float) -> list[Line]:
    left = [line for line in band if line.x1 <= gutter]
    right = [line for line in band if line.x0 >= gutter]
    return left + right


def _gutter(lines: list[Line]) -> float | None:
    """An x in the middle of the page that at least three lines on each side leave free."""
    if len(lines) < 6:
        return None
    left_edge = min(line.x0 for line in lines)
    right_edge = max(line.x1 for line in lines)
    width = right_edge - left_edge
    best: tuple[int, float] | None = None
    step = max(width / 200, 1.0)
    x = left_edge + 0.25 * width
    while x < left_edge + 0.75 * width:
        crossing = sum(1 for line in lines if line.x0 - 1 < x < line.x1 + 1)
        left = sum(1 for line in lines if line.x1 <= x)
        right = sum(1 for line in lines if line.x0 >= x)
        if crossing <= 0.1 * len(lines) and left >= 3 and right >= 3:
            score = min(left, right) - 3 * crossing
            if best is None or score > best[0]:
                best = (score, x)
        x += step
    return best[1] if best else None


def _line_pitch(lines: list[Line]) -> float:
    """The usual distance from one line's top to the next one's in a paragraph."""
    steps = [
        b.top - a.top
        for a, b in zip(lines, lines[1:], strict=False)
        if 0 < b.top - a.top < 4 * a.size and abs(a.size - b.size) < 0.5
    ]
    if not steps:
        return 0.0
    pitch = (
        min(steps) if len(steps) < 3 else statistics.median(sorted(steps)[: len(steps) // 2 + 1])
    )
    size = statistics.median(line.size for line in lines)
    # Every step wider than double spacing: one-line paragraphs, each step a gap.
    return 1.2 * size if pitch > 1.8 * size else pitch


def _opens_paragraph(previous: Line, line: Line, pitch: float) -> bool:
    if abs(previous.size - line.size) >= 0.5:
        return True
    step = line.top - previous.top
    if step < 0:  # the next column starts higher up
        return _ends_sentence(previous)
    if pitch <= 0:
        return step > 1.8 * line.size
    return step > _PARAGRAPH_GAP * pitch


def _ends_sentence(line: Line) -> bool:
    return _SENTENCE_END.search(line.text) is not None


def _body_size(pages: list[list[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _take_title(
    paragraphs: list[list[Line]], body_size: float
) -> tuple[str | None, list[list[Line]]]:
    """The title block and the paragraphs without it."""
    first_page = [p for p in paragraphs if p[0].page == 0]
    if not first_page:
        return None, paragraphs
    largest = max(first_page, key=lambda p: max(line.size for line in p))
    if max(line.size for line in largest) > body_size + 0.5:
        chosen = largest
    else:
        chosen = paragraphs[0]
        if len(paragraphs) < 2 or _ends_sentence(chosen[-1]) or len(chosen) > 3:
            return None, paragraphs
    title = _join_lines([line.text for line in chosen])
    if not title or len(title) > _TITLE_MAX_CHARS:
        return None, paragraphs
    return title, [p for p in paragraphs if p is not chosen]


# -- words ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The bundled English word list (``resources/words/english.txt``), lowercase."""
    path = resources_dir() / "words" / "english.txt"
    try:
        return frozenset(path.read_text(encoding="utf-8").split())
    except OSError:
        return frozenset()


def _join_lines(lines: list[str]) -> str:
    """One paragraph from its wrapped lines, line-end hyphens resolved."""
    text = ""
    for line in lines:
        if not text:
            text = line
            continue
        hyphen = _HYPHEN_END.search(text)
        start = _WORD_START.match(line)
        if hyphen and start:
            text = text[:-1] + ("" if _is_break(hyphen.group(1), start.group(1)) else "-") + line
        else:
            text = f"{text} {line}"
    return text


def _is_break(head: str, tail: str) -> bool:
    """Whether ``head-`` + ``tail`` is one word broken at the line end.

    The joined word in the list → a break ("reser-voir"); otherwise both
    halves being words means a compound ("water-saving"); neither known → a
    break, the usual case for names and rare words.
    """
    words = english_words()
    if (head + tail).lower() in words:
        return True
    return not (head.lower() in words and tail.lower() in words)
