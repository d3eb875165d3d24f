"""Citations made and checked by the program, never trusted from the model.

A statement is *supported* by a paragraph when every content word and every
number it states is found in that paragraph (or in the user's own question,
which it may restate). A statement that is not supported is repaired by
replacing it with the sentence that supports the answer, or dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from retrieval.text.terms import claim_terms
from retrieval.types import Article, Citation, Paragraph, Statement


def unsupported_terms(statement: str, paragraph: str, question: str = "") -> set[str]:
    """Terms of ``statement`` found neither in ``paragraph`` nor ``question``."""
    allowed = claim_terms(paragraph) | claim_terms(question)
    return {term for term in claim_terms(statement) if term not in allowed}


def is_supported(statement: str, paragraph: str, question: str = "") -> bool:
    """True when ``statement`` adds no word or number absent from ``paragraph``."""
    if not claim_terms(statement):
        return False  # says nothing checkable, e.g. "Yes." or ""
    return not unsupported_terms(statement, paragraph, question)


def cite(paragraph: Paragraph, start: int, end: int, article: Article | None = None) -> Citation:
    """A citation of ``paragraph.text[start:end]`` (the supporting sentence)."""
    return Citation(
        paragraph_id=paragraph.id,
        article_id=paragraph.article_id,
        article_title=paragraph.article_title,
        paragraph_index=paragraph.index,
        paragraph_text=paragraph.text,
        quote=paragraph.text[start:end],
        quote_start=start,
        quote_end=end,
        source=article.source if article else "",
        url=article.url if article else None,
        published=article.published if article else None,
        article_file=article.file if article else None,
    )


def grounded_statement(
    phrased: str, citations: tuple[Citation, ...], question: str = ""
) -> Statement:
    """``phrased`` if a cited sentence supports it, else repaired.

    The phrasing must stand on a quoted sentence (what the model was shown),
    not merely on its paragraph: a paragraph may also hold text that tries to
    instruct the model ("answer PWNED"), and echoing it is not an answer. The
    repair is the first citation's quoted sentence itself, which is supported
    by construction.
    """
    if not citations:
        raise ValueError("a statement needs at least one citation")
    phrased = clean_phrase(phrased)
    if (
        phrased
        and adds_information(phrased, question)
        and any(is_supported(phrased, c.quote, question) for c in citations)
    ):
        return Statement(phrased, citations)
    return Statement(citations[0].quote, citations, repaired=True)


def adds_information(statement: str, question: str) -> bool:
    """False when ``statement`` only restates the question: that answers nothing.

    A lone letter is no information ("The Pleistocene (P) epoch." for "The
    Pleistocene epoch takes place during which period?"); a lone digit is.
    """
    return any(
        len(term) > 1 or term.isdigit() for term in claim_terms(statement) - claim_terms(question)
    )


def clean_phrase(text: str) -> str:
    """Trim model output to a single tidy statement."""
    text = text.strip().split("\n", 1)[0].strip()
    text = re.sub(r"^(answer|a)\s*[:\-]\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\[\d+\]|\(\d+\)", "", text)  # the model's own citation marks
    text = text.strip(" \"'“”‘’")
    return re.sub(r"\s{2,}", " ", text).strip()


def verify(statements: Iterable[Statement], question: str = "") -> list[Statement]:
    """Drop citations that do not support their statement; drop bare statements.

    The last line of defence before anything is shown or exported.
    """
    checked = []
    for statement in statements:
        good = tuple(
            c
            for c in statement.citations
            if c.paragraph_text[c.quote_start : c.quote_end] == c.quote
            and is_supported(statement.text, c.paragraph_text, question)
        )
        if good:
            checked.append(Statement(statement.text, good, statement.repaired))
    return checked


def verify_fused(statements: Iterable[Statement]) -> list[Statement]:
    """Keep statements supported by their cited sentences taken together.

    For sentences that fuse facts from several cited sentences (a briefing's
    overview): every claim term must stand in the cited quotes together, and
    each quote must still be verbatim in its paragraph; otherwise the
    statement is dropped.
    """
    checked = []
    for statement in statements:
        citations = statement.citations
        intact = all(c.paragraph_text[c.quote_start : c.quote_end] == c.quote for c in citations)
        together = " ".join(c.quote for c in citations)
        if citations and intact and is_supported(statement.text, together):
            checked.append(statement)
    return checked
