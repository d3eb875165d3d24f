"""The History panel: past conversations and briefings, to reopen, rename, delete, export."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.gui.confirm import confirm
from desktop.gui.rendering import plural
from desktop.gui.theme import themed
from retrieval.briefs import Briefing
from retrieval.library.history import History, HistoryEntry, HistoryError, HistoryRecord
from retrieval.types import Answer

EntryRole = Qt.ItemDataRole.UserRole + 1
RecordRole = Qt.ItemDataRole.UserRole + 2
EMPTY = "Nothing yet. Questions you ask and briefings you generate are kept here."
KIND_LABEL = {"conversation": "Questions", "briefing": "Briefing"}


def when(iso: str) -> str:
    """``2024-01-05T10:30:00+00:00`` → ``2024-01-05 10:30``."""
    return iso.replace("T", " ")[:16]


class HistoryPanel(QFrame):
    """Lists the history's conversations (with their questions) and briefings.

    Signals:
        open_requested: ``(entry, records)`` to show again in Ask or Briefing.
        export_requested: ``(results, title)`` to export together.
        changed: an entry was renamed or deleted.
        problem: ``(title, message)`` for the window's one error place.
    """

    open_requested = Signal(object, object)
    export_requested = Signal(object, str)
    changed = Signal()
    problem = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.history: History | None = None

        self.tree = QTreeWidget()
        self.tree.setAccessibleName("History")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Conversation or briefing", "When"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(lambda *_: self.open_selected())
        self.tree.itemSelectionChanged.connect(self._update_buttons)

        self.empty_label = QLabel(EMPTY)
        self.empty_label.setObjectName("muted")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.open_button = QPushButton("Open")
        self.open_button.setObjectName("primary")
        self.open_button.setToolTip("Show it again in Ask or Briefing (Enter)")
        self.open_button.clicked.connect(self.open_selected)
        self.rename_button = QPushButton("Rename…")
        self.rename_button.setToolTip("Rename the conversation or briefing (F2)")
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button = themed(QPushButton("Delete"), "remove")
        self.delete_button.setToolTip("Delete it from the history (Delete)")
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button = themed(QPushButton("Export…"), "export")
        self.export_button.setToolTip(
            "Export the selected answer, conversation or briefing with every citation"
        )
        self.export_button.clicked.connect(self.export_selected)
        self.export_all_button = themed(QPushButton("Export all…"), "export")
        self.export_all_button.setToolTip("Export the whole history with every citation")
        self.export_all_button.clicked.connect(self.export_all)
        for button, name in (
            (self.open_button, "Open the selected history entry"),
            (self.rename_button, "Rename the selected history entry"),
            (self.delete_button, "Delete the selected history entry"),
            (self.export_button, "Export the selected history entry"),
            (self.export_all_button, "Export the whole history"),
        ):
            button.setAccessibleName(name)
        for keys, slot in (("F2", self.rename_selected), ("Delete", self.delete_selected)):
            shortcut = QShortcut(QKeySequence(keys), self.tree)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        first = QHBoxLayout()
        for button in (self.open_button, self.rename_button, self.delete_button):
            first.addWidget(button)
        first.addStretch(1)
        second = QHBoxLayout()
        second.addWidget(self.export_button)
        second.addWidget(self.export_all_button)
        second.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(first)
        layout.addLayout(second)
        self.refresh()

    # -- content -----------------------------------------------------------------

    def set_history(self, history: History | None) -> None:
        """Show (and change) ``history``."""
        self.history = history
        self.refresh()

    def refresh(self) -> None:
        """Reload the list from the history, keeping the selection."""
        selected = self._selected()
        self.tree.clear()
        entries = self.history.entries() if self.history is not None else []
        for entry in entries:
            top = QTreeWidgetItem([entry.title, when(entry.updated)])
            top.setData(0, EntryRole, entry)
            count = plural(entry.count, "question") if entry.kind == "conversation" else ""
            top.setToolTip(0, f"{KIND_LABEL[entry.kind]}: {entry.title}\n{count}".strip())
            top.setIcon(0, self.style().standardIcon(self.style().StandardPixmap.SP_FileIcon))
            self.tree.addTopLevelItem(top)
            if entry.kind == "conversation":
                for record in self._records(entry):
                    if isinstance(record.result, Answer):
                        child = QTreeWidgetItem([record.result.question,
                                                 when(record.result.created)])  # fmt: skip
                        child.setData(0, EntryRole, entry)
                        child.setData(0, RecordRole, record)
                        child.setToolTip(0, record.result.question)
                        top.addChild(child)
            if selected is not None and selected[0] == entry.id and selected[1] is None:
                self.tree.setCurrentItem(top)
        has = bool(entries)
        if has and self.tree.currentItem() is None:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))  # Enter opens the newest
        self.tree.setVisible(has)
        self.empty_label.setVisible(not has)
        self.export_all_button.setEnabled(has)
        self._update_buttons()

    def entries(self) -> list[HistoryEntry]:
        """The entries listed, newest first."""
        return [self.tree.topLevelItem(i).data(0, EntryRole)
                for i in range(self.tree.topLevelItemCount())]  # fmt: skip

    def select_entry(self, entry_id: int) -> None:
        """Select the entry with ``entry_id``."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, EntryRole).id == entry_id:
                self.tree.setCurrentItem(item)
                return

    # -- actions ---------------------------------------------------------------------

    def open_selected(self) -> None:
        """Show the selected conversation or briefing again."""
        item = self.tree.currentItem()
        if item is None or self.history is None:
            return
        entry: HistoryEntry = item.data(0, EntryRole)
        self.open_requested.emit(entry, self._records(entry))

    def rename_selected(self) -> None:
        """Ask for a new name for the selected entry."""
        entry = self._current_entry()
        if entry is None or self.history is None:
            return
        title, ok = QInputDialog.getText(self, "Rename", "New name:", text=entry.title)
        if ok:
            self.rename(entry.id, title)

    def rename(self, entry_id: int, title: str) -> None:
        """Rename an entry (an empty name is refused with a message)."""
        if self.history is None:
            return
        try:
            self.history.rename(entry_id, title)
        except HistoryError as error:
            self.problem.emit("Not renamed", str(error).capitalize() + ".")
            return
        self.refresh()
        self.select_entry(entry_id)
        self.changed.emit()

    def delete_selected(self) -> None:
        """Delete the selected entry (or one answer of it) after confirmation."""
        item = self.tree.currentItem()
        if item is None or self.history is None:
            return
        entry: HistoryEntry = item.data(0, EntryRole)
        record: HistoryRecord | None = item.data(0, RecordRole)
        what = f"the question “{item.text(0)}”" if record else f"“{entry.title}”"
        if not confirm(
            self, "Delete from the history", f"Delete {what} from the history? It cannot be undone."
        ):
            return
        if record is not None:
            self.history.delete_record(record.id)
        else:
            self.history.delete(entry.id)
        self.refresh()
        self.changed.emit()

    def export_selected(self) -> None:
        """Export the selected answer, conversation or briefing."""
        item = self.tree.currentItem()
        if item is None:
            return
        entry: HistoryEntry = item.data(0, EntryRole)
        record: HistoryRecord | None = item.data(0, RecordRole)
        if record is not None:
            self.export_requested.emit([record.result], item.text(0))
        else:
            results = [r.result for r in self._records(entry)]
            self.export_requested.emit(results, entry.title)

    def export_all(self) -> None:
        """Export every conversation and briefing, oldest first."""
        results: list[Answer | Briefing] = []
        for entry in reversed(self.entries()):
            results.extend(r.result for r in self._records(entry))
        if results:
            self.export_requested.emit(results, "Newsdesk history")

    # -- helpers -----------------------------------------------------------------------

    def _records(self, entry: HistoryEntry) -> list[HistoryRecord]:
        if self.history is None:
            return []
        try:
            return self.history.records(entry.id)
        except HistoryError as error:
            self.problem.emit("History entry unreadable", f"“{entry.title}”: {error}")
            return []

    def _current_entry(self) -> HistoryEntry | None:
        item = self.tree.currentItem()
        return item.data(0, EntryRole) if item is not None else None

    def _selected(self) -> tuple[int, int | None] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        record = item.data(0, RecordRole)
        return item.data(0, EntryRole).id, record.id if record else None

    def _update_buttons(self) -> None:
        chosen = self.tree.currentItem() is not None
        for button in (self.open_button, self.rename_button, self.delete_button,
                       self.export_button):  # fmt: skip
            button.setEnabled(chosen)
