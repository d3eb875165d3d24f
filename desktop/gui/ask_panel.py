"""The Ask panel: a conversation of questions and cited, streamed answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.gui import rendering
from desktop.gui.library_events import LibraryEvents
from desktop.gui.result_panel import ResultPanel
from desktop.gui.theme import themed
from desktop.gui.worker import Op, Worker
from retrieval.export.text import render_text
from retrieval.types import Answer, Briefing, Citation, Done, Piece, Restart

SCOPE_ALL = "All articles"
SCOPE_SELECTED = "Selected articles"
WELCOME = (
    "<p class='muted' style='margin:16px 4px'>Ask a question about your articles. "
    "Every answer cites the paragraph that supports it: click a number to read it "
    "in its article.</p>"
)


@dataclass
class Turn:
    """One question and its answer, as it arrives."""

    question: str
    text: str = ""
    status: str = "Waiting…"
    answer: Answer | None = None
    op: Op | None = None


class AskPanel(ResultPanel):
    """Sends questions to the worker and shows the answers with clickable citations.

    Signals (besides :class:`ResultPanel`'s):
        paragraph_clicked: ``(article_id, paragraph_index)`` to show.
    """

    paragraph_clicked = Signal(int, int)

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
        self.turns: list[Turn] = []
        self.models_ready = False

        self.view = QTextBrowser()
        self.view.setAccessibleName("Conversation")
        self.view.setOpenLinks(False)
        self.view.anchorClicked.connect(self._link_clicked)
        self.view.highlighted.connect(self._link_hovered)
        worker.task_started.connect(self._maybe_started)

        self.question = QLineEdit()
        self.question.setPlaceholderText("Ask about your articles…  (Ctrl+L)")
        self.question.setAccessibleName("Question")
        self.question.returnPressed.connect(self.ask_typed)
        self.ask_button = themed(QPushButton("Ask"), "ask")
        self.ask_button.setObjectName("primary")
        self.ask_button.setAccessibleName("Ask the question")
        self.ask_button.clicked.connect(self.ask_typed)

        self.scope = QComboBox()
        self.scope.addItems([SCOPE_ALL, SCOPE_SELECTED])
        self.scope.setAccessibleName("Articles to search")
        self.scope.setToolTip("Which articles the question is asked over")
        self.copy_button = themed(QPushButton("Copy"), "copy")
        self.copy_button.setAccessibleName("Copy the last answer")
        self.copy_button.clicked.connect(self.copy_last)
        self.export_button = themed(QPushButton("Export…"), "export")
        self.export_button.setAccessibleName("Export the last answer")
        self.export_button.clicked.connect(self.export_last)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setAccessibleName("Clear the conversation")
        self.clear_button.clicked.connect(self.clear)

        ask_row = QHBoxLayout()
        ask_row.addWidget(self.question, 1)
        ask_row.addWidget(self.ask_button)
        tools = QHBoxLayout()
        search_in = QLabel("Search in")
        search_in.setObjectName("muted")
        tools.addWidget(search_in)
        tools.addWidget(self.scope)
        tools.addStretch(1)
        tools.addWidget(self.copy_button)
        tools.addWidget(self.export_button)
        tools.addWidget(self.clear_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.view, 1)
        layout.addLayout(ask_row)
        layout.addLayout(tools)
        self.setTabOrder(self.question, self.ask_button)
        self.setTabOrder(self.ask_button, self.scope)
        self.setTabOrder(self.scope, self.copy_button)
        self.setTabOrder(self.copy_button, self.export_button)
        self.setTabOrder(self.export_button, self.clear_button)
        self.setTabOrder(self.clear_button, self.view)
        self.restyle()
        self._update_buttons()

    # -- asking ------------------------------------------------------------

    def focus_question(self) -> None:
        """Put the cursor in the question box."""
        self.question.setFocus()
        self.question.selectAll()

    def ask_typed(self) -> None:
        """Ask what is typed in the question box."""
        text = self.question.text().strip()
        if text:
            self.question.clear()
            self.ask(text)

    def ask(self, question: str) -> Turn:
        """Ask ``question`` on the worker; the answer streams into the view.

        A newer question supersedes one still waiting in the queue.
        """
        ids = self._selected_ids() if self.scope.currentText() == SCOPE_SELECTED else None
        turn = Turn(question, status=self._waiting_status())
        self.turns.append(turn)
        op = self.worker.op(
            lambda desk: desk.ask_stream(question, ids), key="ask", label="Answering the question"
        )
        op.with_progress(lambda piece: self._piece(turn, piece))
        op.on_success(lambda result: self._answered(turn, result))
        op.on_cancel(lambda: self._stopped(turn, "Skipped: a newer question replaced it."))
        op.on_failure(lambda _error: self._stopped(turn, "Could not answer (see the message)."))
        turn.op = op
        op.start()
        self._render()
        return turn

    def set_models_ready(self, ready: bool) -> None:
        """Whether the models are loaded (changes what waiting questions say)."""
        self.models_ready = ready
        for turn in self.turns:
            if turn.answer is None and turn.status.startswith("Waiting"):
                turn.status = self._waiting_status()
        self._render()

    def last_answer(self) -> Answer | None:
        """The most recent finished answer."""
        return next((t.answer for t in reversed(self.turns) if t.answer), None)

    def copy_last(self) -> None:
        """Copy the last answer, with numbered sources, to the clipboard."""
        answer = self.last_answer()
        if answer is None:
            return

        QGuiApplication.clipboard().setText(render_text(rendering.build_document(answer)))

    def export_last(self) -> None:
        """Ask the window to export the last answer."""
        answer = self.last_answer()
        if answer is not None:
            self.export_requested.emit(answer)

    def results(self) -> list[Answer | Briefing]:
        """The answers shown, oldest first."""
        return [turn.answer for turn in self.turns if turn.answer is not None]

    def clear(self) -> None:
        """Forget the conversation (answers still being written are cancelled)."""
        for turn in self.turns:
            if turn.answer is None and turn.op is not None:
                turn.op.cancel()
        self.turns = []
        self._render()

    # -- worker callbacks -----------------------------------------------------

    def _waiting_status(self) -> str:
        return "Thinking…" if self.models_ready else "Waiting for the models to load…"

    def _maybe_started(self, label: str) -> None:
        if label == "Answering the question":
            for turn in self.turns:
                if turn.answer is None and turn.status.startswith("Waiting"):
                    turn.status = "Searching the articles…"
                    self._render()
                    return

    def _piece(self, turn: Turn, event: object) -> None:
        match event:
            case Restart():  # the server broke off: the local model starts over
                turn.text = ""
            case Piece(text):
                turn.text += text
                turn.status = ""
                self._render()

    def _answered(self, turn: Turn, event: object) -> None:
        match event:
            case Done(Answer() as answer):
                turn.answer = answer
                turn.status = ""
            case _:
                turn.status = "No answer came back."
        self._render()
        self._update_buttons()

    def _stopped(self, turn: Turn, why: str) -> None:
        turn.status = why
        self._render()

    # -- links -----------------------------------------------------------------

    def citation(self, href: str) -> Citation | None:
        """The citation a ``cite:T.N`` link points at."""
        parsed = rendering.parse_cite(href)
        if parsed is None or parsed[0] is None or not 0 <= parsed[0] < len(self.turns):
            return None
        answer = self.turns[parsed[0]].answer
        return rendering.references(answer).get(parsed[1]) if answer else None

    def citation_links(self) -> list[str]:
        """Every citation link in the view, in order (for tests and keyboard use)."""
        links: list[str] = []
        block = self.view.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                href = it.fragment().charFormat().anchorHref()
                if href.startswith("cite:") and (not links or links[-1] != href):
                    links.append(href)
                it += 1
            block = block.next()
        return links

    # -- drawing ---------------------------------------------------------------

    def _render(self) -> None:
        parts = [] if self.turns else [WELCOME]
        for number, turn in enumerate(self.turns):
            parts.append(rendering.question_html(turn.question))
            if turn.answer is not None:
                parts.append(
                    rendering.answer_html(turn.answer, number, removed=self.removed_articles)
                )
            else:
                parts.append(rendering.pending_html(turn.text, turn.status))
        self.view.setHtml("".join(parts))
        self.view.moveCursor(QTextCursor.MoveOperation.End)
        self.view.ensureCursorVisible()

    def _update_buttons(self) -> None:
        has_answer = self.last_answer() is not None
        self.copy_button.setEnabled(has_answer)
        self.export_button.setEnabled(has_answer)
