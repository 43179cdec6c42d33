"""First run: try the demo, connect to the team's server, or start a local workspace."""

from __future__ import annotations

from enum import Enum, auto
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QDialog, QWidget
from sqlalchemy import func, select

from deskapp import paths
from deskapp.db.models import Case
from deskapp.db.urls import parse_db_url
from deskapp.domain.errors import DeskappError
from deskapp.gui.forms.ui_welcome_dialog import Ui_WelcomeDialog
from deskapp.gui.task_runner import TaskRunner
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace, open_workspace

DEMO_CASES = 20_000  # big enough to feel real, built in seconds
_STAGES = {"people": "Hiring the team", "customers": "Meeting the customers",
           "cases": "Taking calls", "linking handoff notes": "Writing handoff notes",
           "done": "Ready"}  # fmt: skip


class WelcomeChoice(Enum):
    DEMO = auto()
    SERVER = auto()
    LOCAL = auto()


class _Progress(QObject):
    """Carries the demo builder's progress from the writer thread to the GUI thread."""

    advanced = Signal(str, int, int)


def demo_path() -> Path:
    return paths.demo_workspace()


def open_or_build_demo(path: Path, spec: DemoSpec, progress: _Progress | None = None) -> Workspace:
    ws = open_workspace(parse_db_url(str(path)))
    with read_session(ws) as session:
        has_cases = bool(session.scalar(select(func.count()).select_from(Case)))
    if not has_cases:
        report = (lambda stage, done, total: progress.advanced.emit(stage, done, total)) \
            if progress else None  # fmt: skip
        build_demo(ws, spec, report)
    return ws


class WelcomeDialog(QDialog):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None, *,
                 demo_cases: int = DEMO_CASES) -> None:  # fmt: skip
        super().__init__(parent)
        self.ui = Ui_WelcomeDialog()
        self.ui.setupUi(self)
        self._runner = runner
        self._demo_cases = demo_cases
        self._progress = _Progress(self)
        self.choice: WelcomeChoice | None = None
        self.workspace: Workspace | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.ui.demo.clicked.connect(self._try_demo)
        self.ui.server.clicked.connect(lambda: self._choose(WelcomeChoice.SERVER))
        self.ui.local.clicked.connect(lambda: self._choose(WelcomeChoice.LOCAL))
        self._progress.advanced.connect(self._on_progress)

    def _choose(self, choice: WelcomeChoice) -> None:
        self.choice = choice
        self.accept()

    @Slot()
    def _try_demo(self) -> None:
        for button in (self.ui.demo, self.ui.server, self.ui.local):
            button.setEnabled(False)
        self.ui.progress.setVisible(True)
        self.ui.progress.setRange(0, 0)
        self.ui.message.setText("Building the demo workspace (a few seconds, once)…")
        spec, progress, path = DemoSpec(cases=self._demo_cases), self._progress, demo_path()
        self._runner.write(lambda: open_or_build_demo(path, spec, progress), self._demo_ready,
                           self._demo_failed, owner=self)  # fmt: skip

    @Slot(str, int, int)
    def _on_progress(self, stage: str, done: int, total: int) -> None:
        self.ui.message.setText(f"{_STAGES.get(stage, stage)}…")
        if total > 1:
            self.ui.progress.setRange(0, total)
            self.ui.progress.setValue(done)

    def _demo_ready(self, ws: Workspace) -> None:
        self.workspace = ws
        self._choose(WelcomeChoice.DEMO)

    def _demo_failed(self, exc: BaseException) -> None:
        for button in (self.ui.demo, self.ui.server, self.ui.local):
            button.setEnabled(True)
        self.ui.progress.setVisible(False)
        text = str(exc) if isinstance(exc, DeskappError) else f"The demo could not be built: {exc}"
        self.ui.message.setText(text)
