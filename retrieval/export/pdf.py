"""PDF renderer built with fpdf2.

Text is set in DejaVu Sans, loaded from ``resources/fonts`` in the repository,
so curly quotes, the pilcrow (¶), accented names, Arabic and Hebrew render;
emoji and symbols DejaVu lacks come from a fallback font (Symbola's emoji
blocks, monochrome).
Complex scripts are shaped by HarfBuzz through fpdf2's text shaping
(``uharfbuzz``): Arabic letters join and right-to-left runs are ordered by
the Unicode bidirectional algorithm. A character no bundled font has a glyph
for (a CJK ideograph, say) is drawn as the visible marker ``□`` and named by
:func:`missing_glyphs`, never dropped silently.
Reference numbers are superscript ``[N]`` marks that link to their entry in
the reference list.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from fpdf import FPDF

from retrieval.export.common import (
    GENERATED_BY,
    article_line,
    articles_heading,
    keep_edges,
    meta_lines,
    quote_marks,
    quote_parts,
    reference_details,
    reference_location,
    xml_safe,
)
from retrieval.export.document import ExportDocument, Item, Reference, Section
from retrieval.resources import resources_dir

FONT_DIR = resources_dir() / "fonts"
FONT_FAMILY = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# Emoji and symbols DejaVu lacks: Symbola's emoji and symbol blocks, subset
# from Debian's fonts-symbola (see resources/fonts/LICENSE), used by fpdf2 as
# a fallback font for any character DejaVu has no glyph for.
EMOJI_FAMILY = "Symbola"
EMOJI_FILE = "Symbola-emoji.ttf"
_LINE = 6.0
_INDENT = 6.0
_GREY = (85, 85, 85)
MISSING_GLYPH = "□"
# Invisible joiners and variation selectors: they only change how a
# neighbour is drawn, so a font without them loses nothing visible.
_INVISIBLE = frozenset({0x200C, 0x200D, 0xFE0E, 0xFE0F})
_BLACK = (0, 0, 0)


class FontMissingError(FileNotFoundError):
    """Raised when the bundled DejaVu fonts cannot be found."""


def render_pdf(doc: ExportDocument) -> bytes:
    """Render ``doc`` as PDF and return its bytes.

    Raises:
        FontMissingError: When the bundled fonts are missing.
    """
    pdf = _new_pdf(doc.title)
    links = {ref.n: pdf.add_link() for ref in doc.references}
    _title(pdf, doc)
    for section in doc.sections:
        _section(pdf, section, links)
    if doc.references:
        _heading(pdf, "References")
        for ref in doc.references:
            _reference(pdf, ref, links[ref.n])
    if doc.articles:
        _heading(pdf, articles_heading(doc))
        for article in doc.articles:
            _bullet(pdf, Item(article_line(article)), links)
    return bytes(pdf.output())


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """Code points every bundled font style can draw."""
    from fontTools.ttLib import TTFont

    sets = []
    for name in (*_FONT_FILES.values(), EMOJI_FILE):
        path = FONT_DIR / name
        if not path.is_file():
            raise FontMissingError(f"PDF font not found: {path}")
        with TTFont(str(path), lazy=True) as font:
            sets.append(set(font.getBestCmap()))
    *text_fonts, emoji = sets
    return frozenset(set.intersection(*text_fonts) | emoji)


def _drawable(ch: str) -> bool:
    code = ord(ch)
    return code in _covered() or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def missing_glyphs(doc: ExportDocument) -> list[str]:
    """Characters of ``doc`` no bundled font can draw, each once, in order of appearance.

    The PDF shows each as :data:`MISSING_GLYPH`; callers tell the user which.
    """
    seen: dict[str, None] = {}
    for text in _texts(doc):
        for ch in xml_safe(text):
            if ord(ch) not in _INVISIBLE and not _drawable(ch):
                seen.setdefault(ch, None)
    return list(seen)


def describe_missing(chars: list[str]) -> str:
    """``"📚 (U+1F4DA BOOKS), 🎉 (U+1F389 PARTY POPPER)"``: characters as a person reads them."""
    return ", ".join(
        f"{ch} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')})" for ch in chars
    )


def _texts(doc: ExportDocument) -> list[str]:
    texts = [doc.title, *(value for _, value in meta_lines(doc))]
    for section in doc.sections:
        texts += [section.heading, section.note or ""]
        texts += [t for item in section.items for t in (item.text, item.label or "")]
    for ref in doc.references:
        texts += [ref.citation.quote, reference_location(ref), *reference_details(ref)]
    texts += [article_line(article) for article in doc.articles]
    return texts


def _clean(text: str | None) -> str:
    """One line of printable text, each glyph no font has shown as the marker."""
    flat = " ".join(xml_safe(text).split())
    return "".join(
        "" if ord(ch) in _INVISIBLE else ch if _drawable(ch) else MISSING_GLYPH for ch in flat
    )


def _new_pdf(title: str) -> FPDF:
    pdf = FPDF(format="A4")
    for style, name in _FONT_FILES.items():
        path = FONT_DIR / name
        if not path.is_file():
            raise FontMissingError(f"PDF font not found: {path}")
        pdf.add_font(FONT_FAMILY, style, str(path))
    emoji = FONT_DIR / EMOJI_FILE
    if not emoji.is_file():
        raise FontMissingError(f"PDF font not found: {emoji}")
    pdf.add_font(EMOJI_FAMILY, "", str(emoji))
    pdf.set_fallback_fonts([EMOJI_FAMILY], exact_match=False)
    pdf.set_text_shaping(True)  # HarfBuzz: joined Arabic, bidi order
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(_clean(title))
    pdf.set_creator(GENERATED_BY)
    pdf.add_page()
    return pdf


def _font(pdf: FPDF, size: float, bold: bool = False, grey: bool = False) -> None:
    pdf.set_font(FONT_FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*(_GREY if grey else _BLACK))


def _title(pdf: FPDF, doc: ExportDocument) -> None:
    _font(pdf, 18, bold=True)
    pdf.multi_cell(0, 9, _clean(doc.title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, value in meta_lines(doc):
        _font(pdf, 10, bold=True)
        pdf.write(5, f"{label}: ")
        _font(pdf, 10)
        pdf.write(5, _clean(value))
        pdf.ln(5)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    _font(pdf, 13, bold=True)
    pdf.multi_cell(0, 7, _clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _refs(pdf: FPDF, refs: tuple[int, ...], links: dict[int, int]) -> None:
    pdf.char_vpos = "SUP"
    for n in refs:
        pdf.write(_LINE, f"[{n}]", link=links.get(n, ""))
    pdf.char_vpos = "LINE"


def _section(pdf: FPDF, section: Section, links: dict[int, int]) -> None:
    _heading(pdf, section.heading)
    if section.note:
        _font(pdf, 9, grey=True)
        pdf.multi_cell(0, 5, _clean(section.note), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    if section.kind == "prose":
        _font(pdf, 11)
        for i, item in enumerate(section.items):
            pdf.write(_LINE, ("" if i == 0 else " ") + _clean(item.text))
            _refs(pdf, item.refs, links)
        pdf.ln(_LINE)
    elif section.kind == "closest":
        for item in section.items:
            _closest(pdf, item)
    else:
        for item in section.items:
            _bullet(pdf, item, links)


def _bullet(pdf: FPDF, item: Item, links: dict[int, int]) -> None:
    base = pdf.l_margin
    pdf.set_left_margin(base + _INDENT)
    pdf.set_x(base)
    _font(pdf, 11)
    pdf.write(_LINE, "•  ")
    if item.label:
        _font(pdf, 11, bold=True)
        pdf.write(_LINE, f"{_clean(item.label)}: ")
        _font(pdf, 11)
    pdf.write(_LINE, _clean(item.text))
    _refs(pdf, item.refs, links)
    pdf.ln(_LINE)
    pdf.set_left_margin(base)


def _closest(pdf: FPDF, item: Item) -> None:
    _font(pdf, 10, bold=True)
    pdf.multi_cell(0, 5, _clean(item.label), align="L", new_x="LMARGIN", new_y="NEXT")
    base = pdf.l_margin
    pdf.set_left_margin(base + _INDENT)
    pdf.set_x(base + _INDENT)
    _font(pdf, 10, grey=True)
    pdf.multi_cell(0, 5, _clean(item.text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_left_margin(base)
    pdf.ln(2)


def _reference(pdf: FPDF, ref: Reference, link: int) -> None:
    pdf.set_link(link, y=pdf.get_y(), page=pdf.page_no())
    _font(pdf, 10, bold=True)
    pdf.write(5, f"[{ref.n}] ")
    before, answer, after = quote_parts(ref)
    _font(pdf, 10)
    opening, closing = quote_marks(ref.citation.quote)
    pdf.write(5, f"{opening}{keep_edges(before, _clean(before))}")
    if answer:
        _font(pdf, 10, bold=True)
        pdf.write(5, _clean(answer))
        _font(pdf, 10)
    pdf.write(5, f"{keep_edges(after, _clean(after))}{closing} — {_clean(reference_location(ref))}")
    details = reference_details(ref)
    if details:
        _font(pdf, 9, grey=True)
        pdf.write(5, ". " + _clean(". ".join(details)))
    pdf.ln(7)
