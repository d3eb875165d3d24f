"""Export answers and briefings to Markdown, HTML, Word, PDF or JSON.

Usage::

    from retrieval.export import export
    export(answer, Path("answer.pdf"))

The format follows the file extension (see :data:`FORMATS`). Each export is
built from one :class:`~retrieval.export.document.ExportDocument`, so every
format shows the same statements, reference numbers and quotes. Files are
written atomically: a failed export leaves no partial file and never
damages a file already at ``path``.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from retrieval.briefs import Briefing
from retrieval.export.document import ExportDocument, build_document
from retrieval.types import Answer

__all__ = [
    "FORMATS",
    "ExportError",
    "build_document",
    "export",
    "export_notes",
    "file_filter",
    "render",
    "suggested_file_name",
]

Renderer = Callable[[ExportDocument], bytes]

FORMATS: dict[str, tuple[str, ...]] = {
    "Markdown": (".md", ".markdown"),
    "HTML page": (".html", ".htm"),
    "PDF document": (".pdf",),
    "Word document": (".docx",),
    "JSON data": (".json",),
}
"""File-dialog formats: display name → extensions (first is the default)."""

_RENDERERS: dict[str, tuple[str, str]] = {
    ".md": ("markdown", "render_markdown"),
    ".markdown": ("markdown", "render_markdown"),
    ".html": ("html", "render_html"),
    ".htm": ("html", "render_html"),
    ".pdf": ("pdf", "render_pdf"),
    ".docx": ("docx", "render_docx"),
    ".json": ("json", "render_json"),
}
"""Extension → (module of this package, its renderer), imported when first used:
fpdf2 and python-docx take 0.4 s to import, which the window would otherwise pay
at launch (it imports this package for the reader's quotes)."""


class ExportError(Exception):
    """Raised when an export cannot be written; the message says why."""


def file_filter() -> str:
    """A file-dialog filter string, e.g. ``"Markdown (*.md *.markdown);;..."``."""
    return ";;".join(
        f"{name} ({' '.join('*' + ext for ext in exts)})" for name, exts in FORMATS.items()
    )


def render(result: Answer | Briefing, suffix: str) -> bytes:
    """Render ``result`` in the format named by a file extension.

    Args:
        result: The answer or briefing to export.
        suffix: Extension such as ``".pdf"`` (case-insensitive).

    Returns:
        The file's bytes.

    Raises:
        ExportError: When the extension is not supported or rendering fails.
    """
    renderer = _renderer(suffix)
    try:
        return renderer(build_document(result))
    except Exception as exc:  # a renderer library's own errors, fonts, bad input
        raise ExportError(f"could not render {suffix.lower()} export: {exc}") from exc


def export(result: Answer | Briefing, path: Path) -> Path:
    """Write ``result`` to ``path`` in the format its extension names.

    Args:
        result: The answer or briefing to export.
        path: Destination; ``.md``/``.markdown``, ``.html``/``.htm``,
            ``.docx``, ``.pdf`` or ``.json``.

    Returns:
        The path written.

    Raises:
        ExportError: When the extension is unsupported, rendering fails or
            the file cannot be written. An existing file at ``path`` is then
            left untouched.
    """
    path = Path(path)
    data = render(result, path.suffix)
    _write_atomically(path, data)
    return path


def export_notes(result: Answer | Briefing, suffix: str) -> list[str]:
    """What to tell the user about exporting ``result`` in this format, one sentence each.

    Today: the characters a PDF shows as the :data:`~retrieval.export.pdf.MISSING_GLYPH`
    marker because no bundled font can draw them (an emoji, say).
    """
    if suffix.lower() != ".pdf":
        return []
    from retrieval.export.pdf import MISSING_GLYPH, describe_missing, missing_glyphs

    missing = missing_glyphs(build_document(result))
    if not missing:
        return []
    return [
        f"The PDF shows {MISSING_GLYPH} for characters no bundled font can draw: "
        f"{describe_missing(missing)}. Word, HTML, Markdown and JSON exports keep them."
    ]


def suggested_file_name(result: Answer | Briefing, suffix: str = ".pdf", words: int = 8) -> str:
    """A file name for an export: the question's (or briefing's) first words.

    Args:
        result: What is exported.
        suffix: The extension, e.g. ``".pdf"``.
        words: At most this many words of the question or briefing title.

    Returns:
        E.g. ``"how-many-rockets-were-fired-at-the-green.pdf"`` or
        ``"briefing-eight-rockets-target-us-embassy.pdf"``; lowercase ASCII
        letters, digits and hyphens only, so it is valid on every system.
    """
    if isinstance(result, Answer):
        stem = _slug(result.question, words) or "answer"
    else:
        title = build_document(result).title.removeprefix("Briefing: ")
        stem = "-".join(x for x in ("briefing", _slug(title, words - 1)) if x)
    return stem + suffix.lower()


def _slug(text: str, words: int) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]
    return "-".join(parts)[:80].strip("-")


def _renderer(suffix: str) -> Renderer:
    found = _RENDERERS.get(suffix.lower())
    if found is None:
        shown = suffix or "(none)"
        raise ExportError(
            f"unsupported export format '{shown}' — use .md, .html, .pdf, .docx or .json"
        )
    module, name = found
    renderer: Renderer = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return renderer


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path``, then swap it in."""
    folder = path.parent
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write to {folder}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        _keep_mode(path, temp_name)
        os.replace(temp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise


def _keep_mode(path: Path, temp_name: str) -> None:
    """Give the new file the old file's permissions, or rw-r--r-- when new.

    ``mkstemp`` creates files readable by the owner only; an export should
    look like any other saved document.
    """
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o644
    os.chmod(temp_name, mode)
