"""Two people at two workstations on one workspace: each a real main window with its own task
runner and its own workspace, signed in with their own login (on a server, the database's)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import shiboken6

from deskapp.gui.main_window import MainWindow
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import auth
from deskapp.settings import Settings
from tests.helpers.databases import PASSWORD, login_of


@dataclass
class Client:
    who: str
    window: MainWindow
    runner: TaskRunner
    controller: WorkspaceController
    problems: list[str] = field(default_factory=list)

    def idle(self) -> None:
        assert self.runner.wait_idle(15_000)


def open_client(db, qtbot, tmp_path, who: str, runner: TaskRunner | None = None) -> Client:
    """``who``'s main window, shown and signed in."""
    runner = runner or TaskRunner()
    controller = WorkspaceController(runner)
    problems: list[str] = []
    local = db.dialect == "sqlite"
    actor = auth.sign_in(db.open(who), login_of(who)) if local else None
    window = MainWindow(runner, controller, settings=Settings.load(tmp_path / f"{who}.json"),
                        show_problem=lambda _parent, text: problems.append(text),
                        ask_identity=(lambda *_: actor) if local else None)  # fmt: skip
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    with qtbot.waitSignal(controller.signed_in, timeout=15_000):
        if local:
            controller.open(db.url)
        else:
            controller.open(db.url.set(username=login_of(who)), password=PASSWORD)
    qtbot.waitUntil(lambda: window.desk.actor is not None, timeout=15_000)
    assert runner.wait_idle(15_000)
    return Client(who, window, runner, controller, problems)


def clients(db, qtbot, tmp_path, runner: TaskRunner) -> Iterator[Callable[[str], Client]]:
    """For a fixture: ``make(who)`` opens a window; the first shares the test's runner, each
    further one has its own (another workstation). All are closed at the end."""
    opened: list[Client] = []

    def make(who: str) -> Client:
        client = open_client(db, qtbot, tmp_path, who, runner if not opened else None)
        opened.append(client)
        return client

    yield make
    for client in opened:
        if shiboken6.isValid(client.window):  # pytest-qt may have closed it already
            client.window.close()
        client.runner.wait_idle()
    for client in opened:
        if client.runner is not runner:
            client.runner.shutdown()
        client.controller.close()
