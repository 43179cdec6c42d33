"""Handing a case on through the service (DESIGN.md §5): every kind of change of hands, lint
standing in the way until the note is good, a stale case, a retried request, permissions.

Each person uses their own database login, so on the servers the grants and the triggers of
migration 0002 are in force underneath the service.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from deskapp.db.models import Case, Team
from deskapp.domain.enums import CaseStatus, HandoffKind, Mood, RiskLevel
from deskapp.domain.errors import InvalidInput, PermissionDenied, StaleEdit
from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_lint import Severity
from deskapp.services import handoffs, teams
from deskapp.services.handoffs import HandoffOutcome, HandoffRejected
from tests.services.handoff_requests import (
    Desk,
    case_row,
    commitments_of,
    events,
    good_note,
    note_row,
    notes_of,
    request,
    sign_in_everyone,
)

pytestmark = pytest.mark.dialects("sqlite", "postgresql", "mariadb")


@pytest.fixture
def desk(db) -> Desk:
    return sign_in_everyone(db)


# ------------------------------------------------------------------------- kinds of handoff
def test_a_reassign_moves_the_case_to_its_note_and_records_it(desk):
    case = desk.new_case()
    content = good_note(desk.rep.ws)

    outcome = handoffs.hand_off(desk.rep.ws, desk.rep.actor, request(case, content, to=desk.rep2))

    assert outcome.case.assignee_id == desk.rep2.id
    assert outcome.case.version == case.version + 1
    assert outcome.warnings == ()
    row = case_row(desk.rep.ws, case.id)
    assert (row.current_handoff_id, row.transfer_count) == (outcome.note_id, 1)
    note = note_row(desk.rep.ws, outcome.note_id)
    assert (note.from_user_id, note.to_user_id) == (desk.rep.id, desk.rep2.id)
    assert (note.author_id, note.kind, note.unbriefed) == (desk.rep.id, HandoffKind.REASSIGN, False)
    assert handoffs.note_content(note) == content  # stored whole, read back the same
    [event] = events(desk.rep.ws, case.id, handoffs.HANDED_OFF)
    assert event.detail["kind"] == "reassign"
    assert event.detail["to_user"] == desk.rep2.id.hex
    assert event.detail["note_id"] == outcome.note_id.hex
    assert content.summary not in json.dumps(event.detail)  # no customer text in the audit


def test_each_promise_becomes_a_commitment_timer_on_the_case(desk):
    case = desk.new_case()
    content = good_note(desk.rep.ws)

    outcome = handoffs.hand_off(desk.rep.ws, desk.rep.actor, request(case, content, to=desk.rep2))

    [timer] = commitments_of(desk.rep.ws, case.id)
    assert timer.promise == content.commitments[0].promise
    assert timer.due_at == content.commitments[0].due
    assert (timer.handoff_note_id, timer.fulfilled_at) == (outcome.note_id, None)


def test_a_transfer_to_another_teams_queue(desk):
    billing = teams.create_team(desk.admin.ws, desk.admin.actor, "Billing")
    case = desk.new_case()

    outcome = handoffs.hand_off(
        desk.rep.ws,
        desk.rep.actor,
        request(case, good_note(desk.rep.ws), kind=HandoffKind.TRANSFER, to_team_id=billing.id),
    )

    assert (outcome.case.team_id, outcome.case.assignee_id) == (billing.id, None)
    note = note_row(desk.rep.ws, outcome.note_id)
    assert (note.from_team_id, note.to_team_id) == (desk.rep.actor.team_id, billing.id)


def test_a_release_puts_the_case_back_in_the_queue_as_new(desk):
    case = desk.new_case()

    outcome = handoffs.hand_off(
        desk.rep.ws,
        desk.rep.actor,
        request(case, good_note(desk.rep.ws), kind=HandoffKind.RELEASE),
    )

    assert outcome.case.assignee_id is None
    assert outcome.case.status is CaseStatus.NEW
    assert case_row(desk.rep.ws, case.id).transfer_count == 1


def test_a_release_to_a_person_is_refused(desk):
    case = desk.new_case()
    with pytest.raises(InvalidInput, match="team queue"):
        handoffs.hand_off(
            desk.rep.ws,
            desk.rep.actor,
            request(case, good_note(desk.rep.ws), kind=HandoffKind.RELEASE, to=desk.rep2),
        )
    assert notes_of(desk.rep.ws, case.id) == 0


def test_an_escalation_flags_the_case_and_hands_it_up(desk):
    case = desk.new_case()

    outcome = handoffs.hand_off(
        desk.rep.ws,
        desk.rep.actor,
        request(case, good_note(desk.rep.ws), kind=HandoffKind.ESCALATE, to=desk.lead),
    )

    assert outcome.case.status is CaseStatus.ESCALATED
    assert outcome.case.assignee_id == desk.lead.id
    assert case_row(desk.rep.ws, case.id).escalated is True


def test_a_lead_hands_an_absent_reps_case_over_unbriefed(desk):
    case = desk.new_case()

    outcome = handoffs.hand_off(
        desk.lead.ws,
        desk.lead.actor,
        request(case, NoteContent(), to=desk.rep2, unbriefed_reason="Rae is off sick this week"),
    )

    assert outcome.case.assignee_id == desk.rep2.id
    note = note_row(desk.lead.ws, outcome.note_id)
    assert (note.unbriefed, note.unbriefed_reason) == (True, "Rae is off sick this week")
    assert (note.author_id, note.from_user_id) == (desk.lead.id, desk.rep.id)


def test_an_unbriefed_handoff_still_blocks_a_card_number(desk):
    case = desk.new_case()
    leaked = NoteContent(summary="Customer read out her card 4111 1111 1111 1111 on the phone.")

    with pytest.raises(HandoffRejected) as rejected:
        handoffs.hand_off(
            desk.lead.ws,
            desk.lead.actor,
            request(case, leaked, to=desk.rep2, unbriefed_reason="Rae is off sick"),
        )

    assert [f.field for f in rejected.value.findings] == ["summary"]
    assert notes_of(desk.lead.ws, case.id) == 0


def test_a_rep_may_not_hand_over_unbriefed_nor_without_a_reason(desk):
    case = desk.new_case()
    with pytest.raises(PermissionDenied, match="unbriefed"):
        handoffs.hand_off(
            desk.rep.ws,
            desk.rep.actor,
            request(case, NoteContent(), to=desk.rep2, unbriefed_reason="I am in a hurry"),
        )
    with pytest.raises(InvalidInput, match="Say why"):
        handoffs.hand_off(
            desk.lead.ws,
            desk.lead.actor,
            request(case, NoteContent(), to=desk.rep2, unbriefed_reason="   "),
        )
    assert case_row(desk.rep.ws, case.id).assignee_id == desk.rep.id


# ------------------------------------------------------------------------- lint in the way
def test_blocking_findings_refuse_the_handoff_field_by_field(desk):
    case = desk.new_case()
    thin = good_note(desk.rep.ws, risk=None, summary="", next_actions=())

    with pytest.raises(HandoffRejected) as rejected:
        handoffs.hand_off(
            desk.rep.ws,
            desk.rep.actor,
            request(case, thin, to=desk.rep2, accept_warnings=True),  # cannot accept blocks
        )

    findings = rejected.value.findings
    assert {f.field for f in findings} >= {"risk", "summary", "next_actions"}
    assert all(f.severity is Severity.BLOCK for f in findings)
    message = str(rejected.value)
    assert "Situation:" in message and "Nothing was handed over" in message  # template labels
    assert case_row(desk.rep.ws, case.id).assignee_id == desk.rep.id
    assert notes_of(desk.rep.ws, case.id) == 0


def _team_rule_warns_about_refunds(desk: Desk) -> None:
    """The Support lead's template adds a warning rule (the way a lead tightens a template)."""
    from deskapp.services.handoff_templates import default_template

    base = default_template()
    template = {
        "version": 7,
        "fields": [vars(spec) for spec in base.fields],
        "rules": [
            {
                "field": "summary",
                "pattern": r"\brefund",
                "message": "Refunds over 40.00 need the billing lead's approval noted.",
                "severity": "warn",
            }
        ],
    }
    with desk.lead.ws.engine.begin() as conn:
        conn.execute(
            update(Team).where(Team.id == desk.lead.actor.team_id).values(handoff_template=template)
        )


