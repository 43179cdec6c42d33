"""The demo workspace: realistic, complete and deterministic for a seed, on every dialect."""

from __future__ import annotations

from itertools import pairwise

import pytest
from sqlalchemy import func, select

from deskapp.db.models import (
    AuditEvent,
    CannedResponse,
    Case,
    Customer,
    HandoffAck,
    HandoffNote,
    Interaction,
    User,
)
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import CaseStatus, Channel, Role
from deskapp.domain.errors import InvalidInput
from deskapp.services import audit_review, audit_verify, auth, customers
from deskapp.services import cases as case_service
from deskapp.services.audit_review import AuditQuery
from deskapp.services.audit_wording import ActionKind
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import open_workspace
from tests.db.conftest import owner_url

SPEC = DemoSpec(cases=1500, seed=7)


def _fingerprint(ws):
    with read_session(ws) as s:
        subjects = s.scalars(select(Case.subject).order_by(Case.number).limit(50)).all()
        names = s.scalars(select(Customer.name).order_by(Customer.id).limit(50)).all()
        case_ids = s.scalars(select(Case.id).order_by(Case.number).limit(50)).all()
        trail = s.execute(  # ids, actors, actions, details and links: everything but the time
            select(AuditEvent.id, AuditEvent.actor_login, AuditEvent.chain_hash)
            .join(Case, Case.id == AuditEvent.case_id)
            .order_by(Case.number, AuditEvent.seq)
            .limit(300)
        ).all()
        return subjects, names, case_ids, trail


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
    """Same seed → the same workspace (names, subjects, ids, audit trail); another seed →
    another one."""

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


# ----------------------------------------------------------------------------- the audit trail
def _built_by_owner(db, cases: int, seed: int):
    """A demo built by the workspace's owner: the SQLite file, MariaDB's admin, and on
    PostgreSQL the server's owner account, the one that may write history in others' names
    (migration 0009). Returns the workspace, the summary and the stages reported."""
    if db.dialect == "postgresql":
        ws = open_workspace(owner_url(db.dialect, db.url.database or ""))
        db._opened.append(ws)  # closed with the test's other workspaces
    else:
        ws = db.open("admin")
    stages: list[str] = []
    summary = build_demo(ws, DemoSpec(cases=cases, seed=seed), lambda s, d, t: stages.append(s))
    return ws, summary, stages


