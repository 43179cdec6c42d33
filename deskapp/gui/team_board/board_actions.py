"""Team ▸ Team board (Ctrl+Shift+B), for leads and admins: opens the board's window and wires
it to the main window.

- A number clicked on the board opens its cases in the main window's queue, as a tab of their
  own (queue_controller.show_list), and brings the main window forward.
- The board reads itself again on the queue's live-refresh signal (someone changed a case).
- Cases dragged from the queue onto a person come out as ``cases_dropped(case_ids, user_id)``:
  the reassign dialog takes it from there.

A rep has no such menu item (the service refuses a rep anyway). The main window only creates
this object.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.lead_menu_action import LeadMenuAction, bring_forward
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.team_board.board_controller import TeamBoardController
from deskapp.gui.team_board.board_window import TeamBoardWindow
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import team_board
from deskapp.services.queue import QueueView
from deskapp.services.records import Actor
from deskapp.services.team_board_records import BoardMeasure, TeamBoard

BOARD_KEYS = "Ctrl+Shift+B"


class TeamBoardActions(QObject):
    cases_dropped = Signal(list, object)  # case ids, the user id they were dropped on

    def __init__(self, runner: TaskRunner, desk: CaseDesk, workspaces: WorkspaceController,
                 window: QMainWindow) -> None:  # fmt: skip
        super().__init__(window)
        self._runner, self._desk, self._workspaces = runner, desk, workspaces
        self._window = window
        self.board_window: TeamBoardWindow | None = None
        self.controller: TeamBoardController | None = None
        self.item = LeadMenuAction("Team &board", "actionTeamBoard", window, workspaces)
        self.menu, self.action = self.item.menu, self.item.action
        self.action.setShortcut(QKeySequence(BOARD_KEYS))
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.item.set_tip(
            "Each person's open cases, SLA risks, promises, unread handoffs and kudos"
        )
        self.item.shown_for.connect(self._show_for)
        self.action.triggered.connect(self.open_board)
        desk.queue.live.changed.connect(self._on_cases_changed)

    @Slot(object)
    def _show_for(self, _actor: Actor | None) -> None:
        if self.board_window is not None:  # someone else signed in: not their board
            self.board_window.close()

    @Slot()
    def open_board(self) -> TeamBoardWindow | None:
        signed_in = self.item.signed_in_lead()
        if signed_in is None:
            return None
        if self.board_window is None:
            self.board_window = TeamBoardWindow(self._window)
            self.controller = TeamBoardController(self._runner, self.board_window.view, self)
            self.controller.cases_requested.connect(self.show_cases)
            self.controller.cases_dropped.connect(self.cases_dropped)
            self.controller.board_shown.connect(self._on_board_shown)
            self.board_window.closed.connect(self._on_board_closed)
        assert self.controller is not None
        if not self.controller.running:
            self.controller.start(*signed_in)
        bring_forward(self.board_window)
        return self.board_window

    @Slot(object, object, object)
    def show_cases(self, team_id: uuid.UUID, user_id: uuid.UUID | None,
                   measure: BoardMeasure) -> None:  # fmt: skip
        """The cases behind a number, in the main window's queue."""
        ws, actor = self._workspaces.workspace, self._workspaces.actor
        if ws is None or actor is None:
            return
        view = QueueView.COMMITMENTS_DUE if measure is BoardMeasure.COMMITMENTS_DUE else (
            QueueView.ALL_OPEN
        )  # fmt: skip
        self._desk.queue.show_list(
            view, lambda: team_board.board_cases(ws, actor, team_id, user_id, measure)
        )
        self._window.raise_()
        self._window.activateWindow()

    @Slot(object)
    def _on_cases_changed(self, case_ids: object) -> None:
        if self.controller is not None:
            self.controller.on_cases_changed(case_ids)

    @Slot(object)
    def _on_board_shown(self, board: TeamBoard) -> None:
        if self.board_window is not None:
            self.board_window.set_team_name(board.team_name)
            self.board_window.fit_rows()

    @Slot()
    def _on_board_closed(self) -> None:
        if self.controller is not None:
            self.controller.stop()
