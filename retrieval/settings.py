"""The one settings object of Newsdesk.

Values come, in order of precedence, from explicit arguments, environment
variables (prefix ``NEWSDESK_``, nested sections joined with ``__``, e.g.
``NEWSDESK_GENERATION__MODEL``), the saved settings file in the user's config
folder, then the defaults below. ``NEWSDESK_LIBRARY`` picks the library folder.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "Newsdesk"
PACKAGED_GENERATOR = "packaged:smollm2-135m-instruct"
PACKAGED_QWEN = "packaged:qwen2.5-coder-0.5b-instruct"
PACKAGED_EMBEDDER = "packaged:all-minilm-l6-v2"


def default_library_dir() -> Path:
    """Per-user data folder where the library lives by default."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "library"


def default_cache_dir() -> Path:
    """Per-user cache folder (converted model weights)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def settings_file() -> Path:
    """Where the window saves the user's settings."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.json"


class IngestSettings(BaseModel):
    """How articles are cut into paragraphs."""

    max_paragraph_chars: int = Field(
        1000, description="Blocks longer than this are split at sentence boundaries."
    )
    target_paragraph_sentences: int = Field(
        4, description="Sentences per passage when a long block is split."
    )
    min_paragraph_chars: int = Field(
        20, description="Shorter lines are dropped unless they end a sentence."
    )
    url_timeout_seconds: float = Field(20.0, description="Timeout for downloading a URL.")
    max_download_bytes: int = Field(
        25_000_000, description="Downloads larger than this are refused."
    )
    download_deadline_seconds: float = Field(
        120.0, description="Longest a whole download may take, however slowly it trickles."
    )
    max_file_bytes: int = Field(
        30_000_000, description="Files larger than this are refused before they are read."
    )
    max_article_chars: int = Field(
        5_000_000,
        description="Articles with more text than this (about 2,500 pages) are refused.",
    )


class RetrievalSettings(BaseModel):
    """How paragraphs are embedded and searched."""

    embedding_model: str = Field(
        PACKAGED_EMBEDDER,
        description="sentence-transformers model: the packaged one, a hub id or a folder.",
    )
    paragraphs_considered: int = Field(
        16,
        description="How many paragraphs retrieval hands to evidence selection. 16 rather than 8: "
        "on SQuAD 2.0 dev articles outside the benchmark, the question's own paragraph was among "
        "them 98.5% of the time (96.1% with 8) and the best sentence held the answer 84.3% "
        "(83.4%); scripts/compare_evidence_depth.py.",
    )
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant.")
    decline_threshold: float = Field(
        0.42,
        description="Best evidence score below which a question is declined (used when the "
        "trained abstention verifier is off).",
    )
    verifier: bool = Field(
        True,
        description="Decline with the trained abstention verifier (resources/models/"
        "abstention.json): it declines on-topic questions the articles do not answer.",
    )
    rerank: bool = Field(
        True,
        description="Reorder the best evidence sentences with the trained answer-sentence "
        "cross-encoder (resources/models/answer_sentence), when the embedder is a "
        "sentence-transformers model.",
    )


class ServerSettings(BaseModel):
    """An OpenAI-compatible chat-completions server that phrases instead of the local model.

    The API key is not a setting: it is read from ``NEWSDESK_API_KEY`` or the
    system keyring (see ``retrieval/api_keys.py``) and never written to the
    settings file.
    """

    base_url: str = Field(
        "http://localhost:8000/v1",
        description="Base URL of the server's OpenAI API, e.g. http://host:8000/v1 (vLLM) "
        "or http://localhost:11434/v1 (Ollama).",
    )
    model: str = Field("", description="Model name the server serves, as its /v1/models lists it.")
    timeout_seconds: float = Field(
        30.0, description="Longest wait for the server's first byte, and between streamed pieces."
    )
    connect_timeout_seconds: float = Field(
        5.0, description="Longest wait to open a connection to the server."
    )
    retries: int = Field(
        2, ge=0, description="Retries after a busy (429) or failing (5xx) reply, or no connection."
    )
    retry_backoff_seconds: float = Field(
        0.5, ge=0, description="First wait before a retry; it doubles with each retry."
    )
    allow_fallback: bool = Field(
        False, description="When the server fails, phrase with the local model instead."
    )


