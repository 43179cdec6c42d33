"""The canned-response library from the real main window: the Responses menu offers each person
what they may do (a rep never sees a lead's review list), and whatever is written, imported or
changed by a colleague shows in the panel without signing in again."""

from __future__ import annotations

import csv
import json

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from deskapp.domain.enums import CannedScope
from deskapp.gui.canned_editor import EditorMode
from deskapp.gui.main_window import MainWindow
from deskapp.services.canned_library import CannedDraft, suggest_edit
from tests.gui.canned_gui_helpers import desks, write_response
from tests.gui.test_canned_editor import fill

pytestmark = pytest.mark.dialects("sqlite")


@pytest.fixture
def desk_for(db, qtbot, runner, tmp_path):
    yield from desks(db, qtbot, runner, tmp_path)


def responses_menu(window: MainWindow) -> QMenu:
    """The Responses menu as the menu bar holds it."""
    menus = [action.menu() for action in window.menuBar().actions()]
    found = [m for m in menus if isinstance(m, QMenu) and m.objectName() == "menuResponses"]
    assert len(found) == 1
    return found[0]


def offered(window: MainWindow) -> list[str]:
    """The Responses menu as a person sees it: visible entries, "(off)" when disabled."""
    return [
        action.text().replace("&", "") + ("" if action.isEnabled() else " (off)")
        for action in responses_menu(window).actions()
        if action.isVisible() and not action.isSeparator()
    ]


def menu_action(window: MainWindow, name: str) -> QAction:
    found = [a for a in responses_menu(window).actions() if a.objectName() == name]
    assert len(found) == 1, name
    return found[0]


def test_the_responses_menu_sits_in_the_menu_bar_before_help(desk_for):
    window = desk_for("rep").window
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert "Responses" in titles
    assert titles.index("Responses") < titles.index("Help")


def test_a_personal_response_created_from_the_menu_appears_in_the_panel(qtbot, desk_for):
    desk = desk_for("rep")
    menu_action(desk.window, "actionNewResponse").trigger()
    editor = desk.actions.editor
    assert editor is not None and editor.mode is EditorMode.NEW
    assert editor.chosen_scope() is CannedScope.PERSONAL
    fill(editor, title="Parcel held at the depot", shortcut="depot")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save_button.click()
    qtbot.waitUntil(lambda: "Parcel held at the depot" in desk.titles(), timeout=10_000)
    desk.pane.search.setText("depot")
    assert desk.pane.current_response().title == "Parcel held at the depot"
    assert desk.pane.current_response().scope is CannedScope.PERSONAL
    assert desk.window.statusBar().currentMessage() == "Saved “Parcel held at the depot”."
    assert desk.problems == []


def test_a_rep_sees_no_lead_only_actions(desk_for, db):
    write_response(db, "rep", CannedScope.PERSONAL, "My sign-off", "bye", "Speak soon.")
    write_response(db, "lead", CannedScope.TEAM, "Team apology", "sorry", "We are sorry.")
    desk = desk_for("rep")
    desk.select("Team apology")
    assert offered(desk.window) == [
        "New response…",
        "Suggest an edit…",
        "Import responses…",
        "Export responses…",
    ]
    assert not menu_action(desk.window, "actionReviewSuggestions").isVisible()
    desk.select("My sign-off")
    assert offered(desk.window)[:3] == ["New response…", "Edit…", "Retire…"]
    dialog = desk.window.canned_actions.import_responses()
    assert dialog is not None
    assert [dialog.scope.itemData(i) for i in range(dialog.scope.count())] == [
        CannedScope.PERSONAL
    ], "a rep imports into their own responses only"
    dialog.reject()


