"""The Briefing panel: a cited briefing over the selection or the whole library."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.gui import rendering
from desktop.gui.library_events import LibraryEvents
from desktop.gui.result_panel import ResultPanel
from desktop.gui.theme import themed
from desktop.gui.worker import Op, Worker
from retrieval.briefs import Briefing
from retrieval.library.history import History, HistoryRecord
from retrieval.types import Answer, Citation, Done, Progress

SCOPE_SELECTED = "Selected articles"
SCOPE_ALL = "All articles"
LENGTHS = ("short", "medium", "long")
EMPTY = (
    "<p class='muted' style='margin:16px 4px'>A briefing groups the chosen articles into "
    "stories, each with its key points, and gives an overview, who and where, a dated "
    "timeline and where the articles differ. Every point cites its "
    "paragraph. Choose the articles and a length, then press Generate (Ctrl+Enter).</p>"
)


class BriefingPanel(ResultPanel):
    """Generates briefings on the worker and shows them with clickable citations.

    A person, place or organisation links to the paragraphs that mention it
    (``paragraph_clicked``).

    Signals (besides :class:`ResultPanel`'s):
        history_changed: a briefing was kept in the history.
    """

    history_changed = Signal()

    def __init__(
        self,
        worker: Worker,
        selected_ids: Callable[[], list[int]],
        events: LibraryEvents | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(events, parent)
        self.worker = worker
        self._selected_ids = selected_ids
        self.briefing: Briefing | None = None
        self.history: History | None = None
        self._op: Op | None = None
        self._scope_ids: list[int] | None = None

        self.scope = QComboBox()
        self.scope.addItems([SCOPE_SELECTED, SCOPE_ALL])
        self.scope.setAccessibleName("Articles to brief")
        self.length = QComboBox()
        self.length.addItems([name.capitalize() for name in LENGTHS])
        self.length.setAccessibleName("Briefing length")
        self.generate_button = themed(QPushButton("Generate"), "briefing")
        self.generate_button.setObjectName("primary")
        self.generate_button.setAccessibleName("Generate the briefing")
        self.generate_button.setToolTip("Generate the briefing (Ctrl+Enter)")
        self.generate_button.clicked.connect(self.generate)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.generate)
        self.export_button = themed(QPushButton("Export…"), "export")
        self.export_button.setAccessibleName("Export the briefing")
        self.export_button.clicked.connect(self.export)
        self.export_button.setEnabled(False)

        # Two rows, so that nothing is cut in a narrow pane (1024 px screens).
        controls = QGridLayout()
        for row, (text, widget) in enumerate((("&Brief", self.scope), ("&Length", self.length))):
            label = QLabel(text)
            label.setObjectName("muted")
            label.setBuddy(widget)
            widget.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            controls.addWidget(label, row, 0)
            controls.addWidget(widget, row, 1)
        controls.addWidget(self.generate_button, 1, 2)
        controls.setColumnStretch(3, 1)

        self.progress_label = QLabel("")
        self.progress_label.setObjectName("muted")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setFixedHeight(8)
        self.progress.setAccessibleName("Briefing progress")
        self.cancel_button = themed(QPushButton("Cancel"), "cancel")
        self.cancel_button.setAccessibleName("Cancel the briefing")
        self.cancel_button.clicked.connect(self.cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_box = QWidget()
        self.progress_box.setLayout(progress_row)
        progress_row.setContentsMargins(0, 0, 0, 0)
        self.progress_box.hide()

        self.view = QTextBrowser()
        self.view.setAccessibleName("Briefing")
        self.view.setOpenLinks(False)
        self.view.anchorClicked.connect(self._link_clicked)
        self.view.highlighted.connect(self._link_hovered)

        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(controls)
        layout.addWidget(self.progress_box)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)
        self.restyle()

    def article_ids(self) -> list[int] | None:
        """The articles to brief (None = all)."""
        if self.scope.currentText() == SCOPE_ALL:
            return None
        return self._selected_ids() or None

    def generate(self) -> Op | None:
        """Generate a briefing on the worker, with progress and Cancel."""
        if self._op is not None:
            return None
        ids = self.article_ids()
        length = LENGTHS[self.length.currentIndex()]
        op = self.worker.op(
            lambda desk: desk.brief_steps(ids, length), key="brief", label="Writing the briefing"
        )
        op.with_progress(self._step)
        op.on_success(self._done)
        op.on_cancel(lambda: self._ended("Cancelled."))
        op.on_failure(lambda _error: self._ended("The briefing failed (see the message)."))
        self._op = op
        self._scope_ids = ids
        if self.briefing is None:
            self.view.setHtml(EMPTY)  # no stale "Cancelled." while this one runs
        what = "the whole library" if ids is None else rendering.plural(len(ids), "article")
        self.progress_label.setText(f"Waiting to brief {what}…")
        self.progress_box.show()
        self.generate_button.setEnabled(False)
        return op.start()

    def focus_choices(self) -> None:
        """Put the keyboard focus on the length, for choosing before generating."""
        self.length.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def set_history(self, history: History | None) -> None:
        """Keep every briefing from now on in ``history``."""
        self.history = history

    def load_briefing(self, record: HistoryRecord) -> None:
        """Show a briefing from the history."""
        if isinstance(record.result, Briefing):
            self.briefing = record.result
            self.export_button.setEnabled(True)
            self._render()

    def cancel(self) -> None:
        """Stop the briefing at its next step."""
        if self._op is not None:
            self._op.cancel()

    def is_busy(self) -> bool:
        """True while a briefing is being written."""
        return self._op is not None

    def export(self) -> None:
        """Ask the window to export the briefing."""
        if self.briefing is not None:
            self.export_requested.emit(self.briefing)

    def _step(self, event: object) -> None:
        if isinstance(event, Progress):
            self.progress_label.setText(event.message)

    def _done(self, event: object) -> None:
        match event:
            case Done(Briefing() as briefing):
                self.briefing = briefing
                if self.history is not None:
                    self.history.add_briefing(briefing, self._scope_ids)
                    self.history_changed.emit()
        self._ended("")
        self._render()

    def _ended(self, message: str) -> None:
        self._op = None
        self.progress_box.hide()
        self.generate_button.setEnabled(True)
        self.export_button.setEnabled(self.briefing is not None)
        if message and self.briefing is None:
            self.view.setHtml(EMPTY + f"<p class='muted'><i>{message}</i></p>")

    def results(self) -> list[Answer | Briefing]:
        """The briefing shown, if any."""
        return [self.briefing] if self.briefing is not None else []

    def _render(self) -> None:
        if self.briefing is None:
            self.view.setHtml(EMPTY)
        else:
            self.view.setHtml(rendering.briefing_html(self.briefing, removed=self.removed_articles))

    def citation(self, href: str) -> Citation | None:
        """The citation a ``cite:N`` link points at."""
        parsed = rendering.parse_cite(href)
        if parsed is None or self.briefing is None:
            return None
        return rendering.references(self.briefing).get(parsed[1])
