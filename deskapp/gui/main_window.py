"""The main window: the Designer form plus wiring. Behaviour lives in the pieces it connects
(task runner, workspace controller, case desk, status indicators, dialogs)."""

from __future__ import annotations

import base64
from collections.abc import Callable

from PySide6.QtCore import QByteArray, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QWidget

from deskapp import APP_NAME, __version__
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.dialogs.connect_dialog import ConnectDialog
from deskapp.gui.dialogs.identity_dialog import IdentityDialog
from deskapp.gui.dialogs.password_dialog import PasswordDialog
from deskapp.gui.forms.ui_main_window import Ui_MainWindow
from deskapp.gui.handoff.actions import HandoffActions
from deskapp.gui.handoff.end_of_shift import EndOfShiftAction
from deskapp.gui.status_indicators import StatusIndicators
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace
from deskapp.settings import PANE_SIZES, WINDOW_GEOMETRY, Settings

# Initial pane widths and heights, until the person arranges their own (then remembered).
QUEUE_CASE_TOOLS = [640, 440, 320]
CASE_HISTORY = [260, 640]
CANNED_HANDOFF = [420, 480]

AskIdentity = Callable[[QWidget, TaskRunner, Workspace], Actor | None]
AskConnection = Callable[[QWidget, TaskRunner, Settings], Workspace | None]


def show_problem_box(parent: QWidget, text: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning, APP_NAME, text, QMessageBox.StandardButton.Ok, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what someone typed
    box.exec()


def ask_identity_dialog(parent: QWidget, runner: TaskRunner, ws: Workspace) -> Actor | None:
    dialog = IdentityDialog(runner, ws, parent)
    return dialog.actor if dialog.exec() == IdentityDialog.DialogCode.Accepted else None


def ask_connection_dialog(parent: QWidget, runner: TaskRunner,
                          settings: Settings) -> Workspace | None:  # fmt: skip
    dialog = ConnectDialog(runner, settings, parent)
    if dialog.exec() == ConnectDialog.DialogCode.Accepted and dialog.result_connection:
        return dialog.result_connection.workspace
    return None


class MainWindow(QMainWindow):
    workspace_adopted = Signal(object)  # a Workspace opened through File ▸ Open workspace…

    def __init__(
        self,
        runner: TaskRunner,
        workspaces: WorkspaceController,
        *,
        settings: Settings | None = None,
        show_problem: Callable[[QWidget, str], None] = show_problem_box,
        ask_identity: AskIdentity | None = ask_identity_dialog,
        ask_connection: AskConnection = ask_connection_dialog,
    ) -> None:
        super().__init__()
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self._runner = runner
        self._workspaces = workspaces
        self._settings = settings
        self._show_problem = show_problem
        self._ask_identity = ask_identity  # None: nobody to ask (the smoke test)
        self._ask_connection = ask_connection
        self.status = StatusIndicators(self.ui.statusBar)
        self.desk = CaseDesk(runner, self.ui, self)
        self.handoffs = HandoffActions(runner, self.desk, self.ui.actionHandOff, self,
                                       settings=settings, notify=self._notify)  # fmt: skip
        self.end_of_shift = EndOfShiftAction(runner, self.desk, self.ui.actionEndOfShift, self,
                                             settings=settings, notify=self._notify)  # fmt: skip
        self.ui.mainSplitter.setSizes(QUEUE_CASE_TOOLS)
        self.ui.middleSplitter.setSizes(CASE_HISTORY)
        self.ui.rightSplitter.setSizes(CANNED_HANDOFF)
        self._restore_layout()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._runner.failed.connect(self.show_problem)
        self._runner.reconnecting_changed.connect(self._on_reconnecting_changed)
        self._workspaces.open_started.connect(self._on_open_started)
        self._workspaces.opened.connect(self._on_workspace_opened)
        self._workspaces.open_failed.connect(self._on_open_failed)
        self._workspaces.signed_in.connect(self._on_signed_in)
        self.workspace_adopted.connect(self._workspaces.adopt)
        self.ui.actionOpenWorkspace.triggered.connect(self._on_open_workspace_triggered)
        self.ui.actionChangePassword.triggered.connect(self._on_change_password_triggered)
        self.ui.actionQuit.triggered.connect(self.close)
        self.desk.inbox.problem.connect(self.show_problem)
        self.ui.actionAbout.triggered.connect(self._on_about_triggered)

    @Slot(str)
    def show_problem(self, text: str) -> None:
        self._show_problem(self, text)

    def _notify(self, text: str) -> None:
        self.ui.statusBar.showMessage(text, 10_000)

    @Slot(bool)
    def _on_reconnecting_changed(self, reconnecting: bool) -> None:
        self.status.show_reconnecting(reconnecting)

    @Slot(str)
    def _on_open_started(self, name: str) -> None:
        self.status.show_opening(name)

    @Slot(object)
    def _on_workspace_opened(self, ws: Workspace) -> None:
        self.desk.stop()
        self.ui.actionChangePassword.setEnabled(False)
        self.setWindowTitle(f"{ws.name} — {APP_NAME}")
        self.status.show_workspace(ws)
        self.status.show_person(None)
        if not ws.is_server and self._ask_identity is not None:
            actor = self._ask_identity(self, self._runner, ws)
            if actor is not None:
                self._workspaces.sign_in_local(actor)

    @Slot()
    def _on_open_failed(self) -> None:
        self.status.show_workspace(self._workspaces.workspace)

    @Slot(object)
    def _on_signed_in(self, actor: Actor) -> None:
        self.status.show_person(actor)
        ws = self._workspaces.workspace
        if ws is not None:
            self.desk.start(ws, actor)
            self.ui.actionChangePassword.setEnabled(ws.is_server)

    @Slot()
    def _on_change_password_triggered(self) -> None:
        ws, actor = self._workspaces.workspace, self._workspaces.actor
        if ws is not None and actor is not None:
            PasswordDialog(self._runner, ws, actor, self).exec()

    @Slot()
    def _on_open_workspace_triggered(self) -> None:
        if self._settings is None:
            return
        ws = self._ask_connection(self, self._runner, self._settings)
        if ws is not None:
            self.workspace_adopted.emit(ws)

    @Slot()
    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nCase queue, customer history, canned responses and "
            "structured handoff notes for customer-service teams.",
        )

    # ------------------------------------------------------------------ remembered layout
    def _splitters(self) -> tuple[QSplitter, ...]:
        return (self.ui.mainSplitter, self.ui.middleSplitter, self.ui.rightSplitter)

    def _restore_layout(self) -> None:
        if self._settings is None:
            return
        geometry = self._settings.get(WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
        states = self._settings.get(PANE_SIZES).split(",")
        for splitter, state in zip(self._splitters(), states, strict=False):
            if state:
                splitter.restoreState(QByteArray(base64.b64decode(state)))

    def save_layout(self) -> None:
        if self._settings is None:
            return
        self._settings.set(WINDOW_GEOMETRY, base64.b64encode(self.saveGeometry().data()).decode())
        self._settings.set(PANE_SIZES, ",".join(
            base64.b64encode(s.saveState().data()).decode() for s in self._splitters()
        ))  # fmt: skip
        self._settings.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
