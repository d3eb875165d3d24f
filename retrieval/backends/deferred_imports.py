"""Importing a package without the heavy modules it imports but Newsdesk never uses.

Two libraries import, when they are imported, modules that serve functions
Newsdesk never calls, and those imports are a large part of launch → first
answer (2-core reference machine):

- ``sentence_transformers.util.similarity`` imports scikit-learn's
  ``sklearn.metrics.pairwise_distances`` (for sparse Manhattan similarity):
  scikit-learn brings scipy.stats and joblib, 0.4-0.5 s; the
  ``transformers.loss`` modules it imports take ``scipy.optimize``'s
  ``linear_sum_assignment`` (to train object detectors), 0.2 s;
- ``datasketch.lsh`` imports ``scipy.integrate.quad`` (to tune LSH bands for
  a threshold; Newsdesk uses only ``MinHash``): scipy.integrate and
  scipy.special, 0.3 s.

:func:`import_deferring` imports such a package while the named modules are
stand-ins whose named functions import the real module on their first call;
the stand-ins are removed straight after, so a later ``import`` of those
modules anywhere in the process gets the real ones.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import threading
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any

SENTENCE_TRANSFORMERS_UNUSED = {
    "sklearn": (),
    "sklearn.metrics": ("pairwise_distances",),
    "scipy.optimize": ("linear_sum_assignment",),
}
DATASKETCH_UNUSED = {"scipy.integrate": ("quad",)}

_lock = threading.Lock()


def import_deferring(name: str, deferred: Mapping[str, Sequence[str]]) -> types.ModuleType:
    """Import the module ``name`` without importing the modules ``deferred`` names.

    Args:
        name: The module to import, e.g. ``"sentence_transformers"``.
        deferred: Module name → the functions ``name``'s import takes from it,
            parents before their submodules (``{"sklearn": (),
            "sklearn.metrics": ("pairwise_distances",)}``). Each function of
            the stand-in imports the real module when first called.

    When ``name`` or one of the deferred modules is already imported, or a
    deferred module is not installed, this is a plain import.

    Raises:
        ImportError: When ``name`` cannot be imported.
    """
    with _lock:
        if name in sys.modules or any(module in sys.modules for module in deferred):
            return importlib.import_module(name)
        stand_ins: dict[str, types.ModuleType] = {}
        for module, functions in deferred.items():
            spec = _spec(module, stand_ins)
            if spec is None:  # not installed: its own import error, if any, is the right one
                return importlib.import_module(name)
            stand_ins[module] = _stand_in(spec, functions)
        for module_name, stand_in in stand_ins.items():
            parent, _, child = module_name.rpartition(".")
            if parent in stand_ins:
                setattr(stand_ins[parent], child, stand_in)
        sys.modules.update(stand_ins)
        try:
            return importlib.import_module(name)
        finally:
            for module_name, stand_in in stand_ins.items():
                if sys.modules.get(module_name) is stand_in:
                    del sys.modules[module_name]


def _spec(
    module: str, stand_ins: Mapping[str, types.ModuleType]
) -> importlib.machinery.ModuleSpec | None:
    """The module's spec, found without importing it (its parent package is imported).

    A stand-in carries a spec because importlib.util.find_spec (which torch
    and transformers call to ask whether a package is installed) refuses a
    module in ``sys.modules`` that has none.
    """
    parent = module.rpartition(".")[0]
    if parent in stand_ins:
        return importlib.machinery.ModuleSpec(module, None, is_package=True)
    return importlib.util.find_spec(module)


def _stand_in(spec: importlib.machinery.ModuleSpec, functions: Sequence[str]) -> types.ModuleType:
    """A module named as ``spec`` says, holding forwarders for ``functions``."""
    stand_in = types.ModuleType(spec.name)
    stand_in.__spec__ = spec
    if spec.submodule_search_locations is not None:
        stand_in.__path__ = []
    for function in functions:
        setattr(stand_in, function, _forwarder(spec.name, function, stand_in))
    return stand_in


def _forwarder(module: str, function: str, stand_in: types.ModuleType) -> Callable[..., Any]:
    """``module.function``, imported when first called."""

    def forward(*args: Any, **kwargs: Any) -> Any:
        real = importlib.import_module(module)
        if real is stand_in:  # called while the package that needs it is being imported
            raise ImportError(f"{module}.{function} was called before {module} was imported")
        return getattr(real, function)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = function
    forward.__doc__ = f"``{module}.{function}``, imported on its first call."
    return forward
