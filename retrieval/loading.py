"""Loading modules and models without the cyclic garbage collector getting in the way.

Loading Newsdesk's models (importing torch, transformers, sentence-transformers
and spaCy, then building the models) creates about half a million Python
objects that live as long as the process. While they are created, CPython's
cyclic garbage collector keeps running full (oldest-generation) collections,
each of which walks every object made so far: on the 2-core reference machine
nine such collections took 1.1 s of the 5.5 s from launch to the first answer,
and found 12 unreachable objects in all. Every later full collection walks
them again (0.25 s each, during a question).

:func:`collection_paused` pauses collection while loading and then *freezes*
what was loaded: :func:`gc.freeze` moves every object the collector tracks to
its permanent generation, which later collections skip. This is the approach
of the CPython documentation for long-lived start-up objects (``gc.freeze``,
Python ≥ 3.7) and of Instagram's "Dismissing Python Garbage Collection at
Instagram" (2017). The cost: cyclic garbage that exists at the moment of the
freeze is never reclaimed (a dozen objects per load here).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # loads in progress (nested or on several threads)
_was_enabled = True  # whether collection was on when the first of them began


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause cyclic garbage collection for the block, then freeze what survived it.

    Nested and concurrent blocks are allowed: collection stays paused until the
    last of them ends, which freezes the objects then tracked (see
    :func:`gc.freeze`) and turns collection back on if it was on before the
    first began. Collection that was already off (a caller's choice) stays off.
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.freeze()
                if _was_enabled:
                    gc.enable()
