"""The audit trail in the window: a case's history with its integrity line, the team log with
its filters and pages, both reachable from the menus for the right people, every cell plain
text and every database read off the GUI thread (the guard raises otherwise)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from deskapp.gui.audit.case_history_dialog import CaseAuditDialog
from deskapp.gui.audit.log_window import TeamAuditWindow
from deskapp.gui.audit.rows_model import WHAT, WHY
from deskapp.gui.main_window import MainWindow
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import cases
from deskapp.services.audit import case_chain
from deskapp.services.audit_wording import ActionKind
from deskapp.settings import Settings
from tests.gui.test_accessible_names import _unnamed_controls
from tests.services.audit_trail import TRAIL, case_with_trail, tamper
from tests.services.handoff_requests import sign_in_everyone

pytestmark = pytest.mark.dialects("sqlite")


@pytest.fixture
def desk(db):
    return sign_in_everyone(db)


def _guarded(db, who: str):
    """A workspace as the GUI opens it: SQL on the GUI thread raises."""
    ws, actor = db.sign_in(who)
    guard_gui_thread(ws.engine)
    return ws, actor


def _column(model, name: str) -> list[str]:
    column = model.columns.index(name)
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_a_cases_history_shows_who_did_what_and_that_it_is_whole(qtbot, runner, db, desk):
    case = case_with_trail(desk)
    ws, _rep = _guarded(db, "rep")

    dialog = CaseAuditDialog(runner, ws, case.id, case.key)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == len(TRAIL), timeout=15_000)

    assert _column(dialog.model, WHAT) == [
        "acknowledged the handoff note",
        "reassigned the case to Ray Rep",
        "changed status from Open to Pending customer",
        "logged an incoming call",
        "took the case from the queue",
        "opened the case",
    ]
    assert _column(dialog.model, WHY)[2] == "Waiting for the customer's bank statement"
    assert dialog.integrity.text() == (
        "✓ This record is whole: its 6 events were checked and none was changed or removed."
    )
    assert dialog.windowTitle().startswith(f"Audit history of {case.key}")
    assert _unnamed_controls(dialog) == []


def test_a_tampered_case_says_so_where_it_happened(qtbot, runner, db, desk):
    case = case_with_trail(desk)
    tamper(
        db, "DELETE FROM audit_events WHERE chain = :chain AND seq = 3", chain=case_chain(case.id)
    )
    ws, _rep = _guarded(db, "rep")

    dialog = CaseAuditDialog(runner, ws, case.id, case.key)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == len(TRAIL) - 1, timeout=15_000)

    assert dialog.integrity.text() == (
        "⚠ This record has been tampered with: at event 3, event 3 is missing: the chain jumps "
        "from event 2 to event 4. Tell your Deskapp admin."
    )


def test_a_reason_that_looks_like_markup_stays_text(qtbot, runner, db, desk):
    case = case_with_trail(desk)
    state = cases.get_case_state(desk.rep2.ws, case.id)
    markup = "<b>urgent</b><img src='http://example.com/x.png'>"
    cases.change_case(
        desk.rep2.ws,
        desk.rep2.actor,
        case.id,
        cases.CaseChange(state.version, category="Refunds", reason=markup),
    )
    ws, _rep = _guarded(db, "rep")

    dialog = CaseAuditDialog(runner, ws, case.id, case.key)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == len(TRAIL) + 1, timeout=15_000)

    why = dialog.model.index(0, dialog.model.columns.index(WHY))
    assert why.data() == markup  # an item view draws its text as text
    tip = why.data(Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img" in tip


def test_the_team_log_filters_by_person_and_kind_and_pages_back(qtbot, runner, db, desk):
    case = case_with_trail(desk)
    ws, lead = _guarded(db, "lead")

    window = TeamAuditWindow(runner, ws, lead)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model.rowCount() == len(TRAIL), timeout=15_000)
    assert not window.team.isEnabled() and window.team.currentText() == "Support"
    assert window.status.text() == "6 events, newest first: all of them."

    window.person.setCurrentIndex(window.person.findText("Ray Rep"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=15_000)
    assert _column(window.model, WHAT) == ["acknowledged the handoff note", "opened the case"]

    window.person.setCurrentIndex(0)  # anyone
    window.kind.setCurrentIndex(window.kind.findData(ActionKind.CLAIMS))
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=15_000)
    assert _column(window.model, WHAT) == ["took the case from the queue"]

    window.kind.setCurrentIndex(0)  # any kind, four at a time
    window.page_rows = 4
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=15_000)
    assert window.older_button.isEnabled()
    assert window.status.text() == "The newest 4 events. Older ones: Load older."
    qtbot.mouseClick(window.older_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 6, timeout=15_000)
    assert not window.older_button.isEnabled()
    assert _column(window.model, WHAT)[-1] == "opened the case"

    with qtbot.waitSignal(window.case_requested, timeout=5_000) as opened:
        window.table.activated.emit(window.model.index(0, 0))
    assert opened.args == [case.id]
    assert _unnamed_controls(window) == []


def test_dates_narrow_the_team_log(qtbot, runner, db, desk):
    case_with_trail(desk)
    ws, lead = _guarded(db, "lead")
    window = TeamAuditWindow(runner, ws, lead)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model.rowCount() == len(TRAIL), timeout=15_000)

    window.since.setDate(window.since.date().addDays(30))  # from a month ahead: nothing yet
    window.use_since.setChecked(True)
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=15_000)
    assert window.status.text() == "No events match these filters."
    window.use_since.setChecked(False)
    qtbot.waitUntil(lambda: window.model.rowCount() == len(TRAIL), timeout=15_000)


@pytest.fixture
def workspaces(runner):
    controller = WorkspaceController(runner)
    yield controller
    runner.wait_idle()
    runner.shutdown()
    controller.close()


@pytest.mark.parametrize("who", ["lead", "rep"])
def test_the_menus_offer_the_history_to_all_and_the_log_to_leads(
    qtbot, runner, workspaces, tmp_path, db, desk, who
):
    case = case_with_trail(desk)
    actor = getattr(desk, who).actor
    window = MainWindow(
        runner,
        workspaces,
        settings=Settings.load(tmp_path / "settings.json"),
        show_problem=lambda _p, _t: None,
        ask_identity=lambda *_: actor,
    )
    qtbot.addWidget(window)
    history, log = window.audit.action_history, window.audit.action_log
    assert not history.isEnabled(), "no case in view yet"
    assert history in window.ui.menuCase.actions()
    assert history in window.desk.case_pane.actions()  # the case view's right-click menu
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url)
    assert log.isVisible() is (who == "lead")
    if who == "rep":
        assert window.audit.open_log() is None  # not even by a stray shortcut
    window.desk.open_case(case.id)
    qtbot.waitUntil(lambda: window.desk.current_case is not None, timeout=15_000)
    assert history.isEnabled()

    history.trigger()
    dialog = window.audit.history_dialog
    assert isinstance(dialog, CaseAuditDialog) and dialog.isVisible()
    assert dialog.case_id == window.desk.current_case.id
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=15_000)
    dialog.reject()
    if who == "lead":
        log.trigger()
        assert isinstance(window.audit.log_window, TeamAuditWindow)
        qtbot.waitUntil(lambda: window.audit.log_window.model.rowCount() > 0, timeout=15_000)
        window.audit.log_window.close()
    assert runner.wait_idle()
