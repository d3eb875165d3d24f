"""Importing the engine and its libraries on a background thread while the window is built.

The window is shown in about 0.45 s, and only then does its worker start opening
the library and loading the models, which begins with importing the engine and
sentence-transformers (torch, transformers: about 2 s). Started first thing,
this thread imports them meanwhile (Python's per-module import locks make the
worker wait for a module this thread is still importing, never import it
twice). On the 2-core reference machine, launch → first answer in the window
went from 4.9-5.1 s to 4.4-4.6 s with the window shown as soon as before.
"""

from __future__ import annotations

import threading


def start_preloading() -> threading.Thread:
    """Start importing the engine and the embedder's libraries on a daemon thread.

    Returns:
        The thread (already started). An import error there is not raised: the
        worker meets it again when it imports the same module, and reports it.
    """
    thread = threading.Thread(target=_preload, name="newsdesk-preload", daemon=True)
    thread.start()
    return thread


def _preload() -> None:
    try:
        import retrieval.engine  # noqa: F401 - imported for its side effect: loaded modules
        from retrieval.backends.embedding import import_sentence_transformers

        import_sentence_transformers()
    except Exception:  # noqa: BLE001, S110 - the worker imports these again and reports errors
        pass
