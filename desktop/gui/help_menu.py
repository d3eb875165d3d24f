"""The Help menu's actions: the keyboard shortcuts list and the About box."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from desktop.gui.shortcuts_dialog import ShortcutsDialog


class HelpActions:
    """Help → Keyboard shortcuts and About (a mixin of the main window).

    Reads the window's actions (``library``'s and its own) to list their keys.
    """

    library: Any
    ask_action: Any
    brief_action: Any
    history_action: Any
    export_action: Any
    export_conversation_action: Any
    settings_action: Any
    shortcuts_action: Any

    def show_shortcuts(self) -> None:
        """Help → Keyboard shortcuts: every action's keys, in one list."""
        dialog = ShortcutsDialog(self.shortcut_rows(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) of every action with a shortcut, then the keys of the views."""
        lib = self.library
        actions = (
            lib.add_files_action, lib.add_folder_action, lib.add_url_action, lib.paste_action,
            lib.remove_action, lib.filter_action, self.ask_action, self.brief_action,
            self.history_action, self.export_action, self.export_conversation_action,
            self.settings_action, self.shortcuts_action,
        )  # fmt: skip
        rows = [
            (a.text().replace("&", ""), ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                                                   for k in a.shortcuts()))
            for a in actions
        ]  # fmt: skip
        rows += [
            ("Open citation 1–9 of the newest answer", "Alt+1 … Alt+9"),
            ("Citations of the newest answer, then older ones", "Tab, Shift+Tab, Enter"),
            ("Generate the briefing (on the Briefing tab)", "Ctrl+Enter"),
            ("Rename / delete in the History tab", "F2 / Delete"),
            ("Quit", QKeySequence(QKeySequence.StandardKey.Quit).toString()),
        ]
        return rows

    def about(self) -> None:
        """A short About box."""
        QMessageBox.about(
            self,
            "About Newsdesk",
            "<b>Newsdesk</b><p>Ask your news articles "
            "questions and get answers that cite their paragraph. Offline.</p>",
        )
