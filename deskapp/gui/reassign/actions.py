"""Where a lead starts a reassignment: Queue ▸ Reassign… (Ctrl+Shift+R, also on the queue's
right-click menu) for the selected cases, Team ▸ Rep is out…, and ``open_reassign`` for cases
dropped on a rep of the team board. Shown to leads and admins only; the services refuse
anyone else anyway. Once cases moved, the queue and the case in view are read again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from deskapp.domain.enums import Role
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.reassign.absence_dialog import RepIsOutDialog
from deskapp.gui.reassign.moves_dialog import MovesDialog
from deskapp.gui.reassign.reassign_dialog import ReassignDialog
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.team_menu import show_menu_if_useful, team_menu
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

REASSIGN_KEYS = "Ctrl+Shift+R"
Notify = Callable[[str], None]


class ReassignActions(QObject):
    def __init__(
        self,
        runner: TaskRunner,
        desk: CaseDesk,
        workspaces: WorkspaceController,
        queue_menu: QMenu,
        window: QMainWindow,
        *,
        notify: Notify = lambda _text: None,
    ) -> None:
        super().__init__(window)
        self._runner, self._desk, self._workspaces = runner, desk, workspaces
        self._window, self._notify = window, notify
        self.dialog: MovesDialog | None = None
        self.action_reassign = QAction("&Reassign…", window)
        self.action_reassign.setObjectName("actionReassign")
        self.action_reassign.setShortcut(QKeySequence(REASSIGN_KEYS))
        self.action_reassign.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tip = "Move the selected cases to someone else or the team queue, one note per case"
        self.action_reassign.setToolTip(tip)
        self.action_reassign.setStatusTip(tip)
        self.action_rep_out = QAction("Rep is &out…", window)
        self.action_rep_out.setObjectName("actionRepIsOut")
        tip = "Move every open case of an absent colleague to the team queue or to colleagues"
        self.action_rep_out.setToolTip(tip)
        self.action_rep_out.setStatusTip(tip)
        window.addAction(self.action_reassign)  # the key works wherever the focus is
        queue_menu.addSeparator()
        queue_menu.addAction(self.action_reassign)
        self.team_menu = team_menu(window)
        self.team_menu.addAction(self.action_rep_out)
        table = desk.queue_pane.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        table.addAction(self.action_reassign)
        self._show_for(None)
        self.action_reassign.triggered.connect(self.reassign_selected)
        self.action_rep_out.triggered.connect(lambda: self.rep_is_out())
        workspaces.opened.connect(lambda _ws: self._show_for(None))
        workspaces.signed_in.connect(self._show_for)

    @Slot(object)
    def _show_for(self, actor: Actor | None) -> None:
        lead = actor is not None and actor.role.rank >= Role.LEAD.rank
        for action in (self.action_reassign, self.action_rep_out):
            action.setVisible(lead)
            action.setEnabled(lead)
        show_menu_if_useful(self.team_menu)

    # ------------------------------------------------------------------ opening
    @Slot()
    def reassign_selected(self) -> MovesDialog | None:
        case_ids = self._desk.queue_pane.selected_case_ids()
        if not case_ids:
            self._notify("Select the cases to reassign in the queue first.")
            return None
        return self.open_reassign(case_ids, None)

    @Slot(list, object)
    def open_reassign(
        self, case_ids: Sequence[uuid.UUID], to_user_id: uuid.UUID | None = None
    ) -> MovesDialog | None:
        """Preview moving ``case_ids`` (to ``to_user_id``, when the team board says whom)."""
        signed_in = self._signed_in_lead()
        if signed_in is None or not case_ids:
            return None
        ws, actor = signed_in
        return self._open(
            ReassignDialog(self._runner, ws, actor, list(case_ids), to_user_id, parent=self._window)
        )

    def rep_is_out(self, rep_id: uuid.UUID | None = None) -> MovesDialog | None:
        signed_in = self._signed_in_lead()
        if signed_in is None:
            return None
        ws, actor = signed_in
        return self._open(RepIsOutDialog(self._runner, ws, actor, rep_id, parent=self._window))

    def _signed_in_lead(self) -> tuple[Workspace, Actor] | None:
        ws, actor = self._workspaces.workspace, self._workspaces.actor
        if ws is None or actor is None:
            self._notify("Sign in first.")
            return None
        if actor.role.rank < Role.LEAD.rank:
            self._notify("Only a team lead or an admin can reassign cases. Ask your team lead.")
            return None
        return ws, actor

    def _open(self, dialog: MovesDialog) -> MovesDialog:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.close()  # one reassignment at a time; it asks before dropping notes
            if self.dialog is not None and self.dialog.isVisible():
                dialog.deleteLater()
                self.dialog.raise_()
                return self.dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.cases_moved.connect(self._on_cases_moved)
        dialog.destroyed.connect(lambda _gone=None: self._forget_dialog(dialog))
        self.dialog = dialog
        dialog.open()  # window-modal, returns at once: the event loop keeps running
        return dialog

    @Slot(list)
    def _on_cases_moved(self, case_ids: list[uuid.UUID]) -> None:
        count = len(case_ids)
        self._notify(f"{count} case{'s' if count != 1 else ''} moved.")
        self._desk.reload_view()
        current = self._desk.current_case
        if current is not None and current.id in case_ids:
            self._desk.open_case(current.id)

    def _forget_dialog(self, dialog: MovesDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
