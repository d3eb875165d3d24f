"""Suggested questions for the selected articles, offered when nothing else is running."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer

from desktop.gui.startup import READY

SUGGEST_DELAY_MS = 600
"""How long the selection must rest before questions are suggested for it (ms)."""


class QuestionSuggestions:
    """Suggest questions the selected articles answer (a mixin of the main window).

    Suggestions wait until the selection settles, the models are ready and the
    worker is idle: they are a nicety and must never slow an add, an answer or
    the window.
    """

    library: Any
    ask: Any
    worker: Any
    models_state: str

    def start_suggestions(self: Any) -> None:
        """Suggest again whenever the selection has rested for :data:`SUGGEST_DELAY_MS`."""
        self._suggestions_wanted = False
        self._suggest_timer = QTimer(self)
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(SUGGEST_DELAY_MS)
        self._suggest_timer.timeout.connect(self.suggest_questions)
        self.library.selection_changed.connect(lambda _ids: self._suggest_timer.start())

    def suggest_soon(self, only_if_wanted: bool = False) -> None:
        """Start the delay before suggesting; with ``only_if_wanted``, only if a
        suggestion was put off while the worker was busy."""
        if not only_if_wanted or self._suggestions_wanted:
            self._suggest_timer.start()

    def suggest_questions(self) -> None:
        """Offer questions the selected articles answer (checked on the worker, cheaply)."""
        ids = self.library.selected_ids()
        self._suggestions_wanted = False
        if not ids or self.models_state != READY:
            self.ask.set_suggestions([])
            return
        if self.worker.is_busy():
            self._suggestions_wanted = True  # asked again when the worker is idle
            return

        def job(desk: Any) -> list[str]:
            from retrieval.suggest import suggest_questions

            return suggest_questions(desk.library, desk.settings, ids)

        self.worker.op(job, key="suggest", label="Suggesting questions").on_success(
            self._suggested_for(ids)
        ).on_failure(lambda _error: True).start()

    def _suggested_for(self, ids: list[int]) -> Any:
        def show(questions: list[str]) -> None:
            if self.library.selected_ids() == ids:
                self.ask.set_suggestions(questions)

        return show
