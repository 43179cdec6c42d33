"""File ▸ Import data…: customers, cases or interactions from a CSV, Zendesk or Freshdesk file.

The admin chooses what the file holds and the file (its format is guessed, and can be
changed); for a CSV, which column gives each field. Every change previews the file again on
the task runner: the first rows and what each would become, and every rejected row with its
line, column and reason. Import writes the whole file in one transaction, or nothing while any
row is rejected; "Import only the N valid rows" leaves the rejected ones out. Cancel while it
runs rolls the transaction back (services/data_import.py), so nothing is ever half-written.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.errors import DeskappError
from deskapp.gui.data_import_models import ProblemsModel, SampleRowsModel
from deskapp.gui.data_mapping_editor import ColumnMappingEditor
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.file_choice import add_file_row, ask_open_path, file_field
from deskapp.gui.panes.plain import plain_label, preview_line
from deskapp.gui.report_table import TextRowsModel, report_table_view
from deskapp.gui.status_line import say
from deskapp.gui.task_progress import ProgressControls, TaskProgress
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import data_import, import_mappings
from deskapp.services.data_import import ImportReport, ImportRequest
from deskapp.services.import_sources import KINDS, Kind, SourceFormat
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

ChooseFile = Callable[[QWidget], Path | None]
FILE_FILTER = ("Import files (*.csv *.json *.ndjson *.jsonl *.txt *.tsv);;CSV (*.csv);;"
               "Zendesk JSON (*.json *.ndjson *.jsonl);;All files (*)")  # fmt: skip
KIND_CHOICES = {"customers": "Customers", "cases": "Cases", "interactions": "Interactions"}
FORMAT_CHOICES: dict[SourceFormat, str] = {"csv": "CSV", "zendesk": "Zendesk (JSON export)",
                                           "freshdesk": "Freshdesk (CSV export)"}  # fmt: skip
STAGE_WORDS = {
    "rows": "Rows read",
    "rebuilding indexes": "Rebuilding the indexes",
    "search index": "Updating the search index",
}


def choose_import_file(parent: QWidget) -> Path | None:
    return ask_open_path(parent, "Import data", FILE_FILTER)


def valid_rows(report: ImportReport) -> int:
    """What "Import only the valid rows" would take: every record not rejected."""
    return report.new + report.existing


def _breakdown(report: ImportReport, new_words: str) -> str:
    if len(report.counts) < 2:
        return ""
    parts = [f"{kind} {count.new:,} {new_words}" for kind, count in report.counts.items()]
    return f" ({'; '.join(parts)})"


def preview_summary(report: ImportReport) -> tuple[str, bool]:
    """The preview in a sentence or three, and whether it is good news."""
    if report.file_problems:
        return "This file cannot be imported: " + " ".join(report.file_problems), False
    if report.rows == 0:
        return "The file holds no rows: there is nothing to import.", False
    head = (f"{report.rows:,} row(s) read: {report.new:,} new{_breakdown(report, 'new')}, "
            f"{report.existing:,} already imported")  # fmt: skip
    listed = ""
    if report.problem_count > len(report.problems):
        listed = f" The report lists the first {len(report.problems):,} of "
        listed += f"{report.problem_count:,} problems."
    if report.rejected:
        return (f"{head}, {report.rejected:,} rejected. Nothing is written while any row is "
                "rejected: fix the file and choose it again, or import only the "
                f"{valid_rows(report):,} valid rows.{listed}"), False  # fmt: skip
    return f"{head}. Import writes them all at once, or nothing.", True


def final_summary(report: ImportReport, valid_only: bool) -> tuple[str, bool]:
    """What happened, once the import ran."""
    verdict = report.verdict(valid_only)
    if verdict:
        return verdict, False
    skipped = f"{report.existing:,} skipped as already imported"
    if not report.written:
        return f"Nothing new to import: {skipped}.", True
    rejected = f", {report.rejected:,} rejected and left out" if report.rejected else ""
    created = f"{report.new:,} created{_breakdown(report, 'created')}"
    return f"Imported from {Path(report.source).name}: {created}, {skipped}{rejected}.", True


class DataImportDialog(QDialog):
    imported = Signal(object)  # the ImportReport of an import that wrote something

    def __init__(self, runner: TaskRunner, ws: Workspace, actor: Actor,
                 parent: QWidget | None = None, *,
                 choose_file: ChooseFile = choose_import_file) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("dataImport")
        self.setWindowTitle("Import data")
        self.setAccessibleName("Import data")
        self._runner, self._ws, self._actor = runner, ws, actor
        self._choose_file = choose_file
        self._path: Path | None = None
        self._format: SourceFormat | None = None  # None: guessed from the file
        self._mapping: dict[str, str] | None = None  # None: the saved one, else by name
        self._tickets = itertools.count(1)
        self._latest = 0
        self._importing = False
        self.report: ImportReport | None = None  # the preview on screen
        self.outcome: ImportReport | None = None  # the import, once it ran
        self._build()
        self._connect_signals()
        self._update_buttons()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.kind = QComboBox(self)
        self.kind.setObjectName("importKind")
        self.kind.setAccessibleName("What the file holds")
        for kind in KINDS:
            self.kind.addItem(KIND_CHOICES[kind], kind)
        self.format = QComboBox(self)
        self.format.setObjectName("importFormat")
        self.format.setAccessibleName("The file's format")
        for key, words in FORMAT_CHOICES.items():
            self.format.addItem(words, key)
        self.path, self.choose = file_field(
            self,
            "import",
            "import",
            "Choose a CSV file, a Zendesk or a Freshdesk export…",
            read_only=True,
        )
        self.day_first = QComboBox(self)
        self.day_first.setObjectName("importDayFirst")
        self.day_first.setAccessibleName("How dates like 01/02/2024 are read")
        self.day_first.addItem("month first: 01/02 is January 2", False)
        self.day_first.addItem("day first: 01/02 is 1 February", True)
        self.source = QLineEdit("csv", self)
        self.source.setObjectName("importSource")
        self.source.setAccessibleName("The old system's name")
        self.source.setMaxLength(40)
        self.source.setToolTip("Rows already imported from this system are skipped, by their ids")
        self.file_facts = plain_label("", self, name="importFileFacts", selectable=False)
        self.summary = plain_label("Choose what the file holds, and the file.", self,
                                   name="importSummary", wrap=True, selectable=True)  # fmt: skip
        self.mapping = ColumnMappingEditor(self)
        self.mapping.show_no_mapping("Choose a file: the columns of a CSV file show here.")
        self.sample_model = SampleRowsModel(self)
        self.sample_table = self._table("importSample", "The first rows and what each becomes",
                                        self.sample_model, stretch=3)  # fmt: skip
        self.problems_model = ProblemsModel(self)
        self.problems_table = self._table("importProblems", "Rejected rows: line, column, reason",
                                          self.problems_model, stretch=2)  # fmt: skip
        self.problem_detail = plain_label("", self, name="importProblemDetail", wrap=True)
        self.notes = plain_label("", self, name="importNotes", wrap=True)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("importProgress")
        self.progress.setAccessibleName("Import progress")
        self.progress_label = plain_label("", self, name="importProgressLabel", selectable=False)
        self.cancel = QPushButton("&Cancel", self)
        self.cancel.setObjectName("importCancel")
        self.cancel.setAccessibleName("Cancel: nothing is written")
        # the preview or import running now
        self.task_controls = ProgressControls(self.progress, self.cancel, self.progress_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        name_standard_buttons(self.buttons)
        role = QDialogButtonBox.ButtonRole
        self.import_button = self.buttons.addButton("&Import", role.AcceptRole)
        self.import_button.setObjectName("importAll")
        self.import_button.setToolTip("Import every row in one go, or nothing")
        self.valid_button = self.buttons.addButton("Import only the &valid rows", role.ActionRole)
        self.valid_button.setObjectName("importValidOnly")
        self.valid_button.setToolTip("Leave the rejected rows out and import the rest")

        choice_row = QHBoxLayout()
        for words, widget in (("&What", self.kind), ("F&ormat", self.format)):
            label = QLabel(words, self)
            label.setBuddy(widget)
            choice_row.addWidget(label)
            choice_row.addWidget(widget)
        add_file_row(choice_row, self, self.path, self.choose)
        options_row = QHBoxLayout()
        options: tuple[tuple[str, QWidget], ...] = (("&Dates", self.day_first),
                                                    ("Old &system", self.source))  # fmt: skip
        for words, option in options:
            label = QLabel(words, self)
            label.setBuddy(option)
            options_row.addWidget(label)
            options_row.addWidget(option)
        options_row.addWidget(self.file_facts, 1)
        mapping_box = QGroupBox("Columns", self)
        QVBoxLayout(mapping_box).addWidget(self.mapping)
        tables = QSplitter(Qt.Orientation.Vertical, self)
        tables.addWidget(self._titled("First rows", self.sample_table))
        tables.addWidget(self._titled("Rejected rows", self.problems_table, self.problem_detail))
        tables.setSizes([280, 240])
        middle = QSplitter(Qt.Orientation.Horizontal, self)
        middle.setObjectName("importSplitter")
        middle.addWidget(mapping_box)
        middle.addWidget(tables)
        middle.setSizes([420, 700])
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(choice_row)
        layout.addLayout(options_row)
        layout.addWidget(self.summary)
        layout.addWidget(middle, 1)
        layout.addWidget(self.notes)
        layout.addLayout(progress_row)
        layout.addWidget(self.buttons)
        self.resize(1120, 720)

    def _table(self, name: str, accessible: str, model: TextRowsModel, stretch: int) -> QTableView:
        table = report_table_view(self, name, accessible, model)
        table.setWordWrap(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(0, 60)
        table.setColumnWidth(1, 130 if stretch == 3 else 150)
        table.setColumnWidth(2, 120)
        return table

    def _titled(self, title: str, widget: QWidget, under: QWidget | None = None) -> QWidget:
        holder = QWidget(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(title, holder)
        heading.setBuddy(widget)
        box.addWidget(heading)
        box.addWidget(widget, 1)
        if under is not None:
            box.addWidget(under)
        return holder

    def _connect_signals(self) -> None:
        self.choose.clicked.connect(self._on_choose)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.format.activated.connect(self._on_format_chosen)
        self.mapping.mapping_edited.connect(self._on_mapping_edited)
        self.import_button.clicked.connect(lambda: self.start_import(valid_only=False))
        self.valid_button.clicked.connect(lambda: self.start_import(valid_only=True))
        self.cancel.clicked.connect(self.cancel_task)
        self.task_controls.advanced.connect(self._on_progress)
        self.day_first.currentIndexChanged.connect(lambda _i: self.preview_again())
        self.source.editingFinished.connect(self._on_source_edited)
        self.problems_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_problem(current.row())
        )
        self.buttons.rejected.connect(self.reject)

    # ------------------------------------------------------------------ choices
    def chosen_kind(self) -> Kind:
        return self.kind.currentData()

    def _on_choose(self) -> None:
        path = self._choose_file(self)
        if path is not None:
            self.load(path)

    def load(self, path: Path, kind: Kind | None = None) -> None:
        """Preview ``path`` (the file chooser calls this; tests and scripts call it directly)."""
        if kind is not None:
            self.kind.blockSignals(True)
            self.kind.setCurrentIndex(self.kind.findData(kind))
            self.kind.blockSignals(False)
        self._path, self._format, self._mapping = path, None, None
        self.path.setText(str(path))
        self.preview_again()

    @Slot(int)
    def _on_kind_changed(self, _index: int) -> None:
        self._mapping = None  # another kind has other fields: its saved mapping, or a guess
        self.preview_again()

    @Slot(int)
    def _on_format_chosen(self, _index: int) -> None:
        self._format = self.format.currentData()
        self._mapping = None
        self.preview_again()

    @Slot()
    def _on_mapping_edited(self) -> None:
        self._mapping = self.mapping.mapping()
        self.preview_again()

    # ------------------------------------------------------------------ previewing
    def _request(self, fmt: SourceFormat | None, mapping: dict[str, str] | None,
                 valid_only: bool = False) -> ImportRequest:  # fmt: skip
        assert self._path is not None
        return ImportRequest(self.chosen_kind(), self._path, fmt, mapping,
                             source=self.source.text().strip() or "csv", valid_only=valid_only,
                             day_first=bool(self.day_first.currentData()))  # fmt: skip

    @Slot()
    def _on_source_edited(self) -> None:
        if self.report is not None and self.source.isModified():
            self.source.setModified(False)
            self.preview_again()  # another system: other rows count as already imported

    def _show_problem(self, row: int) -> None:
        shown = self.problems_model.row_text(row)
        if shown is None:
            self.problem_detail.clear()
            return
        line, column, _short = shown
        reason = self.report.problems[row].reason if self.report else _short
        parts = (f"Line {line}" if line else "", f"column {column}" if column else "")
        where = ", ".join(part for part in parts if part)
        self.problem_detail.setText(f"{where}: {reason}" if where else reason)

    def preview_again(self) -> None:
        if self._path is None or self._importing:
            return
        self._stop_task()
        ws, actor = self._ws, self._actor
        request = self._request(self._format, self._mapping)
        ticket = self._latest = next(self._tickets)
        self.report = self.outcome = None
        self.sample_model.show(None)
        self.problems_model.show(None)
        self.notes.clear()
        self.file_facts.clear()
        self._say("Reading the file…")
        task = self._start_task()

        def work() -> ImportReport:
            saved = import_mappings.saved_mapping(ws, request.kind)
            return data_import.preview_import(ws, actor, request, task, saved)

        self._runner.read(work, lambda report: self._show_preview(ticket, report),
                          lambda exc: self._failed(ticket, exc), owner=self)  # fmt: skip
        self._update_buttons()

    def _show_preview(self, ticket: int, report: ImportReport) -> None:
        if ticket != self._latest:
            return  # a newer choice was previewed meanwhile
        self._end_task()
        self.report = report
        self._show_file(report)
        self.sample_model.show(report)
        self.problems_model.show(report)
        if report.problems:
            self.problems_table.selectRow(0)
        else:
            self.problem_detail.clear()
        text, good = preview_summary(report)
        self._say(text, "good" if good else "bad")
        self.valid_button.setText(f"Import only the {valid_rows(report):,} &valid rows")
        self._update_buttons()

    def _show_file(self, report: ImportReport) -> None:
        if report.format is not None:
            self.format.setCurrentIndex(self.format.findData(report.format))
        facts = [FORMAT_CHOICES.get(report.format, "") if report.format else "",
                 report.encoding or "",
                 f"delimiter “{report.delimiter}”" if report.delimiter else ""]  # fmt: skip
        self.file_facts.setText("Read as " + ", ".join(f for f in facts if f) if any(facts) else "")
        if report.format == "csv" and report.columns:
            self.mapping.show_mapping(self.chosen_kind(), report.columns, report.mapping)
        elif report.format in ("zendesk", "freshdesk"):
            self.mapping.show_no_mapping(
                f"{FORMAT_CHOICES[report.format]} names its own fields: no mapping to choose. "
                "Requesters, tickets and comments are imported together as customers, cases "
                "and interactions."
            )  # fmt: skip
        else:
            self.mapping.show_no_mapping("The file's columns show here once it can be read.")
        notes = [preview_line(note, 300) for note in report.notes[:5]]
        if len(report.notes) > 5:
            notes.append(f"… and {len(report.notes) - 5:,} more notes.")
        self.notes.setText("\n".join(notes))

    # ------------------------------------------------------------------ importing
    def start_import(self, *, valid_only: bool) -> None:
        button = self.valid_button if valid_only else self.import_button
        report = self.report
        if report is None or not button.isEnabled():
            return
        assert self._path is not None
        # What was previewed is what is imported: the columns the preview used, not a new guess.
        mapping = dict(report.mapping) if report.format == "csv" else None
        request = self._request(report.format, mapping, valid_only)
        ws, actor = self._ws, self._actor
        ticket = self._latest = next(self._tickets)
        self._importing = True
        self._say("Importing… Cancel undoes everything written so far.")
        task = self._start_task()

        def work() -> ImportReport:
            done = data_import.run_import(ws, actor, request, task)
            if done.written and done.format == "csv":
                import_mappings.save_mapping(ws, actor, request.kind, done.mapping)
            return done

        self._runner.write(work, lambda done: self._imported(ticket, done, valid_only),
                           lambda exc: self._failed(ticket, exc), owner=self)  # fmt: skip
        self._update_buttons()

    def _imported(self, ticket: int, report: ImportReport, valid_only: bool) -> None:
        if ticket != self._latest:
            return
        self._importing = False
        self._end_task()
        self.outcome = report
        text, good = final_summary(report, valid_only)
        self._say(text, "good" if good else "bad")
        if report.problems:  # rows rejected since the preview: the report is the new truth
            self.problems_model.show(report)
        self._update_buttons()
        if report.written:
            self.imported.emit(report)

    def _failed(self, ticket: int, exc: Exception) -> None:
        if ticket != self._latest:
            return  # an older preview, cancelled because a newer one replaced it
        self._importing = False
        self._end_task()
        self._update_buttons()
        if isinstance(exc, DeskappError):  # TaskCancelled included: it says nothing was written
            self._say(str(exc), "bad")
        else:
            self._runner.report_error(exc, "importing data")
            self._say("Nothing was imported because of an unexpected error.", "bad")

    # ------------------------------------------------------------------ running
    def _start_task(self) -> TaskProgress:
        self.progress_label.setText("Reading…")
        return self.task_controls.start()

    def _end_task(self) -> None:
        self.task_controls.end()

    def _stop_task(self) -> None:
        self.task_controls.stop()  # an older preview: its result would be dropped anyway

    @Slot(str, int, int)
    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        words = STAGE_WORDS.get(stage, stage.capitalize())
        self.progress_label.setText(f"{words}: {done:,}" + (f" of {total:,}" if total else ""))

    @Slot()
    def cancel_task(self) -> None:
        if self.task_controls.cancel():
            self.progress_label.setText("Cancelling…")

    def reject(self) -> None:
        if self._importing:  # Close or Escape while writing: undo first, then close
            self.cancel_task()
            return
        self._stop_task()
        super().reject()

    def _update_buttons(self) -> None:
        report, busy = self.report, self.task_controls.running
        readable = report is not None and not report.file_problems and report.rows > 0
        done = self.outcome is not None
        self.import_button.setEnabled(
            readable and report is not None and report.rejected == 0 and not busy and not done
        )
        self.valid_button.setVisible(readable and report is not None and report.rejected > 0)
        self.valid_button.setEnabled(
            readable and report is not None and valid_rows(report) > 0 and not busy and not done
        )
        for widget in (self.kind, self.format, self.choose, self.mapping, self.day_first,
                       self.source):  # fmt: skip
            widget.setEnabled(not self._importing)
        if not busy:
            self._end_task()

    def _say(self, text: str, tone: str = "info") -> None:
        say(self.summary, text, tone)
