"""A queue pane and its controller on a real workspace, signed in as a test person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtWidgets import QWidget

from deskapp.gui.panes.queue_pane import QueuePane
from deskapp.gui.queue_controller import QueueController
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.gui.task_runner import TaskRunner
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace
from deskapp.settings import Settings
from tests.services.handoff_helpers import db_now
from tests.services.queue_data import Made, add_cases, add_customers, mixed_cases, unassigned_cases


@dataclass
class QueueDesk:
    pane: QueuePane
    controller: QueueController
    ws: Workspace
    actor: Actor
    problems: list[str]
    asked: list[str] = field(default_factory=list)
    host: QWidget | None = None  # keeps the window (and so the pane) alive

    @property
    def model(self) -> Any:
        return self.pane.model

    def texts(self, column: str) -> list[str]:
        from deskapp.gui.panes.queue_cells import COLUMNS

        c = COLUMNS.index(column)
        return [
            self.model.index(r, c).data()
            for r in range(self.model.rowCount())
            if self.model.is_loaded(r)
        ]


def open_queue(
    qtbot: Any,
    runner: TaskRunner,
    db: Any,
    who: str = "rep",
    *,
    settings: Settings | None = None,
    answer: Callable[[str], bool] = lambda _text: False,
) -> QueueDesk:
    """The pane shown, its controller started for ``who`` on a GUI-guarded workspace."""
    ws, actor = db.sign_in(who)
    guard_gui_thread(ws.engine)
    host = QWidget()
    qtbot.addWidget(host)
    pane = QueuePane(host)
    host.resize(1200, 700)
    pane.resize(1200, 700)
    problems: list[str] = []
    runner.failed.connect(problems.append)
    asked: list[str] = []

    def ask(_parent: Any, text: str) -> bool:
        asked.append(text)
        return answer(text)

    controller = QueueController(runner, pane, host, ask_take_instead=ask)
    controller.remember_in(settings)
    host.show()
    qtbot.waitExposed(host)
    controller.start(ws, actor)
    desk = QueueDesk(pane, controller, ws, actor, problems, asked, host)
    qtbot.waitUntil(lambda: runner.is_idle, timeout=15_000)
    return desk


def seed_mine(
    db: Any, count: int, owner: str = "rep", *, first_number: int = 1, **changes: Any
) -> list[Made]:
    """``count`` open cases assigned to ``owner``, written by the admin."""
    ws, _ = db.sign_in("admin")
    _, person = db.sign_in(owner)
    now = db_now(ws)
    made = [
        replace(m, status=_open(m), assignee_id=person.user_id, **changes)
        for m in mixed_cases(count, now, [db.team_id], [person.user_id], first_number=first_number)
    ]
    add_cases(ws, made, add_customers(ws))
    return made


def seed_queue(db: Any, count: int, *, first_number: int = 1, **changes: Any) -> list[Made]:
    ws, _ = db.sign_in("admin")
    now = db_now(ws)
    made = [
        replace(m, **changes)
        for m in unassigned_cases(count, now, db.team_id, first_number=first_number)
    ]
    add_cases(ws, made, add_customers(ws))
    return made


def _open(made: Made) -> Any:
    from deskapp.domain.enums import CaseStatus

    return made.status if made.status.is_open else CaseStatus.OPEN
