"""The main window's actions, toolbar and menu bar."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from desktop.gui.theme import themed

CITATION_KEYS = 9
"""Alt+1 … Alt+9 open citations 1–9 of the newest answer."""


class MenuActions:
    """File, Edit, Go and Help, the toolbar and the citation keys (a mixin of the main window).

    The slots named here (``export_current``, ``show_history``, ``open_settings``,
    ``show_shortcuts``, ``about``, ``open_citation`` …) come from the window's other
    parts; the actions made here are kept on the window for them and for the
    shortcuts list.
    """

    library: Any
    ask: Any
    export_current: Any
    start_briefing: Any
    focus_question: Any
    show_history: Any
    open_settings: Any
    show_shortcuts: Any
    about: Any
    open_citation: Any

    def build_actions(self: Any) -> None:
        """Make the window's actions and put them in the toolbar and the menus."""
        self.export_action = self._action("Export…", "export", self.export_current, "Ctrl+E")
        self.export_conversation_action = self._action(
            "Export the conversation…", "export", self.ask.export_conversation, "Ctrl+Shift+E"
        )
        self.brief_action = self._action("Briefing", "briefing", self.start_briefing, "Ctrl+B")
        self.ask_action = self._action("Ask a question", "ask", self.focus_question, "Ctrl+L")
        self.history_action = self._action("History", "briefing", self.show_history, "Ctrl+H")
        self.settings_action = self._action("Settings…", "settings", self.open_settings, "Ctrl+,")
        self.shortcuts_action = QAction("Keyboard shortcuts", self)
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.citation_shortcuts = []
        for n in range(1, CITATION_KEYS + 1):
            shortcut = QShortcut(QKeySequence(f"Alt+{n}"), self)
            shortcut.activated.connect(lambda n=n: self.open_citation(n))
            self.citation_shortcuts.append(shortcut)
        self._build_toolbar()
        self._build_menus()
        self.addAction(self.library.filter_action)

    def _build_toolbar(self: Any) -> None:
        lib = self.library
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

    def _build_menus(self: Any) -> None:
        lib = self.library
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        for act in (lib.add_files_action, lib.add_folder_action, lib.add_url_action,
                    lib.paste_action):  # fmt: skip
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.export_conversation_action)
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
        go_menu.addAction(self.history_action)
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction("About Newsdesk", self.about)

    def _action(self: Any, text: str, icon_name: str, slot: Any, shortcut: str) -> QAction:
        act = themed(QAction(text, self), icon_name)
        act.setShortcut(QKeySequence(shortcut))
        act.setToolTip(f"{text} ({QKeySequence(shortcut).toString()})")
        act.triggered.connect(slot)
        return act
