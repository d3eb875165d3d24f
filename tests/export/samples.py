"""Realistic answers and briefings built by hand, and ways to read exports back."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from retrieval.briefs import Briefing, Difference, Entities, Story, TimelineEntry
from retrieval.types import Answer, Article, Citation, Hit, Paragraph, Statement

ROOT = Path(__file__).resolve().parents[2]
TITLE = "Eight rockets target US embassy in Baghdad: Iraq army"
URL = "https://www.aljazeera.com/news/2020/12/20/rockets-target-us-embassy-in-baghdad"
P_ROCKETS = (
    "An Iraqi military statement on Sunday said an “an outlawed group” launched eight "
    "rockets targeting the Green Zone, injuring one Iraqi security person manning a "
    "checkpoint and causing material damage to some cars and a residential complex, "
    "which is usually empty."
)
P_CRAM = (
    "The US embassy’s C-RAM defence system, which is used to destroy missiles midair, "
    "was activated to deflect the attack, the embassy said in a statement."
)
P_NOV = (
    "The first on November 17 saw a volley of rockets slam into the US embassy and "
    "various parts of the Iraqi capital, killing one young woman."
)
P_SADR = (
    "Moqtada Sadr, a populist scholar and former militia leader, tweeted that “no one "
    "has the right to use weapons outside of the state”."
)
P_DEC = (
    "On December 10, two convoys transporting logistical equipment for the US-led "
    "coalition helping Iraqi troops fight armed groups were targeted with roadside bombs."
)
EXTENSIONS = [".md", ".markdown", ".html", ".htm", ".docx", ".pdf", ".json"]
HOSTILE = "Look <script>alert(1)</script> and [x](http://evil) or ![i](http://evil/p.png)."

ARTICLE = Article(
    id=1,
    title=TITLE,
    source=URL,
    url=URL,
    published="2020-12-20",
    author=None,
    file="baghdad-embassy-rockets.txt",
    added="2024-01-05T10:00:00+00:00",
    content_hash="abc",
    paragraph_count=23,
)
EVIL = Article(
    id=2,
    title="Hostile <script>alert(1)</script> [x](http://evil)",
    source="pasted",
    url="javascript:alert(1)",
    published=None,
    author=None,
    file=None,
    added="2024-01-05T10:00:00+00:00",
    content_hash="def",
    paragraph_count=1,
)


def cite(index: int, text: str, quote: str | None = None, article: Article = ARTICLE) -> Citation:
    """A citation of ``quote`` (default: the whole paragraph) in paragraph ``index``."""
    quote = quote or text
    start = text.index(quote)
    return Citation(
        paragraph_id=article.id * 100 + index,
        article_id=article.id,
        article_title=article.title,
        paragraph_index=index,
        paragraph_text=text,
        quote=quote,
        quote_start=start,
        quote_end=start + len(quote),
        source=article.source,
        url=article.url,
        published=article.published,
        article_file=article.file,
    )


def hit(index: int, text: str, score: float) -> Hit:
    para = Paragraph(100 + index, 1, index, text, 0, len(text), TITLE)
    return Hit(para, score)


ROCKETS, CRAM, NOV = cite(4, P_ROCKETS), cite(5, P_CRAM), cite(15, P_NOV)


@pytest.fixture
def answer() -> Answer:
    return Answer(
        question="How many rockets were fired at the Green Zone?",
        statements=(
            Statement("An outlawed group launched eight rockets at the Green Zone.", (ROCKETS,)),
            Statement("The embassy’s C-RAM system was activated.", (CRAM, cite(4, P_ROCKETS))),
            Statement("A November 17 attack killed one young woman.", (NOV, ROCKETS)),
        ),
        declined=False,
        articles=(ARTICLE,),
        created="2024-01-05T10:30:00+00:00",
    )


@pytest.fixture
def declined() -> Answer:
    hits = (hit(19, P_SADR, 0.4), hit(16, P_DEC, 0.3), hit(5, P_CRAM, 0.2), hit(15, P_NOV, 0.1))
    return Answer(
        question="What did the pope say about the rockets fired at the embassy?",
        statements=(),
        declined=True,
        considered=hits,
        articles=(ARTICLE,),
        created="2024-01-05T10:31:00+00:00",
    )


@pytest.fixture
def briefing() -> Briefing:
    return Briefing(
        articles=(ARTICLE,),
        length="short",
        overview=(Statement("Rockets targeted the US embassy in Baghdad.", (ROCKETS,)),),
        stories=(
            Story(
                "Rockets fired at the Green Zone",
                (ARTICLE.id,),
                (
                    Statement("The C-RAM defence system deflected the attack.", (CRAM,)),
                    Statement(
                        "Sadr condemned the use of weapons outside the state.", (cite(19, P_SADR),)
                    ),
                ),
            ),
        ),
        differences=(
            Difference(
                "rockets",
                (
                    Statement("Eight rockets were launched.", (ROCKETS,)),
                    Statement("The C-RAM deflected the rockets.", (CRAM,)),
                ),
            ),
        ),
        suspicious=((ARTICLE.id, 7),),
        entities=Entities(
            ("Moqtada Sadr", "Qassem Soleimani"), ("Baghdad",), ("Kataib Hezbollah",)
        ),
        timeline=(
            TimelineEntry(
                "November 17", "2020-11-17", Statement("Rockets killed a woman.", (NOV,))
            ),
            TimelineEntry(
                "December 10", "2020-12-10", Statement("Convoys hit.", (cite(16, P_DEC),))
            ),
        ),
        created="2024-01-05T11:00:00+00:00",
    )


@pytest.fixture
def hostile() -> Answer:
    bad = cite(0, HOSTILE, article=EVIL)
    return Answer(
        question="What does <b>it</b> say?",
        statements=(Statement(HOSTILE, (bad,)),),
        declined=False,
        articles=(EVIL,),
        created="2024-01-05T12:00:00+00:00",
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def read_back(path: Path) -> str:
    """What a reader sees in the exported file, as plain text."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return "\n".join(p.text for p in Document(str(path)).paragraphs)
    if suffix == ".pdf":
        return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    if suffix in (".html", ".htm"):
        return _html_text(path.read_text("utf-8"))
    if suffix in (".md", ".markdown"):
        return re.sub(r"\\(.)", r"\1", path.read_text("utf-8"))
    return path.read_text("utf-8")


class _TextAndTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._skip = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._skip = tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _html_parse(markup: str) -> _TextAndTags:
    parser = _TextAndTags()
    parser.feed(markup)
    parser.close()
    return parser


def _html_text(markup: str) -> str:
    return "".join(_html_parse(markup).text)


SCHEMA_COMMON = {
    "schema_version",
    "kind",
    "title",
    "question",
    "created",
    "exported",
    "articles_searched",
    "text",
    "declined",
    "articles",
    "citations",
    "statements",
}
