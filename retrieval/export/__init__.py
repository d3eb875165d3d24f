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
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from retrieval.export.document import ExportDocument, build_document
from retrieval.export.docx import render_docx
from retrieval.export.html import render_html
from retrieval.export.json import render_json
from retrieval.export.markdown import render_markdown
from retrieval.export.pdf import render_pdf
from retrieval.types import Answer, Briefing

__all__ = [
    "FORMATS",
    "ExportError",
    "build_document",
    "export",
    "file_filter",
    "render",
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

_RENDERERS: dict[str, Renderer] = {
    ".md": render_markdown,
    ".markdown": render_markdown,
    ".html": render_html,
    ".htm": render_html,
    ".pdf": render_pdf,
    ".docx": render_docx,
    ".json": render_json,
}


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


def _renderer(suffix: str) -> Renderer:
    renderer = _RENDERERS.get(suffix.lower())
    if renderer is None:
        shown = suffix or "(none)"
        raise ExportError(
            f"unsupported export format '{shown}' — use .md, .html, .pdf, .docx or .json"
        )
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