class GenerationSettings(BaseModel):
    """Which language model phrases answers, and how much it may write."""

    backend: Literal["local", "server"] = Field(
        "local",
        description="'local': the model below runs in Newsdesk; 'server': an OpenAI-compatible "
        "server phrases (retrieval, evidence and citation checks stay local).",
    )
    model: str = Field(
        PACKAGED_QWEN,
        description="The local model: the packaged Qwen2.5-Coder-0.5B (default) or SmolLM2-135M "
        "(faster, smaller), a Hugging Face model id or a folder.",
    )
    server: ServerSettings = Field(default_factory=ServerSettings)  # type: ignore[arg-type]
    max_new_tokens: int = Field(
        24, description="Longest answer the model may write, in tokens (a short phrase)."
    )
    answer_sentences: int = Field(
        3, description="How many evidence sentences the model is shown for an answer."
    )
    threads: int = Field(0, description="CPU threads for generation (0 = torch default).")
    weights: Literal["int8", "float32"] = Field(
        "int8",
        description="How the local model's weights are held: int8 (one scale per output "
        "channel, activations in floating point; a quarter of the memory, answers the same "
        "or nearly) or float32 (as converted).",
    )


class ArchiveSettings(BaseModel):
    """Where the articles are kept: the local library folder, or a shared PostgreSQL archive.

    The database password is not a setting: it is read from ``NEWSDESK_DB_PASSWORD``,
    the system keyring or ``~/.pgpass`` (see ``retrieval/library/archive_server.py``).
    """

    backend: Literal["local", "postgres"] = Field(
        "local",
        description="'local': the library folder on this machine (SQLite + FAISS); 'postgres': "
        "a PostgreSQL server with the pgvector extension that a team shares.",
    )
    dsn: str = Field(
        "",
        description="PostgreSQL connection string, e.g. postgresql://analyst@db.example.org/news "
        "or 'host=db.example.org dbname=news user=analyst' (without the password).",
    )
    sslmode: str = Field(
        "",
        description="libpq sslmode (disable, prefer, require, verify-ca, verify-full); empty: "
        "what the connection string or PGSSLMODE says.",
    )
    connect_timeout_seconds: int = Field(
        5, ge=1, description="Longest wait to connect to the server."
    )
    statement_timeout_seconds: float = Field(
        30.0, gt=0, description="Longest a search or write may run on the server."
    )
    allow_fallback: bool = Field(
        False,
        description="When the server cannot be reached, open the local library folder instead.",
    )
    ef_search: int = Field(
        800,
        ge=50,
        le=1000,
        description="HNSW candidates per dense search (pgvector's hnsw.ef_search): higher finds "
        "more of the true nearest paragraphs in a large archive, at a few ms per search "
        "(at 1M paragraphs: 200 → recall@50 91.6%, 800 → 95.4% for 9 ms more).",
    )


class UiSettings(BaseModel):
    """Window preferences."""

    theme: Literal["system", "light", "dark"] = Field("system", description="Colour theme.")


class Settings(BaseSettings):
    """Every setting of Newsdesk, in sections."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSDESK_", env_nested_delimiter="__", extra="ignore"
    )

    library: Path = Field(
        default_factory=default_library_dir, description="Folder of the article library."
    )
    cache_dir: Path = Field(
        default_factory=default_cache_dir,
        description="Folder for converted model weights and other caches.",
    )
    archive: ArchiveSettings = Field(default_factory=ArchiveSettings)  # type: ignore[arg-type]
    ingest: IngestSettings = Field(default_factory=IngestSettings)  # type: ignore[arg-type]
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)  # type: ignore[arg-type]
    generation: GenerationSettings = Field(default_factory=GenerationSettings)  # type: ignore[arg-type]
    ui: UiSettings = Field(default_factory=UiSettings)  # type: ignore[arg-type]

    def save(self, path: Path | None = None) -> Path:
        """Write the settings as JSON (the library path included)."""
        target = path or settings_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        return target


def load_settings(path: Path | None = None, **overrides: object) -> Settings:
    """Build settings from the saved file, the environment and ``overrides``."""
    source = path or settings_file()
    saved: dict[str, object] = {}
    if source.is_file():
        try:
            saved = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = {}  # a damaged settings file must not stop the app
    env = Settings()
    merged = _deep_merge(_deep_merge(saved, env.model_dump(exclude_unset=True)), overrides)
    return Settings.model_validate(merged) if merged else env


def _deep_merge(base: dict[str, object], top: dict[str, object]) -> dict[str, object]:
    """``base`` updated by ``top``, section by section."""
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            merged[key] = _deep_merge(below, value)
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, loaded once."""
    return load_settings()
