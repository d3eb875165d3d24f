"""One object that holds the library and the models: what the CLI and window use."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import cast

from retrieval.answer import Conversation, prepare, stream_answer
from retrieval.briefing import brief_steps
from retrieval.embedding import Embedder, make_embedder
from retrieval.generation import Generator, make_generator
from retrieval.ingest.sources import read_text
from retrieval.library import AddProgress, Library
from retrieval.settings import Settings, get_settings
from retrieval.types import Answer, Article, ArticleDraft, Briefing


class Newsdesk:
    """The engine: articles in, cited answers and briefings out.

    Models are built from the settings unless injected (tests pass fakes), and
    loaded on first use so that opening a library is instant.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self.embedder = embedder or make_embedder(self.settings)
        self._generator = generator
        self._generator_lock = threading.Lock()
        self._loader: threading.Thread | None = None
        self.library = Library(self.settings.library, self.embedder, self.settings.ingest)
        self.conversation = Conversation()

    @property
    def generator(self) -> Generator:
        """The language model, built on first use."""
        with self._generator_lock:
            if self._generator is None:
                self._generator = make_generator(self.settings)
            return self._generator

    def start_loading(self) -> None:
        """Begin loading the language and entity models on a background thread.

        Call it as soon as the engine exists: the language model then loads
        while the embedder reads the first articles or the first question.
        Errors are not lost: the first use of a model that failed raises them.
        """
        with self._generator_lock:
            if self._loader is None:
                self._loader = threading.Thread(
                    target=self._load_in_background, name="newsdesk-models", daemon=True
                )
                self._loader.start()

    def _load_in_background(self) -> None:
        from retrieval.entities import load_nlp

        for load in (self._load_generator, load_nlp):
            try:
                load()
            except Exception:  # raised again, in words, where the model is used
                continue

    def _load_generator(self) -> None:
        load = getattr(self.generator, "load", None)
        if callable(load):
            load()

    def load_models(self) -> None:
        """Load the models an answer needs; the entity model follows in the background."""
        self.start_loading()
        self.embedder.encode(["warm up"])
        self._load_generator()  # waits for the background load, or raises its error

    def close(self) -> None:
        """Release the library (and a server generator's connections)."""
        self.library.close()
        close = getattr(self._generator, "close", None)
        if callable(close):
            close()

    # -- library ---------------------------------------------------------

    def add(self, items: Sequence[str]) -> Iterator[AddProgress]:
        """Add files, folders or URLs (see :meth:`Library.add`)."""
        return self.library.add(items)

    def add_text(self, text: str, title: str | None = None) -> Iterator[AddProgress]:
        """Add pasted text as an article (IngestError when it is empty)."""
        return self.library.add_drafts([read_text(text, title)])

    def add_drafts(self, drafts: Sequence[ArticleDraft]) -> Iterator[AddProgress]:
        """Add articles that were already read."""
        return self.library.add_drafts(drafts)

    def articles(self) -> list[Article]:
        """Every article in the library."""
        return self.library.articles()

    def remove(self, article_id: int) -> bool:
        """Remove an article and its vectors."""
        return self.library.remove(article_id)

    # -- answers and briefings -------------------------------------------

    def ask_stream(
        self, question: str, article_ids: Sequence[int] | None = None
    ) -> Iterator[str | Answer]:
        """Yield answer text as the model writes it, then the checked Answer."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        draft = prepare(question, self.library, self.settings, article_ids, self.conversation)
        scope = self._scope(article_ids)
        for item in stream_answer(draft, self.library, self.generator, self.settings, scope):
            if isinstance(item, Answer):
                self.conversation.remember(question)
            yield item

    def ask(self, question: str, article_ids: Sequence[int] | None = None) -> Answer:
        """The checked answer to ``question``, citing its supporting paragraph."""
        *_, answer = self.ask_stream(question, article_ids)
        return cast(Answer, answer)

    def brief_steps(
        self, article_ids: Sequence[int] | None = None, length: str = "short"
    ) -> Iterator[str | Briefing]:
        """Yield progress messages, then the Briefing."""
        return brief_steps(self.library, self.generator, article_ids, length)

    def brief(self, article_ids: Sequence[int] | None = None, length: str = "short") -> Briefing:
        """A cited briefing over the chosen articles (all by default)."""
        *_, briefing = self.brief_steps(article_ids, length)
        return cast(Briefing, briefing)

    def _scope(self, article_ids: Sequence[int] | None) -> list[Article]:
        if article_ids is None:
            return self.articles()
        return [a for a in (self.library.article(i) for i in article_ids) if a is not None]
