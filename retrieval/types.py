"""Domain types shared by every step of the pipeline.

All are small frozen dataclasses: they cross threads (the window's worker),
get exported, and are compared in tests, so nothing here may change after it
is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Generic, TypeVar


def now_iso() -> str:
    """Current UTC time as an ISO-8601 string with seconds precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class ArticleDraft:
    """An article as ingest produced it, before it is stored.

    Attributes:
        title: Headline shown to the user.
        text: The article body; paragraph offsets point into this string.
        source: Where it came from: a file path, a URL or ``"pasted"``.
        url: The article's web address, when known.
        published: Publication date as ISO-8601 (``YYYY-MM-DD``), when known.
        author: Byline, when known.
        file: Name of the file it was read from, when it came from a file.
    """

    title: str
    text: str
    source: str
    url: str | None = None
    published: str | None = None
    author: str | None = None
    file: str | None = None


@dataclass(frozen=True)
class ParagraphSpan:
    """A paragraph cut out of an article body: ``text == body[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """An article stored in the library."""

    id: int
    title: str
    source: str
    url: str | None
    published: str | None
    author: str | None
    file: str | None
    added: str
    content_hash: str
    paragraph_count: int


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a stored article: the unit of citation.

    Attributes:
        id: Stable id; also the FAISS vector id.
        article_id: The article it belongs to.
        index: 0-based position in the article.
        text: The paragraph's text.
        start: Offset of the paragraph in the article body.
        end: End offset (exclusive) in the article body.
        article_title: Title of its article, for labels.
    """

    id: int
    article_id: int
    index: int
    text: str
    start: int
    end: int
    article_title: str

    @property
    def number(self) -> int:
        """1-based paragraph number, as shown to people."""
        return self.index + 1

    @property
    def label(self) -> str:
        """Human label, e.g. ``"Eight rockets target US embassy ¶5"``."""
        return f"{self.article_title} ¶{self.number}"


@dataclass(frozen=True)
class Hit:
    """A paragraph found by search, with its fused score."""

    paragraph: Paragraph
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """A checked pointer from a statement to the sentence that supports it.

    Attributes:
        paragraph_id: Id of the cited paragraph.
        article_id: Id of the paragraph's article.
        article_title: Title of that article.
        paragraph_index: 0-based paragraph position in the article.
        paragraph_text: Full text of the cited paragraph.
        quote: The supporting sentence, verbatim from the paragraph.
        quote_start: Offset of ``quote`` in ``paragraph_text``.
        quote_end: End offset of ``quote`` in ``paragraph_text``.
        source: File path, URL or ``"pasted"``.
        url: Web address of the article, when known.
        published: Publication date, when known.
        article_file: File name, when the article came from a file.
        answer_start: Where the short answer's words begin in ``paragraph_text``
            (inside the quote), when the answer is a piece of it; else None.
        answer_end: Where those words end in ``paragraph_text``.
    """

    paragraph_id: int
    article_id: int
    article_title: str
    paragraph_index: int
    paragraph_text: str
    quote: str
    quote_start: int
    quote_end: int
    source: str = ""
    url: str | None = None
    published: str | None = None
    article_file: str | None = None
    answer_start: int | None = None
    answer_end: int | None = None

    @property
    def answer_in_quote(self) -> tuple[int, int] | None:
        """The short answer's offsets within :attr:`quote`, when it is a piece of it."""
        if self.answer_start is None or self.answer_end is None:
            return None
        start, end = self.answer_start - self.quote_start, self.answer_end - self.quote_start
        return (start, end) if 0 <= start < end <= len(self.quote) else None

    @property
    def label(self) -> str:
        """Human label: article title and 1-based paragraph number."""
        return f"{self.article_title} ¶{self.paragraph_index + 1}"


@dataclass(frozen=True)
class Statement:
    """One sentence of an answer or briefing and the citations backing it.

    Attributes:
        text: What is said.
        citations: At least one checked citation.
        repaired: True when the model's phrasing was unsupported and the
            supporting sentence was put in its place.
    """

    text: str
    citations: tuple[Citation, ...]
    repaired: bool = False


@dataclass(frozen=True)
class Answer:
    """The answer to one question.

    Attributes:
        question: The question as the user asked it.
        statements: The answer, statement by statement; empty when declined.
        declined: True when the loaded articles do not answer the question.
        considered: The paragraphs retrieved for it, best first.
        articles: The articles the question was asked over.
        created: When the answer was produced (ISO-8601).
        backend: Which generator phrased it.
    """

    question: str
    statements: tuple[Statement, ...]
    declined: bool
    considered: tuple[Hit, ...] = ()
    articles: tuple[Article, ...] = ()
    created: str = field(default_factory=now_iso)
    backend: str = ""

    @property
    def text(self) -> str:
        """The answer as plain text (or the decline message)."""
        if self.declined:
            return DECLINE_MESSAGE
        return " ".join(s.text for s in self.statements)

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation in order of first appearance, without repeats."""
        return unique_citations(s for s in self.statements)


DECLINE_MESSAGE = "The loaded articles don't say."


def unique_citations(statements: Iterable[Statement]) -> tuple[Citation, ...]:
    """Citations of ``statements`` in first-seen order, one per quote."""
    seen: dict[tuple[int, int, int], Citation] = {}
    for statement in statements:
        for citation in statement.citations:
            key = (citation.paragraph_id, citation.quote_start, citation.quote_end)
            seen.setdefault(key, citation)
    return tuple(seen.values())


# -- stream events: what a long job hands the screen, piece by piece ----------

T = TypeVar("T")


@dataclass(frozen=True)
class Piece:
    """A piece of the model's reply, to show as it is written."""

    text: str


@dataclass(frozen=True)
class Restart:
    """Forget the pieces shown so far: the reply starts over (e.g. a server broke off).

    Attributes:
        reason: Why, in words.
    """

    reason: str = ""


@dataclass(frozen=True)
class Progress:
    """A step of a long job, in words (e.g. "Choosing key points")."""

    message: str


@dataclass(frozen=True)
class Done(Generic[T]):
    """The end of a stream, with its checked result (an Answer or a Briefing)."""

    result: T


AnswerEvent = Piece | Restart | Done[Answer]


# -- adding articles -----------------------------------------------------------


class IngestError(Exception):
    """An input that could not be read.

    Attributes:
        source: The file path or URL.
        reason: Why, in words a person understands.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True)
class AddProgress:
    """One step of an add, for a progress bar.

    Attributes:
        done: Inputs finished so far.
        total: Inputs in this add.
        item: The input being worked on (path, URL or title).
        message: What is happening, in words.
        fraction: Progress through the current input (0..1).
        article: The stored article, once an input is finished.
        error: Why an input failed, when it did; the others still go on.
        duplicate: True when the article was already in the library.
        same_story_as: A stored article this one is a copy of (the same story
            syndicated with another headline or page furniture); it is added,
            and search shows each repeated paragraph once.
    """

    done: int
    total: int
    item: str
    message: str
    fraction: float = 0.0
    article: Article | None = None
    error: IngestError | None = None
    duplicate: bool = False
    same_story_as: Article | None = None
