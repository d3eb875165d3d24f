"""Fast stand-ins for the models, for tests of the pipeline's own logic."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence

import numpy as np

from retrieval.text.terms import claim_terms
from retrieval.types import Piece, Restart


class HashingEmbedder:
    """Bag of stemmed words hashed into a vector: similar words, similar vectors."""

    name = "fake-hashing-embedder"
    dimension = 64

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in claim_terms(text) or {"_empty_"}:
                digest = hashlib.md5(term.encode()).digest()
                vectors[row, digest[0] % self.dimension] += 1.0
            vectors[row] /= np.linalg.norm(vectors[row]) or 1.0
        return vectors


class ScriptedGenerator:
    """Replies with a fixed text, or with the first evidence sentence."""

    name = "scripted test generator"

    def __init__(self, reply: str | None = None) -> None:
        self.reply = reply
        self.prompts: list[list[dict[str, str]]] = []

    def load(self) -> None:
        """Nothing to load."""

    def close(self) -> None:
        """Nothing to release."""

    def generate(self, messages: list[dict[str, str]], max_new_tokens: int) -> str:
        self.prompts.append(messages)
        if self.reply is not None:
            return self.reply
        quoted = re.findall(r'"([^"]+)"', messages[-1]["content"])
        return quoted[0] if quoted else ""

    def stream(
        self, messages: list[dict[str, str]], max_new_tokens: int
    ) -> Iterator[Piece | Restart]:
        text = self.generate(messages, max_new_tokens)
        yield from (Piece(word) for word in re.findall(r"\S+\s*", text))
