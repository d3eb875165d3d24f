"""What every model backend offers: the Embedder and Generator protocols.

Functions take an instance; :mod:`retrieval.backends.factory` builds one
from the settings. Tests pass fakes (``tests/support/fakes.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from retrieval.types import Piece, Restart


class EmbedderError(RuntimeError):
    """The embedding model could not be loaded."""


class GeneratorError(RuntimeError):
    """The language model could not be found, downloaded, loaded or reached."""


class Embedder(Protocol):
    """Anything that turns texts into unit-length float32 vectors."""

    @property
    def name(self) -> str:
        """Model identity, stored with the index so a change forces a rebuild."""
        ...

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts``, shape ``(len(texts), dimension)``, normalised."""
        ...


class Generator(Protocol):
    """Anything that continues a chat with a short reply."""

    name: str

    def load(self) -> None:
        """Load the model now (otherwise the first request does); raises GeneratorError."""
        ...

    def close(self) -> None:
        """Release connections or memory; the generator may be loaded again."""
        ...

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        """The whole reply to ``messages`` (greedy, deterministic)."""
        ...

    def stream(
        self, messages: list[dict[str, str]], max_new_tokens: int
    ) -> Iterator[Piece | Restart]:
        """The reply in pieces as they are decoded; joined they equal :meth:`generate`.

        A :class:`~retrieval.types.Restart` discards the pieces before it.
        """
        ...


@runtime_checkable
class Judge(Protocol):
    """A local generator that can also score a yes/no question without writing a reply."""

    @property
    def model_ref(self) -> str:
        """The model as the settings name it."""
        ...

    def yes_score(self, messages: list[dict[str, str]]) -> float:
        """``log P(yes) - log P(no)`` for the first token of the reply to ``messages``.

        One forward pass over the prompt (a prefill), no decoding.
        """
        ...


def summary(error: BaseException) -> str:
    """The first line of an error's message (library errors can be long)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
