"""Stories: articles about the same event grouped, each summed up in cited key points.

Grouping. Two articles tell the same story when their lead vectors (the mean
embedding of their first sentences) are close and they share names and
dates (capitalised words and day-precise dates that both mention): the
cosine plus a little for each shared name must reach :data:`SAME_STORY`.
An article joins the first story whose every article it is related to
(complete-link clustering, as in news topic detection and tracking: Allan
et al. 1998, "Topic Detection and Tracking Pilot Study"); single links
chained ten unrelated stories together on the 82 news articles.

Key points. Every usable sentence of a story's articles is a candidate,
scored by its centrality in the story (cosine to the story's centroid) plus
a lead bonus (news is written top-down), plus a small bonus for each facet
(when: a date or weekday; where: a place after "in/at/near"; how many: a
number; outcome: a decision or result verb) not yet covered by the points
already chosen. Points are picked greedily by that score less their
similarity to the points already chosen (maximal marginal relevance,
Carbonell & Goldstein 1998); a sentence that restates a chosen point (cosine
at least :data:`SAME_POINT`, or most of its words already said) is never a
new point: from another article it becomes a second citation of that point.

Each point is its sentence, shortened only by deletion (a dateline such as
"Lagos, Nigeria (CNN)" and a leading "--"), so it stays supported by the
sentence it cites. A sentence aimed at AI tools or ordering the reader, and
what follows it in its paragraph (:mod:`retrieval.text.injection`), is never
a candidate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from retrieval.backends.base import Embedder
from retrieval.grounding.checks import cite
from retrieval.text.injection import trusted_spans
from retrieval.text.terms import (
    MONTHS,
    STOPWORDS,
    WEEKDAYS,
    alternation,
    capitalised,
    claim_terms,
)
from retrieval.types import Article, Citation, Paragraph, Statement

MAX_SENTENCES_PER_ARTICLE = 60
LEAD_SENTENCES = 5  # sentences of an article whose mean vector stands for it
# Grouping, set on the 82 news articles (the Israeli election, MH370 and the
# Tunis museum attack pairs in; same country or same show, other news out).
SAME_STORY = 0.68  # lead-vector cosine plus NAME_WEIGHT per shared name or date
NAME_WEIGHT = 0.01
SHARED_NAMES = 4  # names/dates both articles must mention
SAME_POINT = 0.8  # cosine above which two sentences make the same point
SAID_ALREADY = 0.7  # share of a sentence's terms already said by chosen points
LEAD_WEIGHT = 0.35  # news is written top-down; 0.8 measured no better (25 CNN stories)
# Chosen on the 82 news articles against their highlights (points only, short):
# ROUGE-1/2/L 0.277/0.099/0.184 at 0.5/0.05, 0.289/0.107/0.196 at 0.1/0.1.
REDUNDANCY = 0.1  # MMR weight of the similarity to points already chosen
FACET_BONUS = 0.1
MIN_POINTS, MAX_POINTS = 2, 5

_DATELINE = re.compile(
    r"^\s*(?:[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,4}\s*)?"
    r"\((?:CNN|AP|AFP|Reuters|(?:The\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\)"
    r"(?=\s*[-—–]|[A-Z\"“‘'])\s*(?:[-—–]+\s*)?"
)
_LEADING_DASHES = re.compile(r"^\s*[-—–]+\s*")
_PARENTHESIS = re.compile(r"\s+\([^()]{0,80}\)(?=[\s.,;:!?]|$)")
_DASHED_ASIDE = re.compile(r"\s+-{2,3}\s+[^-]{0,120}?\s+-{2,3}(?=\s)")
_ATTRIBUTION_END = re.compile(
    r",\s+(?:according to [^,.]{1,60}|(?:the\s+)?[\w .'-]{1,40}\s+"
    r"(?:said|says|told [\w ]{1,30}|reported|added)(?: on \w+)?)\s*(?=[.!]?$)"
)
_ATTRIBUTION_START = re.compile(r"^According to [^,]{1,80},\s+")
_SPACES = re.compile(r"\s{2,}")
_PROMOTION = re.compile(
    r"\s*(?:you\s+can\s+(?:see|watch|listen|follow|read|find|get|sign)|follow\s+(?:us|the)\b"
    r"|click\s+here|subscribe\b|sign\s+up\b|read\s+more\b|watch\s+(?:the\s+)?video)",
    re.IGNORECASE,
)
_WEEKDAY_OR_DATE = re.compile(
    rf"\b(?:{alternation(capitalised(WEEKDAYS))}|yesterday|today|tonight"
    rf"|{alternation(capitalised(m for m in MONTHS if m != 'may'))}"
    r"|(?:19|20)\d\d)\b"
)
_PLACE = re.compile(r"\b(?:in|at|near|from|outside)\s+(?:the\s+)?[A-Z][a-z]+")
_NUMBER = re.compile(
    r"\b\d[\d,.]*\b|\b(?:two|three|four|five|six|seven|eight|nine|ten|hundreds?|thousands?|millions?|billions?)\b",
    re.I,
)
_OUTCOME = re.compile(
    r"\b(?:won|wins|lost|loses|defeated|elected|ruled|rules|decided|decides|agreed|agrees|"
    r"approved|rejected|sentenced|convicted|acquitted|killed|died|dead|arrested|charged|"
    r"resigned|fired|announced|concluded|found|ordered|banned|cancelled|will)\b",
    re.I,
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z'’-]{2,}\b")
#: Capitalised words that say nothing about which story it is.
_NOT_NAMES = frozenset(
    [
        *WEEKDAYS,
        *(m for m in MONTHS if m != "may"),
        "cnn",
        "reuters",
        "associated",
        "press",
        "afp",
        "news",
        "mr",
        "mrs",
        "ms",
        "dr",
        "president",
        "minister",
        "government",
        "state",
        "states",
        "national",
        "international",
        "american",
        "british",
        "united",
        "new",
        "york",
        "city",
        "north",
        "south",
        "east",
        "west",
        "eastern",
        "western",
    ]
)
_DATE_KEY = re.compile(rf"\b(?:{alternation(capitalised(MONTHS))})\s+\d{{1,2}}\b")


@dataclass(frozen=True)
class Candidate:
    """A sentence that could become a key point.

    Attributes:
        article: Its article.
        paragraph: Its paragraph.
        start: Offset of the sentence in ``paragraph.text``.
        end: End offset (exclusive).
        position: 0-based position of the sentence in its article.
        vector: Its unit-length embedding.
        text: The sentence as a point: the sentence less its dateline.
    """

    article: Article
    paragraph: Paragraph
    start: int
    end: int
    position: int
    vector: np.ndarray = field(compare=False, repr=False)
    text: str = ""

    def citation(self) -> Citation:
        """The citation of this sentence."""
        return cite(self.paragraph, self.start, self.end, self.article)

    @property
    def sentence(self) -> str:
        """The sentence, verbatim."""
        return self.paragraph.text[self.start : self.end]


@dataclass
class Group:
    """Articles grouped as one story, with their candidate sentences."""

    articles: list[Article]
    candidates: list[Candidate]


def candidates(
    article: Article, paragraphs: Sequence[Paragraph], embedder: Embedder
) -> list[Candidate]:
    """The usable sentences of one article, embedded, in reading order.

    Sentences aimed at AI tools or ordering the reader, and what follows
    them in their paragraph (:func:`retrieval.text.injection.trusted_spans`),
    questions, promotions and sentences under 6 or over 60 words are left
    out; at most :data:`MAX_SENTENCES_PER_ARTICLE` are kept.

    Raises:
        EmbedderError: When the embedder fails.
    """
    spans = []
    for paragraph in paragraphs:
        for start, end in trusted_spans(paragraph.text):
            text = point_text(paragraph.text[start:end])
            if usable(text):
                spans.append((paragraph, start, end, text))
    spans = spans[:MAX_SENTENCES_PER_ARTICLE]
    if not spans:
        return []
    vectors = _unit(embedder.encode([text for *_, text in spans]))
    return [
        Candidate(article, p, s, e, position, v, text)
        for position, ((p, s, e, text), v) in enumerate(zip(spans, vectors, strict=True))
    ]


def point_text(sentence: str) -> str:
    """``sentence`` shortened by deletion only, so its cited sentence still supports it.

    Removed: a dateline ("Lagos, Nigeria (CNN)"), leading dashes, asides in
    parentheses or between " -- " dashes, and the attribution at either end
    (", police said", "According to Reuters, "): the citation quotes the
    whole sentence, attribution included. A result under six words is not
    used; the sentence less its dateline is kept instead.
    """
    text = _LEADING_DASHES.sub("", _DATELINE.sub("", sentence, count=1)).strip()
    if not text or text[0].islower():
        return sentence.strip()
    short = _PARENTHESIS.sub("", text)
    short = _DASHED_ASIDE.sub("", short)
    short = _ATTRIBUTION_START.sub("", _ATTRIBUTION_END.sub("", short))
    short = _SPACES.sub(" ", short[:1].upper() + short[1:]).strip()
    return short if len(short.split()) >= 6 else text


def usable(sentence: str) -> bool:
    """True for a sentence of 6-60 words that is neither a question nor a promotion.

    A promotion addresses the reader about the page, not the news ("You can
    see highlights of ... on BBC One", "Follow us on ...", "Click here").
    """
    words = len(sentence.split())
    if _PROMOTION.match(sentence):
        return False
    return 6 <= words <= 60 and not sentence.rstrip().endswith("?")


def group_stories(
    per_article: dict[int, list[Candidate]], articles: Sequence[Article]
) -> list[Group]:
    """Group articles telling the same story (see the module docstring).

    Args:
        per_article: Each article's candidates, by article id.
        articles: The articles, in library order.

    Returns:
        Groups, the most articles first (ties in library order); an article
        with no usable sentence is left out.
    """
    usable_articles = [a for a in articles if per_article.get(a.id)]
    leads = {a.id: _lead_vector(per_article[a.id]) for a in usable_articles}
    names = {a.id: story_names(per_article[a.id]) for a in usable_articles}

    def same(first: Article, second: Article) -> bool:
        similarity = float(leads[first.id] @ leads[second.id])
        return same_story(similarity, len(names[first.id] & names[second.id]))

    groups: list[Group] = []
    for article in usable_articles:
        joins = [g for g in groups if all(same(article, other) for other in g.articles)]
        if joins:
            best = max(joins, key=lambda g: float(leads[article.id] @ leads[g.articles[0].id]))
            best.articles.append(article)
            best.candidates.extend(per_article[article.id])
        else:
            groups.append(Group([article], list(per_article[article.id])))
    return sorted(groups, key=lambda g: -len(g.articles))


def same_story(similarity: float, shared_names: int) -> bool:
    """The grouping rule: close leads that share names and dates.

    Args:
        similarity: Cosine of the two articles' lead vectors.
        shared_names: How many names and dates both mention.

    Returns:
        True when ``similarity + NAME_WEIGHT * shared_names >= SAME_STORY``
        and at least :data:`SHARED_NAMES` are shared.
    """
    return shared_names >= SHARED_NAMES and similarity + NAME_WEIGHT * shared_names >= SAME_STORY


def story_names(candidates: Sequence[Candidate]) -> set[str]:
    """Names (capitalised words not opening a sentence) and "Month day" dates mentioned."""
    found: set[str] = set()
    for candidate in candidates:
        text = candidate.text
        words = (m.group().casefold() for m in _NAME.finditer(text))
        found.update(w for w in words if w not in STOPWORDS and w not in _NOT_NAMES)
        found.update(m.group().casefold() for m in _DATE_KEY.finditer(text))
    return found


def _lead_vector(candidates: Sequence[Candidate]) -> np.ndarray:
    lead = np.stack([c.vector for c in candidates[:LEAD_SENTENCES]]).mean(axis=0)
    return lead / (np.linalg.norm(lead) or 1.0)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(vectors / norms)


def pick_points(group: Group, count: int) -> list[list[Candidate]]:
    """Up to ``count`` key points of one story, most important first.

    Args:
        group: The story's articles and candidates.
        count: How many points at most (clipped to 2-5).

    Returns:
        Points, each a list of candidates saying the same thing (the first is
        shown; the others are further citations from other articles).
    """
    count = max(MIN_POINTS, min(MAX_POINTS, count))
    pool = list(group.candidates)
    if not pool:
        return []
    centroid = np.stack([c.vector for c in pool]).mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    base = {
        id(c): float(c.vector @ centroid) + LEAD_WEIGHT * math.exp(-c.position / 4) for c in pool
    }
    points: list[list[Candidate]] = []
    said: set[str] = set()
    facets: set[str] = set()
    while pool and len(points) < count:
        best = max(pool, key=lambda c: _gain(c, base[id(c)], points, facets))
        pool.remove(best)
        same = _restates(best, points, said)
        if same is not None:
            if all(c.article.id != best.article.id for c in same):
                same.append(best)  # another article says it too: cite both
            continue
        points.append([best])
        said |= claim_terms(best.text)
        facets |= _facets(best.text)
    return points


def _gain(
    candidate: Candidate, base: float, points: list[list[Candidate]], facets: set[str]
) -> float:
    """Maximal-marginal-relevance gain of ``candidate`` given the points chosen."""
    redundancy = max((float(candidate.vector @ p[0].vector) for p in points), default=0.0)
    bonus = FACET_BONUS * len(_facets(candidate.text) - facets)
    return base + bonus - REDUNDANCY * redundancy


def _restates(
    candidate: Candidate, points: list[list[Candidate]], said: set[str]
) -> list[Candidate] | None:
    """The point ``candidate`` restates, or None when it says something new."""
    for point in points:
        if float(point[0].vector @ candidate.vector) >= SAME_POINT:
            return point
    terms = claim_terms(candidate.text)
    if points and terms and len(terms & said) / len(terms) >= SAID_ALREADY:
        return max(points, key=lambda p: float(p[0].vector @ candidate.vector))
    return None


def _facets(text: str) -> set[str]:
    """Which of when / where / how many / outcome a sentence states."""
    found = set()
    if _WEEKDAY_OR_DATE.search(text):
        found.add("when")
    if _PLACE.search(text):
        found.add("where")
    if _NUMBER.search(text):
        found.add("number")
    if _OUTCOME.search(text):
        found.add("outcome")
    return found


def statement(point: list[Candidate]) -> Statement:
    """A key point as a statement citing every article that says it."""
    return Statement(point[0].text, tuple(c.citation() for c in point))


def heading(group: Group) -> str:
    """The story's heading: its lead article's title, less a dateline ("(CNN)")."""
    title = group.articles[0].title
    return _LEADING_DASHES.sub("", _DATELINE.sub("", title, count=1)).strip() or title
