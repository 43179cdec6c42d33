"""Unbriefed handoffs in the handoff dialog: a lead moves an absent rep's case without a
briefing (with a reason), sensitive data still blocks, the receiver sees it flagged; a rep is
never offered the option."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from deskapp.domain.enums import HandoffKind
from deskapp.domain.handoff import NoteContent
from deskapp.gui.handoff.dialog import HandoffDialog
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.services import cases, handoff_waiting, history, users
from tests.gui.test_handoff_editor import GOOD
from tests.services.handoff_helpers import new_case

PASSWORD = NoteContent(done="Her account password is Summer2024! so log in and check it.")


def _open(qtbot, runner, ws, actor, detail) -> HandoffDialog:
    dialog = HandoffDialog(runner, ws, actor, detail, autosave_seconds=1)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.chooser.person.count() > 0, timeout=10_000)
    return dialog


def test_a_lead_hands_an_absent_reps_case_over_unbriefed(db, qtbot, runner):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep, "Refund bounced twice")
    rep2 = next(u for u in users.list_users(ws) if u.login.endswith("rep2"))
    lead_ws = db.open("lead")
    guard_gui_thread(lead_ws.engine)
    _ws, lead = db.sign_in("lead")
    dialog = _open(qtbot, runner, lead_ws, lead, history.case_detail(ws, case.id))
    dialog.chooser.choose(HandoffKind.REASSIGN, person_id=str(rep2.id))
    assert dialog.unbriefed is not None and dialog.unbriefed.isVisibleTo(dialog)
    assert not dialog.submit_button.isEnabled(), "an empty briefed note cannot go"

    dialog.unbriefed.setChecked(True)
    assert dialog.unbriefed_reason.isVisibleTo(dialog)
    assert not dialog.submit_button.isEnabled(), "the reason is required"
    assert "Say why the handoff is unbriefed" in dialog.status.text()
    dialog.unbriefed_reason.setText("Rae is off sick today")
    assert dialog.submit_button.isEnabled(), dialog.status.text()
    shown = [k for k, label in dialog.editor.findings_labels.items() if not label.isHidden()]
    assert shown == [], "empty fields are expected when nobody could brief"

    dialog.editor.set_content(PASSWORD)  # what the lead does write is still checked
    assert not dialog.submit_button.isEnabled()
    assert dialog.editor.findings_labels["done"].text().startswith("Must fix:")
    dialog.editor.set_content(NoteContent())
    assert dialog.submit_button.isEnabled(), dialog.status.text()
    with qtbot.waitSignal(dialog.handed_off, timeout=15_000):
        dialog.submit_button.click()
    assert runner.wait_idle()

    assert cases.get_case(ws, case.id).assignee_id == rep2.id
    rep2_ws, rep2_actor = db.sign_in("rep2")
    (waiting,) = handoff_waiting.to_acknowledge(rep2_ws, rep2_actor)
    assert waiting.case_id == case.id and waiting.unbriefed, "the receiver sees it flagged"
    assert waiting.author == lead.display_name


def test_unticking_unbriefed_brings_the_findings_back(db, qtbot, runner):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    lead_ws = db.open("lead")
    guard_gui_thread(lead_ws.engine)
    _ws, lead = db.sign_in("lead")
    dialog = _open(qtbot, runner, lead_ws, lead, history.case_detail(ws, case.id))
    dialog.unbriefed.setChecked(True)
    dialog.unbriefed_reason.setText("Rae is on leave")
    dialog.unbriefed.setChecked(False)
    assert dialog.editor.findings_labels["summary"].text().startswith("Must fix:")
    assert not dialog.submit_button.isEnabled()
    dialog.editor.set_content(GOOD)
    dialog.reject()
    assert runner.wait_idle()


def test_a_rep_is_not_offered_an_unbriefed_handoff(db, qtbot, runner, gui_workspace):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    dialog = _open(qtbot, runner, gui_workspace, rep, history.case_detail(ws, case.id))
    assert dialog.unbriefed is None and dialog.unbriefed_reason is None
    assert dialog.findChild(QCheckBox, "handoffUnbriefed") is None
    dialog.reject()
    assert runner.wait_idle()
