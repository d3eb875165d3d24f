"""The Ask panel: a conversation of questions and cited, streamed answers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.gui import rendering
from desktop.gui.conversation_view import ConversationView, Turn
from desktop.gui.library_events import LibraryEvents
from desktop.gui.result_panel import ResultPanel
from desktop.gui.theme import themed
from desktop.gui.worker import Worker
from retrieval.briefs import Briefing
from retrieval.export.text import render_text
from retrieval.library.history import History, HistoryError, HistoryRecord
from retrieval.types import Answer, Citation, Done, Piece, Restart

SCOPE_ALL = "All articles"
SCOPE_SELECTED = "Selected articles"
WELCOME = (
    "<p class='muted' style='margin:16px 4px'>Ask a question about your articles. "
    "Every answer cites the paragraph that supports it: click a number to read it "
    "in its article.</p>"
)


class AskPanel(ResultPanel):
    """Sends questions to the worker and shows the answers with clickable citations.

    Signals (besides :class:`ResultPanel`'s):
        paragraph_clicked: ``(article_id, paragraph_index)`` to show.
    """

    paragraph_clicked = Signal(int, int)
    conversation_export_requested = Signal(object, str)
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
        self.turns: list[Turn] = []
        self.models_ready = False
        self.history: History | None = None
        self.entry_id: int | None = None  # the conversation in the history being continued

        self.view = ConversationView(self.newest_link)
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
        self.scope.setToolTip("Search all articles, or only those selected in the library")
        # Never narrower than its longest choice: the splitter gives way instead.
        self.scope.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.copy_button = themed(QPushButton("Copy"), "copy")
        self.copy_button.setAccessibleName("Copy the last answer")
        self.copy_button.setToolTip("Copy the last answer with its sources")
        self.copy_button.clicked.connect(self.copy_last)
        self.export_button = themed(QPushButton("Export"), "export")
        self.export_button.setAccessibleName("Export the last answer or the conversation")
        export_menu = QMenu(self.export_button)
        export_menu.addAction("The last answer…  (Ctrl+E)", self.export_last)
        export_menu.addAction("The whole conversation…  (Ctrl+Shift+E)", self.export_conversation)
        self.export_button.setMenu(export_menu)
        self.clear_button = QPushButton("New")
        self.clear_button.setAccessibleName("Start a new conversation")
        self.clear_button.setToolTip("Start a new conversation (this one stays in the History tab)")
        self.clear_button.clicked.connect(self.clear)
        self.suggestions = QLabel("")
        self.suggestions.setObjectName("suggestions")
        self.suggestions.setWordWrap(True)
        self.suggestions.setAccessibleName("Suggested questions")
        self.suggestions.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.suggestions.linkActivated.connect(self._suggestion_chosen)
        self.suggestions.hide()
        self._suggested: list[str] = []

        ask_row = QHBoxLayout()
        ask_row.addWidget(self.question, 1)
        ask_row.addWidget(self.ask_button)
        tools = QHBoxLayout()
        tools.addWidget(self.scope)
        tools.addStretch(1)
        tools.addWidget(self.copy_button)
        tools.addWidget(self.export_button)
        tools.addWidget(self.clear_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.suggestions)
        layout.addLayout(ask_row)
        layout.addLayout(tools)
        self.apply_tab_order()
        self.restyle()
        self._update_buttons()

    def tab_chain(self) -> list[QWidget]:
        """The panel's keyboard order: the newest answer's citations right after the question."""
        return [self.question, self.view, self.ask_button, self.scope, self.copy_button,
                self.export_button, self.clear_button, self.suggestions]  # fmt: skip

    def apply_tab_order(self, before: QWidget | None = None) -> None:
        """Set the tab order of :meth:`tab_chain`, after ``before`` when given."""
        chain = ([before] if before is not None else []) + self.tab_chain()
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

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
        turn = Turn(question, status=self._waiting_status(), scope=ids)
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
        """Copy the last answer, with numbered sources, to the clipboard, and say so."""
        answer = self.last_answer()
        if answer is None:
            return
        QGuiApplication.clipboard().setText(render_text(rendering.build_document(answer)))
        sources = rendering.plural(len(answer.citations), "source")
        self.notice.emit(f"Copied the answer and its {sources} to the clipboard.")
        self.copy_button.setText("Copied ✓")
        QTimer.singleShot(2000, self.copy_button, lambda: self.copy_button.setText("Copy"))

    def export_last(self) -> None:
        """Ask the window to export the last answer."""
        answer = self.last_answer()
        if answer is not None:
            self.export_requested.emit(answer)

    def export_conversation(self) -> None:
        """Ask the window to export every answer of this conversation."""
        answers = self.results()
        if answers:
            self.conversation_export_requested.emit(answers, self.conversation_title())

    def conversation_title(self) -> str:
        """The conversation's name: as renamed in the history, else its first question."""
        if self.history is not None and self.entry_id is not None:
            entry = self.history.entry(self.entry_id)
            if entry is not None:
                return entry.title
        return self.turns[0].question if self.turns else "Conversation"

    # -- history -----------------------------------------------------------------

    def set_history(self, history: History | None) -> None:
        """Keep every answer from now on in ``history``."""
        self.history = history

    def load_conversation(self, entry_id: int, records: list[HistoryRecord]) -> None:
        """Show a conversation from the history; new questions continue it."""
        self.clear()
        self.entry_id = entry_id
        for record in records:
            if isinstance(record.result, Answer):
                scope = list(record.scope) if record.scope is not None else None
                self.turns.append(
                    Turn(record.result.question, status="", answer=record.result, scope=scope)
                )
        answered = [t.question for t in self.turns if t.answer and not t.answer.declined]
        self._set_follow_ups(answered)
        self._render()
        self._update_buttons()

    def _set_follow_ups(self, questions: list[str]) -> None:
        """What a follow-up question ("and when?") leans on: this conversation's questions."""

        def job(desk: object) -> None:
            conversation = getattr(desk, "conversation", None)
            if conversation is not None:
                conversation.questions = []
                for question in questions:
                    conversation.remember(question)

        self.worker.op(job, label="Opening the conversation").start()

    def _remember(self, turn: Turn) -> None:
        if self.history is None or turn.answer is None:
            return
        try:
            record = self.history.add_answer(turn.answer, turn.scope, self.entry_id)
        except HistoryError:  # the conversation was deleted meanwhile: start a new one
            record = self.history.add_answer(turn.answer, turn.scope, None)
        self.entry_id = record.entry_id
        self.history_changed.emit()

    # -- suggested questions -----------------------------------------------------

    def set_suggestions(self, questions: list[str]) -> None:
        """Offer ``questions`` (already checked to be answerable) as one-click links."""
        self._suggested = list(questions)
        if not questions:
            self.suggestions.hide()
            self.suggestions.clear()
            return
        links = " · ".join(
            f"<a href='suggest:{n}'>{rendering.escape(q)}</a>" for n, q in enumerate(questions)
        )
        self.suggestions.setText(f"<span class='muted'>Try:</span> {links}")
        self.suggestions.show()

    def _suggestion_chosen(self, href: str) -> None:
        try:
            question = self._suggested[int(href.split(":", 1)[1])]
        except (IndexError, ValueError):
            return
        self.ask(question)

    def results(self) -> list[Answer | Briefing]:
        """The answers shown, oldest first."""
        return [turn.answer for turn in self.turns if turn.answer is not None]

    def clear(self) -> None:
        """Start a new conversation (answers still being written are cancelled).

        The conversation shown stays in the history.
        """
        for turn in self.turns:
            if turn.answer is None and turn.op is not None:
                turn.op.cancel()
        self.turns = []
        self.entry_id = None
        self._set_follow_ups([])
        self._render()
        self._update_buttons()

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
                if turn in self.turns:
                    self._remember(turn)
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
        for _start, _length, href in self.view.link_fragments():
            if href.startswith("cite:") and (not links or links[-1] != href):
                links.append(href)
        return links

    def newest_link(self) -> tuple[int, int] | None:
        """``(position, length)`` of the newest answer's first citation link, if any."""
        newest = next((n for n in range(len(self.turns) - 1, -1, -1) if self.turns[n].answer), None)
        if newest is None:
            return None
        prefix = f"cite:{newest}."
        return next(
            ((start, length) for start, length, href in self.view.link_fragments()
             if href.startswith(prefix)),
            None,
        )  # fmt: skip

    def latest_citation(self, n: int) -> Citation | None:
        """Citation ``n`` (1-based, as numbered on screen) of the newest answer."""
        answer = self.last_answer()
        return rendering.references(answer).get(n) if answer is not None else None

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
