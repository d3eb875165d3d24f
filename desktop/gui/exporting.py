"""Exporting from the window: where to save (remembered folder and format), then the
export on the worker, and what it says when done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from retrieval.briefs import Briefing
from retrieval.types import Answer


class ExportActions:
    """The main window's export actions (a mixin of :class:`~desktop.gui.main_window.MainWindow`).

    Uses the window's ``tabs``, ``ask`` and ``briefing`` panels, its ``worker``,
    its ``state`` (``QSettings``: the export folder and format) and its status
    bar; sets ``last_export_notes`` after each export.
    """

    tabs: Any
    ask: Any
    briefing: Any
    worker: Any
    state: Any
    last_export_notes: list[str]

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
        from retrieval.export import suggested_file_name  # docx, fpdf: not at launch

        suffix = str(self.state.value("export/suffix", ".pdf"))
        target = self._ask_export_path(suggested_file_name(result, suffix))
        if target is not None:
            self.export_to(result, target)

    def export_results(self, results: list[Answer | Briefing], title: str) -> None:
        """Ask where to save several results (a conversation, the history) and export them."""
        if len(results) == 1:
            self.export_result(results[0])
            return
        suffix = str(self.state.value("export/suffix", ".pdf"))
        target = self._ask_export_path(f"conversation{suffix}")
        if target is not None:
            self.export_collection_to(results, title, target)

    def export_collection_to(
        self, results: list[Answer | Briefing], title: str, path: Path
    ) -> None:
        """Write several results to one file at ``path`` on the worker."""

        def job(_desk: object) -> Path:
            from retrieval.export.collection import export_collection

            return export_collection(results, path, title)

        self.worker.op(job, label="Exporting").on_success(
            lambda written: self.statusBar().showMessage(f"Exported to {written}", 10000)
        ).start()

    def _ask_export_path(self, name: str) -> Path | None:
        from retrieval.export import file_filter  # docx, fpdf: not at launch

        folder = str(self.state.value("export/folder", str(Path.home())))

        path, chosen = QFileDialog.getSaveFileName(
            self, "Export", str(Path(folder) / name), file_filter()
        )
        if not path:
            return None
        target = Path(path)
        if not target.suffix and "(*." in chosen:
            target = target.with_suffix(chosen.split("(*", 1)[1].split(")")[0].split()[0])
        self.state.setValue("export/folder", str(target.parent))
        if target.suffix:
            self.state.setValue("export/suffix", target.suffix.lower())
        return target

    def export_to(self, result: Answer | Briefing, path: Path) -> None:
        """Write ``result`` to ``path`` on the worker (format from the extension)."""

        def job(_desk: object) -> tuple[Path, list[str]]:
            from retrieval.export import export, export_notes

            return export(result, path), export_notes(result, path.suffix)

        self.worker.op(job, label="Exporting").on_success(self._exported).start()

    def _exported(self, done: tuple[Path, list[str]]) -> None:
        written, notes = done
        self.statusBar().showMessage(" ".join([f"Exported to {written}.", *notes]), 30000)
        self.last_export_notes = notes
        self.statusBar().setToolTip("\n".join(notes))
