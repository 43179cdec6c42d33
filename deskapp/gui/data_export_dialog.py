"""File ▸ Export data…: customers, cases or interactions to CSV or JSON, everything or what
belongs to the cases of the queue's current view (its tab, filters and search).

The export runs on the task runner (services/data_export.py): CSV cells a spreadsheet would run
as formulas are neutralized there, a redacted customer stays redacted, and the rows go to a
temporary file that replaces the chosen one only when complete, so Cancel leaves no stub.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.export_failure import UNEXPECTED, export_failure_words
from deskapp.gui.file_choice import add_file_row, ask_save_path, file_field
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.status_line import say
from deskapp.gui.task_progress import ProgressControls, TaskCancelled
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import data_export
from deskapp.services.data_export import ExportFormat
from deskapp.services.import_sources import KINDS, Kind
from deskapp.services.queue_records import QueueQuery
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

ChooseFile = Callable[[QWidget, str], Path | None]
FILE_FILTERS = {"csv": "CSV for spreadsheets (*.csv)", "json": "JSON (*.json)"}
KIND_CHOICES = {"customers": "Customers", "cases": "Cases", "interactions": "Interactions"}


def choose_export_file(parent: QWidget, suggested: str) -> Path | None:
    chosen_filter = FILE_FILTERS["json" if suggested.endswith(".json") else "csv"]
    chosen = ask_save_path(parent, "Export data", suggested, ";;".join(FILE_FILTERS.values()),
                           chosen_filter)  # fmt: skip
    return chosen[0] if chosen else None


def view_words(view: QueueQuery | None) -> str:
    if view is None:
        return "The queue's current view (none open)"
    filters = view.filters
    narrowed = view.search or (filters is not None and any(vars(filters).values()))
    filtered = ", with its filters and search" if narrowed else ""
    return f"The cases of the queue's current &view, “{view.view.label}”{filtered}"


class DataExportDialog(QDialog):
    exported = Signal(int, str)  # how many records, and the file

    def __init__(self, runner: TaskRunner, ws: Workspace, actor: Actor,
                 view: QueueQuery | None = None, parent: QWidget | None = None, *,
                 choose_file: ChooseFile = choose_export_file) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("dataExport")
        self.setWindowTitle("Export data")
        self.setAccessibleName("Export data")
        self._runner, self._ws, self._actor, self._view = runner, ws, actor, view
        self._choose_file = choose_file
        self.kind = QComboBox(self)
        self.kind.setObjectName("exportKind")
        self.kind.setAccessibleName("What to export")
        for kind in KINDS:
            self.kind.addItem(KIND_CHOICES[kind], kind)
        self.kind.setCurrentIndex(self.kind.findData("cases"))
        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        self.format.setAccessibleName("File format")
        self.format.addItem("CSV (spreadsheets)", "csv")
        self.format.addItem("JSON", "json")
        self.everything = QRadioButton("&Everything", self)
        self.everything.setObjectName("exportEverything")
        self.everything.setChecked(True)
        self.current_view = QRadioButton(view_words(view), self)
        self.current_view.setObjectName("exportCurrentView")
        self.current_view.setEnabled(view is not None)
        self.path, self.choose = file_field(self, "export", "write", "cases.csv or cases.json")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, 0)  # the total is not known ahead: a busy bar and a count
        self.cancel = QPushButton("&Cancel export", self)
        self.cancel.setObjectName("exportCancel")
        self.task_controls = ProgressControls(self.progress, self.cancel)
        self.status = plain_label("", self, name="exportStatus", wrap=True, selectable=False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close, self
        )
        name_standard_buttons(self.buttons)
        self.export_button.setText("&Export")
        self._lay_out()
        self._connect_signals()
        self.task_controls.end()
        self._update_buttons()

    def _lay_out(self) -> None:
        intro = plain_label(
            "Writes the records to a file that Deskapp (or a spreadsheet) reads again. Cells a "
            "spreadsheet would run as formulas are made harmless; redacted customers stay "
            "redacted.", self, name="exportIntro", wrap=True, selectable=False,
        )  # fmt: skip
        choice_row = QHBoxLayout()
        for words, widget in (("&What", self.kind), ("F&ormat", self.format)):
            label = QLabel(words, self)
            label.setBuddy(widget)
            choice_row.addWidget(label)
            choice_row.addWidget(widget)
        choice_row.addStretch(1)
        file_row = QHBoxLayout()
        add_file_row(file_row, self, self.path, self.choose)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choice_row)
        layout.addWidget(self.everything)
        layout.addWidget(self.current_view)
        layout.addLayout(file_row)
        layout.addLayout(progress_row)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(640, 300)

    def _connect_signals(self) -> None:
        self.path.textChanged.connect(self._update_buttons)
        self.choose.clicked.connect(self._on_choose)
        self.cancel.clicked.connect(self.cancel_export)
        self.task_controls.advanced.connect(self._on_progress)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)

    @property
    def export_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def chosen_kind(self) -> Kind:
        return self.kind.currentData()

    def chosen_format(self) -> ExportFormat:
        return self.format.currentData()

    def _on_choose(self) -> None:
        suggested = self.path.text().strip() or f"{self.chosen_kind()}.{self.chosen_format()}"
        path = self._choose_file(self, suggested)
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(f".{self.chosen_format()}")
        elif path.suffix.lower() in (".csv", ".json"):  # the name the admin typed decides
            self.format.setCurrentIndex(self.format.findData(path.suffix.lower()[1:]))
        self.path.setText(str(path))

    @Slot()
    def _update_buttons(self) -> None:
        busy = self.task_controls.running
        self.export_button.setEnabled(bool(self.path.text().strip()) and not busy)
        for widget in (self.kind, self.format, self.everything, self.path, self.choose):
            widget.setEnabled(not busy)
        self.current_view.setEnabled(self._view is not None and not busy)

    def start_export(self) -> None:
        if not self.export_button.isEnabled():
            return
        path = Path(self.path.text().strip()).expanduser()
        ws, actor, kind, format_ = self._ws, self._actor, self.chosen_kind(), self.chosen_format()
        view = self._view if self.current_view.isChecked() else None
        task = self.task_controls.start()
        self._update_buttons()
        self._say("Writing…")
        self._runner.read(lambda: data_export.export_records(ws, actor, kind, path, format_, view,
                                                             task),
                          lambda count: self._exported(count, path), self._failed,
                          owner=self)  # fmt: skip

    @Slot(str, int, int)
    def _on_progress(self, _stage: str, done: int, _total: int) -> None:
        self._say(f"Writing… {done:,} {self.chosen_kind()} so far.")

    @Slot()
    def cancel_export(self) -> None:
        if self.task_controls.cancel():
            self._say("Cancelling…")

    def _exported(self, count: int, path: Path) -> None:
        self._finish()
        self._say(f"Exported {count:,} {self.chosen_kind()} to {path}.")
        self.exported.emit(count, str(path))

    def _failed(self, exc: Exception) -> None:
        self._finish()
        if isinstance(exc, TaskCancelled):
            self._say("Cancelled: no file was written.", error=True)
            return
        words = export_failure_words(exc)
        if words is None:
            self._runner.report_error(exc, "exporting data")
        self._say(UNEXPECTED if words is None else words, error=True)

    def _finish(self) -> None:
        self.task_controls.end()
        self._update_buttons()

    def reject(self) -> None:
        if self.task_controls.running:  # Close while writing: stop it first, the file stays as was
            self.cancel_export()
            return
        super().reject()

    def _say(self, text: str, *, error: bool = False) -> None:
        say(self.status, text, "bad" if error and text else "info")


def export_message(count: int, kind: str, path: str) -> str:
    return f"Exported {count:,} {kind} to {path}."
