"""The window's history: where it is stored, reopening a past conversation or
briefing, and marking citations of articles removed since."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop.gui.library_events import LibraryChange
from retrieval.library.base import ArchiveError, ArticleLibrary
from retrieval.library.history import History, HistoryEntry, HistoryRecord


class HistoryActions:
    """The history's part of the main window (a mixin, as :class:`WindowState` is).

    Uses the window's ``ask``, ``briefing``, ``history_panel``, ``library``,
    ``library_events``, ``tabs`` and ``report_error``.
    """

    history: History | None
    _history_store: Any
    _articles_known: bool
    ask: Any
    briefing: Any
    history_panel: Any
    library: Any
    library_events: Any
    tabs: Any
    report_error: Any

    def open_history(self, library: object) -> None:
        """Open the history kept beside ``library`` and show the latest entries again."""
        self.history = None
        if isinstance(library, ArticleLibrary):
            # Its own connection to the library file or the archive: the window saves an
            # answer at once (SQLite's WAL lets it write between the worker's transactions)
            # instead of waiting for the worker's lock through a long add.
            try:
                self._history_store = library.history_database()
            except ArchiveError as error:
                self.report_error("The history is not available", str(error))
            else:
                self.history = History(self._history_store)
        for panel in (self.ask, self.briefing, self.history_panel):
            panel.set_history(self.history)
        self.restore_history()

    def restore_history(self) -> None:
        """Show the latest conversation and briefing again, as they were left."""
        if self.history is None:
            return
        conversation = self.history.latest("conversation")
        if conversation is not None and not self.ask.turns:
            self.open_history_entry(conversation, self.history.records(conversation.id), False)
        briefing = self.history.latest("briefing")
        if briefing is not None and self.briefing.briefing is None:
            self.open_history_entry(briefing, self.history.records(briefing.id), False)

    def open_history_entry(
        self, entry: HistoryEntry, records: list[HistoryRecord], show: bool = True
    ) -> None:
        """Show a conversation in Ask, or a briefing in Briefing."""
        if entry.kind == "conversation":
            self.ask.load_conversation(entry.id, records)
            panel: QWidget = self.ask
        else:
            if records:
                self.briefing.load_briefing(records[-1])
            panel = self.briefing
        self._mark_missing_sources()
        if show:
            self.tabs.setCurrentWidget(panel)

    def history_citing(self, article_ids: list[int]) -> int:
        """How many history entries cite any of ``article_ids``."""
        return len(self.history.citing(article_ids)) if self.history is not None else 0

    def _mark_missing_sources(self) -> None:
        """Mark citations of articles no longer in the library (removed in an earlier session)."""
        if not self._articles_known:  # the library's list is not read yet
            return
        present = {a.id for a in self.library.model.articles()}
        results = [*self.ask.results(), *self.briefing.results()]
        cited = {c.article_id for result in results for c in result.citations}
        missing = tuple(sorted(cited - present - self.library_events.removed))
        if missing:
            self.library_events.announce(LibraryChange(removed=missing))

    def show_history(self) -> None:
        """Switch to the History tab, with the keyboard in its list."""
        self.tabs.setCurrentWidget(self.history_panel)
        self.history_panel.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)
