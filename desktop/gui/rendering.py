"""Answers and briefings as HTML for ``QTextBrowser``.

Everything comes from :func:`retrieval.export.document.build_document`, so the
window numbers citations exactly as every export does. All article text is
escaped: an article is data, never markup. Citations are links whose target
names the reference (``cite:N``, or ``cite:T.N`` for turn ``T`` of a
conversation); nearest paragraphs of a declined answer link as
``para:ARTICLE.INDEX``.
"""

from __future__ import annotations

from collections.abc import Collection
from html import escape

from desktop.gui.theme import Colors, current
from retrieval.briefs import Briefing
from retrieval.export.common import quote_parts
from retrieval.export.document import (
    ExportDocument,
    Item,
    Reference,
    build_document,
    closest_paragraphs,
)
from retrieval.text.words import plural
from retrieval.types import Answer, Citation

SNIPPET_CHARS = 240
SOURCE_REMOVED = "source removed"
REMOVED_NOTE = "A cited article has since been removed from the library."


__all__ = ["escape", "plural"]


def cite_href(n: int, turn: int | None = None) -> str:
    """Link target of reference ``n`` (of conversation turn ``turn``)."""
    return f"cite:{n}" if turn is None else f"cite:{turn}.{n}"


def parse_cite(href: str) -> tuple[int | None, int] | None:
    """``(turn, n)`` from a ``cite:`` link, or None when it is not one."""
    if not href.startswith("cite:"):
        return None
    body = href[len("cite:") :]
    try:
        if "." in body:
            turn, n = body.split(".", 1)
            return int(turn), int(n)
        return None, int(body)
    except ValueError:
        return None


def parse_para(href: str) -> tuple[int, int] | None:
    """``(article_id, paragraph_index)`` from a ``para:`` link."""
    if not href.startswith("para:"):
        return None
    try:
        article, index = href[len("para:") :].split(".", 1)
        return int(article), int(index)
    except ValueError:
        return None


def references(result: Answer | Briefing) -> dict[int, Citation]:
    """Reference number → citation, as the rendering and exports number them."""
    return {ref.n: ref.citation for ref in build_document(result).references}


def citation_tooltip(citation: Citation) -> str:
    """Hover text for a citation: the quoted sentence and where it is from."""
    return (
        f"<p style='max-width:420px'>“{escape(citation.quote)}”</p>"
        f"<p><i>{escape(citation.label)}</i></p>"
    )


def question_html(question: str, colors: Colors | None = None) -> str:
    """A question as the conversation shows it."""
    c = colors or current()
    return (
        f"<table width='100%' cellpadding='10' cellspacing='0' bgcolor='{c.question_bg}' "
        f"style='margin-top:14px'><tr><td><b>{escape(question)}</b></td></tr></table>"
    )


#: Shown under the model's draft while it is written: the draft is not the answer
#: until every phrase is checked against the sentence it cites.
DRAFT_NOTE = "Draft — being checked against the articles…"


def pending_html(text: str, status: str) -> str:
    """An answer still being written or waiting (``status``).

    ``text`` is the model's draft so far, shown muted with :data:`DRAFT_NOTE`:
    the checked answer that replaces it may word it differently ("8 rockets" →
    "eight rockets", as the article says) or decline.
    """
    body = escape(text).strip()
    shown = f"<span class='muted'>{body} ▍</span>" if body else ""
    note = status or (DRAFT_NOTE if body else "")
    note_html = f"<p class='muted'><i>{escape(note)}</i></p>" if note else ""
    return f"<p style='margin:8px 4px'>{shown}</p>{note_html}"


def answer_html(
    answer: Answer,
    turn: int | None = None,
    colors: Colors | None = None,
    removed: Collection[int] = (),
) -> str:
    """An answer: cited statements and a numbered source list, or a decline.

    Sources whose article id is in ``removed`` are marked as removed; their
    quotes are still shown, so the answer stays readable.
    """
    c = colors or current()
    document = build_document(answer)
    if answer.declined:
        return _declined_html(answer, document, c)
    sentences = " ".join(_item_html(item, turn) for item in document.statements)
    return (
        f"<p style='margin:8px 4px; line-height:140%'>{sentences}</p>"
        + _removed_note(document.references, removed)
        + _sources_html(document.references, turn, removed)
        + backend_html(answer.backend)
    )


def backend_html(backend: str) -> str:
    """Which model phrased an answer or briefing (a server, or the local model)."""
    if not backend:
        return ""
    return (
        f"<p class='muted' style='margin:6px 4px; font-size:9pt'>Phrased by {escape(backend)}</p>"
    )


def cites_any(result: Answer | Briefing, article_ids: Collection[int]) -> bool:
    """Whether ``result`` cites a paragraph of any of ``article_ids``."""
    return any(c.article_id in article_ids for c in result.citations)


def briefing_html(
    briefing: Briefing, colors: Colors | None = None, removed: Collection[int] = ()
) -> str:
    """A briefing: overview, key points, entities, timeline and sources."""
    document = build_document(briefing)
    names = ", ".join(escape(a.title) for a in document.articles)
    parts = [
        f"<h2 style='font-size:14pt'>{escape(document.title)}</h2>",
        f"<p class='muted'>{escape(str(document.length or '').capitalize())} briefing · "
        f"{plural(len(document.articles), 'article')}: {names} · "
        f"{escape(document.created_display)}</p>",
    ]
    for section in document.sections:
        parts.append(f"<h3>{escape(section.heading)}</h3>")
        if section.note and section.kind != "entities":
            parts.append(f"<p class='muted'><i>{escape(section.note)}</i></p>")
        if section.kind == "entities":
            parts.append(entities_html(briefing))
        else:
            parts.append(_section_html(section.kind, section.items))
    parts.append(_removed_note(document.references, removed))
    parts.append(_sources_html(document.references, None, removed))
    parts.append(backend_html(briefing.backend))
    return "".join(parts)


