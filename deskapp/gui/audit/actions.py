"""Case ▸ Audit history… (also on the case view's right-click menu) and, for leads and admins,
Team ▸ Audit log…; the main window only creates this object.

The case's history is anyone's who can see the case; the team log is refused to reps by the
service, and the menu does not offer it to them either.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from deskapp.domain.enums import Role
from deskapp.gui.audit.case_history_dialog import CaseAuditDialog
from deskapp.gui.audit.log_window import TeamAuditWindow
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.team_menu import show_menu_if_useful, team_menu
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services.history import CaseDetail
from deskapp.services.records import Actor

HISTORY_KEYS = "Ctrl+Shift+A"  # A for audit; Ctrl+Shift+H is already Hand off


class AuditActions(QObject):
    def __init__(self, runner: TaskRunner, desk: CaseDesk, workspaces: WorkspaceController,
                 case_menu: QMenu, window: QMainWindow) -> None:  # fmt: skip
        super().__init__(window)
        self._runner, self._desk, self._workspaces = runner, desk, workspaces
        self._window = window
        self.history_dialog: CaseAuditDialog | None = None
        self.log_window: TeamAuditWindow | None = None
        self.action_history = QAction("Audit &history…", window)
        self.action_history.setObjectName("actionAuditHistory")
        self.action_history.setShortcut(QKeySequence(HISTORY_KEYS))
        tip = "Who did what to this case, when and why: claims, changes, handoffs (Ctrl+Shift+A)"
        self.action_history.setToolTip(tip)
        self.action_history.setStatusTip(tip)
        window.addAction(self.action_history)  # the keys work wherever the focus is
        case_menu.addSeparator()
        case_menu.addAction(self.action_history)
        # Right-click on the case view: the same action (its own labels keep their Copy menu).
        pane = desk.case_pane
        if pane.contextMenuPolicy() == Qt.ContextMenuPolicy.DefaultContextMenu:
            pane.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        pane.addAction(self.action_history)
        self.team_menu = team_menu(window)
        self.action_log = QAction("&Audit log…", self)
        self.action_log.setObjectName("actionTeamAuditLog")
        tip = "Every claim, status change, handoff and reassignment in the team, newest first"
        self.action_log.setToolTip(tip)
        self.action_log.setStatusTip(tip)
        self.team_menu.addAction(self.action_log)
        self._on_case_shown(None)
        self._show_for(None)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.action_history.triggered.connect(self.open_history)
        self.action_log.triggered.connect(self.open_log)
        self._desk.case_shown.connect(self._on_case_shown)
        self._workspaces.opened.connect(lambda _ws: self._show_for(None))
        self._workspaces.signed_in.connect(self._show_for)

    @Slot(object)
    def _on_case_shown(self, case: CaseDetail | None) -> None:
        self.action_history.setEnabled(case is not None)

    @Slot(object)
    def _show_for(self, actor: Actor | None) -> None:
        allowed = actor is not None and actor.role.rank >= Role.LEAD.rank
        self.action_log.setVisible(allowed)
        self.action_log.setEnabled(allowed)
        show_menu_if_useful(self.team_menu)
        if self.log_window is not None:  # someone else signed in: not their log
            self.log_window.close()

    @Slot()
    def open_history(self) -> CaseAuditDialog | None:
        ws, case = self._desk.workspace, self._desk.current_case
        if ws is None or case is None:
            return None
        if self.history_dialog is not None and self.history_dialog.isVisible():
            if self.history_dialog.case_id == case.id:
                self.history_dialog.raise_()
                self.history_dialog.activateWindow()
                return self.history_dialog
            self.history_dialog.close()
        dialog = CaseAuditDialog(self._runner, ws, case.id, case.key, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _obj=None: setattr(self, "history_dialog", None))
        self.history_dialog = dialog
        dialog.open()  # window-modal: the event loop keeps running
        return dialog

    @Slot()
    def open_log(self) -> TeamAuditWindow | None:
        ws, actor = self._workspaces.workspace, self._workspaces.actor
        if ws is None or actor is None or actor.role.rank < Role.LEAD.rank:
            return None
        if self.log_window is None:
            window = TeamAuditWindow(self._runner, ws, actor, self._window)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.case_requested.connect(self._open_case)
            window.destroyed.connect(lambda _obj=None: setattr(self, "log_window", None))
            self.log_window = window
        self.log_window.show()
        self.log_window.raise_()
        self.log_window.activateWindow()
        return self.log_window

    @Slot(object)
    def _open_case(self, case_id: uuid.UUID) -> None:
        self._desk.open_case(case_id)
        self._window.raise_()
        self._window.activateWindow()
