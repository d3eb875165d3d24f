"""Text clean-up shared by the readers: decoding, HTML text, titles."""

from __future__ import annotations

import codecs
import html
import re
from html.parser import HTMLParser

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_HASH_STEM = re.compile(r"^[0-9a-f]{16,}$", re.IGNORECASE)
_SPACE_BEFORE_STOP = re.compile(r"\s+([.,;:!?])(?=\s|$)")
_NUMBERED = re.compile(r"^[A-Za-z]+(?:[-_ .]?[A-Za-z]+)?[-_ .]?\d+$")
_RANDOM_ID = re.compile(
    r"^(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[a-z])[A-Za-z0-9]{10,}$"
)
_PLACE_WORD = r"[A-Z][\w.'’-]*"
_PLACE = rf"{_PLACE_WORD}(?:\s+(?:{_PLACE_WORD}|de|da|do|del|al|el|la|le|of))*"
_DATELINE = re.compile(
    rf"(?:(?P<place>{_PLACE}(?:,\s*{_PLACE}){{0,2}})\s*)?"
    r"(?:\((?P<source>[A-Z][A-Za-z0-9.&'’ -]{1,40})\)(?:\s*[-—–]+\s*|(?=\S))"
    r"|(?<=[A-Z])(?P<caps>\s+[-—–]\s+))"
    r"(?=[\"“‘'A-Z0-9])"
)
_AGENCY_WORDS_TEXT = (
    "Reuters Bloomberg Xinhua Kyodo Yonhap Interfax TASS Agency Agence Press News Wire"
)
_AGENCY_WORDS = frozenset(_AGENCY_WORDS_TEXT.split())
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BLOCK_TAG_NAMES = """
    p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header footer
    figure figcaption pre hr dd dt
"""
_BLOCK_TAGS = frozenset(_BLOCK_TAG_NAMES.split())
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})


def normalise(text: str) -> str:
    """Unify line endings and strip trailing spaces; nothing else changes."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def decode_text(data: bytes) -> str | None:
    """Decode a text file, or ``None`` when the bytes are not text.

    Honours a byte-order mark, then tries UTF-8, then Windows-1252 and
    Latin-1 (which always succeeds, so binary is caught by its control
    characters instead).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data[:8192])
        if utf16 is None:
            return None  # NUL bytes and not UTF-16: a binary file
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            return None
        return None if _mostly_control(text) else text
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if _mostly_control(text) else text
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte is mostly NUL, as in UTF-16 text."""
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even, odd = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    if odd > 0.5 * pairs and even < 0.02 * pairs:
        return "utf-16-le"
    if even > 0.5 * pairs and odd < 0.02 * pairs:
        return "utf-16-be"
    return None


def _mostly_control(text: str) -> bool:
    sample = text[:8192]
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)


def prettify_stem(stem: str, body: str) -> str:
    """A title made from a file name, or from the text when the name is a hash or an id."""
    if _looks_generated(stem) or not re.search(r"[A-Za-z]", stem):
        return first_words(body)
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else first_words(body)


def _looks_generated(stem: str) -> bool:
    """A hash, UUID or random id rather than words ("3f2a9c…", "a8Fk2LmQ9x7Z"), or a
    numbered placeholder a dataset or a program gave ("xsum-sample-07", "article_3",
    "story12"): one or two words and a number, which say nothing of the story."""
    if _HASH_STEM.match(stem) or _NUMBERED.match(stem):
        return True
    compact = re.sub(r"[-_]", "", stem)
    if len(compact) >= 16 and re.fullmatch(r"[0-9a-fA-F]+", compact):
        return True
    return bool(_RANDOM_ID.match(stem))


def first_words(body: str, limit: int = 100) -> str:
    """A title from the text: its first sentence, dateline left out, cut at a word boundary.

    Args:
        body: Article text; a leading wire dateline ("Lagos, Nigeria (CNN)") is skipped.
        limit: Longest title, in characters (an ellipsis marks a cut).

    Returns:
        The title, or "Untitled" for empty text.
    """
    from retrieval.text.sentences import split_sentences

    text = body.strip()
    dateline = match_dateline(text)
    if dateline is not None:
        text = text[dateline.end() :].strip()
    line = text.split("\n", 1)[0].strip()
    sentences = split_sentences(line)
    line = sentences[0] if sentences else line
    # Spacing a page's markup left: "A  Los Angeles officer", "flights to Europe ."
    line = _SPACE_BEFORE_STOP.sub(r"\1", " ".join(line.split()))
    if len(line) <= limit:
        return line or "Untitled"
    return line[: limit - 1].rsplit(" ", 1)[0] + "…"


def match_dateline(text: str) -> re.Match[str] | None:
    """The wire dateline opening ``text``, if any.

    Matches "Lagos, Nigeria (CNN)", "(Reuters) -", "WASHINGTON (AP) —" and
    "LONDON —" when article text follows at once. Groups: ``place`` (may be
    None) and ``source`` (the agency, None for a bare place).
    """
    found = _DATELINE.match(text)
    if found is None or not (found.group("source") or found.group("caps")):
        return None
    if found.group("caps") and not (found.group("place") or "").isupper():
        return None
    return found


def is_dateline(block: str, strict: bool = False) -> bool:
    """Whether ``block`` is only a dateline ("Rio de Janeiro, Brazil (CNN)", "LONDON").

    Args:
        block: One line or paragraph.
        strict: Only a news agency's name or acronym counts as the source
            ("Lagos (CNN)", not "Sky (United Kingdom)", which is a headline).
    """
    block = block.strip()
    found = match_dateline(block + " — A") if block.isupper() else match_dateline(block + "A")
    if found is None or found.end() < len(block):
        return False
    source = found.group("source")
    return not strict or source is None or _is_agency(source)


def _is_agency(name: str) -> bool:
    words = name.replace(".", "").split()
    return (len(words) == 1 and words[0].isupper()) or any(w in _AGENCY_WORDS for w in words)


def separate_dateline(body: str) -> str:
    """``body`` with a leading wire dateline set apart as its own first line.

    The dateline is kept (the reader shows place and source) but is no
    longer the start of the first paragraph, its first sentence or a title:
    "Lagos, Nigeria (CNN)With partial…" becomes "Lagos, Nigeria (CNN)" and a
    paragraph "With partial…".
    """
    found = match_dateline(body)
    if found is None:
        return body
    head = body[: found.end()].strip().rstrip("-—–").strip()
    return f"{head}\n\n{body[found.end() :].lstrip()}"


class _TextCollector(HTMLParser):
    """Collects visible text, a blank line at each block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.blocks[-1].append(data)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (a feed entry), paragraphs on blank lines."""
    markup = _CDATA.sub(lambda m: m.group(1), markup)
    if "<" not in markup:
        return normalise(re.sub(r"[ \t]+", " ", html.unescape(markup)))
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    blocks = (re.sub(r"\s+", " ", "".join(parts)).strip() for parts in collector.blocks)
    return "\n\n".join(block for block in blocks if block)
