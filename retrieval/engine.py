"""One object that holds the library and the models: what the CLI and window use."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from typing import cast

from retrieval.answer.answer import Conversation, prepare, stream_answer
from retrieval.answer.cross_encoder import scorer_for
from retrieval.backends.base import Embedder, Generator
from retrieval.backends.factory import make_embedder, make_generator
from retrieval.briefing.briefing import brief_steps
from retrieval.briefs import Briefing, BriefingEvent
from retrieval.ingest.details import edited
from retrieval.ingest.pipeline import add_drafts, add_inputs, open_library
from retrieval.ingest.sources import read_text
from retrieval.library.base import ArchiveError, ArticleLibrary
from retrieval.loading import collection_paused
from retrieval.settings import Settings, get_settings
from retrieval.text.english_model import EntityModelMissingError, dependency_parser
from retrieval.types import AddProgress, Answer, AnswerEvent, Article, ArticleDraft, Done


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
        self.library_notice: str | None = None
        self.library = self._open_library()
        self.conversation = Conversation()

    def _open_library(self) -> ArticleLibrary:
        """The local library folder, or the PostgreSQL archive that ``archive`` names.

        Raises:
            ArchiveError: The archive cannot be used (in words) and
                ``archive.allow_fallback`` is off; with it on, the local
                library opens instead and :attr:`library_notice` says why.
        """
        archive = self.settings.archive
        if archive.backend == "postgres":
            from retrieval.library.postgres import PostgresLibrary  # psycopg: only when used

            try:
                return PostgresLibrary(archive, self.embedder, self.settings.ingest)
            except ArchiveError as error:
                if not archive.allow_fallback:
                    raise
                self.library_notice = (
                    f"{error} Working on the local library instead ({self.settings.library})."
                )
        return open_library(self.settings.library, self.embedder, self.settings.ingest)

    @property
    def generator(self) -> Generator:
        """The language model, built on first use."""
        with self._generator_lock:
            if self._generator is None:
                self._generator = make_generator(self.settings)
            return self._generator

    def load_models(self) -> None:
        """Load the embedder, then the language model, then what answering uses
        besides (the cross-encoder, the parser), on this thread.

        One after the other, not side by side: loading is mostly Python
        imports holding the GIL, and on a 2-core machine loading them on two
        threads made the first answer slower (12.7-13.1 s against 10.5 s
        from launch, sample added, question answered).
        """
        with collection_paused():  # see retrieval.loading: 1.1 s of full collections otherwise
            self.embedder.encode(["warm up"])
            load = getattr(self.generator, "load", None)
            if callable(load):
                load()
            # What the first answer would otherwise load (≈1.5 s): the answer-sentence
            # cross-encoder and spaCy's parser (counts and doers are checked with it).
            if self.settings.retrieval.rerank:
                scorer_for(self.library.embedder)
            with contextlib.suppress(EntityModelMissingError):  # then answers skip those checks
                dependency_parser()

    def start_loading_entities(self) -> None:
        """Load the entity model (briefing timelines) on a background thread.

        For the window, once the other models are ready and the user is
        reading: the first briefing then does not wait for it. A failure is
        not lost: the first briefing loads it again and reports the error.
        """
        with self._generator_lock:
            if self._loader is None:
                self._loader = threading.Thread(
                    target=_load_entities_quietly, name="newsdesk-entities", daemon=True
                )
                self._loader.start()

    def close(self) -> None:
        """Release the library (and a server generator's connections)."""
        self.library.close()
        close = getattr(self._generator, "close", None)
        if callable(close):
            close()

    # -- library ---------------------------------------------------------

    def add(self, items: Sequence[str]) -> Iterator[AddProgress]:
        """Add files, folders, URLs or feeds (see :func:`~retrieval.ingest.pipeline.add_inputs`)."""
        return add_inputs(self.library, items)

    def add_text(
        self,
        text: str,
        title: str | None = None,
        published: str | None = None,
        source: str | None = None,
    ) -> Iterator[AddProgress]:
        """Add pasted text as an article, with the date and source the user gives.

        Raises:
            IngestError: When the text is empty or the date or source cannot be read.
        """
        return add_drafts(self.library, [read_text(text, title, published, source)])

    def set_details(
        self, article_id: int, published: str | None = None, source: str | None = None
    ) -> Article | None:
        """Set an article's publication date and/or source; None leaves one as it is.

        Args:
            article_id: The article.
            published: A date ("2026-03-05", "5 March 2026"), or "" / "unknown"
                for "date unknown".
            source: A name ("Reuters") or a web address.

        Returns:
            The updated article, or None when no article has this id.

        Raises:
            ValueError: For a date or source that cannot be used.
        """
        article = self.library.article(article_id)
        if article is None:
            return None
        return self.library.set_details(article_id, *edited(article, published, source))

    def add_drafts(self, drafts: Sequence[ArticleDraft]) -> Iterator[AddProgress]:
        """Add articles that were already read."""
        return add_drafts(self.library, drafts)

    def articles(self) -> list[Article]:
        """Every article in the library."""
        return self.library.articles()

    def remove(self, article_id: int) -> bool:
        """Remove an article and its vectors."""
        return self.library.remove(article_id)

    # -- answers and briefings -------------------------------------------

    def ask_stream(
        self, question: str, article_ids: Sequence[int] | None = None
    ) -> Iterator[AnswerEvent]:
        """Yield the answer's text as the model writes it, then ``Done(answer)``.

        Raises:
            ValueError: The question is empty.
        """
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        draft = prepare(question, self.library, self.settings, article_ids, self.conversation)
        scope = self._scope(article_ids)
        for event in stream_answer(draft, self.library, self.generator, self.settings, scope):
            if isinstance(event, Done) and not event.result.declined:
                # A declined question is not what a follow-up refers to.
                self.conversation.remember(question)
            yield event

    def ask(self, question: str, article_ids: Sequence[int] | None = None) -> Answer:
        """The checked answer to ``question``, citing its supporting paragraph."""
        *_, done = self.ask_stream(question, article_ids)
        return cast(Done[Answer], done).result

    def brief_steps(
        self, article_ids: Sequence[int] | None = None, length: str = "short"
    ) -> Iterator[BriefingEvent]:
        """Yield :class:`Progress` steps, then ``Done(briefing)``."""
        return brief_steps(self.library, self.generator, article_ids, length)

    def brief(self, article_ids: Sequence[int] | None = None, length: str = "short") -> Briefing:
        """A cited briefing over the chosen articles (all by default)."""
        *_, done = self.brief_steps(article_ids, length)
        return cast(Done[Briefing], done).result

    def _scope(self, article_ids: Sequence[int] | None) -> list[Article]:
        if article_ids is None:
            return self.articles()
        return [a for a in (self.library.article(i) for i in article_ids) if a is not None]


def _load_entities_quietly() -> None:
    from retrieval.briefing.entities import load_nlp

    try:
        load_nlp()
    except Exception:  # raised again, in words, where the model is used
        return
