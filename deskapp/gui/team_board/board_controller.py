"""TeamBoardController: what the board shows, read through the task runner.

The board reads itself again when a case changes (the queue's live-refresh signal, debounced:
a lead's batch is one read), every half minute (time alone turns a case "due soon" or
"breached", and people sign in and out without touching a case), and on F5. A reply to an
older request (another team picked meanwhile) is dropped. Rights are the service's: a rep
who somehow opens the board gets its refusal as a notice, not a crash.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from deskapp.db.engine import is_disconnect
from deskapp.domain.errors import DeskappError
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.team_board.board_view import TeamBoardView
from deskapp.services import team_board
from deskapp.services.records import Actor
from deskapp.services.team_board_records import BoardMeasure, BoardRow, TeamBoard
from deskapp.services.workspace import Workspace

REFRESH_EVERY_MS = 30_000
LIVE_DEBOUNCE_MS = 500
RECONNECTING = "Reconnecting to the server… the figures shown may be out of date."


class TeamBoardController(QObject):
    # team id; user id (UNASSIGNED: the queue, None: the whole team); BoardMeasure
    cases_requested = Signal(object, object, object)
    cases_dropped = Signal(list, object)  # case ids, the user id they were dropped on
    board_shown = Signal(object)  # TeamBoard

    def __init__(self, runner: TaskRunner, view: TeamBoardView,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._runner = runner
        self.view = view
        self._ws: Workspace | None = None
        self._actor: Actor | None = None
        self.team_id: uuid.UUID | None = None
        self.board: TeamBoard | None = None  # the board on screen
        self._ticket = 0
        self._loading = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_EVERY_MS)
        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(LIVE_DEBOUNCE_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.view.team_chosen.connect(self.choose_team)
        self.view.refresh_requested.connect(self.refresh)
        self.view.number_activated.connect(self._on_number_activated)
        self.view.cases_dropped.connect(self.cases_dropped)
        self._timer.timeout.connect(self.refresh)
        self._live.timeout.connect(self.refresh)

    # ------------------------------------------------------------------ life
    def start(self, ws: Workspace, actor: Actor) -> None:
        """Show ``actor``'s own team (an admin without one: the first team) and the picker."""
        self.stop()
        self._ws, self._actor = ws, actor
        self.team_id = actor.team_id
        self.board = None
        self._timer.start()
        ticket = self._ticket

        def show_teams(teams: list[tuple[uuid.UUID, str]]) -> None:
            if ticket != self._ticket:
                return
            known = [team_id for team_id, _name in teams]
            if self.team_id not in known:
                self.team_id = known[0] if known else None
            self.view.set_teams(teams, self.team_id)
            if self.team_id is None:
                self.view.show_notice("There is no team yet: an admin adds teams first.")
                return
            self.refresh()

        self._runner.read(lambda: team_board.board_teams(ws, actor), show_teams,
                          self._on_failed, owner=self)  # fmt: skip

    def stop(self) -> None:
        self._timer.stop()
        self._live.stop()
        self._ws = self._actor = None
        self._ticket += 1
        self._loading = self._again = False

    @property
    def running(self) -> bool:
        return self._ws is not None

    # ------------------------------------------------------------------ reading
    @Slot(object)
    def choose_team(self, team_id: uuid.UUID) -> None:
        if team_id != self.team_id:
            self.team_id = team_id
            self._ticket += 1  # the other team's reply, if on its way, is not shown
            self._loading = False
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        ws, actor, team_id = self._ws, self._actor, self.team_id
        if ws is None or actor is None or team_id is None:
            return
        if self._loading:  # one read at a time; a change meanwhile asks for one more
            self._again = True
            return
        self._loading = True
        ticket = self._ticket
        # Kudos and handoff quality change slowly and cost the most: taken from the board on
        # screen for a few minutes; with none on screen yet, the rest shows first, then them.
        previous = self.board if self.board is not None and self.board.team_id == team_id else None
        quick = previous is None

        def fetch() -> TeamBoard:
            return team_board.team_board(ws, actor, team_id, previous=previous, history=not quick)

        def show(board: TeamBoard) -> None:
            if ticket != self._ticket:
                return
            self.board = board
            if board.history_read_at is None:
                self._again = True  # now the kudos and quality figures
            self._done()
            self.view.show_board(board)
            self.board_shown.emit(board)

        def failed(exc: Exception) -> None:
            if ticket != self._ticket:
                return
            self._done()
            self._on_failed(exc)

        self._runner.read(fetch, show, failed, owner=self)

    def _done(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self._live.start()

    @Slot(object)
    def on_cases_changed(self, _case_ids: object = None) -> None:
        """Someone changed cases (the queue's live refresh): read the board again shortly."""
        if self.running:
            self._live.start()

    def _on_failed(self, exc: Exception) -> None:
        if is_disconnect(exc):
            self.view.show_notice(RECONNECTING)
        elif isinstance(exc, DeskappError):
            self.view.show_notice(str(exc))
        else:
            self._runner.report_error(exc, "reading the team board")

    # ------------------------------------------------------------------ clicks
    @Slot(object, object)
    def _on_number_activated(self, row: BoardRow, measure: BoardMeasure) -> None:
        if self.team_id is not None:
            self.cases_requested.emit(self.team_id, row.user_id, measure)
