"""What the main window reads: queue views, the case with its customer's history, responses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from deskapp.db.models import Case, User
from deskapp.domain.enums import CannedScope, CaseStatus, Role
from deskapp.domain.errors import PermissionDenied
from deskapp.services import canned, cases, handoff_followup, history, queue
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from tests.services.handoff_helpers import db_now, hand_over, log_interaction, new_case, promise


@pytest.fixture
def demo(db):
    """A small demo workspace and one of its reps who owns open cases."""
    ws, _ = db.sign_in("admin")
    summary = build_demo(ws, DemoSpec(cases=600, seed=11))
    with read_session(ws) as s:
        login = s.scalar(
            select(User.login)
            .join(Case, Case.assignee_id == User.id)
            .where(Case.status == CaseStatus.OPEN, User.role == Role.REP)
            .limit(1)
        )
    with read_session(ws) as s:
        user = s.scalars(select(User).where(User.login == login)).one()
    # Demo people have no server logins: read through the admin's connection, as that rep.
    rep = Actor(user.login, user.display_name, Role.REP, user.id, user.team_id)
    return ws, rep, summary


def test_my_cases_holds_only_my_open_cases_most_at_risk_first(demo):
    ws, rep, _ = demo
    rows = queue.list_queue(ws, rep, queue.QueueView.MY_CASES)
    assert rows, "the demo gives every rep open work"
    assert all(r.status.is_open for r in rows)
    dues = [r.resolution_due for r in rows if r.resolution_due is not None]
    assert dues == sorted(dues)
    with read_session(ws) as s:
        mine = set(
            s.scalars(
                select(Case.id).where(
                    Case.assignee_id == rep.user_id, Case.status.in_(queue.OPEN_STATUSES)
                )
            )
        )
    assert {r.id for r in rows} == mine


def test_team_unassigned_is_the_teams_unowned_open_work(demo):
    ws, rep, _ = demo
    rows = queue.list_queue(ws, rep, queue.QueueView.TEAM_UNASSIGNED)
    assert all(r.assignee_name is None and r.status.is_open for r in rows)


def test_only_leads_see_all_open(demo):
    ws, rep, _ = demo
    assert queue.QueueView.ALL_OPEN not in queue.views_for(rep)
    with pytest.raises(PermissionDenied):
        queue.list_queue(ws, rep, queue.QueueView.ALL_OPEN)


def test_case_detail_brings_the_customers_whole_story(demo):
    ws, _, summary = demo
    with read_session(ws) as s:
        case_id = s.scalar(select(Case.id).where(Case.customer_id == summary.heavy_customer_id)
                           .order_by(Case.number.desc()).limit(1))  # fmt: skip
    detail = history.case_detail(ws, case_id)
    assert detail.customer.name == "Margaret Okafor"
    assert detail.customer.case_count == DemoSpec(cases=600).heavy_cases
    assert detail.cases[0].id == case_id  # newest first
    moments = [entry.at for entry in detail.timeline]
    assert moments == sorted(moments, reverse=True)
    assert {e.case_key for e in detail.timeline} > {detail.key}  # spans several cases


def test_usable_responses_include_the_starter_library(demo):
    ws, rep, _ = demo
    responses = canned.usable_responses(ws, rep)
    assert len(responses) >= 30
    assert {r.scope for r in responses} == {CannedScope.GLOBAL}
    assert any("{{customer.first_name}}" in r.body for r in responses)


# ----------------------------------------------------------------------------- commitments
# Promises become timers for whoever owns the case (DESIGN.md §5, issue 7). These run on a
# plain test workspace, as real people on their own logins.


def _commitment_cases(db):
    """Rae owns: a case with a promise due in 3 h (plus a later one), one late, one due in
    30 h, one whose promise was kept and a closed case with a late promise; Ray owns one due
    in 1 h."""
    ws, rae = db.sign_in("rep")
    ws2, ray = db.sign_in("rep2")
    cases_by_name = {}
    # Made in an order the answer must not follow: sorting is the service's job.
    for name, hours, kept in (("soon", 3, False), ("late", -1, False), ("far", 30, False),
                              ("kept", 1, True), ("closed", -2, False)):  # fmt: skip
        case = new_case(ws, rae, f"Case {name}")
        promise(ws, rae, case.id, f"Call back ({name})", timedelta(hours=hours), fulfilled=kept)
        cases_by_name[name] = case
    promise(ws, rae, cases_by_name["soon"].id, "Email the invoice", timedelta(hours=20))
    closed = cases_by_name["closed"]
    cases.update_case(ws, rae, closed.id,
                      cases.CaseChanges(closed.version, status=CaseStatus.CLOSED))  # fmt: skip
    theirs = new_case(ws2, ray, "Case theirs")
    promise(ws2, ray, theirs.id, "Call back (theirs)", timedelta(hours=1))
    cases_by_name["theirs"] = theirs
    return (ws, rae), (ws2, ray), cases_by_name


def test_commitments_due_lists_my_cases_with_a_promise_within_a_day_soonest_first(db):
    (ws, rae), _ray, made = _commitment_cases(db)
    assert queue.QueueView.COMMITMENTS_DUE in queue.views_for(rae)
    assert queue.QueueView.COMMITMENTS_DUE.label == "Commitments due"
    rows = queue.list_queue(ws, rae, queue.QueueView.COMMITMENTS_DUE)
    assert [r.id for r in rows] == [made["late"].id, made["soon"].id]
    now = db_now(ws)
    late, soon = (r.commitment_due for r in rows)
    assert late is not None and soon is not None
    assert late < now < soon <= now + timedelta(hours=3, minutes=1), "the soonest promise"
    # Sorted and cut in SQL: a limit of one keeps the most urgent promise, not any case.
    [first] = queue.list_queue(ws, rae, queue.QueueView.COMMITMENTS_DUE, limit=1)
    assert first.id == made["late"].id


def test_a_lead_sees_the_teams_commitments_due(db):
    _rae, _ray, made = _commitment_cases(db)
    wsl, lead = db.sign_in("lead")
    rows = queue.list_queue(wsl, lead, queue.QueueView.COMMITMENTS_DUE)
    assert [r.id for r in rows] == [made["late"].id, made["theirs"].id, made["soon"].id]
    assert [r.assignee_name for r in rows] == ["Rae Rep", "Ray Rep", "Rae Rep"]


def test_the_case_brings_its_open_promises_soonest_first(db):
    (ws, _rae), _ray, made = _commitment_cases(db)
    soon = history.case_detail(ws, made["soon"].id)
    assert [c.promise for c in soon.commitments] == ["Call back (soon)", "Email the invoice"]
    assert soon.commitments[0].due < soon.commitments[1].due
    assert history.case_detail(ws, made["kept"].id).commitments == (), "a kept promise is done"
    assert history.case_detail(ws, made["closed"].id).commitments == (), "the case is closed"


# ----------------------------------------------------------------------------- since handoff
def test_the_case_says_what_changed_since_its_last_handoff(db):
    ws, rae = db.sign_in("rep")
    ws2, ray = db.sign_in("rep2")
    case = new_case(ws, rae)
    assert history.case_detail(ws, case.id).since_handoff is None, "never changed hands"
    overdue = (db_now(ws) - timedelta(hours=1)).isoformat()
    note_id = hand_over(ws, rae, case.id, ray.user_id, age=timedelta(hours=3),
                        next_actions=[{"action": "Check the line", "owner": "Ray",
                                       "due": overdue}])  # fmt: skip
    log_interaction(ws2, ray, case.id, ago=timedelta(hours=4))  # before the handoff: not new
    log_interaction(ws2, ray, case.id, ago=timedelta(hours=2))
    log_interaction(ws2, ray, case.id, ago=timedelta(minutes=5))
    before = history.case_detail(ws2, case.id)
    cases.update_case(ws2, ray, case.id, cases.CaseChanges(
        before.version, status=CaseStatus.PENDING_CUSTOMER))  # fmt: skip

    since = history.case_detail(ws2, case.id).since_handoff
    assert since is not None
    assert since.author == "Rae Rep"
    changes = since.changes
    assert changes.note_id == note_id
    assert (changes.status_then, changes.status_now) == (before.status,
                                                         CaseStatus.PENDING_CUSTOMER)  # fmt: skip
    assert changes.new_interactions == 2
    assert [a.action for a in changes.overdue_actions] == ["Check the line"]


def test_an_answer_is_an_addendum_in_the_timeline_and_under_the_note(db):
    ws, rae = db.sign_in("rep")
    ws2, ray = db.sign_in("rep2")
    case = new_case(ws, rae)
    note_id = hand_over(ws, rae, case.id, ray.user_id, age=timedelta(minutes=30))
    handoff_followup.ask_question(ws2, ray, note_id, "Which card did the refund go to?")
    handoff_followup.answer_question(ws, rae, note_id, "The Visa ending 4242.")
    detail = history.case_detail(ws2, case.id)
    note = detail.current_handoff
    assert note is not None
    assert note.summary.startswith("Line drops nightly"), "the note itself never changes"
    assert [(f.kind, f.who, f.text) for f in note.follow_ups] == [
        ("question", "Ray Rep", "Which card did the refund go to?"),
        ("addendum", "Rae Rep", "The Visa ending 4242."),
    ]
    [answer] = [e for e in detail.timeline if e.addendum]
    assert (answer.kind, answer.author, answer.text) == ("handoff", "Rae Rep",
                                                         "The Visa ending 4242.")  # fmt: skip
    assert sum(1 for e in detail.timeline if e.kind == "handoff" and not e.addendum) == 1
