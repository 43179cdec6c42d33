"""File ▸ Export data… from the real main window: the admin picks what, the format and the file,
and gets the file with formula cells made harmless, everything or the queue view's cases."""

from __future__ import annotations

import csv
import json

import pytest

from deskapp.gui.data_export_dialog import DataExportDialog
from deskapp.gui.main_window import MainWindow
from deskapp.services.data_import import ImportRequest, run_import
from tests.gui.canned_gui_helpers import desks
from tests.services.import_helpers import CASES, write

pytestmark = pytest.mark.dialects("sqlite")

FORMULA_CUSTOMERS = (
    "id,name,email\n"
    'c1,=HYPERLINK("http://evil.example"),eve@example.com\n'
    "c2,Plain Person,plain@example.com\n"
)


@pytest.fixture
def desk_for(db, qtbot, runner, tmp_path):
    yield from desks(db, qtbot, runner, tmp_path)


def seed(db, tmp_path) -> None:
    ws, admin = db.sign_in("admin")
    for kind, text in (("customers", FORMULA_CUSTOMERS), ("cases", CASES)):
        report = run_import(ws, admin, ImportRequest(kind, write(tmp_path, f"{kind}.csv", text)))
        assert report.written, report


def open_export(window: MainWindow) -> DataExportDialog:
    window.data_actions.action_export.trigger()
    dialog = window.data_actions.export_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def export_and_wait(qtbot, dialog: DataExportDialog) -> None:
    with qtbot.waitSignal(dialog.exported, timeout=15_000):
        dialog.export_button.click()


def test_exporting_customers_to_csv_neutralizes_formula_cells(qtbot, desk_for, db, tmp_path):
    seed(db, tmp_path)
    desk = desk_for("admin")
    dialog = open_export(desk.window)
    target = tmp_path / "out" / "customers.csv"
    dialog.kind.setCurrentIndex(dialog.kind.findData("customers"))
    dialog._choose_file = lambda _parent, _suggested: target.with_suffix("")
    dialog.choose.click()  # a name without a suffix gets the chosen format's
    assert dialog.path.text() == str(target)
    assert dialog.everything.isChecked()
    export_and_wait(qtbot, dialog)
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["external_id"]: row["name"] for row in rows}
    assert names["c1"] == '\'=HYPERLINK("http://evil.example")'  # a spreadsheet shows text
    assert names["c2"] == "Plain Person"
    assert dialog.status.text() == f"Exported {len(rows)} customers to {target}."
    assert desk.window.statusBar().currentMessage() == dialog.status.text()
    assert desk.problems == []


def test_exporting_the_queue_view_writes_only_its_cases_as_json(qtbot, desk_for, db, tmp_path):
    seed(db, tmp_path)
    desk = desk_for("admin")
    dialog = open_export(desk.window)
    query = desk.window.desk.queue.current_query
    assert query is not None and dialog.current_view.isEnabled()
    assert query.view.label in dialog.current_view.text()
    target = tmp_path / "view.json"
    dialog.format.setCurrentIndex(dialog.format.findData("json"))
    dialog.path.setText(str(target))
    dialog.current_view.setChecked(True)
    export_and_wait(qtbot, dialog)
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["kind"] == "cases"
    everything = tmp_path / "all.json"
    dialog.everything.setChecked(True)
    dialog.path.setText(str(everything))
    export_and_wait(qtbot, dialog)
    all_cases = json.loads(everything.read_text(encoding="utf-8"))["records"]
    assert {"T1", "T2", "T3"} <= {case["external_id"] for case in all_cases}
    # The admin's own queue (their tab) holds none of the imported, unassigned cases.
    assert len(exported["records"]) < len(all_cases)


def test_a_folder_that_cannot_be_written_gets_a_clear_message(qtbot, desk_for, db, tmp_path):
    desk = desk_for("admin")
    dialog = open_export(desk.window)
    blocker = write(tmp_path, "not-a-folder", "x")
    dialog.path.setText(str(blocker / "cases.csv"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: "cannot be written" in dialog.status.text()
                    or "could not be written" in dialog.status.text(), timeout=15_000)  # fmt: skip
    assert dialog.export_button.isEnabled()  # the admin chooses another place and tries again
    assert desk.problems == []
