"""The Library panel: the articles, a filter, adding and removing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QMimeData, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.gui.article_list import ArticleDelegate, ArticleFilter, ArticleListModel, ArticleRole
from desktop.gui.confirm import confirm
from desktop.gui.details_dialog import DetailsDialog
from desktop.gui.paste_dialog import PasteDialog
from desktop.gui.rendering import plural
from desktop.gui.theme import icon, themed
from desktop.gui.worker import Op, Worker
from retrieval.ingest.progress import AddTally
from retrieval.types import AddProgress, Article

FILE_FILTER = "Articles (*.txt *.md *.html *.htm *.pdf *.docx *.xml *.rss *.atom);;All files (*)"


class LibraryPanel(QFrame):
    """Lists the library's articles and adds or removes them on the worker.

    Signals:
        selection_changed: ids of the selected articles.
        problem: ``(title, message)`` for the window's one error place.
        articles_changed: the library gained or lost articles.
        article_removed: the id of an article just removed from the library.
        notice: something the user should know that is not an error (a copy of
            a story already in the library was added).
    """

    selection_changed = Signal(list)
    problem = Signal(str, str)
    articles_changed = Signal()
    article_removed = Signal(int)
    notice = Signal(str)

    def __init__(self, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.worker = worker
        self.citing_history: Callable[[list[int]], int] | None = None
        self._adds: list[Op] = []
        self.model = ArticleListModel()
        self.proxy = ArticleFilter()
        self.proxy.setSourceModel(self.model)
        self._build_actions()
        self._build_ui()
        self.setAcceptDrops(True)

    # -- construction ----------------------------------------------------

    def _build_actions(self) -> None:
        def action(text: str, icon_name: str, slot: Any, shortcut: str | None = None) -> QAction:
            act = themed(QAction(text, self), icon_name)
            act.triggered.connect(slot)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
                act.setToolTip(f"{text} ({QKeySequence(shortcut).toString()})")
            return act

        self.add_files_action = action("Add files…", "add-file", self.choose_files, "Ctrl+O")
        self.add_folder_action = action(
            "Add folder…", "add-folder", self.choose_folder, "Ctrl+Shift+O"
        )
        self.add_url_action = action("Add from URL…", "link", self.ask_url, "Ctrl+U")
        self.paste_action = action("Paste text…", "paste", self.ask_text, "Ctrl+Shift+V")
        self.details_action = action("Date and source…", "article", self.edit_details)
        self.details_action.setEnabled(False)
        self.remove_action = action("Remove", "remove", self.remove_selected, "Delete")
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.remove_action.setEnabled(False)
        self.filter_action = QAction("Filter articles…", self)
        self.filter_action.setShortcut(QKeySequence("Ctrl+F"))
        self.filter_action.triggered.connect(self.focus_filter)

    def _build_ui(self) -> None:
        title = QLabel("Library")
        title.setObjectName("panelTitle")
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.count_label)

        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter articles (Ctrl+F)")
        self.filter_box.setAccessibleName("Filter articles")
        self.filter_box.setClearButtonEnabled(True)
        search = self.filter_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        themed(search, "search")
        self.filter_box.textChanged.connect(self.proxy.set_text)

        self.view = QListView()
        self.view.setAccessibleName("Articles")
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(ArticleDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setMouseTracking(True)
        self.view.setUniformItemSizes(True)
        self.view.addAction(self.details_action)
        self.view.addAction(self.remove_action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)

        self.empty_label = QLabel(
            "No articles yet.\nAdd files, a folder or a link,\nor drop them here."
        )
        self.empty_label.setObjectName("muted")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.progress_label = QLabel("")
        self.progress_label.setObjectName("muted")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Adding articles progress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(8)
        self.cancel_button = themed(QPushButton("Cancel"), "cancel")
        self.cancel_button.setAccessibleName("Cancel adding articles")
        self.cancel_button.clicked.connect(self.cancel_adds)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_box = QWidget()
        box = QVBoxLayout(self.progress_box)
        box.setContentsMargins(0, 4, 0, 0)
        box.addWidget(self.progress_label)
        box.addLayout(progress_row)
        self.progress_box.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.progress_box)
        self._update_empty()

    # -- articles ----------------------------------------------------------

    def set_articles(self, articles: list[Article]) -> None:
        """Show ``articles`` (the whole library)."""
        selected = self.selected_ids()
        self.model.reset(articles)
        self.select_ids(selected)
        self._update_empty()

    def refresh(self) -> None:
        """Reload the list from the library on the worker."""
        self.worker.op(lambda desk: desk.articles(), label="Reading the library").on_success(
            self.set_articles
        ).start()

    def selected_ids(self) -> list[int]:
        """Ids of the selected articles, in list order."""
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())
        return [i.data(ArticleRole).id for i in rows]

    def selected_articles(self) -> list[Article]:
        """The selected articles."""
        wanted = set(self.selected_ids())
        return [a for a in self.model.articles() if a.id in wanted]

    def select_ids(self, ids: Sequence[int]) -> None:
        """Select the articles with ``ids`` (those still shown)."""
        selection = self.view.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        first = None
        for article_id in ids:
            row = self.model.row_of(article_id)
            if row < 0:
                continue
            index = self.proxy.mapFromSource(self.model.index(row))
            if index.isValid():
                selection.select(index, flags)
                first = first or index
        if first is not None:
            selection.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.view.scrollTo(first)

    def focus_filter(self) -> None:
        """Put the cursor in the filter box."""
        self.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_box.selectAll()

    def _selection_changed(self, *_: object) -> None:
        ids = self.selected_ids()
        self.remove_action.setEnabled(bool(ids))
        self.details_action.setEnabled(len(ids) == 1)
        self.selection_changed.emit(ids)

    def _update_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.view.setVisible(not empty)
        self.empty_label.setVisible(empty)
        count = self.model.rowCount()
        self.count_label.setText(f"{count} article{'s' if count != 1 else ''}")

    # -- adding --------------------------------------------------------------

    def choose_files(self) -> None:
        """Ask for files to add."""
        paths, _ = QFileDialog.getOpenFileNames(self, "Add articles", "", FILE_FILTER)
        if paths:
            self.add_items(paths)

    def choose_folder(self) -> None:
        """Ask for a folder of articles to add."""
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of articles")
        if folder:
            self.add_items([folder])

    def ask_url(self) -> None:
        """Ask for a web address (article or feed) to add."""
        url, ok = QInputDialog.getText(self, "Add from URL", "Web page or feed address:")
        if ok and url.strip():
            self.add_items([url.strip()])

    def ask_text(self) -> None:
        """Ask for pasted text to add as an article."""
        dialog = PasteDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text().strip():
            self.add_text(dialog.text(), dialog.title() or None, *dialog.details())

    def add_items(self, items: Sequence[str]) -> Op:
        """Add files, folders or URLs on the worker, with progress and Cancel."""
        items = list(items)
        return self._start_add(lambda desk: desk.add(items), plural(len(items), "item"))

    def add_text(self, text: str, title: str | None = None, *details: str | None) -> Op:
        """Add pasted text as an article; ``details``: its date and source, when given."""
        return self._start_add(
            lambda desk: desk.add_text(text, title, *details), title or "pasted text"
        )

    def edit_details(self) -> Op | None:
        """Ask for the selected article's date and source, then save them on the worker."""
        articles = self.selected_articles()
        if len(articles) != 1:
            return None
        dialog = DetailsDialog(articles[0], self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.set_details(articles[0].id, dialog.published(), dialog.source())

    def set_details(self, article_id: int, published: str, source: str | None) -> Op:
        """Save an article's date ("" = unknown) and source, then show the change."""
        return (
            self.worker.op(
                lambda desk: desk.set_details(article_id, published, source),
                label="Saving date and source",
            )
            .on_success(lambda _article: self.refresh())
            .start()
        )

    def _start_add(self, job: Any, what: str) -> Op:
        tally = AddTally()
        op = self.worker.op(job, label="Adding articles")
        op.with_progress(lambda step: self.show_add_step(step, tally))
        op.on_success(lambda _last: self._add_ended(op, tally, cancelled=False))
        op.on_cancel(lambda: self._add_ended(op, tally, cancelled=True))
        op.on_failure(lambda _error: self._add_ended(op, tally, cancelled=False))
        self._adds.append(op)
        self.progress_label.setText(f"Waiting to add {what}…")
        self.progress.setValue(0)
        self.progress_box.show()
        return op.start()

    def show_add_step(self, step: AddProgress, tally: AddTally) -> None:
        """Show one step of an add (the input's name, the time left); counted in ``tally``."""
        total = max(step.total, 1)
        self.progress.setValue(int(1000 * min(1.0, (step.done + step.fraction) / total)))
        self.progress_label.setText(tally.line(step))
        tally.count(step)
        if step.error is None and step.article is not None and not step.duplicate:
            self.model.append(step.article)
            self._update_empty()
            self.articles_changed.emit()
            if step.same_story_as is not None:
                self.notice.emit(f"“{step.article.title}”: {step.message}")

    def _add_ended(self, op: Op, tally: AddTally, cancelled: bool) -> None:
        if op in self._adds:
            self._adds.remove(op)
        if not self._adds:
            self.progress_box.hide()
        if cancelled:
            self.refresh()  # show exactly what the library holds
        self.notice.emit(("Cancelled. " if cancelled else "") + tally.summary())
        if tally.failed:
            listing = "\n".join(f"• {line}" for line in tally.failed)
            self.problem.emit(
                "Some articles could not be added",
                f"{plural(len(tally.failed), 'item')} could not be added; the others were."
                f"\n\n{listing}",
            )

    def cancel_adds(self) -> None:
        """Cancel every add in progress or waiting."""
        for op in list(self._adds):
            op.cancel()

    def is_adding(self) -> bool:
        """True while an add runs or waits."""
        return bool(self._adds)

    # -- removing ------------------------------------------------------------

    def remove_selected(self) -> None:
        """Remove the selected articles after confirmation."""
        articles = self.selected_articles()
        if not articles or not self.confirm_remove(articles):
            return
        for article in articles:
            article_id = article.id
            self.worker.op(
                lambda desk, i=article_id: desk.remove(i), label="Removing an article"
            ).on_success(lambda _ok, i=article_id: self._removed(i)).start()

    def confirm_remove(self, articles: list[Article]) -> bool:
        """Ask whether to remove ``articles``."""
        names = "\n".join(f"• {a.title}" for a in articles[:8])
        more = f"\n…and {len(articles) - 8} more" if len(articles) > 8 else ""
        citing = self.citing_history([a.id for a in articles]) if self.citing_history else 0
        warning = (
            f"\n\n{citing} saved "
            f"{'conversation or briefing' if citing == 1 else 'conversations or briefings'} "
            "in your history "
            f"{'cites' if citing == 1 else 'cite'} {'it' if len(articles) == 1 else 'them'}. "
            "Their quotes are kept, marked “source removed”, but the reader can no "
            "longer open them."
            if citing
            else ""
        )
        what = "this article" if len(articles) == 1 else plural(len(articles), "article")
        return confirm(
            self, "Remove articles", f"Remove {what} from the library?\n\n{names}{more}{warning}"
        )

    def _removed(self, article_id: int) -> None:
        self.model.remove_id(article_id)
        self._update_empty()
        self.article_removed.emit(article_id)
        self.articles_changed.emit()
        self._selection_changed()

    # -- drag and drop -----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if dropped_items(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        items = dropped_items(event.mimeData())
        if items:
            event.acceptProposedAction()
            self.add_items(items)


def dropped_items(mime: QMimeData) -> list[str]:
    """Files and web links carried by a drop."""
    items: list[str] = []
    for url in mime.urls():
        if url.isLocalFile():
            items.append(url.toLocalFile())
        elif url.scheme() in ("http", "https"):
            items.append(url.toString())
    if not items and mime.hasText():
        text = mime.text().strip()
        if text.startswith(("http://", "https://")) and " " not in text:
            items.append(text)
    return items