def _person(ws, login: str) -> Actor:
    """Who a demo person is (the demo's people are rows, not server logins)."""
    with read_session(ws) as s:
        user = s.scalars(select(User).where(User.login == login)).one()
        return Actor(user.login, user.display_name, user.role, user.id, user.team_id)


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_every_case_of_the_demo_has_an_audit_trail_and_every_chain_verifies(db):
    ws, summary, stages = _built_by_owner(db, 800, 21)
    assert "audit trail" in stages
    report = audit_verify.verify_workspace(ws, auth.setup_actor(ws))
    assert report.whole, report.broken[:3]
    with read_session(ws) as s:
        chains = s.scalar(
            select(func.count(func.distinct(AuditEvent.case_id))).where(
                AuditEvent.case_id.is_not(None)
            )
        )
        actions = dict(
            s.execute(
                select(AuditEvent.action, func.count())
                .where(AuditEvent.case_id.is_not(None))  # not the test's own people and team
                .group_by(AuditEvent.action)
            ).all()
        )
        contacts = s.scalar(select(func.count()).select_from(Interaction))
        notes = s.scalar(select(func.count()).select_from(HandoffNote))
        first_events = set(
            s.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.seq == 1, AuditEvent.case_id.is_not(None)
                )
            )
        )
    assert chains == summary.cases == 800
    assert summary.audit_events == sum(actions.values()) > 5 * summary.cases
    assert report.events_checked >= summary.audit_events
    assert first_events == {"case.created"}  # every story starts with the case being opened
    assert actions["interaction.logged"] == contacts
    assert actions["case.handed_off"] == notes
    assert {"case.taken", "case.updated", "handoff.acknowledged"} <= set(actions)


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_each_handoff_note_has_its_event_by_its_author_at_its_time(db):
    ws, _summary, _ = _built_by_owner(db, 800, 22)
    with read_session(ws) as s:
        notes = s.execute(
            select(HandoffNote, AuditEvent)
            .join(AuditEvent, AuditEvent.id == HandoffNote.id)
            .order_by(HandoffNote.case_id, HandoffNote.created_at)
        ).all()
        note_count = s.scalar(select(func.count()).select_from(HandoffNote))
        owners = dict(s.execute(select(Case.id, Case.assignee_id)).all())
        leads = set(s.scalars(select(User.id).where(User.role == Role.LEAD)))
        contacts = s.execute(
            select(Interaction.case_id, Interaction.author_id, AuditEvent.actor_id,
                   AuditEvent.occurred_at, Interaction.occurred_at)
            .join(AuditEvent, AuditEvent.id == Interaction.id)
        ).all()  # fmt: skip
        openers = dict(
            s.execute(
                select(AuditEvent.case_id, AuditEvent.actor_id).where(
                    AuditEvent.action == "case.created"
                )
            ).all()
        )
        acks = s.execute(
            select(HandoffAck.user_id, HandoffAck.created_at, HandoffAck.note_id)
        ).all()
        ack_events = s.execute(
            select(AuditEvent.actor_id, AuditEvent.occurred_at, AuditEvent.detail).where(
                AuditEvent.action == "handoff.acknowledged"
            )
        ).all()
    assert len(notes) == note_count > 0
    by_case: dict = {}
    for note, event in notes:
        assert event.action == "case.handed_off" and event.case_id == note.case_id
        assert event.actor_id == note.author_id  # the note's author handed it on
        assert event.occurred_at == note.created_at  # when the note was written
        assert event.detail["from_user"] == note.from_user_id.hex
        assert event.detail["to_user"] == (note.to_user_id.hex if note.to_user_id else None)
        if note.author_id in leads:  # a lead moved a rep's case: the reason is on record
            assert note.author_id != note.from_user_id and event.reason
        by_case.setdefault(note.case_id, []).append(note)
    assert any(note.author_id in leads for note, _ in notes)
    read_at = {ack.note_id: ack.created_at for ack in acks}
    for case_id, in_turn in by_case.items():
        # Each note hands the case on from whoever the one before handed it to, and the last
        # to its owner now (or back to the team queue, for a case waiting there).
        for before, after in pairwise(in_turn):
            assert after.from_user_id == before.to_user_id
            # and its receiver read it back before handing the case on
            assert read_at.get(before.id, after.created_at) <= after.created_at
        assert in_turn[-1].to_user_id == owners[case_id]
        assert all(n.from_user_id != n.to_user_id for n in in_turn)
    # Contacts by their authors at their times, each written by whoever owned the case then;
    # a customer's own logged by that owner, or by whoever opened the case before anyone owned
    # it. Read-backs by their readers at their times.
    for case_id, author, actor, at, when in contacts:
        assert author in (None, actor) and at == when
        holder = by_case[case_id][0].from_user_id if case_id in by_case else owners[case_id]
        for note in by_case.get(case_id, []):
            holder = note.to_user_id if note.created_at <= when else holder
        assert actor == holder or (author is None and actor == openers[case_id])
    assert sorted((a.user_id, a.created_at, a.note_id.hex) for a in acks) == sorted(
        (e.actor_id, e.occurred_at, e.detail["note_id"]) for e in ack_events
    )


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_a_lead_sees_their_teams_demo_history_in_the_team_audit_log(db):
    ws, _summary, _ = _built_by_owner(db, 800, 23)
    with read_session(ws) as s:
        login, team_id = s.execute(
            select(User.login, User.team_id)
            .join(Case, Case.team_id == User.team_id)
            .where(User.role == Role.LEAD)
            .limit(1)
        ).one()
        team_cases = set(s.scalars(select(Case.id).where(Case.team_id == team_id)))
        now = s.scalar(select(func.max(AuditEvent.occurred_at)))
    lead = _person(ws, login)
    page = audit_review.team_audit(ws, lead, AuditQuery())
    assert len(page.rows) == audit_review.PAGE_ROWS and page.next_after is not None
    assert all(row.case_id in team_cases for row in page.rows)  # their team's cases only
    assert [r.occurred_at for r in page.rows] == sorted((r.occurred_at for r in page.rows),
                                                        reverse=True)  # fmt: skip
    assert page.rows[0].occurred_at <= now
    assert all(row.what and row.case_key and row.actor_name for row in page.rows)
    handoffs = audit_review.team_audit(ws, lead, AuditQuery(kinds=(ActionKind.HANDOFFS,)))
    assert any(row.what.startswith(("reassigned", "escalated", "transferred", "handed"))
               for row in handoffs.rows)  # fmt: skip
    changes = audit_review.team_audit(ws, lead, AuditQuery(kinds=(ActionKind.CASE_CHANGES,)))
    assert any(row.why and "status" in row.what for row in changes.rows)  # "why" a case waits


@pytest.mark.dialects("postgresql")
def test_a_demo_built_by_an_admins_own_login_on_postgresql_says_why_it_has_no_trail(db):
    """PostgreSQL lets only the workspace's owner write audit events in other people's names
    (migration 0009): an admin's own login gets the demo without its history, and is told why."""
    ws, _admin = db.sign_in("admin")
    stages: list[str] = []
    summary = build_demo(ws, DemoSpec(cases=200, seed=24), lambda s, d, t: stages.append(s))
    left_out = [stage for stage in stages if stage.startswith("audit trail")]
    assert left_out == [
        "audit trail left out: Deskapp: an audit event names the signed-in login as its actor."
    ]
    assert summary.audit_events == 0 and summary.cases == 200
    with read_session(ws) as s:
        assert s.scalar(select(func.count()).where(AuditEvent.case_id.is_not(None))) == 0
        assert s.scalar(select(func.count()).select_from(Case)) == 200
