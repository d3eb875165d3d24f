"""Word (.docx) renderer built with python-docx.

Reference numbers are superscript ``[N]`` runs after each statement; the
reference list quotes every cited sentence with its article, paragraph
number, source and date.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from retrieval.export.common import (
    GENERATED_BY,
    article_line,
    articles_heading,
    meta_lines,
    quote_marks,
    quote_parts,
    reference_details,
    reference_location,
    refs_text,
    xml_safe,
)
from retrieval.export.document import ExportDocument, Item, Reference, Section

_GREY = RGBColor(0x55, 0x55, 0x55)


def render_docx(doc: ExportDocument) -> bytes:
    """Render ``doc`` as a .docx file and return its bytes."""
    word = Document()
    word.core_properties.title = xml_safe(doc.title)
    word.core_properties.comments = GENERATED_BY
    word.add_heading(xml_safe(doc.title), level=0)
    for label, value in meta_lines(doc):
        _labelled(word.add_paragraph(), label, value)
    for section in doc.sections:
        _section(word, section)
    if doc.references:
        word.add_heading("References", level=1)
        for ref in doc.references:
            _reference(word.add_paragraph(), ref)
    if doc.articles:
        word.add_heading(xml_safe(articles_heading(doc)), level=1)
        for article in doc.articles:
            word.add_paragraph(xml_safe(article_line(article)), style="List Bullet")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _labelled(paragraph: Paragraph, label: str, value: str) -> None:
    paragraph.add_run(f"{xml_safe(label)}: ").bold = True
    paragraph.add_run(xml_safe(value))


def _add_refs(paragraph: Paragraph, refs: tuple[int, ...]) -> None:
    if refs:
        paragraph.add_run(refs_text(refs)).font.superscript = True


def _section(word: DocxDocument, section: Section) -> None:
    word.add_heading(xml_safe(section.heading), level=1)
    if section.note:
        note = word.add_paragraph().add_run(xml_safe(section.note))
        note.italic = True
        note.font.color.rgb = _GREY
    if section.kind == "prose":
        paragraph = word.add_paragraph()
        for i, item in enumerate(section.items):
            paragraph.add_run(("" if i == 0 else " ") + xml_safe(item.text))
            _add_refs(paragraph, item.refs)
    elif section.kind == "closest":
        for item in section.items:
            _closest(word, item)
    else:
        for item in section.items:
            _bullet(word.add_paragraph(style="List Bullet"), item)


def _bullet(paragraph: Paragraph, item: Item) -> None:
    if item.label:
        paragraph.add_run(f"{xml_safe(item.label)}: ").bold = True
    paragraph.add_run(xml_safe(item.text))
    _add_refs(paragraph, item.refs)


def _closest(word: DocxDocument, item: Item) -> None:
    word.add_paragraph().add_run(xml_safe(item.label)).bold = True
    word.add_paragraph(xml_safe(item.text), style="Quote")


def _reference(paragraph: Paragraph, ref: Reference) -> None:
    paragraph.add_run(f"[{ref.n}] ").bold = True
    before, answer, after = quote_parts(ref)
    opening, closing = quote_marks(ref.citation.quote)
    paragraph.add_run(f"{opening}{xml_safe(before)}").italic = True
    if answer:
        marked = paragraph.add_run(xml_safe(answer))
        marked.italic = marked.bold = True
    paragraph.add_run(f"{xml_safe(after)}{closing}").italic = True
    paragraph.add_run(f" — {xml_safe(reference_location(ref))}")
    details = reference_details(ref)
    if details:
        tail = paragraph.add_run(xml_safe(". " + ". ".join(details)))
        tail.font.color.rgb = _GREY
        tail.font.size = Pt(9)