def test_warnings_must_be_accepted_before_the_note_goes(desk):
    _team_rule_warns_about_refunds(desk)
    case = desk.new_case()
    content = good_note(desk.rep.ws)

    with pytest.raises(HandoffRejected) as rejected:
        handoffs.hand_off(desk.rep.ws, desk.rep.actor, request(case, content, to=desk.rep2))
    assert [(f.rule, f.severity) for f in rejected.value.findings] == [("team_rule", Severity.WARN)]
    assert "billing lead" in str(rejected.value)
    assert case_row(desk.rep.ws, case.id).assignee_id == desk.rep.id

    outcome = handoffs.hand_off(
        desk.rep.ws,
        desk.rep.actor,
        request(case, content, to=desk.rep2, accept_warnings=True),
    )

    assert [f.rule for f in outcome.warnings] == ["team_rule"]
    assert note_row(desk.rep.ws, outcome.note_id).template_version == 7
    [event] = events(desk.rep.ws, case.id, handoffs.HANDED_OFF)
    assert event.detail["warnings_accepted"] == ["team_rule"]
    assert event.detail["first_submit_clean"] is False


def test_a_note_clean_at_first_submit_is_recorded_as_such(desk):
    case = desk.new_case()
    other = desk.new_case()
    thin = good_note(desk.rep.ws, summary="")

    handoffs.hand_off(
        desk.rep.ws, desk.rep.actor, request(case, good_note(desk.rep.ws), to=desk.rep2)
    )
    with pytest.raises(HandoffRejected):
        handoffs.hand_off(desk.rep.ws, desk.rep.actor, request(other, thin, to=desk.rep2))
    handoffs.hand_off(
        desk.rep.ws, desk.rep.actor, request(other, good_note(desk.rep.ws), to=desk.rep2)
    )

    [clean] = events(desk.rep.ws, case.id, handoffs.HANDED_OFF)
    [fixed] = events(desk.rep.ws, other.id, handoffs.HANDED_OFF)
    assert (clean.detail["first_submit_clean"], fixed.detail["first_submit_clean"]) == (True, False)
    [refused] = events(desk.rep.ws, other.id, handoffs.SUBMIT_REFUSED)
    assert refused.detail == {"rules": ["empty"]}  # which rules, never the note's text


