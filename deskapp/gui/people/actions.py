"""Team ▸ People…, for admins (who change people here) and team leads (who see their own team,
read-only); the main window only creates this object and says how to open Team ▸ Rep is out…
for a person (``move_cases``), which a refused deactivation offers.

The window reads itself again when cases change (the queue's live refresh), so the open-case
counts follow a Rep is out… done meanwhile.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QMainWindow

from deskapp.domain.enums import Role
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.lead_menu_action import LeadMenuAction, bring_forward
from deskapp.gui.people.people_window import PeopleWindow
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services.records import Actor

MoveCases = Callable[[uuid.UUID], object]
ADMIN_TIP = "Everyone in the workspace: add people, change roles, deactivate, temporary passwords"


class PeopleActions(QObject):
    def __init__(
        self,
        runner: TaskRunner,
        desk: CaseDesk,
        workspaces: WorkspaceController,
        window: QMainWindow,
        *,
        move_cases: MoveCases,
    ) -> None:
        super().__init__(window)
        self._runner, self._workspaces, self._window = runner, workspaces, window
        self._move_cases = move_cases
        self.people_window: PeopleWindow | None = None
        self.item = LeadMenuAction("&People…", "actionPeople", window, workspaces)
        self.menu, self.action = self.item.menu, self.item.action
        self.item.shown_for.connect(self._show_for)
        self._show_for(None)
        self.action.triggered.connect(self.open_people)
        desk.queue.live.changed.connect(self._on_cases_changed)

    @Slot(object)
    def _show_for(self, actor: Actor | None) -> None:
        lead = actor is not None and actor.role is not Role.ADMIN
        self.item.set_tip("The people of your team: role, open cases, signed in" if lead
                          else ADMIN_TIP)  # fmt: skip
        if self.people_window is not None:  # someone else signed in: not their list
            self.people_window.close()

    @Slot()
    def open_people(self) -> PeopleWindow | None:
        signed_in = self.item.signed_in_lead()
        if signed_in is None:
            return None
        if self.people_window is None:
            window = PeopleWindow(self._runner, *signed_in, self._window)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.move_cases_requested.connect(self._on_move_cases_requested)
            window.destroyed.connect(lambda _gone=None: setattr(self, "people_window", None))
            self.people_window = window
        bring_forward(self.people_window)
        return self.people_window

    @Slot(object)
    def _on_move_cases_requested(self, user_id: uuid.UUID) -> None:
        self._window.raise_()
        self._window.activateWindow()
        self._move_cases(user_id)

    @Slot(object)
    def _on_cases_changed(self, _case_ids: object) -> None:
        if self.people_window is not None:
            self.people_window.cases_changed()
