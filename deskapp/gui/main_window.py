"""The main window: the Designer form plus wiring. Behaviour lives in the pieces it connects
(task runner, workspace controller, status indicators, and the panes of later issues)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from deskapp import APP_NAME, __version__
from deskapp.db.urls import parse_db_url
from deskapp.gui.forms.ui_main_window import Ui_MainWindow
from deskapp.gui.status_indicators import StatusIndicators
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

# Initial pane widths and heights (proportions; remembering the person's own is issue 3).
QUEUE_CASE_TOOLS = [480, 540, 380]
CASE_HISTORY = [500, 400]
CANNED_HANDOFF = [360, 540]
WORKSPACE_FILES = "Deskapp workspaces (*.sqlite *.db);;All files (*)"


def show_problem_box(parent: QWidget, text: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning, APP_NAME, text, QMessageBox.StandardButton.Ok, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what someone typed
    box.exec()


def choose_workspace_file(parent: QWidget) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open workspace", "", WORKSPACE_FILES)
    return path or None


class MainWindow(QMainWindow):
    workspace_chosen = Signal(object)  # a URL the person picked with File ▸ Open workspace…

    def __init__(
        self,
        runner: TaskRunner,
        workspaces: WorkspaceController,
        *,
        show_problem: Callable[[QWidget, str], None] = show_problem_box,
        choose_file: Callable[[QWidget], str | None] = choose_workspace_file,
    ) -> None:
        super().__init__()
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self._runner = runner
        self._workspaces = workspaces
        self._show_problem = show_problem
        self._choose_file = choose_file
        self.status = StatusIndicators(self.ui.statusBar)
        # The queue's model comes with the queue (next issue); until then its pane says what
        # will be listed there instead of showing an empty grid.
        self.ui.caseQueue.hide()
        self.ui.mainSplitter.setSizes(QUEUE_CASE_TOOLS)
        self.ui.middleSplitter.setSizes(CASE_HISTORY)
        self.ui.rightSplitter.setSizes(CANNED_HANDOFF)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._runner.failed.connect(self.show_problem)
        self._runner.reconnecting_changed.connect(self._on_reconnecting_changed)
        self._workspaces.open_started.connect(self._on_open_started)
        self._workspaces.opened.connect(self._on_workspace_opened)
        self._workspaces.open_failed.connect(self._on_open_failed)
        self._workspaces.signed_in.connect(self._on_signed_in)
        self.workspace_chosen.connect(self._workspaces.open)
        self.ui.actionOpenWorkspace.triggered.connect(self._on_open_workspace_triggered)
        self.ui.actionQuit.triggered.connect(self.close)
        self.ui.actionAbout.triggered.connect(self._on_about_triggered)

    @Slot(str)
    def show_problem(self, text: str) -> None:
        self._show_problem(self, text)

    @Slot(bool)
    def _on_reconnecting_changed(self, reconnecting: bool) -> None:
        self.status.show_reconnecting(reconnecting)

    @Slot(str)
    def _on_open_started(self, name: str) -> None:
        self.status.show_opening(name)

    @Slot(object)
    def _on_workspace_opened(self, ws: Workspace) -> None:
        self.setWindowTitle(f"{ws.name} — {APP_NAME}")
        self.status.show_workspace(ws)
        self.status.show_person(None)

    @Slot()
    def _on_open_failed(self) -> None:
        self.status.show_workspace(self._workspaces.workspace)

    @Slot(object)
    def _on_signed_in(self, actor: Actor) -> None:
        self.status.show_person(actor)

    @Slot()
    def _on_open_workspace_triggered(self) -> None:
        path = self._choose_file(self)
        if path:
            self.workspace_chosen.emit(parse_db_url(path))

    @Slot()
    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nCase queue, customer history, canned responses and "
            "structured handoff notes for customer-service teams.",
        )