def test_lint_for_compares_with_the_previous_note_at_the_servers_clock(desk):
    case = desk.new_case()
    content = good_note(desk.rep.ws)
    assert handoffs.lint_for(desk.rep.ws, desk.rep.actor, case.id, content) == []
    moved = handoffs.hand_off(desk.rep.ws, desk.rep.actor, request(case, content, to=desk.rep2))

    findings = handoffs.lint_for(desk.rep2.ws, desk.rep2.actor, case.id, content)

    assert "copied_note" in {f.rule for f in findings}
    assert moved.case.assignee_id == desk.rep2.id


# ------------------------------------------------------------------------- many clients
def test_a_stale_case_is_not_handed_over_and_says_so(desk):
    case = desk.new_case()
    content = good_note(desk.rep.ws)

    with pytest.raises(StaleEdit) as stale:
        handoffs.hand_off(
            desk.rep.ws,
            desk.rep.actor,
            request(case, content, to=desk.rep2, expected_version=case.version - 1),
        )

    assert "Your note is kept" in str(stale.value)
    assert notes_of(desk.rep.ws, case.id) == 0
    assert case_row(desk.rep.ws, case.id).assignee_id == desk.rep.id


def test_a_retry_after_a_lost_reply_hands_over_once(desk):
    _team_rule_warns_about_refunds(desk)
    case = desk.new_case()
    same = request(case, good_note(desk.rep.ws), to=desk.rep2, accept_warnings=True)

    first = handoffs.hand_off(desk.rep.ws, desk.rep.actor, same)
    second = handoffs.hand_off(desk.rep.ws, desk.rep.actor, same)  # the reply never came

    assert isinstance(second, HandoffOutcome)
    assert second == first
    assert notes_of(desk.rep.ws, case.id) == 1
    assert len(commitments_of(desk.rep.ws, case.id)) == 1
    assert len(events(desk.rep.ws, case.id, handoffs.HANDED_OFF)) == 1
    assert case_row(desk.rep.ws, case.id).transfer_count == 1


