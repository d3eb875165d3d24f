"""The main window: wires the panels, the worker, menus and the one error place."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QWidget,
)

from desktop.gui.ask_panel import AskPanel
from desktop.gui.briefing_panel import BriefingPanel
from desktop.gui.library_events import LibraryChange, LibraryEvents
from desktop.gui.library_panel import LibraryPanel
from desktop.gui.reader_panel import ReaderPanel
from desktop.gui.settings_dialog import SettingsDialog
from desktop.gui.startup import LOADING, READY, Startup, StartupHooks
from desktop.gui.theme import app_icon, apply_theme, refresh_icons, themed
from desktop.gui.worker import Worker
from retrieval.backends.api_keys import store_api_key
from retrieval.settings import Settings
from retrieval.types import Answer, Article, Briefing, Citation


class MainWindow(QMainWindow):
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
        self.startup = Startup(
            StartupHooks(
                set_status=self.set_model_status,
                say=lambda text: self.statusBar().showMessage(text, 4000),
                engine_opened=self.reader.set_engine,
                add_step=lambda step: self.library.show_add_step(step, []),
                articles_loaded=self._articles_loaded,
            ),
            self.worker,
            settings,
            self.state,
            desk,
            add_sample,
        )
        self._build_layout()
        self._build_actions()
        self._build_status()
        self._connect()
        self.restore_state()

    # -- construction ------------------------------------------------------

    def _build_layout(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.ask, "Ask")
        self.tabs.addTab(self.briefing, "Briefing")
        self.tabs.setAccessibleName("Ask and briefing")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        for widget, stretch in ((self.library, 2), (self.reader, 5), (self.tabs, 5)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.indexOf(widget), stretch)
        self.library.setMinimumWidth(240)
        self.reader.setMinimumWidth(320)
        self.tabs.setMinimumWidth(380)
        self.splitter.setSizes([300, 470, 510])
        self.setCentralWidget(self.splitter)
        self.resize(1280, 800)
        self.setTabOrder(self.library.filter_box, self.library.view)
        self.setTabOrder(self.library.view, self.reader.text)
        self.setTabOrder(self.reader.text, self.ask.question)

    def _build_actions(self) -> None:
        lib = self.library
        self.export_action = self._action("Export…", "export", self.export_current, "Ctrl+E")
        self.brief_action = self._action("Briefing", "briefing", self.start_briefing, "Ctrl+B")
        self.ask_action = self._action("Ask a question", "ask", self.focus_question, "Ctrl+L")
        self.settings_action = self._action("Settings…", "settings", self.open_settings, "Ctrl+,")
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for act in (lib.add_files_action, lib.add_folder_action, lib.add_url_action,
                    lib.paste_action):  # fmt: skip
            toolbar.addAction(act)
        toolbar.addAction(lib.remove_action)
        toolbar.addSeparator()
        toolbar.addAction(self.brief_action)
        toolbar.addAction(self.export_action)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding, spacer.sizePolicy().Policy.Fixed)
        toolbar.addWidget(spacer)
        toolbar.addAction(self.settings_action)

        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        for act in (lib.add_files_action, lib.add_folder_action, lib.add_url_action,
                    lib.paste_action):  # fmt: skip
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = menus.addMenu("&Edit")
        edit_menu.addAction(lib.filter_action)
        edit_menu.addAction(lib.remove_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        go_menu = menus.addMenu("&Go")
        go_menu.addAction(self.ask_action)
        go_menu.addAction(self.brief_action)
        help_menu = menus.addMenu("&Help")
        help_menu.addAction("About Newsdesk", self.about)
        self.addAction(lib.filter_action)

    def _action(self, text: str, icon_name: str, slot: Any, shortcut: str) -> QAction:
        act = themed(QAction(text, self), icon_name)
        act.setShortcut(QKeySequence(shortcut))
        act.setToolTip(f"{text} ({QKeySequence(shortcut).toString()})")
        act.triggered.connect(slot)
        return act

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
        self.library.set_articles(list(articles))
        self.library.progress_box.hide()
        self.library.select_ids(self.saved_selection())

    def set_model_status(self, text: str, ready: bool = False) -> None:
        """Show the models' state in the status bar."""
        self.model_status.setText(text)
        self.model_status.setProperty("ready", ready)
        self.model_status.style().unpolish(self.model_status)
        self.model_status.style().polish(self.model_status)
        self.model_busy.setVisible(text == LOADING)
        self.ask.set_models_ready(text == READY)

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

    def show_citation(self, citation: Citation) -> None:
        """Show a cited paragraph in the reader, its quote highlighted."""
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
        """Switch to Briefing and generate one."""
        self.tabs.setCurrentWidget(self.briefing)
        self.briefing.generate()

    # -- export --------------------------------------------------------------------

    def export_current(self) -> None:
        """Export what the current tab shows."""
        if self.tabs.currentWidget() is self.briefing and self.briefing.briefing is not None:
            self.export_result(self.briefing.briefing)
        elif self.ask.last_answer() is not None:
            self.export_result(self.ask.last_answer())
        else:
            self.statusBar().showMessage("Nothing to export yet: ask a question first.", 6000)

    def export_result(self, result: Answer | Briefing) -> None:
        """Ask where to save ``result`` and export it there."""
        name = "briefing.pdf" if isinstance(result, Briefing) else "answer.pdf"
        folder = str(self.state.value("export/folder", str(Path.home())))
        from retrieval.export import file_filter  # docx, fpdf: not at launch

        path, chosen = QFileDialog.getSaveFileName(
            self, "Export", str(Path(folder) / name), file_filter()
        )
        if path:
            target = Path(path)
            if not target.suffix and "(*." in chosen:
                target = target.with_suffix(chosen.split("(*", 1)[1].split(")")[0].split()[0])
            self.state.setValue("export/folder", str(target.parent))
            self.export_to(result, target)

    def export_to(self, result: Answer | Briefing, path: Path) -> None:
        """Write ``result`` to ``path`` on the worker (format from the extension)."""

        def job(_desk: object) -> Path:
            from retrieval.export import export

            return export(result, path)

        self.worker.op(job, label="Exporting").on_success(
            lambda written: self.statusBar().showMessage(f"Exported to {written}", 10000)
        ).start()

    # -- settings ------------------------------------------------------------------

    def open_settings(self) -> None:
        """Show the Settings dialog; save and apply what changed."""
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            self.apply_settings(
                dialog.edited_settings(), dialog.models_changed(), dialog.backend.api_key_change()
            )

    def apply_settings(
        self, new: Settings, models_changed: bool, api_key: str | None = None
    ) -> None:
        """Save ``new`` (and ``api_key`` apart from it), apply the theme and answer settings."""
        old = self.settings
        self.settings = new
        try:
            new.save(self.settings_path)
        except OSError as error:
            self.report_error("Settings not saved", f"Could not write the settings: {error}")
        key_kept = ""
        if api_key is not None:
            key_kept = " " + store_api_key(new.generation.server.base_url, api_key)
        app = QApplication.instance()
        if new.ui.theme != old.ui.theme and isinstance(app, QApplication):
            apply_theme(app, new.ui.theme)
            refresh_icons(self)
            for panel in (self.ask, self.briefing, self.reader):
                panel.restyle()
        # models and the backend are built once: the running engine keeps the old ones
        kept = {name: getattr(old.generation, name) for name in ("model", "backend", "server")}
        runtime = new.model_copy(update={"generation": new.generation.model_copy(
            update=kept), "retrieval": new.retrieval.model_copy(
            update={"embedding_model": old.retrieval.embedding_model})})  # fmt: skip
        self.worker.op(
            lambda desk: setattr(desk, "settings", runtime), label="Applying settings"
        ).start()
        if models_changed:
            message = "Model and backend changes apply after Newsdesk restarts."
            self.statusBar().showMessage(message + key_kept, 15000)
        elif key_kept:
            self.statusBar().showMessage(key_kept.strip(), 15000)

    def about(self) -> None:
        """A short About box."""
        QMessageBox.about(
            self,
            "About Newsdesk",
            "<b>Newsdesk</b><p>Ask your news articles "
            "questions and get answers that cite their paragraph. Offline.</p>",
        )

    # -- window state ----------------------------------------------------------------

    def restore_state(self) -> None:
        """Restore geometry, splitter sizes and the open tab."""
        geometry = self.state.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = self.state.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self.tabs.setCurrentIndex(int(self.state.value("window/tab", 0) or 0))

    def saved_selection(self) -> list[int]:
        """Article ids selected when the window was last closed."""
        value = self.state.value("library/selection", []) or []
        values = value if isinstance(value, list) else [value]
        return [int(v) for v in values if str(v).isdigit()]

    def save_state(self) -> None:
        """Remember geometry, splitter sizes, the open tab and the selection."""
        self.state.setValue("window/geometry", self.saveGeometry())
        self.state.setValue("window/splitter", self.splitter.saveState())
        self.state.setValue("window/tab", self.tabs.currentIndex())
        self.state.setValue("library/selection", [str(i) for i in self.library.selected_ids()])
        self.state.sync()

    def shutdown(self) -> None:
        """Stop the worker (cancelling its jobs) and close the engine."""
        self.worker.stop()
        self.startup.close_engine()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_state()
        self.hide()
        self.shutdown()
        super().closeEvent(event)
