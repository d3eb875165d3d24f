"""The one error every reader raises: an input that could not be read."""

from __future__ import annotations


class IngestError(Exception):
    """An input that could not be read.

    Attributes:
        source: The file path or URL.
        reason: Why, in words a person understands.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
