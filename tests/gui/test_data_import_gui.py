"""File ▸ Import data… from the real main window, over a real workspace: an admin previews a file
(its rows, and every rejected row with line and reason), nothing is written while a row is
rejected unless they choose the valid rows only, running it twice duplicates nothing, and a
rep is never offered it. SQL on the GUI thread fails these tests (tests/gui/conftest.py)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from deskapp.gui.data_import_dialog import DataImportDialog
from deskapp.gui.main_window import MainWindow
from deskapp.services import import_mappings
from tests.gui.canned_gui_helpers import desks
from tests.services.import_helpers import counts, write
from tests.services.test_data_import import ZENDESK

pytestmark = pytest.mark.dialects("sqlite")

# Column names no guess maps to an id, so the admin maps "Ref" by hand; lines 3 and 5 are bad.
MAPPED_CSV = (
    "Ref;Full name;Mail\n"
    "k1;Zoë Okafor;zoe@example.com\n"
    "k2;Sam Lee;not-an-email\n"
    "k3;<b>Bold</b><img src=x>;bold@example.com\n"
    "k4;;nobody@example.com\n"
)


@pytest.fixture
def desk_for(db, qtbot, runner, tmp_path):
    yield from desks(db, qtbot, runner, tmp_path)


def file_menu_names(window: MainWindow) -> list[str]:
    return [a.objectName() for a in window.ui.menuFile.actions() if a.isVisible()]


def open_import(qtbot, window: MainWindow) -> DataImportDialog:
    window.data_actions.action_import.trigger()
    dialog = window.data_actions.import_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def admin_importing(qtbot, desk_for, db):
    """An admin's window with Import data open, a second session to count rows with, and the
    counts before anything is imported."""
    desk = desk_for("admin")
    checker = db.open("admin")
    return desk, checker, counts(checker), open_import(qtbot, desk.window)


def previewed(qtbot, dialog: DataImportDialog) -> None:
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15_000)


def load(qtbot, dialog: DataImportDialog, path, kind) -> None:
    dialog.load(path, kind)
    previewed(qtbot, dialog)


def map_column(qtbot, dialog: DataImportDialog, field: str, column: str) -> None:
    combo = dialog.mapping.combos[field]
    combo.setCurrentIndex(combo.findData(column))  # as the admin picking it: previews again
    previewed(qtbot, dialog)


def table(model) -> list[tuple[str, ...]]:
    return [tuple(model.index(r, c).data() for c in range(model.columnCount()))
            for r in range(model.rowCount())]  # fmt: skip


def import_and_wait(qtbot, dialog: DataImportDialog, *, valid_only: bool) -> None:
    button = dialog.valid_button if valid_only else dialog.import_button
    assert button.isEnabled()
    button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=30_000)


def test_a_rep_is_not_offered_import_or_export(desk_for):
    window = desk_for("rep").window
    names = file_menu_names(window)
    assert "actionImportData" not in names and "actionExportData" not in names
    assert not window.data_actions.action_import.isEnabled()
    assert window.data_actions.import_data() is None  # nor by a shortcut or a script


def test_an_admin_finds_import_and_export_in_the_file_menu(desk_for):
    window = desk_for("admin").window
    names = file_menu_names(window)
    assert names.index("actionImportData") < names.index("actionExportData")
    assert names.index("actionExportData") < names.index("actionQuit")
    assert window.data_actions.action_import.isEnabled()


def test_the_preview_lists_rejected_rows_by_line_and_reason_and_writes_nothing(
    qtbot, desk_for, db, tmp_path
):
    desk, checker, before, dialog = admin_importing(qtbot, desk_for, db)
    load(qtbot, dialog, write(tmp_path, "people.csv", MAPPED_CSV), "customers")
    # No column is named like an id: the file cannot import until the admin maps one.
    assert dialog.report.file_problems
    assert "external_id" in dialog.summary.text()
    assert not dialog.import_button.isEnabled() and not dialog.valid_button.isVisible()
    assert dialog.mapping.combos["name"].currentData() == "Full name"  # guessed by its name
    assert dialog.mapping.combos["email"].currentData() == "Mail"
    map_column(qtbot, dialog, "external_id", "Ref")

    problems = table(dialog.problems_model)
    assert ("3", "Mail", problems[0][2]) == problems[0] and "e-mail" in problems[0][2].lower()
    assert problems[1][:2] == ("5", "Full name") and "required" in problems[1][2]
    assert "2 rejected" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()  # all or nothing: not while rows are rejected
    assert dialog.valid_button.isVisible() and dialog.valid_button.isEnabled()
    assert dialog.valid_button.text().replace("&", "") == "Import only the 2 valid rows"
    assert counts(checker) == before
    assert desk.problems == []


def test_customer_text_in_the_preview_stays_plain_text(qtbot, desk_for, tmp_path):
    dialog = open_import(qtbot, desk_for("admin").window)
    csv_text = MAPPED_CSV.replace("Ref;", "id;")
    load(qtbot, dialog, write(tmp_path, "people.csv", csv_text), "customers")
    sample = table(dialog.sample_model)
    assert ("4", "Customer", "New", "<b>Bold</b><img src=x>") in sample
    row = [r[3] for r in sample].index("<b>Bold</b><img src=x>")
    index = dialog.sample_model.index(row, 3)
    tooltip = QTextDocument()
    tooltip.setHtml(index.data(Qt.ItemDataRole.ToolTipRole))  # as Qt draws a rich tooltip
    assert tooltip.toPlainText() == "<b>Bold</b><img src=x>"
    for label in (dialog.summary, dialog.notes, dialog.file_facts):
        assert label.textFormat() is Qt.TextFormat.PlainText


def test_importing_only_the_valid_rows_writes_them_and_keeps_the_mapping(
    qtbot, desk_for, db, tmp_path
):
    desk, checker, before, dialog = admin_importing(qtbot, desk_for, db)
    load(qtbot, dialog, write(tmp_path, "people.csv", MAPPED_CSV), "customers")
    map_column(qtbot, dialog, "external_id", "Ref")
    import_and_wait(qtbot, dialog, valid_only=True)
    assert counts(checker) == (before[0] + 2, before[1], before[2])
    assert "2 created" in dialog.summary.text()
    assert "2 rejected and left out" in dialog.summary.text()
    assert not dialog.valid_button.isEnabled()  # done: the dialog does not import twice
    assert desk.window.statusBar().currentMessage().startswith("Imported from people.csv")
    saved = import_mappings.saved_mapping(checker, "customers")
    assert saved is not None and saved["external_id"] == "Ref"
    # The next file of customers starts from the kept mapping: no mapping by hand again.
    dialog.close()
    again = open_import(qtbot, desk.window)
    load(qtbot, again, write(tmp_path, "more.csv", "Ref;Full name\nk9;Ana Ruiz\n"), "customers")
    assert again.mapping.combos["external_id"].currentData() == "Ref"
    assert again.report.ok and again.import_button.isEnabled()


@pytest.mark.dialects("sqlite", "postgresql")
def test_importing_the_same_file_twice_creates_nothing_the_second_time(
    qtbot, desk_for, db, tmp_path
):
    desk, checker, before, dialog = admin_importing(qtbot, desk_for, db)
    path = write(tmp_path, "people.csv", "id,name,email\nd1,Dee,dee@example.com\nd2,Eli,\n")
    load(qtbot, dialog, path, "customers")
    assert dialog.report.ok and dialog.import_button.isEnabled()
    import_and_wait(qtbot, dialog, valid_only=False)
    assert "2 created" in dialog.summary.text()
    assert counts(checker) == (before[0] + 2, before[1], before[2])
    dialog.close()

    second = open_import(qtbot, desk.window)
    load(qtbot, second, path, "customers")
    assert "2 already imported" in second.summary.text()
    assert [r[2] for r in table(second.sample_model)] == ["Already imported"] * 2
    import_and_wait(qtbot, second, valid_only=False)
    assert "2 skipped as already imported" in second.summary.text()
    assert counts(checker) == (before[0] + 2, before[1], before[2])
    assert desk.problems == []


def test_a_zendesk_export_imports_requesters_tickets_and_comments(qtbot, desk_for, db, tmp_path):
    desk, checker, before, dialog = admin_importing(qtbot, desk_for, db)
    load(qtbot, dialog, write(tmp_path, "export.json", json.dumps(ZENDESK)), "cases")
    assert dialog.format.currentData() == "zendesk"  # guessed from the file
    assert "no mapping" in dialog.mapping.hint.text()
    assert not dialog.mapping.combos
    import_and_wait(qtbot, dialog, valid_only=False)
    assert counts(checker) == (before[0] + 1, before[1] + 2, before[2] + 4)
    assert "7 created" in dialog.summary.text()
    assert desk.problems == []


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "is empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "binary data")],
)
def test_an_unreadable_file_gets_a_clear_message_and_nothing_to_import(
    qtbot, desk_for, tmp_path, content, words
):
    dialog = open_import(qtbot, desk_for("admin").window)
    load(qtbot, dialog, write(tmp_path, "broken.csv", content), "customers")
    assert words in dialog.summary.text()
    assert not dialog.import_button.isEnabled() and not dialog.valid_button.isVisible()


def test_cancel_while_importing_writes_nothing(qtbot, desk_for, db, tmp_path):
    _desk, checker, before, dialog = admin_importing(qtbot, desk_for, db)
    rows = "".join(f"b{n},Bulk {n}\n" for n in range(20_000))
    load(qtbot, dialog, write(tmp_path, "bulk.csv", "id,name\n" + rows), "customers")
    dialog.import_button.click()
    assert dialog.cancel.isVisible()
    dialog.cancel.click()  # the import stops at its next progress report and rolls back
    qtbot.waitUntil(lambda: not dialog.cancel.isVisible(), timeout=30_000)
    assert dialog.outcome is None
    assert "Cancelled" in dialog.summary.text()
    assert counts(checker) == before


def test_day_first_dates_and_the_full_reason_of_a_rejected_row(qtbot, desk_for, tmp_path):
    dialog = open_import(qtbot, desk_for("admin").window)
    path = write(tmp_path, "dates.csv", "id,name,created_at\nf1,Fay,25/12/2023\n")
    load(qtbot, dialog, path, "customers")
    assert [p[:2] for p in table(dialog.problems_model)] == [("2", "created_at")]
    # The first rejected row is selected, its whole reason under the table.
    reason = dialog.report.problems[0].reason
    assert dialog.problem_detail.text() == f"Line 2, column created_at: {reason}"
    assert dialog.problem_detail.textFormat() is Qt.TextFormat.PlainText
    dialog.day_first.setCurrentIndex(dialog.day_first.findData(True))
    previewed(qtbot, dialog)
    assert dialog.report.ok and table(dialog.problems_model) == []
    assert dialog.problem_detail.text() == ""