# ------------------------------------------------------------------------- who may
def test_a_rep_hands_on_only_their_own_cases_and_a_lead_their_teams(desk):
    theirs = desk.new_case(desk.rep2)
    with pytest.raises(PermissionDenied, match="not yours"):
        handoffs.hand_off(
            desk.rep.ws, desk.rep.actor, request(theirs, good_note(desk.rep.ws), to=desk.rep)
        )

    outcome = handoffs.hand_off(
        desk.lead.ws, desk.lead.actor, request(theirs, good_note(desk.lead.ws), to=desk.rep)
    )
    assert outcome.case.assignee_id == desk.rep.id


def test_a_lead_bulk_reassigns_and_a_changed_case_is_reported_not_overwritten(desk):
    first, changed = desk.new_case(), desk.new_case()
    with desk.rep.ws.engine.begin() as conn:  # someone edits the case after the preview
        conn.execute(
            update(Case)
            .where(Case.id == changed.id)
            .values(mood=Mood.ANGRY, version=Case.version + 1)
        )
    batch = [
        request(case, good_note(desk.lead.ws), kind=HandoffKind.BULK_REASSIGN, to=desk.rep2)
        for case in (first, changed)
    ]

    results = handoffs.bulk_hand_off(desk.lead.ws, desk.lead.actor, batch)

    assert isinstance(results[0], HandoffOutcome) and results[0].case.assignee_id == desk.rep2.id
    assert isinstance(results[1], StaleEdit)
    assert case_row(desk.lead.ws, changed.id).assignee_id == desk.rep.id
    with pytest.raises(PermissionDenied):
        handoffs.bulk_hand_off(desk.rep.ws, desk.rep.actor, batch)


def test_the_note_records_the_risk_even_when_unbriefed_gave_none(desk):
    case = desk.new_case()
    outcome = handoffs.hand_off(
        desk.lead.ws,
        desk.lead.actor,
        request(case, NoteContent(), kind=HandoffKind.RELEASE, unbriefed_reason="Rae left"),
    )
    assert note_row(desk.lead.ws, outcome.note_id).risk is RiskLevel.WATCH


def test_quality_figures_see_notes_handed_over_through_the_service(desk):
    """The figures read the handoff service's own audit record (one name for both)."""
    from deskapp.services.handoff_followup import quality_figures

    clean_case, refused_case = desk.new_case(), desk.new_case()
    handoffs.hand_off(desk.rep.ws, desk.rep.actor,
                      request(clean_case, good_note(desk.rep.ws), to=desk.rep2))  # fmt: skip
    with pytest.raises(handoffs.HandoffRejected):
        handoffs.hand_off(desk.rep.ws, desk.rep.actor, request(
            refused_case, good_note(desk.rep.ws, summary=""), to=desk.rep2))  # fmt: skip
    handoffs.hand_off(desk.rep.ws, desk.rep.actor,
                      request(refused_case, good_note(desk.rep.ws), to=desk.rep2))  # fmt: skip
    rows = quality_figures(desk.lead.ws, desk.lead.actor, desk.lead.actor.team_id)
    rae = next(r for r in rows if r.user_id == desk.rep.id)
    assert rae.notes_written == 2
    assert rae.notes_with_lint_record == 2
    assert rae.clean_first_submit_share == pytest.approx(0.5)
