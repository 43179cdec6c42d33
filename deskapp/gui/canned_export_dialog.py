"""Export canned responses to a JSON or CSV file: which scopes, which file.

The file holds the responses this person can see (services/canned_transfer.export_library);
CSV cells a spreadsheet would run as formulas are neutralized there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.enums import CannedScope
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.export_failure import UNEXPECTED, export_failure_words
from deskapp.gui.file_choice import add_file_row, ask_save_path, file_field
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.status_line import say
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import canned_transfer
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

ChooseFile = Callable[[QWidget, str], Path | None]
FILE_FILTER = "JSON (*.json);;CSV for spreadsheets (*.csv)"
SCOPE_BOXES = (
    (CannedScope.PERSONAL, "&Personal (yours)", "cannedExportPersonal"),
    (CannedScope.TEAM, "&Team (your team's)", "cannedExportTeam"),
    (CannedScope.GLOBAL, "&Global (everyone's)", "cannedExportGlobal"),
)


def choose_export_file(parent: QWidget, suggested: str) -> Path | None:
    answer = ask_save_path(parent, "Export canned responses", suggested, FILE_FILTER)
    if answer is None:
        return None
    path, chosen = answer
    if not path.suffix:  # the filter the person picked decides
        path = path.with_suffix(".csv" if chosen.startswith("CSV") else ".json")
    return path


class CannedExportDialog(QDialog):
    exported = Signal(int, str)  # how many responses, and the file

    def __init__(self, runner: TaskRunner, ws: Workspace, actor: Actor,
                 parent: QWidget | None = None, *,
                 choose_file: ChooseFile = choose_export_file) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("cannedExport")
        self.setWindowTitle("Export canned responses")
        self.setAccessibleName("Export canned responses")
        self._runner, self._ws, self._actor = runner, ws, actor
        self._choose_file = choose_file
        self._busy = False
        intro = plain_label(
            "Writes the responses you can see, in the scopes you tick, to a file: JSON to "
            "import elsewhere, CSV to read in a spreadsheet.",
            self, name="cannedExportIntro", wrap=True, selectable=False,
        )  # fmt: skip
        self.scopes: dict[CannedScope, QCheckBox] = {}
        scope_row = QHBoxLayout()
        for scope, words, name in SCOPE_BOXES:
            box = QCheckBox(words, self)
            box.setObjectName(name)
            box.setChecked(True)
            self.scopes[scope] = box
            scope_row.addWidget(box)
        scope_row.addStretch(1)
        self.path, self.choose = file_field(self, "cannedExport", "write",
                                            "responses.json or responses.csv")  # fmt: skip
        self.status = plain_label("", self, name="cannedExportStatus", wrap=True,
                                  selectable=False)  # fmt: skip
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        name_standard_buttons(self.buttons)
        self.export_button.setText("&Export")
        file_row = QHBoxLayout()
        add_file_row(file_row, self, self.path, self.choose)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Scopes", self))
        layout.addLayout(scope_row)
        layout.addLayout(file_row)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(620, 220)
        for box in self.scopes.values():
            box.toggled.connect(self._update_buttons)
        self.path.textChanged.connect(self._update_buttons)
        self.choose.clicked.connect(self._on_choose)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        self._update_buttons()

    @property
    def export_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def chosen_scopes(self) -> list[CannedScope]:
        return [scope for scope, box in self.scopes.items() if box.isChecked()]

    def _on_choose(self) -> None:
        path = self._choose_file(self, self.path.text().strip() or "canned-responses.json")
        if path is not None:
            self.path.setText(str(path))

    def _update_buttons(self) -> None:
        ready = bool(self.chosen_scopes()) and bool(self.path.text().strip())
        self.export_button.setEnabled(ready and not self._busy)
        if not self.chosen_scopes():
            self._say("Tick at least one scope to export.")
        elif self.status.text().startswith("Tick"):
            self._say("")

    def start_export(self) -> None:
        if not self.export_button.isEnabled():
            return
        path = Path(self.path.text().strip()).expanduser()
        ws, actor, scopes = self._ws, self._actor, self.chosen_scopes()
        self._busy = True
        self._update_buttons()
        self._say("Writing…")
        self._runner.read(lambda: canned_transfer.export_library(ws, actor, path, scopes=scopes),
                          lambda count: self._exported(count, path), self._failed,
                          owner=self)  # fmt: skip

    def _exported(self, count: int, path: Path) -> None:
        self._busy = False
        self.exported.emit(count, str(path))
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        self._update_buttons()
        words = export_failure_words(exc)
        if words is None:
            self._runner.report_error(exc, "exporting canned responses")
        self._say(UNEXPECTED if words is None else words, error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        say(self.status, text, "bad" if error and text else "info")


def export_message(count: int, path: str) -> str:
    return f"Exported {count} response{'s' * (count != 1)} to {path}."
