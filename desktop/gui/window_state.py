"""What the window remembers between launches: geometry, splitter sizes, the open
tab, the briefing length, the scopes and the library selection (in ``QSettings``)."""

from __future__ import annotations

from typing import Any

from desktop.gui.briefing_panel import LENGTHS


class WindowState:
    """Saving and restoring the window's layout (a mixin of the main window).

    Uses the window's ``state`` (``QSettings``), ``splitter``, ``tabs``,
    ``library``, ``briefing`` and ``ask``.
    """

    state: Any
    splitter: Any
    tabs: Any
    library: Any
    briefing: Any
    ask: Any

    def restore_state(self) -> None:
        """Restore geometry, splitter sizes and the open tab."""
        geometry = self.state.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = self.state.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self.tabs.setCurrentIndex(int(self.state.value("window/tab", 0) or 0))
        length = str(self.state.value("briefing/length", ""))
        if length in LENGTHS:
            self.briefing.length.setCurrentIndex(LENGTHS.index(length))
        for key, box in (("briefing/scope", self.briefing.scope), ("ask/scope", self.ask.scope)):
            index = box.findText(str(self.state.value(key, "")))
            if index >= 0:
                box.setCurrentIndex(index)

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
        self.state.setValue("briefing/length", LENGTHS[self.briefing.length.currentIndex()])
        self.state.setValue("briefing/scope", self.briefing.scope.currentText())
        self.state.setValue("ask/scope", self.ask.scope.currentText())
        self.state.sync()
