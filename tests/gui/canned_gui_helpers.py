"""Shared set-up for the canned-library GUI tests: responses written through the services (as the
real people of the test database), a real main window signed in as someone, with its Responses
menu, and a guarded workspace for dialogs tested on their own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from deskapp.domain.enums import CannedScope
from deskapp.gui.canned_actions import CannedActions
from deskapp.gui.canned_picker import shared_library
from deskapp.gui.main_window import MainWindow
from deskapp.gui.panes.canned_pane import CannedPane
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services.canned import CannedInfo
from deskapp.services.canned_library import CannedDraft, create_response
from deskapp.settings import Settings


def write_response(db, who: str, scope: CannedScope, title: str, shortcut: str | None,
                   body: str, category: str = "shipping") -> CannedInfo:  # fmt: skip
    ws, actor = db.sign_in(who)
    return create_response(ws, actor, CannedDraft(scope, title, shortcut, category, (), body))


def gui_workspace_as(db, who: str):
    """A workspace as ``who`` that the GUI uses: SQL on the GUI thread fails the test."""
    ws = db.open(who)
    guard_gui_thread(ws.engine)
    return ws


@dataclass
class Desk:
    window: MainWindow
    actions: CannedActions
    pane: CannedPane
    problems: list[str]
    controller: WorkspaceController

    def titles(self) -> list[str]:
        model = self.pane.model
        return [model.response(row).title for row in range(model.rowCount())]  # type: ignore[union-attr]

    def select(self, title: str) -> CannedInfo:
        """Search the panel for ``title`` and make it the current response."""
        self.pane.search.setText(title)
        response = self.pane.current_response()
        assert response is not None and response.title == title, self.titles()
        return response


def open_desk(db, qtbot, runner, tmp_path, who: str) -> Desk:
    """The real main window, signed in as ``who``, its responses loaded."""
    _ws, actor = db.sign_in(who)
    problems: list[str] = []
    controller = WorkspaceController(runner)
    window = MainWindow(runner, controller, settings=Settings.load(tmp_path / f"{who}.json"),
                        show_problem=lambda _parent, text: problems.append(text),
                        ask_identity=lambda *_: actor)  # fmt: skip
    qtbot.addWidget(window)
    actions = window.canned_actions
    with qtbot.waitSignal(controller.signed_in, timeout=15_000):
        controller.open(db.url)
    qtbot.waitUntil(lambda: window.desk.actor is not None, timeout=15_000)
    assert runner.wait_idle(15_000)
    assert shared_library().responses is not None
    return Desk(window, actions, window.desk.canned_pane, problems, controller)


def desks(db, qtbot, runner, tmp_path) -> Iterator[Callable[[str], Desk]]:
    """For a fixture: ``make(who)`` opens a desk; all are closed at the end of the test."""
    opened: list[Desk] = []

    def make(who: str) -> Desk:
        desk = open_desk(db, qtbot, runner, tmp_path, who)
        opened.append(desk)
        return desk

    yield make
    runner.wait_idle()
    runner.shutdown()
    for desk in opened:
        desk.controller.close()
