"""Commitment timers, what changed since the last handoff, and handoff-quality figures."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from deskapp.domain.enums import CaseStatus, Role
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from deskapp.services import cases, teams
from deskapp.services.handoff_followup import (
    acknowledge,
    changes_since_last_handoff,
    commitments_due,
    quality_figures,
)
from deskapp.services.records import Actor
from tests.services.handoff_helpers import (
    db_now,
    hand_over,
    log_interaction,
    mark_reopened,
    new_case,
    promise,
)

MINUTE = timedelta(minutes=1)


@pytest.fixture
def people(db):
    return {who: db.sign_in(who) for who in ("rep", "rep2", "lead", "admin")}


# ----------------------------------------------------------------------------- commitments
def test_commitments_due_are_mine_overdue_or_soon_soonest_first(people):
    (ws, rep), (ws2, rep2), (wsl, lead) = people["rep"], people["rep2"], people["lead"]
    case = new_case(ws, rep)
    soon = promise(ws, rep, case.id, "Call back with the engineer slot", timedelta(hours=3))
    overdue = promise(ws, rep, case.id, "Email the refund receipt", timedelta(hours=-1))
    later = promise(ws, rep, case.id, "Confirm the line is stable", timedelta(days=3))
    promise(ws, rep, case.id, "Kept already", timedelta(hours=-2), fulfilled=True)
    theirs = promise(ws2, rep2, new_case(ws2, rep2).id, "Send the contract", timedelta(hours=1))

    rows = commitments_due(ws, rep)
    assert [r.commitment_id for r in rows] == [overdue, soon]
    assert [r.overdue for r in rows] == [True, False]
    assert (rows[0].case_key, rows[0].promise, rows[0].owner) == (
        case.key, "Email the refund receipt", "Rae Rep",
    )  # fmt: skip
    now = db_now(ws)
    assert abs(rows[0].due - (now - timedelta(hours=1))) < MINUTE

    wider = commitments_due(ws, rep, within=timedelta(days=4))
    assert [r.commitment_id for r in wider] == [overdue, soon, later]
    assert [r.commitment_id for r in commitments_due(wsl, lead)] == [overdue, theirs, soon]
    with pytest.raises(InvalidInput, match="looks ahead"):
        commitments_due(ws, rep, within=timedelta(hours=-1))


# ----------------------------------------------------------------------------- changes since
def test_changes_since_the_last_handoff(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep)
    assert changes_since_last_handoff(ws, case.id) is None  # never changed hands

    log_interaction(ws, rep, case.id, ago=timedelta(hours=5))  # before the note
    now = db_now(ws)
    actions = [
        {"action": "Book the engineer", "owner": "next owner",
         "due": (now - timedelta(hours=1)).isoformat()},
        {"action": "Call the customer back", "owner": "next owner",
         "due": (now + timedelta(hours=20)).isoformat()},
    ]  # fmt: skip
    note_id = hand_over(ws, rep, case.id, rep2.user_id, age=timedelta(hours=3),
                        next_actions=actions)  # fmt: skip
    unchanged = changes_since_last_handoff(ws2, case.id)
    assert unchanged is not None and not unchanged.status_changed
    assert unchanged.new_interactions == 0

    current = cases.get_case(ws2, case.id)
    change = cases.CaseChanges(current.version, status=CaseStatus.PENDING_CUSTOMER)
    cases.update_case(ws2, rep2, case.id, change)
    log_interaction(ws2, rep2, case.id)
    log_interaction(ws2, rep2, case.id)

    summary = changes_since_last_handoff(ws2, case.id)
    assert summary is not None
    assert (summary.note_id, summary.case_key) == (note_id, case.key)
    assert (summary.status_then, summary.status_now) == (CaseStatus.OPEN,
                                                         CaseStatus.PENDING_CUSTOMER)  # fmt: skip
    assert summary.new_interactions == 2
    assert abs(summary.since - timedelta(hours=3)) < MINUTE
    assert [(a.action, a.state) for a in summary.next_actions] == [
        ("Book the engineer", "overdue"), ("Call the customer back", "upcoming"),
    ]  # fmt: skip
    assert [a.action for a in summary.overdue_actions] == ["Book the engineer"]
    with pytest.raises(NotFound):
        changes_since_last_handoff(ws, uuid.uuid4())


# ----------------------------------------------------------------------------- quality
@pytest.fixture
def scenario(people):
    """rep hands on cases A, B, C (A clean, B with warnings accepted, C with no lint record);
    rep2 hands A back (clean). rep2 accepts A after 2 h and B after 4 h; B is reopened."""
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    a, b, c = (new_case(ws, rep, subject) for subject in ("Router", "Refund", "Contract"))
    a1 = hand_over(
        ws,
        rep,
        a.id,
        rep2.user_id,
        age=timedelta(hours=2),
        lint_record={"first_submit_clean": True, "warnings_accepted": []},
    )
    b1 = hand_over(
        ws,
        rep,
        b.id,
        rep2.user_id,
        age=timedelta(hours=4),
        lint_record={"first_submit_clean": False, "warnings_accepted": ["summary_too_short"]},
    )
    hand_over(ws, rep, c.id, rep2.user_id)
    acknowledge(ws2, rep2, a1)
    acknowledge(ws2, rep2, b1)
    hand_over(ws2, rep2, a.id, rep.user_id, lint_record={"first_submit_clean": True})
    mark_reopened(ws2, b.id)  # by B's owner now (the database refuses anyone else)
    return people


def _by_name(rows):
    return {row.name: row for row in rows}


def test_quality_figures_per_rep_and_for_the_team(scenario, db):
    wsl, lead = scenario["lead"]
    rows = quality_figures(wsl, lead, db.team_id)
    assert rows[-1].is_team_total and rows[-1].name == "Support (team total)"
    figures = _by_name(rows)
    assert set(figures) == {"Ada Admin", "Lee Lead", "Rae Rep", "Ray Rep", "Support (team total)"}

    rae = figures["Rae Rep"]
    assert (rae.notes_written, rae.notes_with_lint_record, rae.clean_first_submit_share) == (
        3,
        2,
        0.5,
    )
    assert rae.acknowledged == 2
    assert rae.median_time_to_acknowledge is not None
    assert abs(rae.median_time_to_acknowledge - timedelta(hours=3)) < MINUTE
    assert rae.cases_reopened_after_handoff == 1
    assert rae.handoffs_per_case == pytest.approx(4 / 3)  # A twice, B once, C once

    ray = figures["Ray Rep"]
    assert (ray.notes_written, ray.clean_first_submit_share, ray.acknowledged) == (1, 1.0, 0)
    assert ray.median_time_to_acknowledge is None
    assert (ray.cases_reopened_after_handoff, ray.handoffs_per_case) == (0, 2.0)

    quiet = figures["Lee Lead"]
    assert (quiet.notes_written, quiet.clean_first_submit_share, quiet.handoffs_per_case) == (
        0, None, None,
    )  # fmt: skip

    total = figures["Support (team total)"]
    assert (total.notes_written, total.notes_with_lint_record) == (4, 3)
    assert total.clean_first_submit_share == pytest.approx(2 / 3)
    assert total.median_time_to_acknowledge is not None
    assert abs(total.median_time_to_acknowledge - timedelta(hours=3)) < MINUTE
    assert total.cases_reopened_after_handoff == 1
    assert total.handoffs_per_case == pytest.approx(4 / 3)


def test_a_rep_sees_only_their_own_figures_and_other_teams_are_closed(scenario, db):
    ws, rep = scenario["rep"]
    [own] = quality_figures(ws, rep, db.team_id)
    assert own.user_id == rep.user_id and own.notes_written == 3

    wsa, admin = scenario["admin"]
    other = teams.create_team(wsa, admin, "Billing")
    assert [r.name for r in quality_figures(wsa, admin, other.id)] == ["Billing (team total)"]
    wsl, lead = scenario["lead"]
    with pytest.raises(PermissionDenied, match="Billing"):
        quality_figures(wsl, lead, other.id)
    outsider = Actor("x", "X", Role.LEAD, lead.user_id, other.id)
    with pytest.raises(PermissionDenied, match="Support"):
        quality_figures(wsl, outsider, db.team_id)
    with pytest.raises(NotFound):
        quality_figures(wsa, admin, uuid.uuid4())
