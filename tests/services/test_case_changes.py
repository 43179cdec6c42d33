"""Changing a case from the case view: status along the lifecycle (DESIGN.md §4), priority,
category and mood — each version-checked, audited, and never lost when someone saved first."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from deskapp.db.models import Case, Team
from deskapp.domain.case_lifecycle import InvalidTransition, next_statuses
from deskapp.domain.enums import CaseStatus, Mood, Priority
from deskapp.domain.errors import InvalidInput, PermissionDenied, StaleEdit
from deskapp.services import audit, cases
from deskapp.services.cases import CaseChange, CaseEditConflict
from deskapp.services.unit_of_work import write_session
from tests.services.handoff_helpers import db_now, new_case

S = CaseStatus


def _change(ws, actor, case_id, **fields):
    current = cases.get_case_state(ws, case_id)
    return cases.change_case(ws, actor, case_id, CaseChange(current.version, **fields))


def _updates(ws, case_id):
    return [e.detail for e in audit.history(ws, case_id=case_id) if e.action == cases.UPDATED]


def test_resolving_asks_for_a_resolution_code_and_a_one_line_outcome(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    with pytest.raises(InvalidInput, match="resolution code"):
        _change(ws, rep, case.id, status=S.RESOLVED, outcome="Refunded order 88123")
    with pytest.raises(InvalidInput, match="not a resolution code"):
        _change(ws, rep, case.id, status=S.RESOLVED, resolution_code="magic", outcome="x y z")
    with pytest.raises(InvalidInput, match="outcome in one line"):
        _change(ws, rep, case.id, status=S.RESOLVED, resolution_code="refunded", outcome="  ")
    with pytest.raises(InvalidInput, match="does not say how the case ended"):
        _change(ws, rep, case.id, status=S.RESOLVED, resolution_code="fixed", outcome="done")
    assert cases.get_case_state(ws, case.id).status is S.OPEN, "refusals change nothing"

    resolved = _change(
        ws,
        rep,
        case.id,
        status=S.RESOLVED,
        resolution_code="refunded",
        outcome="Refunded order 88123\n to the card 4111 1111 1111 1111",
    )

    assert resolved.status is S.RESOLVED
    assert resolved.resolution_code == "refunded"
    assert resolved.resolution_outcome == "Refunded order 88123 to the card **** **** **** 1111"
    assert resolved.resolved_at is not None and resolved.resolved_at <= db_now(ws)
    assert resolved.version == case.version + 1
    [event] = _updates(ws, case.id)
    assert event["status"] == {"from": "open", "to": "resolved"}
    assert event["resolution_code"] == {"from": None, "to": "refunded"}
    assert "4111" not in str(event), "the audit keeps no outcome text"


def test_a_closed_case_refuses_to_become_pending_and_says_what_to_do_instead(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    _change(
        ws,
        rep,
        case.id,
        status=S.RESOLVED,
        resolution_code="explained",
        outcome="Explained the VAT line on invoice 5521",
    )
    closed = _change(ws, rep, case.id, status=S.CLOSED)
    assert closed.closed_at is not None and closed.next_statuses == ()

    with pytest.raises(InvalidTransition) as refused:
        _change(ws, rep, case.id, status=S.PENDING_CUSTOMER)
    assert str(refused.value).startswith(f"{case.key} is Closed; it cannot become Pending customer")
    assert "open a new case" in str(refused.value)
    with pytest.raises(InvalidTransition, match="no longer changes"):
        _change(ws, rep, case.id, priority=Priority.URGENT)
    assert cases.get_case_state(ws, case.id).version == closed.version


@pytest.mark.parametrize(
    ("start", "target", "advice"),
    [
        (S.OPEN, S.CLOSED, "Resolve it first"),
        (S.OPEN, S.NEW, "release it with a handoff note"),
        (S.RESOLVED, S.PENDING_INTERNAL, "Reopen it first"),
    ],
)
def test_transitions_outside_the_lifecycle_are_refused_with_advice(db, start, target, advice):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    if start is S.RESOLVED:
        _change(
            ws,
            rep,
            case.id,
            status=S.RESOLVED,
            resolution_code="fixed",
            outcome="Replaced the faulty router, serial RT-5521",
        )
    with pytest.raises(InvalidTransition, match=advice):
        _change(ws, rep, case.id, status=target)


def test_a_new_case_opens_when_taken_but_may_be_resolved_straight_from_the_queue(db):
    ws, rep = db.sign_in("rep")
    customer_id = new_case(ws, rep).customer_id
    queued = cases.create_case(
        ws,
        rep,
        cases.NewCase(
            customer_id, db.team_id, "Spam: win a phone", cases.Channel.EMAIL, assign_to_me=False
        ),
    )
    assert next_statuses(S.NEW) == (S.RESOLVED,)
    with pytest.raises(InvalidTransition, match="Take the case from the queue first"):
        _change(ws, rep, queued.id, status=S.OPEN)
    done = _change(
        ws,
        rep,
        queued.id,
        status=S.RESOLVED,
        resolution_code="spam",
        outcome="Spam email about a phone prize; no customer request",
    )
    assert done.status is S.RESOLVED


def test_reopening_a_resolved_case_counts_it_and_clears_the_old_resolution(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    _change(
        ws,
        rep,
        case.id,
        status=S.RESOLVED,
        resolution_code="fixed",
        outcome="Firmware 2.1 installed; line stable for a night",
    )
    reopened = _change(ws, rep, case.id, status=S.OPEN, reason="Line dropped again")
    assert reopened.reopen_count == 1
    assert reopened.status is S.OPEN
    assert (reopened.resolution_code, reopened.resolution_outcome, reopened.resolved_at) == (
        None,
        None,
        None,
    )
    last = audit.history(ws, case_id=case.id)[-1]
    assert last.reason == "Line dropped again"
    assert last.detail["reopened"]["resolution_code"] == "fixed", "the old resolution is kept"

    _change(
        ws,
        rep,
        case.id,
        status=S.RESOLVED,
        resolution_code="replaced",
        outcome="Sent a new router, tracking 1Z999AA1",
    )
    assert _change(ws, rep, case.id, status=S.OPEN).reopen_count == 2


def test_priority_category_and_mood_change_in_one_audited_step(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    changed = _change(
        ws, rep, case.id, priority=Priority.HIGH, category="  billing  ", mood=Mood.ANGRY
    )
    assert (changed.priority, changed.category, changed.mood) == (
        Priority.HIGH,
        "billing",
        Mood.ANGRY,
    )
    [event] = _updates(ws, case.id)
    assert event["priority"] == {"from": "normal", "to": "high"}
    assert event["category"] == {"from": None, "to": "billing"}
    assert event["mood"] == {"from": "neutral", "to": "angry"}
    assert event["version"] == changed.version

    cleared = _change(ws, rep, case.id, category="")
    assert cleared.category is None
    same = _change(ws, rep, case.id, priority=Priority.HIGH)
    assert same.version == cleared.version, "a change to the same value is no change"
    with pytest.raises(InvalidInput, match="at most 80"):
        _change(ws, rep, case.id, category="x" * 81)


def test_a_stale_edit_keeps_the_reps_wish_beside_the_case_as_it_is_now(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    seen = cases.get_case_state(ws, case.id)
    wsl, lead = db.sign_in("lead")
    cases.change_case(wsl, lead, case.id, CaseChange(seen.version, priority=Priority.URGENT))

    wish = CaseChange(seen.version, status=S.PENDING_CUSTOMER, priority=Priority.LOW)
    with pytest.raises(StaleEdit) as stale:
        cases.change_case(ws, rep, case.id, wish)

    conflict = stale.value
    assert isinstance(conflict, CaseEditConflict)
    assert conflict.wanted == wish, "the rep's change comes back untouched"
    assert conflict.current.priority is Priority.URGENT
    assert conflict.current.version == seen.version + 1
    assert conflict.changed_by == "Lee Lead"
    assert conflict.conflicting_fields == ("status", "priority")
    assert "Lee Lead" in str(conflict) and "Your changes are kept" in str(conflict)
    now = cases.get_case_state(ws, case.id)
    assert (now.status, now.priority) == (S.OPEN, Priority.URGENT), "nothing overwritten"


def test_a_retried_change_applies_once_and_is_not_stale_against_itself(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    change = CaseChange(case.version, status=S.PENDING_INTERNAL, request_id=uuid.uuid4())
    first = cases.change_case(ws, rep, case.id, change)
    again = cases.change_case(ws, rep, case.id, change)  # the reply of the first was lost
    assert again == first
    assert len(_updates(ws, case.id)) == 1


def test_a_rep_cannot_change_a_colleagues_case(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    ws2, rep2 = db.sign_in("rep2")
    with pytest.raises(PermissionDenied, match="belongs to someone else"):
        cases.change_case(ws2, rep2, case.id, CaseChange(case.version, mood=Mood.CALM))


def test_escalating_sets_the_flag_which_stays_after_de_escalating(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    assert _change(ws, rep, case.id, status=S.ESCALATED).escalated
    back = _change(ws, rep, case.id, status=S.OPEN)
    assert back.escalated and back.status is S.OPEN and back.reopen_count == 0


def test_pending_customer_stops_the_sla_clock_and_resuming_moves_the_running_due_times(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    wsa, _admin = db.sign_in("admin")
    now = db_now(ws)
    with write_session(wsa) as session:  # a team that works around the clock: wall time counts
        session.execute(update(Team).where(Team.id == db.team_id).values(business_hours={}))
        session.execute(
            update(Case)
            .where(Case.id == case.id)
            .values(
                resolution_due=now + timedelta(hours=1),
                next_response_due=now - timedelta(hours=3),  # breached before the pause
            )
        )
    paused = _change(ws, rep, case.id, status=S.PENDING_CUSTOMER)
    assert paused.sla_paused_at is not None
    with write_session(wsa) as session:  # as if the pause began two hours ago
        session.execute(
            update(Case)
            .where(Case.id == case.id)
            .values(
                sla_paused_at=paused.sla_paused_at - timedelta(hours=2),
                resolution_due=paused.resolution_due - timedelta(hours=2),
                next_response_due=paused.next_response_due,
            )
        )
    before = cases.get_case_state(ws, case.id)

    resumed = _change(ws, rep, case.id, status=S.OPEN)

    assert resumed.sla_paused_at is None
    assert resumed.resolution_due is not None and before.resolution_due is not None
    moved = resumed.resolution_due - before.resolution_due
    assert timedelta(hours=2) <= moved < timedelta(hours=2, minutes=1)
    assert resumed.next_response_due == before.next_response_due, "breached stays breached"
    assert "sla_resumed" in _updates(ws, case.id)[-1]
