"""The main window's Queue menu (Get next, Take, Find a case, Refresh) and Help ▸ Keyboard
shortcuts, kept out of main_window.py (wiring only)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from deskapp.gui.forms.ui_main_window import Ui_MainWindow
from deskapp.gui.panes.queue_pane import QueuePane
from deskapp.gui.shortcut_sheet import ShortcutSheet

SHEET_KEYS = "Ctrl+/"  # F1 is the tour (Help ▸ Tour); the sheet sits beside it


class QueueMenu(QObject):
    def __init__(self, window: QMainWindow, ui: Ui_MainWindow, pane: QueuePane) -> None:
        super().__init__(window)
        self._window = window
        self.menu = QMenu("&Queue", ui.menuBar)
        self.menu.setObjectName("menuQueue")
        self.menu.setAccessibleName("Queue menu")
        for action in (pane.action_get_next, pane.action_take):
            self.menu.addAction(action)
        self.menu.addSeparator()
        for action in (pane.action_find, pane.action_refresh):
            self.menu.addAction(action)
        ui.menuBar.insertMenu(ui.menuCase.menuAction(), self.menu)
        self.action_shortcuts = QAction("&Keyboard shortcuts", window)
        self.action_shortcuts.setObjectName("actionKeyboardShortcuts")
        self.action_shortcuts.setToolTip("Every key worth knowing, on one sheet")
        self.action_shortcuts.setShortcut(QKeySequence(SHEET_KEYS))
        ui.menuHelp.insertAction(ui.actionAbout, self.action_shortcuts)
        self.action_shortcuts.triggered.connect(self.show_sheet)
        self.sheet: ShortcutSheet | None = None

    def sections(self) -> list[tuple[str, list[QAction]]]:
        """Every menu of the window with its actions, in menu-bar order."""
        found = []
        for top in self._window.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                title = top.text().replace("&", "")
                found.append((title, [a for a in menu.actions() if not a.isSeparator()]))
        return found

    @Slot()
    def show_sheet(self) -> None:
        self.sheet = ShortcutSheet(self.sections(), self._window)
        self.sheet.open()
