"""HTML renderer: one self-contained page with inline CSS.

Everything that comes from an article or the model is passed through
:func:`html.escape`, so ``<script>`` in an article shows up as inert text.
A Content-Security-Policy forbids scripts and remote loads as a second line
of defence. Reference numbers link to ``#ref-N`` in the reference list.
"""

from __future__ import annotations

import html

from retrieval.export.common import (
    GENERATED_BY,
    articles_heading,
    meta_lines,
    published,
    quote_marks,
    quote_parts,
    safe_url,
)
from retrieval.export.document import ExportDocument, Item, Reference, Section

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'"

_CSS = """
body { font-family: Georgia, 'DejaVu Serif', serif; max-width: 46rem;
  margin: 2rem auto; padding: 0 1rem; line-height: 1.55; color: #1d1d1f; }
h1 { font-size: 1.7rem; margin-bottom: .3rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta { color: #555; margin: 0 0 1rem; }
.meta dt { font-weight: bold; display: inline; }
.meta dd { display: inline; margin: 0 1rem 0 .3rem; }
sup.ref a { text-decoration: none; font-size: .75em; }
.note { color: #7a4b00; background: #fff6e0; padding: .4rem .6rem; }
blockquote { margin: .3rem 0 1rem 1rem; color: #444; border-left: 3px solid #ccc;
  padding-left: .8rem; }
ol.refs { list-style: none; padding-left: 0; }
ol.refs li { margin-bottom: .7rem; }
ol.refs li:target { background: #fffbd6; }
.num { font-weight: bold; margin-right: .3rem; }
.quote { font-style: italic; }
.where, footer { color: #555; }
footer { margin-top: 2rem; font-size: .85em; }
"""


def esc(text: str | None) -> str:
    """Escape untrusted text for element content and attribute values."""
    return html.escape(text or "", quote=True)


def render_html(doc: ExportDocument) -> bytes:
    """Render ``doc`` as a UTF-8 HTML page."""
    body = [f"<h1>{esc(doc.title)}</h1>", _meta(doc)]
    for section in doc.sections:
        body.append(_section(section))
    if doc.references:
        body.append(_references(doc.references))
    if doc.articles:
        body.append(_articles(doc))
    stamp = doc.exported_display or doc.created_display
    body.append(f"<footer>{esc(GENERATED_BY)} · {esc(stamp)}</footer>")
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(doc.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _meta(doc: ExportDocument) -> str:
    pairs = "".join(f"<dt>{esc(k)}:</dt><dd>{esc(v)}</dd>" for k, v in meta_lines(doc))
    return f'<dl class="meta">{pairs}</dl>'


def _refs(refs: tuple[int, ...]) -> str:
    links = "".join(f'<a href="#ref-{n}">[{n}]</a>' for n in refs)
    return f'<sup class="ref">{links}</sup>' if refs else ""


def _section(section: Section) -> str:
    parts = [f"<section>\n<h2>{esc(section.heading)}</h2>"]
    if section.note:
        parts.append(f'<p class="note">{esc(section.note)}</p>')
    if section.kind == "prose":
        sentences = " ".join(f"{esc(i.text)}{_refs(i.refs)}" for i in section.items)
        parts.append(f"<p>{sentences}</p>")
    elif section.kind == "closest":
        parts.extend(_closest(item) for item in section.items)
    else:
        items = "\n".join(_li(item) for item in section.items)
        parts.append(f"<ul>\n{items}\n</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def _li(item: Item) -> str:
    label = f"<strong>{esc(item.label)}:</strong> " if item.label else ""
    if item.iso:
        label = f'<time datetime="{esc(item.iso)}">{label}</time>'
    return f"<li>{label}{esc(item.text)}{_refs(item.refs)}</li>"


def _closest(item: Item) -> str:
    return f"<p><strong>{esc(item.label)}</strong></p>\n<blockquote>{esc(item.text)}</blockquote>"


def _link(url: str | None, fallback: str) -> str:
    good = safe_url(url)
    if good:
        return f'<a href="{esc(good)}" rel="noopener noreferrer">{esc(good)}</a>'
    return esc(url or fallback)


def _references(refs: tuple[Reference, ...]) -> str:
    items = []
    for ref in refs:
        c = ref.citation
        details = _details(ref)
        before, answer, after = quote_parts(ref)
        quoted = esc(before) + (f"<mark>{esc(answer)}</mark>" if answer else "") + esc(after)
        opening, closing = quote_marks(c.quote)
        items.append(
            f'<li id="ref-{ref.n}"><span class="num">[{ref.n}]</span>'
            f'<span class="quote">{opening}{quoted}{closing}</span> — '
            f'<span class="where"><cite>{esc(c.article_title)}</cite>, '
            f"¶{ref.paragraph_number}{details}</span></li>"
        )
    body = "\n".join(items)
    return f'<section>\n<h2>References</h2>\n<ol class="refs">\n{body}\n</ol>\n</section>'


def _details(ref: Reference) -> str:
    c = ref.citation
    out = []
    if c.url or c.source:
        out.append(f"Source: {_link(c.url, c.source)}")
    out.append(f"Published: {esc(published(c.published))}")
    return "".join(f" · {d}" for d in out)


def _articles(doc: ExportDocument) -> str:
    items = []
    for a in doc.articles:
        parts = [f"<cite>{esc(a.title)}</cite>"]
        if a.url or a.source:
            parts.append(_link(a.url, a.source))
        parts.append(f"published {esc(published(a.published))}")
        items.append(f"<li>{' — '.join(parts)}</li>")
    heading = f"<h2>{esc(articles_heading(doc))}</h2>"
    return f"<section>\n{heading}\n<ul>\n" + "\n".join(items) + "\n</ul>\n</section>"
