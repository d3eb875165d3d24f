"""The ``newsdesk`` entry point: a terminal command, or the window when none is given.

It sits above ``desktop.cli`` (no Qt) and ``desktop.gui`` (Qt), so neither has
to import the other: the CLI is handed a way to open the window.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.cli.main import main as cli_main
from retrieval.preload import start_preloading
from retrieval.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``newsdesk`` with ``argv``; returns the exit status."""
    return cli_main(argv, open_window=open_window)


def open_window(settings: Settings) -> int:
    """Show the window until it is closed; prints a one-line hint if Qt is missing.

    The engine's libraries start importing on a background thread first, while
    Qt is imported and the window built (:mod:`retrieval.preload`).
    """
    start_preloading()
    try:
        from desktop.gui.app import run
    except ImportError as error:
        print(f"newsdesk: the window needs PySide6 ({error}); the terminal commands still work")
        return 1
    return int(run(settings))
