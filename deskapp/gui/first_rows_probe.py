"""Cold-start measurement: quit once the queue's first rows are on screen (issue 9).

Set ``DESKAPP_FIRST_ROWS_PROBE`` to a login and start the app (the frozen build or
``python -m deskapp``) on a workspace: it signs in as that person on a local file (instead of
the sign-in dialog; a server signs in its own login as always), and as soon as the queue table
has painted real rows (not "Loading…" placeholders) it prints ``first queue rows painted: N
rows`` and quits with 0. tests/bench/bench_cold_start.py times that from outside, from process
start. Any problem quits with 1 and the reason on stderr: no dialog is left waiting for a click.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from deskapp.gui.panes.queue_pane import QueuePane
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import auth
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

PROBE_ENV = "DESKAPP_FIRST_ROWS_PROBE"
PROBE_TIMEOUT_MS = 120_000  # a probe must end, whatever happens
PAINTED = "first queue rows painted"


def probe_login() -> str | None:
    """The login the probe signs in as, or None when no probe was asked for."""
    return os.environ.get(PROBE_ENV) or None


class FirstRowsProbe(QObject):
    def __init__(self, app: QCoreApplication, login: str) -> None:
        super().__init__(app)
        self._app = app
        self._login = login
        self._workspaces: WorkspaceController | None = None
        self._pane: QueuePane | None = None
        self._done = False
        QTimer.singleShot(PROBE_TIMEOUT_MS, lambda: self._fail("no queue rows were painted"))

    def watch(self, workspaces: WorkspaceController, pane: QueuePane) -> None:
        self._workspaces = workspaces
        self._pane = pane
        pane.table.viewport().installEventFilter(self)

    def ask_identity(self, _parent: QWidget, runner: TaskRunner, ws: Workspace) -> Actor | None:
        """In place of the sign-in dialog: sign in as the probe's login, off the GUI thread."""
        assert self._workspaces is not None, "watch() first"
        runner.read(lambda: auth.sign_in(ws, self._login), self._workspaces.sign_in_local,
                    lambda exc: self._fail(str(exc)))  # fmt: skip
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._done and self._rows_shown():
            # The paint happens after this filter returns: report once it is on the screen.
            self._done = True
            QTimer.singleShot(0, self._report)
        return False

    def _rows_shown(self) -> bool:
        pane = self._pane
        return (
            pane is not None
            and pane.stack.currentWidget() is pane.table
            and pane.model.rowCount() > 0
            and pane.model.is_loaded(0)
        )

    def _report(self) -> None:
        assert self._pane is not None
        print(f"{PAINTED}: {self._pane.model.rowCount()} rows", flush=True)
        self._app.exit(0)

    # The window's and the error handler's ways of telling the person: here, the end.
    def fail_shown(self, _parent: QWidget, text: str) -> None:
        self._fail(text)

    def fail_unexpected(self, text: str, _log_path: object) -> None:
        self._fail(text)

    def _fail(self, text: str) -> None:
        if not self._done:
            self._done = True
            print(f"first-rows probe failed: {text}", file=sys.stderr, flush=True)
            self._app.exit(1)
