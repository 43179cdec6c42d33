"""Import canned responses from a JSON or CSV file: choose the file, see what each row would
do (new, update, unchanged, or rejected and why), then import it all at once.

Nothing is ever partly imported (services/canned_transfer.py): while any row is rejected, Import
stays off and the summary says so, so the person fixes the file and previews it again instead of
hunting for which half went in. File contents are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.enums import CannedScope
from deskapp.domain.errors import DeskappError
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.file_choice import add_file_row, ask_open_path, file_field
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.report_table import TextRowsModel, report_table_view
from deskapp.gui.status_line import say
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import canned_transfer
from deskapp.services.canned_drafts import editable_scopes
from deskapp.services.canned_transfer import ImportPreview, ImportResult
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

ChooseFile = Callable[[QWidget], Path | None]
FILE_FILTER = "Canned responses (*.json *.csv);;JSON (*.json);;CSV (*.csv)"
OUTCOME_WORDS = {"new": "New", "update": "Update", "unchanged": "Unchanged",
                 "rejected": "Rejected"}  # fmt: skip
SCOPE_WORDS = {CannedScope.PERSONAL: "Personal (yours)", CannedScope.TEAM: "Team (your team's)",
               CannedScope.GLOBAL: "Global (everyone's)"}  # fmt: skip


def choose_import_file(parent: QWidget) -> Path | None:
    return ask_open_path(parent, "Import canned responses", FILE_FILTER)


def summary(preview: ImportPreview) -> tuple[str, bool]:
    """The preview in one or two sentences, and whether it is good news."""
    if preview.file_problems:
        return "Nothing can be imported: " + " ".join(preview.file_problems), False
    counts = [(preview.count("new"), "new"), (preview.count("update"), "to update"),
              (preview.count("unchanged"), "unchanged"),
              (preview.count("rejected"), "rejected")]  # fmt: skip
    listed = ", ".join(f"{n} {words}" for n, words in counts if n)
    total = len(preview.rows)
    head = f"{total} row{'s' * (total != 1)}: {listed}."
    if preview.count("rejected"):
        return (f"{head} Nothing partially imported: fix the rejected rows in the file and "
                "try again."), False  # fmt: skip
    if not preview.count("new") and not preview.count("update"):
        return f"{head} Every row is already in the library: there is nothing to import.", True
    return f"{head} Import writes them all at once.", True


class ImportPreviewModel(TextRowsModel):
    """The preview's rows as text, formatted once when the preview arrives."""

    HEADERS = ("Row", "Title", "Outcome", "Reason")

    def set_preview(self, preview: ImportPreview | None) -> None:
        rows = preview.rows if preview else ()
        self.set_rows([(str(r.number), r.title, OUTCOME_WORDS[r.outcome], "; ".join(r.reasons))
                       for r in rows], [r.outcome == "rejected" for r in rows])  # fmt: skip


