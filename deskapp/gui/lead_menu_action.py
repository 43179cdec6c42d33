"""An item of the Team menu that only leads and admins see (Team board, People…), and the
window it opens brought forward: what each such feature would otherwise wire again itself.

The item hides while nobody is signed in and for a rep (the services refuse reps anyway),
follows every sign-in, and tells its owner (``shown_for``) so that a window opened for the
previous person can close: it was not the new person's.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QWidget

from deskapp.domain.enums import Role
from deskapp.gui.team_menu import show_menu_if_useful, team_menu
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace


class LeadMenuAction(QObject):
    shown_for = Signal(object)  # the Actor now signed in, or None

    def __init__(self, text: str, name: str, window: QMainWindow,
                 workspaces: WorkspaceController) -> None:  # fmt: skip
        super().__init__(window)
        self._workspaces = workspaces
        self.menu = team_menu(window)
        self.action = QAction(text, self)
        self.action.setObjectName(name)
        self.menu.addAction(self.action)
        self.show_for(None)
        workspaces.opened.connect(lambda _ws: self.show_for(None))
        workspaces.signed_in.connect(self.show_for)

    def set_tip(self, tip: str) -> None:
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)

    @Slot(object)
    def show_for(self, actor: Actor | None) -> None:
        allowed = actor is not None and actor.role.rank >= Role.LEAD.rank
        self.action.setVisible(allowed)
        self.action.setEnabled(allowed)
        show_menu_if_useful(self.menu)
        self.shown_for.emit(actor)

    def signed_in_lead(self) -> tuple[Workspace, Actor] | None:
        """The workspace and its lead or admin; None when nobody such is signed in."""
        ws, actor = self._workspaces.workspace, self._workspaces.actor
        if ws is None or actor is None or actor.role.rank < Role.LEAD.rank:
            return None
        return ws, actor


def bring_forward(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()
