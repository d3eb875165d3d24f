"""The main window: wires the panels, the worker, menus and the one error place."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTabWidget,
)

from desktop.gui.ask_panel import AskPanel
from desktop.gui.briefing_panel import BriefingPanel
from desktop.gui.exporting import ExportActions
from desktop.gui.help_menu import HelpActions
from desktop.gui.history_actions import HistoryActions
from desktop.gui.history_panel import HistoryPanel
from desktop.gui.library_events import LibraryChange, LibraryEvents
from desktop.gui.library_panel import LibraryPanel
from desktop.gui.menus import MenuActions
from desktop.gui.reader_panel import ReaderPanel
from desktop.gui.settings_actions import SettingsActions
from desktop.gui.startup import FAILED, LOADING, READY, Startup, StartupHooks
from desktop.gui.suggestions import QuestionSuggestions
from desktop.gui.theme import app_icon
from desktop.gui.window_state import WindowState
from desktop.gui.worker import Worker
from retrieval.ingest.progress import AddTally
from retrieval.library.history import History, HistoryDatabase
from retrieval.settings import Settings
from retrieval.types import Article, Citation

BUSY_LABELS = {
    "Answering the question": "Answering…",
    "Writing the briefing": "Writing the briefing…",
    "Adding articles": "Adding articles…",
    "Removing an article": "Removing…",
    "Exporting": "Exporting…",
}
"""Worker jobs the status bar names while they run (instead of "Ready")."""


class MainWindow(
    MenuActions,
    QuestionSuggestions,
    ExportActions,
    HelpActions,
    HistoryActions,
    SettingsActions,
    WindowState,
    QMainWindow,
):
    """Library | Reader | Ask & Briefing, around one background worker.

    Args:
        settings: The user's settings.
        desk: An engine to use instead of building one (tests pass fakes).
        state: Where window geometry and selection are kept.
        settings_path: Where the Settings dialog saves (default: user config).
        add_sample: Add the bundled sample article to an empty library on first launch.
    """

    def __init__(
        self,
        settings: Settings,
        desk: Any = None,
        state: QSettings | None = None,
        settings_path: Path | None = None,
        add_sample: bool = True,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.state = state or QSettings("Newsdesk", "Newsdesk")
        self.last_export_notes: list[str] = []
        self.settings_path = settings_path
        self.errors: list[tuple[str, str]] = []
        self.setWindowTitle("Newsdesk")
        self.setWindowIcon(app_icon())
        self.worker = Worker(engine=desk, parent=self)
        self.library = LibraryPanel(self.worker)
        self.reader = ReaderPanel()
        self.library_events = LibraryEvents(self)
        self.ask = AskPanel(self.worker, self.library.selected_ids, self.library_events)
        self.briefing = BriefingPanel(self.worker, self.library.selected_ids, self.library_events)
        self.history_panel = HistoryPanel()
        self.history: History | None = None
        self._history_store: HistoryDatabase | None = None
        self.models_state = LOADING
        self._articles_known = False
        self._sample_tally = AddTally()  # the sample article added on the first launch
        self.startup = Startup(
            StartupHooks(
                set_status=self.set_model_status,
                say=lambda text: self.statusBar().showMessage(text, 4000),
                engine_opened=self._engine_opened,
                add_step=lambda step: self.library.show_add_step(step, self._sample_tally),
                articles_loaded=self._articles_loaded,
            ),
            self.worker,
            settings,
            self.state,
            desk,
            add_sample,
        )
        self._build_layout()
        self.build_actions()
        self._build_status()
        self._connect()
        self.restore_state()

    # -- construction ------------------------------------------------------

    def _build_layout(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.ask, "Ask")
        self.tabs.addTab(self.briefing, "Briefing")
        self.tabs.addTab(self.history_panel, "History")
        self.tabs.setAccessibleName("Ask, briefing and history")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        for widget, stretch in ((self.library, 2), (self.reader, 5), (self.tabs, 5)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.indexOf(widget), stretch)
        self.library.setMinimumWidth(240)
        self.reader.setMinimumWidth(300)
        # The tabs' own minimum (their widest row of controls) holds: nothing in them is cut.
        self.splitter.setSizes([300, 470, 510])
        self.setCentralWidget(self.splitter)
        self.resize(1280, 800)
        self.setTabOrder(self.library.filter_box, self.library.view)
        self.setTabOrder(self.library.view, self.reader.text)
        self.ask.apply_tab_order(before=self.reader.text)

    def _build_status(self) -> None:
        self.model_status = QLabel(LOADING)
        self.model_status.setObjectName("modelStatus")
        self.model_status.setAccessibleName("Model status")
        self.model_busy = QProgressBar()
        self.model_busy.setRange(0, 0)
        self.model_busy.setFixedSize(90, 8)
        self.statusBar().addPermanentWidget(self.model_busy)
        self.statusBar().addPermanentWidget(self.model_status)
        self.statusBar().setSizeGripEnabled(False)

    def _connect(self) -> None:
        self.worker.failed.connect(self.report_error)
        self.worker.task_started.connect(self._task_started)
        self.worker.busy_changed.connect(self._busy_changed)
        self.ask.notice.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.ask.conversation_export_requested.connect(self.export_results)
        self.ask.history_changed.connect(self.history_panel.refresh)
        self.briefing.history_changed.connect(self.history_panel.refresh)
        self.history_panel.open_requested.connect(self.open_history_entry)
        self.history_panel.export_requested.connect(self.export_results)
        self.history_panel.problem.connect(self.report_error)
        self.library.citing_history = self.history_citing
        self.start_suggestions()
        self.library.problem.connect(self.report_error)
        self.library.notice.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.library.selection_changed.connect(self._selection_changed)
        self.library.articles_changed.connect(self._articles_changed)
        self.library.article_removed.connect(
            lambda article_id: self.library_events.announce(LibraryChange(removed=(article_id,)))
        )
        self.ask.citation_clicked.connect(self.show_citation)
        self.ask.paragraph_clicked.connect(self.show_paragraph)
        self.briefing.citation_clicked.connect(self.show_citation)
        self.briefing.paragraph_clicked.connect(self.show_paragraph)
        self.ask.export_requested.connect(self.export_result)
        self.briefing.export_requested.connect(self.export_result)

    # -- startup -------------------------------------------------------------

    def start(self) -> None:
        """Open the library and load the models in the background."""
        self.startup.start()

    def _articles_loaded(self, articles: Sequence[Article]) -> None:
        self._articles_known = True
        self.library.set_articles(list(articles))
        self.library.progress_box.hide()
        self.library.select_ids(self.saved_selection())
        self._mark_missing_sources()

    def set_model_status(self, text: str, ready: bool = False) -> None:
        """Show the models' state in the status bar."""
        self.models_state = text
        self._show_models_state()
        self.ask.set_models_ready(text == READY)
        if text == READY:
            self.suggest_soon()

    def _show_models_state(self, working: str | None = None) -> None:
        """The status bar's right end: loading, the job running (answering…), or Ready."""
        text = self.models_state
        if working and self.models_state == READY:
            text = working
        self.model_status.setText(text)
        self.model_status.setProperty("ready", text == READY)
        self.model_status.style().unpolish(self.model_status)
        self.model_status.style().polish(self.model_status)
        self.model_busy.setVisible(text not in (READY, FAILED))

    def _busy_changed(self, busy: bool) -> None:
        if not busy:
            self._show_models_state()
            self.suggest_soon(only_if_wanted=True)

    def _task_started(self, label: str) -> None:
        if label in BUSY_LABELS:
            self._show_models_state(BUSY_LABELS[label])

    # -- the history ---------------------------------------------------------------

    def _engine_opened(self, desk: Any) -> None:
        self.reader.set_engine(desk)
        library = getattr(desk, "library", None)
        self.open_history(library)

    # -- the one place errors reach the user -----------------------------------

    def report_error(self, title: str, message: str) -> None:
        """Tell the user what went wrong: a status-bar line and a dialog."""
        self.errors.append((title, message))
        first_line = message.strip().splitlines()[0] if message.strip() else ""
        self.statusBar().showMessage(f"{title}: {first_line}", 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- panels talking to each other --------------------------------------------

    def open_citation(self, n: int) -> None:
        """Open citation ``n`` of the newest answer (of the briefing, on the Briefing tab)."""
        on_briefing = self.tabs.currentWidget() is self.briefing and self.briefing.briefing
        citation = (
            self.briefing.citation(f"cite:{n}") if on_briefing else self.ask.latest_citation(n)
        )
        if citation is None:
            self.statusBar().showMessage(f"The newest answer has no citation {n}.", 5000)
            return
        self.show_citation(citation)

    def show_citation(self, citation: Citation) -> None:
        """Show a cited paragraph in the reader, its quote highlighted, and select its article."""
        if citation.article_id in self.library_events.removed:
            self.statusBar().showMessage(
                f"{citation.label}: the source was removed from the library; "
                "the answer keeps its quote.",
                10000,
            )
        elif not self.reader.show_citation(citation):
            self.report_error(
                "Citation not found",
                f"{citation.label} is no longer in the library.",
            )
        elif citation.article_id not in self.library.selected_ids():
            self.library.select_ids([citation.article_id])

    def show_paragraph(self, article_id: int, index: int) -> None:
        """Show one paragraph of an article in the reader."""
        if self.reader.show_article(article_id):
            self.reader.show_paragraph(index)

    def _selection_changed(self, ids: list[int]) -> None:
        if len(ids) >= 1 and self.reader.desk is not None:
            self.reader.show_article(ids[-1] if len(ids) == 1 else ids[0])

    def _articles_changed(self) -> None:
        shown = {a.id for a in self.library.model.articles()}
        if self.reader.article is not None and self.reader.article.id not in shown:
            self.reader.clear()

    def focus_question(self) -> None:
        """Switch to Ask and put the cursor in the question box."""
        self.tabs.setCurrentWidget(self.ask)
        self.ask.focus_question()

    def start_briefing(self) -> None:
        """Switch to Briefing with the keyboard on its length: Ctrl+Enter then generates."""
        self.tabs.setCurrentWidget(self.briefing)
        self.briefing.focus_choices()

    def shutdown(self) -> None:
        """Stop the worker (cancelling its jobs) and close the engine."""
        self.worker.stop()
        self.startup.close_engine()
        self.ask.set_history(None)
        self.briefing.set_history(None)
        self.history_panel.history = None
        if self._history_store is not None:
            self._history_store.close()
            self._history_store = None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_state()
        self.hide()
        self.shutdown()
        super().closeEvent(event)
