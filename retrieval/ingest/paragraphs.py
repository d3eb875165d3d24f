"""Cutting an article body into paragraphs, the unit of citation.

The article's own paragraphs are kept as they are (so a citation points at
what the reader sees); only blocks too long to cite usefully are cut, at
sentence boundaries. Every span is an exact slice of the body, so offsets
stay valid for highlighting and export.
"""

from __future__ import annotations

import re

from retrieval.ingest.decoding import is_dateline
from retrieval.settings import IngestSettings
from retrieval.text.sentences import sentence_spans
from retrieval.types import ParagraphSpan

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_NEWLINE = re.compile(r"\n")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_TITLE_MAX_CHARS = 200

# Lines that are page furniture, not reporting. Each pattern must match the
# whole (short) block, so a real sentence that merely mentions these words
# is never dropped.
_BOILERPLATE = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"sources?\s*:\s*[^.!?]{1,80}\.?",
        r"(advertisement|advert|sponsored( content)?|ad)",
        r"(read more|related|see also|more on this( story)?|recommended|watch)\s*:.*",
        r"(read more|continue reading|skip advertisement|scroll to continue)\W*",
        r"share (this|on|via)\b.{0,60}",
        r"(follow|like) (us|@\w+|\w+( \w+)?) on (twitter|facebook|instagram|x|linkedin)\b.{0,60}",
        r"(copyright\s*(©|\(c\))?|©|\(c\))\s*\d{4}\b.{0,150}",
        r".{0,150}\ball rights reserved\.?",
        r"sign up (for|to) .{0,80}newsletter.{0,40}",
        r"click here\b.{0,80}",
        r"media playback is (not supported|unsupported) on (this|your) device\.?",
        r"image (copyright|caption)\b.{0,150}",
    )
]
# A photo caption ends in a credit in brackets: "[File: Ahmad al-Rubaye/AFP]".
_CAPTION_CREDIT = re.compile(
    r"(\[(?:(?:file|photo|image|picture|courtesy)\s*:[^\[\]]{1,80}"
    r"|[^\[\]/:]{2,60}/[^\[\]/]{2,40})\]"
    r"|\((?:photo|image|picture)(?: credit)?\s*:[^()]{1,80}\))$",
    re.IGNORECASE,
)
_CAPTION_MAX_CHARS = 400
_BOILERPLATE_MAX_CHARS = 200


def split_paragraphs(text: str, settings: IngestSettings) -> list[ParagraphSpan]:
    """Cut an article body into citable paragraphs.

    Args:
        text: The article body.
        settings: Size limits for paragraphs.

    Returns:
        The paragraphs in order; ``text[span.start:span.end] == span.text``.
    """
    spans: list[ParagraphSpan] = []
    for start, end in _blocks(text):
        block = text[start:end]
        if _is_dropped(block, settings):
            continue
        if end - start <= settings.max_paragraph_chars:
            spans.append(ParagraphSpan(start, end, block))
            continue
        for part_start, part_end in _passages(text, start, end, settings):
            spans.append(ParagraphSpan(part_start, part_end, text[part_start:part_end]))
    return spans


def split_title(text: str) -> tuple[str | None, int]:
    """Find a headline at the top of ``text``.

    A headline is a short first line that does not end like a sentence and is
    followed by more text.

    Returns:
        ``(title, body_start)``: the headline and the offset where the body
        starts, or ``(None, 0)`` when the text does not open with a headline.
    """
    lead = len(text) - len(text.lstrip())
    line_end = text.find("\n", lead)
    if line_end < 0:
        return None, 0
    line = text[lead:line_end].strip()
    rest = text[line_end:]
    body_offset = line_end + len(rest) - len(rest.lstrip())
    if body_offset >= len(text) or not _looks_like_headline(line):
        return None, 0
    single_line_block = _BLANK_LINE.match(text, line_end) is not None
    if not single_line_block and _BLANK_LINE.search(text) is not None:
        return None, 0  # the first line opens a multi-line paragraph
    return line, body_offset


def _looks_like_headline(line: str) -> bool:
    if not line or len(line) > _TITLE_MAX_CHARS:
        return False
    return _SENTENCE_END.search(line) is None


def _blocks(text: str) -> list[tuple[int, int]]:
    """Offsets of the article's own paragraphs, whitespace trimmed."""
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else _NEWLINE
    blocks: list[tuple[int, int]] = []
    pos = 0
    for gap in separator.finditer(text):
        _add_trimmed(blocks, text, pos, gap.start())
        pos = gap.end()
    _add_trimmed(blocks, text, pos, len(text))
    return blocks


def _add_trimmed(blocks: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        blocks.append((start, end))


def _is_dropped(block: str, settings: IngestSettings) -> bool:
    """Whether ``block`` is empty, a stray fragment or page furniture."""
    if len(block) < settings.min_paragraph_chars and not _SENTENCE_END.search(block):
        return True
    return is_boilerplate(block) or is_dateline(block)


def is_boilerplate(block: str) -> bool:
    """Whether a block is page furniture (bylines, share links, captions).

    Args:
        block: One trimmed paragraph.

    Returns:
        True for lines such as "Source: News Agencies", "Advertisement" or a
        photo caption ending in a credit like "[File: Name/AFP]".
    """
    if len(block) <= _CAPTION_MAX_CHARS and "\n" not in block and _CAPTION_CREDIT.search(block):
        return True
    if len(block) > _BOILERPLATE_MAX_CHARS:
        return False
    return any(pattern.fullmatch(block) for pattern in _BOILERPLATE)


def _passages(text: str, start: int, end: int, settings: IngestSettings) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into runs of sentences within the size limit."""
    sentences = [(start + s, start + e) for s, e in sentence_spans(text[start:end])]
    groups: list[list[tuple[int, int]]] = []
    for sentence in sentences:
        current = groups[-1] if groups else None
        if current is not None and _fits(current, sentence, settings):
            current.append(sentence)
        else:
            groups.append([sentence])
    _merge_short_tail(groups, settings)
    return [(group[0][0], group[-1][1]) for group in groups]


def _fits(
    group: list[tuple[int, int]], sentence: tuple[int, int], settings: IngestSettings
) -> bool:
    if len(group) >= settings.target_paragraph_sentences:
        return False
    return sentence[1] - group[0][0] <= settings.max_paragraph_chars


def _merge_short_tail(groups: list[list[tuple[int, int]]], settings: IngestSettings) -> None:
    # A lone last sentence makes a poor passage; fold it into the one before
    # when that stays within the size limit.
    if len(groups) < 2 or len(groups[-1]) > 1:
        return
    if groups[-1][-1][1] - groups[-2][0][0] <= settings.max_paragraph_chars:
        groups[-2].extend(groups.pop())
