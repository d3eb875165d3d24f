"""The one place model backends are built from the settings."""

from __future__ import annotations

from retrieval.backends.api_keys import api_key
from retrieval.backends.base import Embedder, Generator
from retrieval.backends.embedding import SentenceTransformerEmbedder
from retrieval.backends.fallback import FallbackGenerator
from retrieval.backends.local import TransformersGenerator
from retrieval.backends.server import ServerGenerator
from retrieval.settings import Settings


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for."""
    return SentenceTransformerEmbedder(settings.retrieval.embedding_model)


def make_generator(settings: Settings) -> Generator:
    """The generator the settings ask for: local, or a server (local fallback if allowed)."""
    generation = settings.generation

    def local() -> Generator:
        return TransformersGenerator(
            generation.model, settings.cache_dir, generation.threads, generation.weights
        )

    if generation.backend != "server":
        return local()
    config = generation.server
    server = ServerGenerator(config, api_key(config.base_url))
    return FallbackGenerator(server, local) if config.allow_fallback else server