class CannedImportDialog(QDialog):
    imported = Signal(object, str)  # the ImportResult, and the file it came from

    def __init__(self, runner: TaskRunner, ws: Workspace, actor: Actor,
                 parent: QWidget | None = None, *,
                 choose_file: ChooseFile = choose_import_file) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("cannedImport")
        self.setWindowTitle("Import canned responses")
        self.setAccessibleName("Import canned responses")
        self._runner, self._ws, self._actor = runner, ws, actor
        self._choose_file = choose_file
        self._path: Path | None = None
        self.preview: ImportPreview | None = None
        self._busy = False
        self._build()
        self._connect_signals()
        self._update_buttons()

    def _build(self) -> None:
        self.path, self.choose = file_field(
            self, "cannedImport", "import", "Choose a JSON or CSV file…", read_only=True
        )
        self.scope = QComboBox(self)
        self.scope.setObjectName("cannedImportScope")
        self.scope.setAccessibleName("Where rows without a scope go")
        scopes = editable_scopes(self._actor)
        for scope in (CannedScope.GLOBAL, CannedScope.TEAM, CannedScope.PERSONAL):
            if scope in scopes:  # the widest first: the services' own default
                self.scope.addItem(SCOPE_WORDS[scope], scope)
        self.summary = plain_label("", self, name="cannedImportSummary", wrap=True,
                                   selectable=False)  # fmt: skip
        self.model = ImportPreviewModel(self)
        self.table = report_table_view(
            self, "cannedImportRows", "What each row of the file would do", self.model
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(1, 240)
        self.detail = plain_label("", self, name="cannedImportDetail", wrap=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close, self
        )
        name_standard_buttons(self.buttons)
        self.import_button.setText("&Import")
        file_row = QHBoxLayout()
        add_file_row(file_row, self, self.path, self.choose)
        scope_row = QHBoxLayout()
        scope_label = QLabel("Rows without a &scope go to", self)
        scope_label.setBuddy(self.scope)
        scope_row.addWidget(scope_label)
        scope_row.addWidget(self.scope)
        scope_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addLayout(scope_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.buttons)
        self.resize(900, 560)

    def _connect_signals(self) -> None:
        self.choose.clicked.connect(self._on_choose)
        self.scope.currentIndexChanged.connect(lambda _i: self._preview_again())
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_detail(current.row()))  # fmt: skip
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)

    @property
    def import_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    # ------------------------------------------------------------------ previewing
    def _on_choose(self) -> None:
        path = self._choose_file(self)
        if path is not None:
            self.load(path)

    def load(self, path: Path) -> None:
        """Preview ``path`` (the file chooser calls this; tests call it directly)."""
        self._path = path
        self.path.setText(str(path))
        self._preview_again()

    def _preview_again(self) -> None:
        path = self._path
        if path is None:
            return
        data = self.scope.currentData()  # Qt gives a StrEnum back as a plain str
        ws, actor, scope = self._ws, self._actor, CannedScope(data) if data else None
        self.preview = None
        self.model.set_preview(None)
        self.detail.clear()
        self._busy = True
        self._say("Reading the file…")
        self._update_buttons()
        self._runner.read(
            lambda: canned_transfer.preview_import(ws, actor, path, default_scope=scope),
            lambda preview: self._show_preview(path, preview),
            self._failed,
            owner=self,
        )

    def _show_preview(self, path: Path, preview: ImportPreview) -> None:
        if path != self._path:
            return  # a newer file was chosen meanwhile
        self._busy = False
        self.preview = preview
        self.model.set_preview(preview)
        text, good = summary(preview)
        self._say(text, "good" if good else "bad")
        first_rejected = next((i for i, r in enumerate(preview.rows) if r.outcome == "rejected"),
                              0)  # fmt: skip
        if preview.rows:
            self.table.selectRow(first_rejected)
        self._update_buttons()

    def _show_detail(self, row: int) -> None:
        shown = self.model.row_text(row)
        if shown is None:
            self.detail.clear()
            return
        number, title, outcome, reason = shown
        self.detail.setText(f"Row {number} (“{title}”): {outcome}" + (
            f" — {reason}" if reason else ""))  # fmt: skip

    def _update_buttons(self) -> None:
        preview = self.preview
        useful = preview is not None and preview.ok and bool(
            preview.count("new") or preview.count("update"))  # fmt: skip
        self.import_button.setEnabled(useful and not self._busy)
        self.choose.setEnabled(not self._busy)

    # ------------------------------------------------------------------ importing
    def start_import(self) -> None:
        preview = self.preview
        if preview is None or not self.import_button.isEnabled():
            return
        ws, actor, source = self._ws, self._actor, str(self._path)
        self._busy = True
        self._update_buttons()
        self._say("Importing…")
        self._runner.write(lambda: canned_transfer.apply_import(ws, actor, preview),
                           lambda result: self._imported(result, source), self._failed,
                           owner=self)  # fmt: skip

    def _imported(self, result: ImportResult, source: str) -> None:
        self._busy = False
        self.imported.emit(result, source)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        self._update_buttons()
        if not isinstance(exc, DeskappError):
            self._runner.report_error(exc, "importing canned responses")
            self._say("Nothing was imported because of an unexpected error.", "bad")
            return
        self._say(str(exc), "bad")

    def _say(self, text: str, tone: str = "info") -> None:
        say(self.summary, text, tone)


def import_message(result: ImportResult, source: str) -> str:
    """What the status bar says after an import."""
    parts = [f"{result.new} new", f"{result.updated} updated"]
    if result.unchanged:
        parts.append(f"{result.unchanged} unchanged")
    return f"Imported from {Path(source).name}: {', '.join(parts)}."