def test_a_lead_reviews_suggestions_from_the_menu_with_their_count(qtbot, desk_for, db):
    team = write_response(db, "lead", CannedScope.TEAM, "Team apology", "sorry", "We are sorry.")
    ws, rep = db.sign_in("rep")
    warmer = CannedDraft(CannedScope.TEAM, team.title, team.shortcut, team.category, (),
                         "We are truly sorry.")  # fmt: skip
    suggest_edit(ws, rep, team.id, warmer, "Warmer")
    desk = desk_for("lead")
    review = menu_action(desk.window, "actionReviewSuggestions")
    assert review.isVisible() and review.isEnabled()
    qtbot.waitUntil(lambda: review.text() == "&Suggestions to review (1)…", timeout=10_000)
    desk.select("Team apology")
    assert "Edit…" in offered(desk.window), "a lead edits the team's responses"
    review.trigger()
    dialog = desk.actions.suggestions_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10_000)
    dialog.reject()


def test_a_colleagues_new_response_shows_after_the_desk_reloads(qtbot, desk_for, db):
    desk = desk_for("rep")
    assert "Weekend cover" not in desk.titles()
    write_response(db, "lead", CannedScope.TEAM, "Weekend cover", "weekend", "We are here.")
    desk.window.desk.reload_responses()
    qtbot.waitUntil(lambda: "Weekend cover" in desk.titles(), timeout=10_000)


def _write_csv(path, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["title", "shortcut", "category", "body"])
        writer.writerows(rows)


def test_import_from_the_menu_previews_reports_rows_and_shows_the_result_at_once(
    qtbot, desk_for, tmp_path
):
    desk = desk_for("rep")
    source = tmp_path / "mine.csv"
    _write_csv(source, [
        ["Customs hold", "customs", "shipping", "Hi {{customer.first_name}}, customs has it."],
        ["Bad one", "bad", "shipping", "Hi <script>alert(1)</script>"],
    ])  # fmt: skip
    menu_action(desk.window, "actionImportResponses").trigger()
    dialog = desk.actions.import_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.load(source)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert "2 rows: 1 new, 1 rejected." in dialog.summary.text()
    assert "Nothing partially imported" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.model.row_text(1)[:3] == ("3", "Bad one", "Rejected")
    assert "<script>" in dialog.model.row_text(1)[3]
    assert "Row 3 (“Bad one”): Rejected" in dialog.detail.text(), "the first rejection shown"

    _write_csv(source, [
        ["Customs hold", "customs", "shipping", "Hi {{customer.first_name}}, customs has it."],
        ["Fixed one", "fixed", "shipping", "Hi {{customer.first_name}}, all fixed."],
    ])  # fmt: skip
    dialog.load(source)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.import_button.click()
    qtbot.waitUntil(lambda: {"Customs hold", "Fixed one"} <= set(desk.titles()), timeout=10_000)
    assert desk.window.statusBar().currentMessage() == "Imported from mine.csv: 2 new, 0 updated."
    assert desk.problems == []


def test_export_from_the_menu_writes_json_and_csv_with_formulas_neutralized(
    qtbot, desk_for, db, tmp_path
):
    write_response(db, "rep", CannedScope.PERSONAL, "=SUM(A1)", "sum", "-1 for the formula.")
    desk = desk_for("rep")
    for name in ("mine.csv", "mine.json"):
        menu_action(desk.window, "actionExportResponses").trigger()
        dialog = desk.actions.export_dialog
        assert dialog is not None
        for scope, box in dialog.scopes.items():
            box.setChecked(scope is CannedScope.PERSONAL)
        dialog.path.setText(str(tmp_path / name))
        with qtbot.waitSignal(dialog.exported, timeout=10_000):
            dialog.export_button.click()
        assert desk.window.statusBar().currentMessage().startswith("Exported 1 response to ")
    with (tmp_path / "mine.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(r["title"], r["body"]) for r in rows] == [("'=SUM(A1)", "'-1 for the formula.")]
    document = json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))
    assert [r["title"] for r in document["responses"]] == ["=SUM(A1)"], "JSON is data, kept as is"
