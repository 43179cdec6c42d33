"""What the main window reads: queue views, the case with its customer's history, responses."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from deskapp.db.models import Case, User
from deskapp.domain.enums import CannedScope, CaseStatus, Role
from deskapp.domain.errors import PermissionDenied
from deskapp.services import canned, history, queue
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session


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