ENTITY_PARAGRAPHS = 6  # paragraph links shown after a name


def entities_html(briefing: Briefing) -> str:
    """People, places and organisations, each name a link to the paragraphs mentioning it.

    The name opens its first paragraph (``para:ARTICLE.INDEX``); small ``¶N``
    links follow for the others (``2·¶N`` with the article's position when the
    briefing covers several articles).
    """
    entities = briefing.entities
    order = {a.id: n for n, a in enumerate(briefing.articles, start=1)}
    several = len(briefing.articles) > 1
    rows = []
    for kind, names in (
        ("People", entities.people),
        ("Places", entities.places),
        ("Organisations", entities.organisations),
    ):
        if not names:
            continue
        cells = []
        for name in names:
            refs = entities.paragraphs(name)
            if not refs:
                cells.append(escape(name))
                continue
            first = f"<a href='para:{refs[0][0]}.{refs[0][1]}'>{escape(name)}</a>"
            more = " ".join(
                f"<a class='muted' href='para:{a}.{i}'>"
                f"{f'{order.get(a, a)}·' if several else ''}¶{i + 1}</a>"
                for a, i in refs[:ENTITY_PARAGRAPHS]
            )
            cells.append(f"{first} <small>{more}</small>")
        rows.append(
            f"<tr><td width='140' valign='top'><b>{kind}</b></td>"
            f"<td valign='top'>{', '.join(cells)}</td></tr>"
        )
    return f"<table cellpadding='3' cellspacing='0' width='100%'>{''.join(rows)}</table>"


def _section_html(kind: str, items: tuple[Item, ...]) -> str:
    if kind == "prose":
        text = " ".join(_item_html(i, None) for i in items)
        return f"<p style='line-height:140%'>{text}</p>"
    if kind == "bullets":
        rows = "".join(f"<li style='margin-bottom:4px'>{_item_html(i, None)}</li>" for i in items)
        return f"<ul style='margin-left:-14px'>{rows}</ul>"
    rows = "".join(
        f"<tr><td width='140' valign='top'><b>{escape(i.label or '')}</b></td>"
        f"<td valign='top'>{_item_html(i, None)}</td></tr>"
        for i in items
    )
    return f"<table cellpadding='3' cellspacing='0' width='100%'>{rows}</table>"


def _item_html(item: Item, turn: int | None) -> str:
    marks = "".join(
        f"<a class='cite' href='{cite_href(n, turn)}'>&nbsp;{n}&nbsp;</a>&nbsp;" for n in item.refs
    )
    return f"{escape(item.text)}&nbsp;{marks}".rstrip()


def _removed_note(refs: tuple[Reference, ...], removed: Collection[int]) -> str:
    if not any(r.citation.article_id in removed for r in refs):
        return ""
    return f"<p class='warn' style='margin:4px 4px'>⚠ {REMOVED_NOTE} Its quotes are kept below.</p>"


def _sources_html(
    refs: tuple[Reference, ...], turn: int | None, removed: Collection[int] = ()
) -> str:
    if not refs:
        return ""
    rows = "".join(
        f"<tr><td valign='top' width='26'><a class='cite' href='{cite_href(r.n, turn)}'>"
        f"&nbsp;{r.n}&nbsp;</a></td><td valign='top'>"
        f"<a href='{cite_href(r.n, turn)}'>{escape(r.citation.label)}</a>"
        + (
            f" <span class='warn'>({SOURCE_REMOVED})</span>"
            if r.citation.article_id in removed
            else ""
        )  # fmt: skip
        + f"<span class='muted'> — “{_quote_html(r)}”</span></td></tr>"
        for r in refs
    )
    return (
        "<p class='muted' style='margin:10px 4px 2px 4px; font-size:9pt'><b>SOURCES</b></p>"
        f"<table cellpadding='2' cellspacing='0' width='100%' style='font-size:9pt'>{rows}</table>"
    )


def _declined_html(answer: Answer, document: ExportDocument, c: Colors) -> str:
    nearest = "".join(
        f"<li style='margin-bottom:6px'><a href='para:{h.paragraph.article_id}."
        f"{h.paragraph.index}'>{escape(h.paragraph.label)}</a><br/>"
        f"<span class='muted'>{escape(_snippet(h.paragraph.text))}</span></li>"
        for h in closest_paragraphs(answer)
    )
    listing = (
        "<p class='muted' style='margin-top:8px'>"
        "Nearest paragraphs (not confirmed as an answer; worth a look):</p>"
        f"<ul style='margin-left:-14px'>{nearest}</ul>"
        if nearest
        else ""
    )
    return (
        f"<table width='100%' cellpadding='10' cellspacing='0' bgcolor='{c.declined_bg}' "
        f"border='0' style='margin-top:6px; border-left: 3px solid {c.declined_border}'>"
        f"<tr><td><span class='warn'>⚠ {escape(document.text)}</span>"
        f"<br/><span class='muted'>No paragraph of the articles searched supports an "
        f"answer, so none is given.</span>{listing}</td></tr></table>"
    )


def _snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _quote_html(ref: Reference) -> str:
    """The cited sentence (shortened), the short answer's words in bold."""
    before, answer, after = quote_parts(ref)
    if not answer:
        return escape(_snippet(before))
    return f"{escape(before)}<b>{escape(answer)}</b>{escape(after)}"
