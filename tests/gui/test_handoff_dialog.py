"""The handoff dialog against a real workspace: choosing the receiver, submitting through the
runner, the server's findings on their fields, a stale case, and the draft's life."""

from __future__ import annotations

from sqlalchemy import update

from deskapp.db.models import Team
from deskapp.domain.enums import HandoffKind
from deskapp.drafts import DraftStore
from deskapp.gui.handoff.dialog import HandoffDialog, draft_key
from deskapp.services import cases, history, users
from deskapp.services.handoff_templates import default_template
from deskapp.services.unit_of_work import write_session
from tests.gui.test_handoff_editor import GOOD
from tests.services.handoff_helpers import new_case


def _setup(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    rep2 = next(u for u in users.list_users(ws) if u.login.endswith("rep2"))
    return ws, rep, rep2, history.case_detail(ws, case.id)


def _dialog(qtbot, runner, gui_workspace, rep, detail, **kwargs) -> HandoffDialog:
    dialog = HandoffDialog(runner, gui_workspace, rep, detail, autosave_seconds=1, **kwargs)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.chooser.person.count() > 0, timeout=10_000)
    return dialog


def test_a_rep_hands_a_case_to_a_colleague_and_the_draft_goes(db, qtbot, runner, gui_workspace):
    ws, rep, rep2, detail = _setup(db)
    dialog = _dialog(qtbot, runner, gui_workspace, rep, detail)
    assert not dialog.submit_button.isEnabled(), "an empty note cannot be handed off"
    dialog.chooser.choose(HandoffKind.REASSIGN, person_id=str(rep2.id))
    assert dialog.chooser.person.currentText() == rep2.display_name
    dialog.editor.set_content(GOOD)
    with qtbot.waitSignal(dialog.autosave.saved_locally, timeout=5000):
        pass
    key = draft_key(gui_workspace, rep, detail.id)
    assert DraftStore().load(key).extra["kind"] == "reassign", "the receiver is in the draft"
    assert dialog.submit_button.isEnabled(), dialog.status.text()
    with qtbot.waitSignal(dialog.handed_off, timeout=15_000):
        dialog.submit_button.click()
    assert runner.wait_idle()
    assert cases.get_case(ws, detail.id).assignee_id == rep2.id
    assert DraftStore().load(key) is None, "the draft is deleted after a successful submit"
    assert not dialog.isVisible()


def test_the_servers_findings_show_on_their_fields_and_nothing_moves(db, qtbot, runner,
                                                                     gui_workspace):  # fmt: skip
    ws, rep, rep2, detail = _setup(db)
    team_rules = {
        "version": 2,
        "fields": [vars(f) for f in default_template().fields],
        "rules": [{"field": "summary", "pattern": "(?i)rent", "severity": "block",
                   "message": "Keep the customer's private life out of the note."}],
    }  # fmt: skip
    admin_ws, _admin = db.sign_in("admin")
    with write_session(admin_ws) as session:
        session.execute(update(Team).values(handoff_template=team_rules))
    # The editor starts from the default template; the server judges by the team's.
    dialog = _dialog(qtbot, runner, gui_workspace, rep, detail, template=default_template())
    dialog.chooser.choose(HandoffKind.REASSIGN, person_id=str(rep2.id))
    dialog.editor.set_content(GOOD)
    dialog.submit_button.click()
    finding = dialog.editor.findings_labels["summary"]
    qtbot.waitUntil(lambda: "private life" in finding.text(), timeout=15_000)
    assert finding.text().startswith("Must fix:")
    assert "Nothing was handed over" in dialog.status.text()
    assert not dialog.submit_button.isEnabled()
    assert dialog.editor.content() == GOOD, "the rep's text is kept"
    assert cases.get_case(ws, detail.id).assignee_id == rep.user_id


def test_a_case_changed_meanwhile_keeps_the_note_and_says_what_happened(db, qtbot, runner,
                                                                        gui_workspace):  # fmt: skip
    ws, rep, rep2, detail = _setup(db)
    dialog = _dialog(qtbot, runner, gui_workspace, rep, detail)
    dialog.chooser.choose(HandoffKind.REASSIGN, person_id=str(rep2.id))
    dialog.editor.set_content(GOOD)
    cases.update_case(ws, rep, detail.id, cases.CaseChanges(detail.version, category="billing"))
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: "changed this case" in dialog.status.text(), timeout=15_000)
    assert dialog.editor.content() == GOOD
    qtbot.waitUntil(dialog.submit_button.isEnabled, timeout=10_000)  # the case was re-read
    with qtbot.waitSignal(dialog.handed_off, timeout=15_000):
        dialog.submit_button.click()
    assert runner.wait_idle()
    assert cases.get_case(ws, detail.id).assignee_id == rep2.id


def test_closing_keeps_the_draft_and_reopening_brings_it_back(db, qtbot, runner, gui_workspace):
    _ws, rep, _rep2, detail = _setup(db)
    dialog = _dialog(qtbot, runner, gui_workspace, rep, detail)
    dialog.chooser.choose(HandoffKind.RELEASE)
    dialog.editor.set_content(GOOD)
    dialog.reject()  # "Close (keep draft)": saved at once, not at the next tick
    assert runner.wait_idle()
    again = _dialog(qtbot, runner, gui_workspace, rep, detail)
    assert again.editor.content() == GOOD
    assert again.restored.isVisibleTo(again) and "is back" in again.restored.text()
    assert again.chooser.current_kind() is HandoffKind.RELEASE
    again.reject()
    assert runner.wait_idle()


def test_each_kind_asks_only_for_what_it_needs(db, qtbot, runner, gui_workspace):
    _ws, rep, _rep2, detail = _setup(db)
    dialog = _dialog(qtbot, runner, gui_workspace, rep, detail)
    chooser = dialog.chooser
    chooser.choose(HandoffKind.REASSIGN)
    assert chooser.person.isVisibleTo(dialog) and not chooser.team.isVisibleTo(dialog)
    assert chooser.person.findText(rep.display_name) < 0, "not to myself"
    chooser.choose(HandoffKind.RELEASE)
    assert not chooser.person.isVisibleTo(dialog) and not chooser.team.isVisibleTo(dialog)
    assert "queue" in chooser.explanation.text()
    chooser.choose(HandoffKind.TRANSFER)
    assert "another team" in chooser.receiver().problem  # only one team in this workspace
    dialog.reject()
    assert runner.wait_idle()
