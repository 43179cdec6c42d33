"""A lead reassigns a selection, or moves every case of a rep who is out (issue 8): the preview
starts each note from the owner's draft, else their latest note, else nothing; each case moves
on its own; a case changed meanwhile or a note lint blocks is reported while the others move;
unbriefed handoffs carry the reason and their receivers accept them in one go.

Each person uses their own login, so on the servers the grants and the handoff trigger of
migration 0002 are in force underneath the services.
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from sqlalchemy import update

from deskapp.db.models import Case
from deskapp.domain.enums import CaseStatus, Channel, HandoffKind, Priority, Role
from deskapp.domain.errors import InvalidInput, PermissionDenied
from deskapp.domain.handoff import NoteContent
from deskapp.services import (
    cases,
    customers,
    handoff_drafts,
    handoff_waiting,
    handoffs,
    reassignment_plan,
    teams,
)
from deskapp.services.reassignment import (
    MoveOrder,
    MoveStatus,
    acknowledge_unbriefed,
    order_from_plan,
    reassign,
)
from deskapp.services.reassignment_plan import (
    PrefillSource,
    Receiver,
    Spread,
    plan_absence,
    plan_reassignment,
    spread_cases,
)
from deskapp.services.records import CaseInfo
from tests.services.handoff_requests import (
    Desk,
    case_row,
    events,
    good_note,
    note_row,
    notes_of,
    request,
    sign_in_everyone,
)

pytestmark = pytest.mark.dialects("sqlite", "postgresql", "mariadb")
REASON = "Rae is off sick today"
CARD = "Refunded to card 4111 1111 1111 1111 and emailed her the receipt."


@pytest.fixture
def desk(db) -> Desk:
    return sign_in_everyone(db)


def _back_and_forth(desk: Desk, case: CaseInfo, summary: str) -> None:
    """The rep hands ``case`` to Ray with a note of their own, and Ray hands it back."""
    tail = (
        " Ines Moreau was charged twice for October and wants the duplicate refunded by the 28th."
    )
    rep_note = good_note(desk.rep.ws, summary=summary + tail)
    handoffs.hand_off(desk.rep.ws, desk.rep.actor, request(case, rep_note, to=desk.rep2))
    moved = case_row(desk.rep.ws, case.id)
    back = good_note(
        desk.rep2.ws,
        summary=(
            "Ray: payments asked Ines for the last four digits of the card before they refund "
            "the duplicate October charge; she has been told and will reply by email."
        ),
    )
    handoffs.hand_off(
        desk.rep2.ws,
        desk.rep2.actor,
        request(case, back, to=desk.rep, expected_version=moved.version),
    )


def _orders(desk: Desk, case_list: list[CaseInfo], to) -> list[MoveOrder]:
    note = good_note(desk.lead.ws)
    return [MoveOrder(c.id, to, note, case_row(desk.lead.ws, c.id).version) for c in case_list]


# ------------------------------------------------------------------------- the preview
def test_the_preview_starts_from_the_owners_draft_then_their_latest_note_then_nothing(desk):
    drafted, noted, bare = desk.new_case(), desk.new_case(), desk.new_case()
    _back_and_forth(desk, drafted, "Rae's old note on the drafted case, overtaken by her draft.")
    _back_and_forth(desk, noted, "Rae's own note: Ines wants the duplicate charge refunded.")
    draft = NoteContent(summary="Rae's unsent draft: refund approved, email still to send.")
    handoff_drafts.save_draft(desk.rep.ws, desk.rep.actor, drafted.id, draft)
    # Someone else's draft is not the owner's: it never stands in for the owner's words.
    handoff_drafts.save_draft(desk.lead.ws, desk.lead.actor, bare.id, NoteContent(summary="Lee's"))

    plan = plan_reassignment(
        desk.lead.ws, desk.lead.actor, [drafted.id, noted.id, bare.id], desk.rep2.id
    )

    by_case = {m.case_id: m for m in plan.moves}
    assert [m.case_id for m in plan.moves] == [drafted.id, noted.id, bare.id], "selection order"
    assert by_case[drafted.id].prefill == draft
    assert by_case[drafted.id].prefill_source is PrefillSource.DRAFT
    assert by_case[noted.id].prefill.summary.startswith("Rae's own note")
    assert by_case[noted.id].prefill_source is PrefillSource.OWNER_NOTE
    assert by_case[noted.id].previous is not None
    assert by_case[noted.id].previous.summary.startswith("Ray:"), "lint compares with it"
    assert by_case[bare.id].prefill == NoteContent()
    assert by_case[bare.id].prefill_source is PrefillSource.NONE
    # Which would go unbriefed: nothing usable written (the draft alone still blocks).
    assert {m.case_id: m.needs_unbriefed for m in plan.moves} == {
        drafted.id: True,
        noted.id: False,
        bare.id: True,
    }
    for move in plan.moves:
        assert (move.from_user_id, move.from_name, move.to_user_id) == (
            desk.rep.id,
            desk.rep.actor.display_name,
            desk.rep2.id,
        )
        assert move.expected_version == case_row(desk.rep.ws, move.case_id).version
    assert {r.user_id for r in plan.receivers} >= {desk.rep.id, desk.rep2.id, desk.lead.id}
    assert plan.template_for(drafted.team_id).fields


def test_the_preview_sets_apart_what_cannot_move_and_says_why(desk):
    open_case, theirs_already, resolved = desk.new_case(), desk.new_case(desk.rep2), desk.new_case()
    with desk.rep.ws.engine.begin() as conn:
        conn.execute(
            update(Case)
            .where(Case.id == resolved.id)
            .values(status=CaseStatus.RESOLVED, version=Case.version + 1)
        )

    plan = plan_reassignment(
        desk.lead.ws, desk.lead.actor, [open_case.id, theirs_already.id, resolved.id], desk.rep2.id
    )

    assert [m.case_id for m in plan.moves] == [open_case.id]
    reasons = {s.case_id: s.reason for s in plan.skipped}
    assert reasons[theirs_already.id] == f"{theirs_already.key} is already Ray Rep's."
    assert "nothing to move" in reasons[resolved.id]


# ------------------------------------------------------------------------- moving
def test_each_case_moves_on_its_own_and_a_case_changed_meanwhile_is_reported(desk):
    first, changed, third = desk.new_case(), desk.new_case(), desk.new_case()
    orders = _orders(desk, [first, changed, third], desk.rep2.id)
    # After the preview the owner raises the priority of one case: it must not be overwritten.
    cases.change_case(
        desk.rep.ws,
        desk.rep.actor,
        changed.id,
        cases.CaseChange(expected_version=changed.version, priority=Priority.HIGH),
    )

    report = reassign(desk.lead.ws, desk.lead.actor, orders, f"  {REASON}  ")

    assert [r.status for r in report.results] == [
        MoveStatus.MOVED,
        MoveStatus.CHANGED,
        MoveStatus.MOVED,
    ]
    assert report.changed[0].key == changed.key
    assert "changed by someone else" in report.changed[0].message
    assert report.headline() == "2 cases moved, 1 changed meanwhile (left as they are)."
    still = case_row(desk.rep.ws, changed.id)
    assert (still.assignee_id, still.priority) == (desk.rep.id, Priority.HIGH)
    assert notes_of(desk.rep.ws, changed.id) == 0
    for moved, result in ((first, report.results[0]), (third, report.results[2])):
        row = case_row(desk.rep.ws, moved.id)
        assert (row.assignee_id, row.current_handoff_id) == (desk.rep2.id, result.note_id)
        assert result.message == "to Ray Rep"
        note = note_row(desk.rep.ws, result.note_id)
        assert (note.author_id, note.kind, note.unbriefed) == (
            desk.lead.id,
            HandoffKind.BULK_REASSIGN,
            False,
        )
        [event] = events(desk.rep.ws, moved.id, handoffs.HANDED_OFF)
        assert event.reason == REASON, "the one reason is recorded with every move"


def test_a_note_lint_blocks_is_refused_and_reported_while_the_others_move(desk):
    good, carded = desk.new_case(), desk.new_case()
    orders = _orders(desk, [good, carded], desk.rep2.id)
    orders[1] = dataclasses.replace(orders[1], content=good_note(desk.lead.ws, done=CARD))

    report = reassign(desk.lead.ws, desk.lead.actor, orders, REASON)

    assert [r.status for r in report.results] == [MoveStatus.MOVED, MoveStatus.REFUSED]
    refused = report.refused[0]
    assert refused.key == carded.key and "not ready" in refused.message
    assert "card_number" in {f.rule for f in refused.findings}
    assert "4111" not in refused.message, "the card number is never repeated"
    assert case_row(desk.rep.ws, carded.id).assignee_id == desk.rep.id
    assert case_row(desk.rep.ws, good.id).assignee_id == desk.rep2.id


def test_one_case_to_one_person_is_a_plain_reassign_and_a_retry_moves_it_once(desk):
    case = desk.new_case()
    [order] = _orders(desk, [case], desk.rep2.id)

    first = reassign(desk.lead.ws, desk.lead.actor, [order], REASON)
    again = reassign(desk.lead.ws, desk.lead.actor, [order], REASON)  # the reply was lost

    assert first.moved[0].note_id == again.moved[0].note_id == order.request_id
    assert note_row(desk.rep.ws, order.request_id).kind is HandoffKind.REASSIGN
    assert notes_of(desk.rep.ws, case.id) == 1
    assert case_row(desk.rep.ws, case.id).transfer_count == 1


def test_a_reassignment_needs_a_reason(desk):
    orders = _orders(desk, [desk.new_case()], desk.rep2.id)
    with pytest.raises(InvalidInput, match="Say why these cases move"):
        reassign(desk.lead.ws, desk.lead.actor, orders, "   ")
    with pytest.raises(InvalidInput, match="under 300 characters"):
        reassign(desk.lead.ws, desk.lead.actor, orders, "x" * 301)


# ------------------------------------------------------------------------- rep is out
def test_rep_is_out_to_the_team_queue_with_unbriefed_handoffs_where_nothing_better(desk):
    briefed, bare, waiting = desk.new_case(), desk.new_case(), desk.new_case()
    handoff_drafts.save_draft(desk.rep.ws, desk.rep.actor, briefed.id, good_note(desk.rep.ws))
    cases.change_case(
        desk.rep.ws,
        desk.rep.actor,
        waiting.id,
        cases.CaseChange(expected_version=waiting.version, status=CaseStatus.PENDING_CUSTOMER),
    )
    someone_elses = desk.new_case(desk.rep2)

    plan = plan_absence(desk.lead.ws, desk.lead.actor, desk.rep.id)

    assert {m.case_id for m in plan.moves} == {briefed.id, bare.id, waiting.id}
    assert someone_elses.id not in {m.case_id for m in plan.moves}
    assert all(m.to_user_id is None for m in plan.moves), "the team queue"
    orders = [order_from_plan(m) for m in plan.moves]
    assert {o.case_id: o.unbriefed for o in orders} == {
        briefed.id: False,
        bare.id: True,
        waiting.id: True,
    }

    report = reassign(desk.lead.ws, desk.lead.actor, orders, REASON)

    assert len(report.moved) == 3, report
    for result in report.moved:
        row = case_row(desk.rep.ws, result.case_id)
        assert row.assignee_id is None and row.team_id == desk.rep.actor.team_id
        note = note_row(desk.rep.ws, result.note_id)
        assert note.to_user_id is None
        assert note.unbriefed is (result.case_id != briefed.id)
        assert note.unbriefed_reason == (None if result.case_id == briefed.id else REASON)
    [briefed_result] = [r for r in report.moved if r.case_id == briefed.id]
    briefed_note = note_row(desk.rep.ws, briefed_result.note_id)
    assert handoffs.note_content(briefed_note).summary == good_note(desk.rep.ws).summary
    # Moved, not released: a case waiting on the customer still waits (its SLA stays paused).
    assert case_row(desk.rep.ws, waiting.id).status is CaseStatus.PENDING_CUSTOMER
    assert plan_absence(desk.lead.ws, desk.lead.actor, desk.rep.id).moves == ()


def test_rep_is_out_moves_the_most_urgent_first_and_says_how_many_wait_for_another_run(
    desk, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(reassignment_plan, "MAX_CASES", 2)
    for _ in range(3):
        desk.new_case()

    plan = plan_absence(desk.lead.ws, desk.lead.actor, desk.rep.id)

    assert len(plan.moves) == 2
    assert plan.left_for_later == 1, "never a silent cut"


def test_rep_is_out_spreads_over_named_colleagues_and_they_accept_in_one_go(desk):
    out = [desk.new_case() for _ in range(4)]
    desk.new_case(desk.rep2)  # Ray already holds two open cases; Lee holds none
    desk.new_case(desk.rep2)

    by_load = plan_absence(
        desk.lead.ws,
        desk.lead.actor,
        desk.rep.id,
        receivers=[desk.rep2.id, desk.lead.id],
        spread=Spread.BY_LOAD,
    )
    turns = plan_absence(
        desk.lead.ws,
        desk.lead.actor,
        desk.rep.id,
        receivers=[desk.rep2.id, desk.lead.id],
        spread=Spread.ROUND_ROBIN,
    )

    ray, lee = desk.rep2.id, desk.lead.id
    assert [m.to_user_id for m in by_load.moves] == [lee, lee, ray, lee]
    assert [m.to_user_id for m in turns.moves] == [ray, lee, ray, lee]
    assert {m.case_id for m in turns.moves} == {c.id for c in out}

    report = reassign(
        desk.lead.ws, desk.lead.actor, [order_from_plan(m) for m in turns.moves], REASON
    )
    assert len(report.moved) == 4 and all("(unbriefed)" in r.message for r in report.moved)

    waiting = handoff_waiting.to_acknowledge(desk.rep2.ws, desk.rep2.actor)
    assert len(waiting) == 2
    assert all(w.unbriefed and w.unbriefed_reason == REASON for w in waiting), "flagged"
    accepted = acknowledge_unbriefed(desk.rep2.ws, desk.rep2.actor, [w.note_id for w in waiting])
    assert accepted == 2
    assert handoff_waiting.to_acknowledge(desk.rep2.ws, desk.rep2.actor) == []
    assert len(handoff_waiting.to_acknowledge(desk.lead.ws, desk.lead.actor)) == 2, "Lee's own"


def test_spreading_by_load_evens_out_and_round_robin_takes_turns():
    ids = [uuid.uuid4() for _ in range(5)]
    a = Receiver(uuid.uuid4(), "A", None, Role.REP, open_cases=3)
    b = Receiver(uuid.uuid4(), "B", None, Role.REP, open_cases=0)
    assert list(spread_cases(ids, [a, b], Spread.BY_LOAD).values()) == [
        b.user_id,
        b.user_id,
        b.user_id,
        a.user_id,
        b.user_id,
    ]
    assert list(spread_cases(ids, [a, b], Spread.ROUND_ROBIN).values()) == [
        a.user_id,
        b.user_id,
        a.user_id,
        b.user_id,
        a.user_id,
    ]
    assert spread_cases(ids, [], Spread.BY_LOAD) == {}


def test_rep_is_out_refuses_the_absent_rep_as_a_receiver(desk):
    desk.new_case()
    with pytest.raises(InvalidInput, match="the one who is out"):
        plan_absence(desk.lead.ws, desk.lead.actor, desk.rep.id, receivers=[desk.rep.id])


# ------------------------------------------------------------------------- rights
def test_a_rep_may_not_reassign_or_move_an_absent_colleagues_cases(desk):
    case = desk.new_case(desk.rep2)
    orders = _orders(desk, [case], desk.rep.id)
    for attempt in (
        lambda: plan_reassignment(desk.rep.ws, desk.rep.actor, [case.id], desk.rep.id),
        lambda: plan_absence(desk.rep.ws, desk.rep.actor, desk.rep2.id),
        lambda: reassign(desk.rep.ws, desk.rep.actor, orders, REASON),
    ):
        with pytest.raises(PermissionDenied, match="Only a team lead or admin can"):
            attempt()
    assert case_row(desk.rep.ws, case.id).assignee_id == desk.rep2.id


def test_a_lead_moves_only_their_own_teams_cases_and_an_admin_any(desk):
    other = teams.create_team(desk.admin.ws, desk.admin.actor, "Billing")
    customer = customers.create_customer(
        desk.admin.ws, desk.admin.actor, customers.NewCustomer("Ola Berg")
    )
    elsewhere = cases.create_case(
        desk.admin.ws,
        desk.admin.actor,
        cases.NewCase(
            customer, other.id, "Invoice address wrong", Channel.EMAIL, assign_to_me=False
        ),
    )
    ours = desk.new_case()

    plan = plan_reassignment(desk.lead.ws, desk.lead.actor, [ours.id, elsewhere.id])
    assert [m.case_id for m in plan.moves] == [ours.id]
    assert plan.skipped[0].reason == f"{elsewhere.key} is in another team: its own lead moves it."
    forced = MoveOrder(elsewhere.id, None, NoteContent(), elsewhere.version, unbriefed=True)
    [refused] = reassign(desk.lead.ws, desk.lead.actor, [forced], REASON).results
    assert refused.status is MoveStatus.REFUSED and "another team" in refused.message

    admin_plan = plan_reassignment(desk.admin.ws, desk.admin.actor, [elsewhere.id])
    assert [m.case_id for m in admin_plan.moves] == [elsewhere.id]
    assert admin_plan.moves[0].from_name is None, "it sits in Billing's queue"


# ------------------------------------------------------------------------- receivers
def test_only_unbriefed_handoffs_are_accepted_in_a_batch(desk):
    briefed = desk.new_case()
    outcome = handoffs.hand_off(
        desk.rep.ws, desk.rep.actor, request(briefed, good_note(desk.rep.ws), to=desk.rep2)
    )
    bare = desk.new_case()
    [result] = reassign(
        desk.lead.ws,
        desk.lead.actor,
        [MoveOrder(bare.id, desk.rep2.id, NoteContent(), bare.version, unbriefed=True)],
        REASON,
    ).results

    with pytest.raises(InvalidInput, match="came with a briefing"):
        acknowledge_unbriefed(desk.rep2.ws, desk.rep2.actor, [result.note_id, outcome.note_id])
    assert len(handoff_waiting.to_acknowledge(desk.rep2.ws, desk.rep2.actor)) == 2, "none"
    with pytest.raises(PermissionDenied):  # addressed to Ray, not to Rae
        acknowledge_unbriefed(desk.rep.ws, desk.rep.actor, [result.note_id])
    assert acknowledge_unbriefed(desk.rep2.ws, desk.rep2.actor, [result.note_id]) == 1
    [left] = handoff_waiting.to_acknowledge(desk.rep2.ws, desk.rep2.actor)
    assert left.note_id == outcome.note_id, "the briefed note still waits for its read-back"
