"""The case header on a real workspace: everything a rep needs in three seconds, and edits of
status, priority, category and mood through the services with version checks — a stale edit
shows both sides and the rep chooses; nothing is overwritten or lost."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskapp.domain.enums import CaseStatus, Mood, Priority
from deskapp.gui.case_edit_dialogs import ConflictDialog, ResolveDialog
from deskapp.gui.case_editing import CaseEditing
from deskapp.gui.panes.case_pane import CasePane
from deskapp.services import cases, history
from deskapp.services.cases import CaseChange
from tests.gui.case_view_helpers import customer_with_case
from tests.services.handoff_helpers import audit_actions, hand_over, promise


@pytest.fixture
def header(db, qtbot, runner, gui_workspace):
    """A case pane wired to the services as the rep (SQL on the GUI thread fails the test)."""
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    pane = CasePane()
    qtbot.addWidget(pane)
    editing = CaseEditing(runner, pane, lambda: (gui_workspace, rae))
    problems: list[str] = []
    runner.failed.connect(problems.append)

    def show() -> None:
        pane.show_case(history.case_detail(ws, case.id))

    show()
    return pane, editing, case, ws, rae, problems, show


def _pick(combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))
    combo.activated.emit(combo.currentIndex())


def test_the_header_says_who_what_how_urgent_and_what_was_promised(db, qtbot, header):
    pane, _editing, case, ws, rae, _problems, show = header
    ws2, ray = db.sign_in("rep2")
    hand_over(ws, rae, case.id, ray.user_id)
    hand_over(ws2, ray, case.id, rae.user_id)  # Ray hands it back (nobody takes a case over)
    promise(ws, rae, case.id, "Call back about refund R-88", timedelta(hours=3))
    cases.change_case(ws, rae, case.id, CaseChange(cases.get_case_state(ws, case.id).version,
                                                   category="billing"))  # fmt: skip
    show()
    assert pane.title.text() == f"{case.key}  Refund bounced twice"
    assert pane.customer.text().startswith("Margaret Okafor  ·  ")
    assert "their time (Europe/London)" in pane.customer.text()
    assert pane.status.currentText() == "Open" and pane.priority.currentText() == "Normal"
    assert pane.category.text() == "billing" and pane.mood.currentText() == "Neutral"
    assert pane.fields["Owner"].text() == "Rae Rep  ·  Support"
    assert pane.fields["Channel"].text().startswith("Email  ·  opened ")
    assert "resolution" in pane.fields["SLA"].text()
    assert pane.fields["History"].text() == "Transferred 2×  ·  reopened 0×"
    assert not pane.bounced.isHidden()
    assert "Bounced 2 times — don't make them repeat themselves" in pane.bounced.text()
    assert pane.promise_labels[0].text().endswith("— Call back about refund R-88")


def test_priority_mood_and_category_change_through_the_service(qtbot, runner, header):
    pane, editing, case, ws, _rae, problems, _show = header
    version = pane.version
    with qtbot.waitSignal(editing.saved, timeout=10_000):
        _pick(pane.priority, Priority.URGENT)
    with qtbot.waitSignal(editing.saved, timeout=10_000):
        _pick(pane.mood, Mood.ANGRY)
    pane.category.setText("  card   dispute ")
    with qtbot.waitSignal(editing.saved, timeout=10_000):
        pane.category.editingFinished.emit()
    state = cases.get_case_state(ws, case.id)
    assert (state.priority, state.mood, state.category) == (Priority.URGENT, Mood.ANGRY,
                                                            "card dispute")  # fmt: skip
    assert state.version == version + 3 and pane.version == state.version
    assert audit_actions(ws, case.id).count(cases.UPDATED) == 3
    assert pane.category.text() == "card dispute"
    assert problems == []


def test_resolving_asks_for_a_code_and_an_outcome_and_keeps_a_refused_one(qtbot, runner,
                                                                          header):  # fmt: skip
    pane, editing, case, ws, _rae, problems, _show = header
    _pick(pane.status, CaseStatus.RESOLVED)
    dialog = editing.resolve_dialog
    assert isinstance(dialog, ResolveDialog) and dialog.isVisible()
    dialog.buttons.accepted.emit()  # nothing chosen yet: the dialog says what is missing
    assert dialog.isVisible() and "resolution code" in dialog.problem.text()
    dialog.code.setCurrentIndex(dialog.code.findData("refunded"))
    dialog.outcome.setText("done")  # vague: the service refuses it
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: editing.resolve_dialog not in (None, dialog), timeout=10_000)
    again = editing.resolve_dialog
    assert again.outcome.text() == "done" and again.code.currentData() == "refunded"
    assert "does not say how the case ended" in again.problem.text()
    again.outcome.setText("Refunded order 88123 to the card ending 4242")
    with qtbot.waitSignal(editing.saved, timeout=10_000):
        again.buttons.accepted.emit()
    state = cases.get_case_state(ws, case.id)
    assert state.status is CaseStatus.RESOLVED and state.resolution_code == "refunded"
    assert state.resolution_outcome == "Refunded order 88123 to the card ending 4242"
    assert pane.fields["Resolution"].text() == (
        "Refunded: Refunded order 88123 to the card ending 4242"
    )
    assert [pane.status.itemData(i) for i in range(pane.status.count())] == [
        CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.OPEN]  # fmt: skip
    assert problems == []


def test_cancelling_the_resolve_dialog_changes_nothing(qtbot, header):
    pane, editing, case, ws, _rae, _problems, _show = header
    version = cases.get_case_state(ws, case.id).version
    _pick(pane.status, CaseStatus.RESOLVED)
    editing.resolve_dialog.reject()
    assert pane.status.currentData() == CaseStatus.OPEN
    assert cases.get_case_state(ws, case.id).version == version


@pytest.mark.parametrize("choice", ["keep", "take"])
def test_a_stale_edit_shows_both_sides_and_the_rep_chooses(db, qtbot, runner, header, choice):
    pane, editing, case, ws, _rae, problems, _show = header
    lead_ws, lee = db.sign_in("lead")
    seen = pane.version
    # Lee raises the priority while Rae has the case open; Rae then marks the customer angry.
    cases.change_case(lead_ws, lee, case.id, CaseChange(seen, priority=Priority.URGENT))
    _pick(pane.mood, Mood.ANGRY)
    qtbot.waitUntil(lambda: editing.conflict_dialog is not None, timeout=10_000)
    dialog = editing.conflict_dialog
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    assert "Lee Lead saved" in dialog.findChild(type(pane.title), "conflictIntro").text()
    saw, mine, now = (label.text() for label in dialog.rows["mood"])
    assert (saw, mine, now) == ("Neutral", "Angry", "Neutral")
    saw, mine, now = (label.text() for label in dialog.rows["priority"])
    assert (saw, mine, now) == ("Normal", "(unchanged)", "Urgent")
    dialog.reject()  # Esc decides nothing: the rep's change must not vanish silently
    assert dialog.isVisible()
    if choice == "keep":
        with qtbot.waitSignal(editing.saved, timeout=10_000):
            dialog.keep.click()
        state = cases.get_case_state(ws, case.id)
        assert (state.mood, state.priority) == (Mood.ANGRY, Priority.URGENT)
    else:
        with qtbot.waitSignal(editing.taken, timeout=10_000):
            dialog.take.click()
        state = cases.get_case_state(ws, case.id)
        assert (state.mood, state.priority) == (Mood.NEUTRAL, Priority.URGENT)
    assert pane.mood.currentData() == state.mood and pane.priority.currentData() == state.priority
    assert pane.version == state.version
    assert runner.wait_idle()
    assert problems == []
