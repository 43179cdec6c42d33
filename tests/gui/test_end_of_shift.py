"""The end-of-shift wizard against a real workspace: a rep steps through their open cases, keeps
one, releases one to the team queue and hands one to a colleague; refused notes stay on their
step; the last page says what is left."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select, update

from deskapp.db.models import HandoffNote, Team
from deskapp.domain.enums import HandoffKind
from deskapp.drafts import DraftStore
from deskapp.gui.handoff.dialog import draft_key
from deskapp.gui.handoff.end_of_shift import (
    SUMMARY_PAGE,
    Decision,
    EndOfShiftWizard,
    StepState,
)
from deskapp.services import cases, handoffs, users
from deskapp.services.handoff_templates import default_template
from deskapp.services.unit_of_work import read_session, write_session
from tests.gui.test_accessible_names import _unnamed_controls
from tests.gui.test_handoff_editor import GOOD
from tests.services.handoff_helpers import new_case

CARD = dataclasses.replace(GOOD, done="Refunded to card 4111 1111 1111 1111 and emailed her.")


def _setup(db):
    ws, rep = db.sign_in("rep")
    kept = new_case(ws, rep, "Router drops the line at night")
    released = new_case(ws, rep, "Refund bounced twice")
    passed = new_case(ws, rep, "Parcel lost by the carrier")
    rep2 = next(u for u in users.list_users(ws) if u.login.endswith("rep2"))
    return ws, rep, rep2, (kept, released, passed)


def _wizard(qtbot, runner, gui_workspace, rep, count: int) -> EndOfShiftWizard:
    wizard = EndOfShiftWizard(runner, gui_workspace, rep, autosave_seconds=1)
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: len(wizard.steps) == count, timeout=15_000)
    return wizard


def _open_step(qtbot, wizard: EndOfShiftWizard, case_id) -> None:
    index = next(i for i, s in enumerate(wizard.steps) if s.row.id == case_id)
    if wizard._index != index:
        wizard.go_to(index)
    qtbot.waitUntil(lambda: wizard.editor is not None and wizard.decision_box.isEnabled(),
                    timeout=15_000)  # fmt: skip


def _state(wizard: EndOfShiftWizard, case_id) -> StepState:
    return next(s.state for s in wizard.steps if s.row.id == case_id)


def _notes(ws, case_id) -> list[HandoffNote]:
    with read_session(ws) as session:
        return list(session.scalars(select(HandoffNote).where(HandoffNote.case_id == case_id)))


def test_keep_one_release_one_hand_one_to_a_colleague(db, qtbot, runner, gui_workspace):
    ws, rep, rep2, (kept, released, passed) = _setup(db)
    wizard = _wizard(qtbot, runner, gui_workspace, rep, 3)
    assert {s.row.id for s in wizard.steps} == {kept.id, released.id, passed.id}
    assert wizard.step_list.count() == 3
    assert _unnamed_controls(wizard) == [], "every control has a name for screen readers"

    _open_step(qtbot, wizard, kept.id)
    assert not wizard.next_button.isEnabled(), "every case needs a decision"
    wizard.choose(Decision.KEEP)
    assert not wizard.editor_area.isVisibleTo(wizard), "keeping a case needs no note"
    wizard.next_button.click()
    assert _state(wizard, kept.id) is StepState.KEPT

    _open_step(qtbot, wizard, released.id)
    wizard.choose(Decision.QUEUE)
    assert wizard.editor_area.isVisibleTo(wizard)
    assert not wizard.next_button.isEnabled(), "an empty note cannot be handed off"
    wizard.editor.set_content(GOOD)
    assert wizard.next_button.isEnabled(), wizard.status.text()
    with qtbot.waitSignal(wizard.handed_off, timeout=15_000):
        wizard.next_button.click()
    assert _state(wizard, released.id) is StepState.HANDED_OFF

    _open_step(qtbot, wizard, passed.id)
    wizard.choose(Decision.PERSON, rep2.id)
    assert wizard.person.currentText() == rep2.display_name
    wizard.editor.set_content(GOOD)
    with qtbot.waitSignal(wizard.handed_off, timeout=15_000):
        wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == SUMMARY_PAGE, timeout=15_000)
    assert runner.wait_idle()

    # The database: one case still mine, one in the team queue, one with rep2.
    assert cases.get_case(ws, kept.id).assignee_id == rep.user_id
    assert _notes(ws, kept.id) == []
    assert cases.get_case(ws, released.id).assignee_id is None
    assert cases.get_case(ws, passed.id).assignee_id == rep2.id
    for case_id, receiver in ((released.id, None), (passed.id, rep2.id)):
        (note,) = _notes(ws, case_id)
        assert note.kind is HandoffKind.END_OF_SHIFT and note.to_user_id == receiver
        assert note.summary == GOOD.summary
        assert DraftStore().load(draft_key(gui_workspace, rep, case_id)) is None
    # The last page: what went where, and nothing left to decide.
    assert wizard.summary_headline.text() == "All 3 cases are decided. You can sign off."
    summary = wizard.summary_text()
    handed_off = summary.split("\n\n")[0].splitlines()
    assert handed_off[0] == "Handed off (2)"
    assert sorted(handed_off[1:]) == sorted(
        [
            f"{released.key}  Refund bounced twice — to Support's queue",
            f"{passed.key}  Parcel lost by the carrier — to {rep2.display_name}",
        ]
    )
    assert f"Kept: still yours (1)\n{kept.key}" in summary
    assert "Still to decide" not in summary


def test_a_blocking_finding_keeps_the_step_and_the_note(db, qtbot, runner, gui_workspace):
    ws, rep, rep2, (first, *_rest) = _setup(db)
    wizard = _wizard(qtbot, runner, gui_workspace, rep, 3)
    _open_step(qtbot, wizard, first.id)
    index = wizard._index
    wizard.choose(Decision.PERSON, rep2.id)
    wizard.editor.set_content(CARD)
    assert not wizard.next_button.isEnabled()
    wizard.go_next()  # Ctrl+Enter, or a click that raced the lint
    assert wizard._index == index and wizard.pages.currentIndex() != SUMMARY_PAGE
    assert wizard.editor.findings_labels["done"].text().startswith("Must fix:")
    assert "to fix before you can hand off" in wizard.status.text()

    # The lead tightens the team's rules after the rep opened the case: the server refuses.
    team_rules = {
        "version": 2,
        "fields": [vars(f) for f in default_template().fields],
        "rules": [{"field": "summary", "pattern": "(?i)rent", "severity": "block",
                   "message": "Keep the customer's private life out of the note."}],
    }  # fmt: skip
    admin_ws, _admin = db.sign_in("admin")
    with write_session(admin_ws) as session:
        session.execute(update(Team).values(handoff_template=team_rules))
    wizard.editor.set_content(GOOD)
    assert wizard.next_button.isEnabled(), wizard.status.text()
    wizard.next_button.click()
    finding = wizard.editor.findings_labels["summary"]
    qtbot.waitUntil(lambda: "private life" in finding.text(), timeout=15_000)
    assert wizard._index == index, "a refused note stays on its step"
    assert "Nothing was handed over" in wizard.status.text()
    assert wizard.editor.content() == GOOD, "the rep's text is kept"
    assert _state(wizard, first.id) is StepState.TO_DECIDE
    assert cases.get_case(ws, first.id).assignee_id == rep.user_id
    wizard.reject()
    assert runner.wait_idle()


def test_what_is_left_lists_skipped_and_moved_cases_and_the_draft_comes_back(
    db, qtbot, runner, gui_workspace
):
    _ws, rep, rep2, (first, second, third) = _setup(db)
    wizard = _wizard(qtbot, runner, gui_workspace, rep, 3)
    _open_step(qtbot, wizard, first.id)
    wizard.choose(Decision.QUEUE)
    wizard.editor.set_content(GOOD)
    wizard.skip()  # the note is half a thought: leave it for now
    # Meanwhile the lead moves the second case to rep2 (the service, with a note).
    lead_ws, lead = db.sign_in("lead")
    current = cases.get_case(lead_ws, second.id)
    handoffs.hand_off(lead_ws, lead, handoffs.HandoffRequest(
        second.id, HandoffKind.REASSIGN, rep2.id, None, GOOD, current.version))  # fmt: skip
    _open_step(qtbot, wizard, third.id)
    wizard.choose(Decision.KEEP)
    wizard.next_button.click()
    index = next(i for i, s in enumerate(wizard.steps) if s.row.id == second.id)
    wizard.go_to(index)
    qtbot.waitUntil(lambda: _state(wizard, second.id) is StepState.GONE, timeout=15_000)
    assert "no longer yours" in wizard.status.text()
    wizard.show_summary()
    assert wizard.summary_headline.text().startswith("1 of 3 cases still need a decision")
    summary = wizard.summary_text()
    assert f"Still to decide (1)\n{first.key}  Router drops the line at night — skipped" in summary
    assert f"Moved by someone else meanwhile (1)\n{second.key}" in summary
    assert f"now with {rep2.display_name}" in summary
    wizard.reject()
    assert runner.wait_idle()

    again = _wizard(qtbot, runner, gui_workspace, rep, 2)
    _open_step(qtbot, again, first.id)
    assert again.editor.content() == GOOD, "the note written before comes back from its draft"
    assert again.to_queue.isChecked(), "and so does the decision"
    assert again.restored.isVisibleTo(again)
    again.reject()
    assert runner.wait_idle()
