"""``python -m desktop`` and the bundled app's entry point: the ``newsdesk`` command."""

from __future__ import annotations

import sys

from desktop.launcher import main

if __name__ == "__main__":
    sys.exit(main())
