"""The main window's Team menu (a lead's tools: the team board, reassigning, people), found or
made once, so each feature adds its actions to the same menu whichever comes first."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMenu

MENU_NAME = "menuTeam"


def team_menu(window: QMainWindow) -> QMenu:
    """The window's Team menu, made on first use before Tools (or Help) in the menu bar."""
    bar = window.menuBar()
    for action in bar.actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and menu.objectName() == MENU_NAME:
            return menu
    menu = QMenu("&Team", bar)
    menu.setObjectName(MENU_NAME)
    menu.setAccessibleName("Team menu")
    before = None
    for action in bar.actions():
        found = action.menu()
        if isinstance(found, QMenu) and found.objectName() in ("menuTools", "menuHelp"):
            before = action
            break
    if before is None:
        bar.addMenu(menu)
    else:
        bar.insertMenu(before, menu)
    return menu


def show_menu_if_useful(menu: QMenu) -> None:
    """The menu shows in the bar only while one of its actions does (a rep has none)."""
    useful = any(a.isVisible() and not a.isSeparator() for a in menu.actions())
    menu.menuAction().setVisible(useful)
