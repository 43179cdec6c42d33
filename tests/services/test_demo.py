"""The demo workspace: realistic, complete and deterministic for a seed, on every dialect."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from deskapp.db.models import CannedResponse, Case, Customer, HandoffNote, Interaction, User
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import CaseStatus, Channel, Role
from deskapp.domain.errors import InvalidInput
from deskapp.services import cases as case_service
from deskapp.services import customers
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import open_workspace

SPEC = DemoSpec(cases=1500, seed=7)


def _fingerprint(ws):
    with read_session(ws) as s:
        subjects = s.scalars(select(Case.subject).order_by(Case.number).limit(50)).all()
        names = s.scalars(select(Customer.name).order_by(Customer.id).limit(50)).all()
        case_ids = s.scalars(select(Case.id).order_by(Case.number).limit(50)).all()
        return subjects, names, case_ids


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_demo_is_complete_and_realistic(db):
    ws, _admin = db.sign_in("admin")
    progress = []
    summary = build_demo(ws, SPEC, lambda stage, done, total: progress.append(stage))
    assert {"customers", "cases", "done"} <= set(progress)
    with read_session(ws) as s:
        statuses = set(s.scalars(select(Case.status).distinct()))
        channels = set(s.scalars(select(Interaction.channel).distinct()))
        roles = set(s.scalars(select(User.role).distinct()))
        heavy_cases = s.scalar(
            select(func.count()).where(Case.customer_id == summary.heavy_customer_id)
        )
        heavy_interactions = s.scalar(
            select(func.count()).where(Interaction.customer_id == summary.heavy_customer_id)
        )
        handed_off = s.scalar(select(func.count()).where(Case.transfer_count > 0))
        pointed = s.scalar(select(func.count()).where(Case.current_handoff_id.is_not(None)))
        notes = s.scalar(select(func.count()).select_from(HandoffNote))
        canned = s.scalar(select(func.count()).select_from(CannedResponse))
        unassigned_open = s.scalar(
            select(func.count()).where(Case.assignee_id.is_(None), Case.status == "new")
        )
        open_dues = s.scalars(
            select(Case.resolution_due).where(Case.status.in_(["open", "new", "escalated"]))
        ).all()
        now = s.scalar(select(func.max(Case.last_activity_at)))
    assert statuses == set(CaseStatus)
    assert channels == set(Channel)
    assert roles == set(Role)
    assert heavy_cases == SPEC.heavy_cases
    assert heavy_interactions == 10 * SPEC.heavy_cases
    assert handed_off > 0 and pointed == handed_off and notes >= handed_off
    assert canned >= 30
    assert unassigned_open > 0
    # Open work is in every SLA state: breached and not yet due.
    assert any(due < now for due in open_dues) and any(due > now for due in open_dues)
    assert summary.cases == SPEC.cases and summary.interactions > 2 * SPEC.cases


def test_demo_is_deterministic_for_a_seed(tmp_path):
    """Same seed → the same workspace (names, subjects, ids); another seed → another one."""

    def build(name: str, seed: int):
        ws = open_workspace(parse_db_url(str(tmp_path / name)))
        build_demo(ws, DemoSpec(cases=400, seed=seed))
        try:
            return _fingerprint(ws)
        finally:
            ws.close()

    first, again, other = build("a.sqlite", 5), build("b.sqlite", 5), build("c.sqlite", 6)
    assert first == again
    assert first != other


def test_new_cases_after_the_demo_continue_the_numbering(db):
    ws, admin = db.sign_in("admin")
    build_demo(ws, DemoSpec(cases=300, seed=3))
    customer = customers.create_customer(ws, admin, customers.NewCustomer("New Caller"))
    created = case_service.create_case(
        ws,
        admin,
        case_service.NewCase(customer, db.team_id, "Printer on fire", Channel.PHONE),
    )
    assert created.number == 301 and created.key == "C-301"


def test_demo_refuses_a_workspace_that_already_has_cases(db):
    ws, _admin = db.sign_in("admin")
    build_demo(ws, DemoSpec(cases=50, seed=1))
    with pytest.raises(InvalidInput, match="already has cases"):
        build_demo(ws, DemoSpec(cases=50, seed=1))


def test_old_handoffs_have_been_read_back_so_nobody_starts_with_a_backlog(db):
    from datetime import timedelta

    from deskapp.db.models import HandoffAck

    ws, _ = db.sign_in("admin")
    build_demo(ws, DemoSpec(cases=1500, seed=9))
    with read_session(ws) as s:
        newest = s.scalar(select(func.max(HandoffNote.created_at)))
        unread_old = s.scalar(
            select(func.count())
            .select_from(HandoffNote)
            .where(
                HandoffNote.created_at < newest - timedelta(days=2),
                ~HandoffNote.id.in_(select(HandoffAck.note_id)),
            )
        )
        acks = s.scalar(select(func.count()).select_from(HandoffAck))
    assert unread_old == 0 and acks > 0


def test_promises_in_the_demo_are_timers_on_open_cases_and_kept_on_old_ones(db):
    from deskapp.db.models import Commitment

    ws, _ = db.sign_in("admin")
    build_demo(ws, DemoSpec(cases=1500, seed=12))
    with read_session(ws) as s:
        open_on_closed = s.scalar(
            select(func.count()).select_from(Commitment).join(Case, Case.id == Commitment.case_id)
            .where(Commitment.fulfilled_at.is_(None), Case.status.in_(["resolved", "closed"]))
        )  # fmt: skip
        open_timers = s.scalar(
            select(func.count()).select_from(Commitment).where(Commitment.fulfilled_at.is_(None))
        )
    assert open_on_closed == 0 and open_timers > 0
