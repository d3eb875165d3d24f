"""Reading every supported input (files, folders, URLs, feeds, pasted text).

Each reader returns :class:`ArticleDraft` objects whose ``text`` is the body
with paragraphs separated by blank lines; anything that cannot be read raises
:class:`IngestError` with a reason a person can act on.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import trafilatura

from retrieval.ingest.decoding import (
    decode_text,
    first_words,
    is_dateline,
    normalise,
    prettify_stem,
    separate_dateline,
)
from retrieval.ingest.details import parse_published, source_and_url
from retrieval.ingest.download import download
from retrieval.ingest.feeds import FEED_TYPES, looks_like_feed, read_feed
from retrieval.ingest.paragraphs import is_boilerplate, split_title
from retrieval.ingest.pdf import PdfReadError, read_pdf
from retrieval.settings import IngestSettings
from retrieval.types import ArticleDraft, IngestError

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
SUPPORTED_SUFFIXES = frozenset({*TEXT_SUFFIXES, *HTML_SUFFIXES, *FEED_SUFFIXES, ".pdf", ".docx"})
# Only dates the page states: htmldate's extensive search guesses, e.g. the
# footer's copyright year becomes "2020-01-01".
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


# -- entry points ------------------------------------------------------------


@dataclass
class Reading:
    """What one input gave: the articles read and the parts reported instead.

    ``skipped`` holds one :class:`IngestError` per feed entry that could not
    be added, its reason naming the entry.
    """

    drafts: list[ArticleDraft]
    skipped: list[IngestError]


def read_input(item: str, settings: IngestSettings) -> Reading:
    """Read a URL (http/https) or a file path, with every skipped feed entry named.

    Raises:
        IngestError: When the input as a whole cannot be read.
    """
    if _is_url(item):
        return _url_reading(item, settings)
    path = Path(item).expanduser()
    if path.is_dir():
        raise IngestError(item, "this is a folder, not a file")
    return _file_reading(path, settings)


def read_any(item: str, settings: IngestSettings) -> list[ArticleDraft]:
    """The articles of :func:`read_input` (skipped feed entries left out)."""
    return read_input(item, settings).drafts


def expand_inputs(items: list[str]) -> list[str]:
    """Replace folders by the supported files in them (sorted, recursive).

    Hidden files and folders are skipped; URLs and other paths pass through
    unchanged so that reading them reports any problem.
    """
    expanded: list[str] = []
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        path = Path(item).expanduser()
        if _is_url(item) or not path.is_dir():
            expanded.append(item)
            continue
        for found in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
            if not hidden and found.is_file() and found.suffix.lower() in SUPPORTED_SUFFIXES:
                expanded.append(str(found))
    return list(dict.fromkeys(expanded))


def read_text(
    text: str,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
) -> ArticleDraft:
    """Turn pasted text into an article; a headline line becomes the title.

    Args:
        text: The pasted text.
        title: The title to use; None to take a headline line, else the first sentence.
        published: Publication date as the user typed it ("2026-03-05",
            "5 March 2026"); None or "" when unknown.
        source: Where it is from, a name or a web address; None for "pasted".

    Raises:
        IngestError: When the text is empty, or the date or source cannot be read.
    """
    body = normalise(text)
    if not body:
        raise IngestError("pasted", "the text is empty")
    try:
        date = parse_published(published or "")
        origin, url = source_and_url(source) if source and source.strip() else ("pasted", None)
    except ValueError as error:
        raise IngestError("pasted", str(error)) from None
    body, stamped = leading_furniture(body)
    if title is None or not title.strip():
        title, body = _take_title(body)
    body = separate_dateline(body)
    return ArticleDraft(
        title=(title or "").strip() or first_words(body),
        text=body,
        source=origin,
        url=url,
        published=date or stamped,
    )


def read_file(path: Path, settings: IngestSettings) -> list[ArticleDraft]:
    """Read one file of any supported type (see :func:`read_input` for skipped entries)."""
    return _file_reading(path, settings).drafts


def read_url(url: str, settings: IngestSettings) -> list[ArticleDraft]:
    """Download a web page or feed and read its article(s) (see :func:`read_input`)."""
    return _url_reading(url, settings).drafts


def _file_reading(path: Path, settings: IngestSettings) -> Reading:
    source = str(path.resolve())
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kind = f"unsupported file type {suffix}" if suffix else "unsupported file type (none)"
        raise IngestError(source, kind)
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            raise IngestError(source, _too_large(size, settings.max_file_bytes))
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(source, "no such file") from None
    except OSError as error:
        raise IngestError(source, f"cannot read the file ({error.strerror})") from None
    if not data.strip():
        raise IngestError(source, "the file is empty")
    reading = _read_bytes(data, suffix, source, path.stem)
    reading.drafts[:] = [_with(d, file=path.name, source=source) for d in reading.drafts]
    return _set_datelines_apart(reading)


def _url_reading(url: str, settings: IngestSettings) -> Reading:
    return _set_datelines_apart(_url_reading_raw(url, settings))


def _url_reading_raw(url: str, settings: IngestSettings) -> Reading:
    data, content_type, final_url = download(url, settings)
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/pdf" or data.startswith(b"%PDF"):
        return _one(_with(_read_pdf(data, url, _url_stem(final_url)), url=final_url))
    if any(t in kind for t in FEED_TYPES) or looks_like_feed(data):
        entries = Reading(*read_feed(data, url, require=False))
        if entries.drafts or entries.skipped:
            return entries
    if kind == "text/plain":
        return _one(_with(_read_plain(data, url, _url_stem(final_url)), url=final_url))
    return _one(_read_html(data, url, _url_stem(final_url), final_url))


def _one(draft: ArticleDraft) -> Reading:
    return Reading([draft], [])


def _set_datelines_apart(reading: Reading) -> Reading:
    """Each body with its wire dateline as a line of its own (see ``separate_dateline``)."""
    reading.drafts[:] = [_with(d, text=separate_dateline(d.text)) for d in reading.drafts]
    return reading


# -- by file type --------------------------------------------------------------


def _read_bytes(data: bytes, suffix: str, source: str, stem: str) -> Reading:
    if suffix in TEXT_SUFFIXES:
        return _one(_read_plain(data, source, stem))
    if suffix in HTML_SUFFIXES:
        return _one(_read_html(data, source, stem, None))
    if suffix in FEED_SUFFIXES:
        return Reading(*read_feed(data, source, require=True))
    if suffix == ".pdf":
        return _one(_read_pdf(data, source, stem))
    return _one(_read_docx(data, source, stem))


def _read_plain(data: bytes, source: str, stem: str) -> ArticleDraft:
    text = decode_text(data)
    if text is None:
        raise IngestError(source, "not a text file")
    body = normalise(text)
    if not body:
        raise IngestError(source, "the file is empty")
    body, stamped = leading_furniture(body)
    title, body = _take_title(body)
    if not body:
        raise IngestError(source, "the file has a title but no text")
    return ArticleDraft(
        title=title or prettify_stem(stem, body), text=body, source=source, published=stamped
    )


def _read_html(data: bytes, source: str, stem: str, url: str | None) -> ArticleDraft:
    doc: Any
    try:
        doc = trafilatura.bare_extraction(
            data, url=url, with_metadata=True, date_extraction_params=_DATE_PARAMS
        )
    except Exception:  # trafilatura raises assorted errors on garbage
        doc = None
    body = _html_body(doc) if doc is not None else ""
    if doc is None or not body:
        raise IngestError(source, "the page has no article text")
    title = (doc.title or "").strip() or prettify_stem(stem, body)
    body = _drop_leading_line(body, title)
    return ArticleDraft(
        title=title,
        text=body,
        source=source,
        url=doc.url or url,
        published=doc.date or None,
        author=doc.author or None,
    )


def _html_body(doc: Any) -> str:
    """Paragraphs of a trafilatura result, one block each."""
    if doc.body is None:
        return normalise("\n\n".join((doc.text or "").splitlines()))
    blocks: list[str] = []
    for element in doc.body:
        parts = element.findall("item") if element.tag == "list" else [element]
        for part in parts:
            for line_break in part.iter("lb"):
                line_break.tail = " " + (line_break.tail or "")
            text = re.sub(r"\s+", " ", "".join(part.itertext())).strip()
            if text:
                blocks.append(text)
    return "\n\n".join(blocks)


def _read_pdf(data: bytes, source: str, stem: str) -> ArticleDraft:
    try:
        found = read_pdf(data)
    except PdfReadError as error:
        raise IngestError(source, error.reason) from None
    body = found.body
    if not body:
        raise IngestError(source, "no text layer (scanned PDF?)")
    title = found.title
    if title is None and _usable_meta_title(found.meta_title):
        title = found.meta_title
    return ArticleDraft(title=title or prettify_stem(stem, body), text=body, source=source)


def _read_docx(data: bytes, source: str, stem: str) -> ArticleDraft:
    import docx  # imported late: python-docx is slow to load and rarely needed
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError:
        raise IngestError(source, "not a Word document: the file is damaged") from None
    except Exception:  # zipfile, lxml and python-docx each raise their own errors
        raise IngestError(source, "not a Word document: the file is damaged") from None
    paragraphs = [(p.text.strip(), p.style.name if p.style else "") for p in document.paragraphs]
    paragraphs = [(text, style) for text, style in paragraphs if text]
    if not paragraphs:
        raise IngestError(source, "the document has no text")
    title = (document.core_properties.title or "").strip()
    first_text, first_style = paragraphs[0]
    is_heading = first_style.startswith(("Heading", "Title"))
    if is_heading or (not title and split_title(first_text + "\n.")[0]):
        title = title or first_text
        if first_text == title or is_heading:
            paragraphs = paragraphs[1:]
    body = normalise("\n\n".join(text for text, _ in paragraphs))
    return ArticleDraft(title=title or prettify_stem(stem, body), text=body, source=source)


# -- small helpers ----------------------------------------------------------------


def _is_url(item: str) -> bool:
    return item.lower().startswith(("http://", "https://"))


# A page's time stamp on a line of its own: "5 August 2015 Last updated at 06:36 BST",
# "Published: March 5, 2026", "Updated 2 November 2014".
_STAMP = re.compile(
    r"(?:(?:published|updated|last updated)(?:\s+(?:on|at))?\s*:?\s*)?"
    r"(?P<date>\d{1,2}\s+[a-z]+\s+\d{4}|[a-z]+\s+\d{1,2},?\s+\d{4})"
    r"(?:\s*[-|,]?\s*(?:(?:last\s+)?updated\s+(?:at\s+)?)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:[a-z]{2,4})?)?",
    re.IGNORECASE,
)


def leading_furniture(body: str) -> tuple[str, str | None]:
    """``body`` without the page furniture above the story, and the date its time stamp
    gives (ISO-8601), or None.

    Text copied from a news page can open with a player's notice ("Media playback
    is unsupported on your device") and a time stamp ("5 August 2015 Last updated
    at 06:36 BST") before the first paragraph: neither is a headline, and the
    stamp is the publication date. Each leading block that is page furniture
    (:func:`~retrieval.ingest.paragraphs.is_boilerplate`) or a stamp alone is
    dropped; the stamp's date is read by
    :func:`~retrieval.ingest.details.parse_published`.
    """
    published = None
    while True:
        first, separator, rest = body.partition("\n\n")
        if not separator or not rest.strip():
            return body, published
        line = first.strip()
        stamp = _STAMP.fullmatch(line)
        if stamp is not None:
            try:
                published = published or parse_published(stamp.group("date"))
            except ValueError:
                return body, published
        elif not is_boilerplate(line):
            return body, published
        body = rest.lstrip()


def _take_title(body: str) -> tuple[str | None, str]:
    title, start = split_title(body)
    if title is None or is_dateline(title, strict=True):
        return None, body
    return title.lstrip("#").strip() or None, body[start:]


def _drop_leading_line(body: str, title: str) -> str:
    # trafilatura often keeps the page's <h1>, which repeats the title.
    first, _, rest = body.partition("\n\n")
    return rest if rest and first.strip().casefold() == title.casefold() else body


def _usable_meta_title(title: str) -> bool:
    return (
        bool(title)
        and title.lower() not in {"untitled", "document"}
        and not (title.lower().startswith("microsoft word"))
    )


def _url_stem(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].split("?")[0].rsplit(".", 1)[0] or "page"


def _too_large(size: int, limit: int) -> str:
    return (
        f"the file is too large to be an article ({size / 1_000_000:.1f} MB; the limit is "
        f"{limit / 1_000_000:g} MB, setting ingest.max_file_bytes)"
    )


def _with(draft: ArticleDraft, **changes: Any) -> ArticleDraft:
    return replace(draft, **changes)
