"""Handed-off cases for the follow-up tests, made the way the database requires, without the
handoff service: the note is inserted first, then the case moves to it in the same transaction
(owner, team, current_handoff_id, transfer_count), exactly as DESIGN.md §5's trigger expects.

Times can be set in the past so ages and due states are known; they are always relative to
the database server's clock.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from deskapp.db.models import AuditEvent, Case, Commitment, HandoffNote, Interaction
from deskapp.domain.enums import Channel, Direction, HandoffKind, Mood, RiskLevel
from deskapp.services import audit, cases, customers
from deskapp.services.handoff_waiting import server_now
from deskapp.services.handoffs import HANDED_OFF
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace


def db_now(ws: Workspace) -> datetime:
    with read_session(ws) as session:
        return server_now(session)


def new_case(
    ws: Workspace, actor: Actor, subject: str = "Router drops the line at night"
) -> CaseInfo:
    """An open case owned by ``actor`` in their team, for a new customer."""
    assert actor.team_id is not None
    customer_id = customers.create_customer(ws, actor, customers.NewCustomer("Noor Haddad"))
    return cases.create_case(
        ws, actor, cases.NewCase(customer_id, actor.team_id, subject, Channel.PHONE)
    )


def hand_over(
    ws: Workspace,
    author: Actor,
    case_id: uuid.UUID,
    to_user_id: uuid.UUID | None,
    *,
    age: timedelta = timedelta(0),
    risk: RiskLevel = RiskLevel.WATCH,
    summary: str = "Line drops nightly since the firmware update; customer works nights.",
    next_actions: list[dict[str, Any]] | None = None,
    unbriefed: bool = False,
    lint_record: dict[str, Any] | None = None,
) -> uuid.UUID:
    """Hand ``case_id`` from its owner to ``to_user_id`` (None: the team queue) with a note by
    ``author`` written ``age`` ago. ``lint_record`` is the audit detail the handoff service
    would write (first_submit_clean, warnings_accepted). Returns the note's id."""
    note_id = uuid.uuid4()
    with write_session(ws) as session:
        case = session.scalar(select(Case).where(Case.id == case_id).with_for_update())
        assert case is not None
        written_at = server_now(session) - age
        session.add(
            HandoffNote(
                id=note_id,
                case_id=case.id,
                kind=HandoffKind.REASSIGN if to_user_id else HandoffKind.RELEASE,
                author_id=author.user_id,
                from_user_id=case.assignee_id,
                to_user_id=to_user_id,
                from_team_id=case.team_id,
                to_team_id=case.team_id,
                risk=risk,
                summary=summary,
                done="Power-cycled the router with the customer; checked the line: no faults.",
                next_actions=next_actions if next_actions is not None else [],
                commitments=[],
                no_commitments=True,
                contingencies="If it drops again tonight, book an engineer visit.",
                mood=Mood.FRUSTRATED,
                unbriefed=unbriefed,
                unbriefed_reason="Owner is off sick" if unbriefed else None,
                created_at=written_at,
            )
        )
        session.flush()
        session.execute(
            update(Case)
            .where(Case.id == case.id)
            .values(
                assignee_id=to_user_id,
                current_handoff_id=note_id,
                transfer_count=Case.transfer_count + 1,
                version=Case.version + 1,
            )
        )
        if lint_record is not None:  # the event id is the note's id (its request id)
            audit.record_event(session, author, HANDED_OFF, event_id=note_id,
                               case_id=case.id, detail=lint_record)  # fmt: skip
    return note_id


def promise(
    ws: Workspace, actor: Actor, case_id: uuid.UUID, text: str, due_in: timedelta, *,
    fulfilled: bool = False,
) -> uuid.UUID:  # fmt: skip
    """A commitment on the case due ``due_in`` from the server's now (negative: overdue)."""
    with write_session(ws) as session:
        now = server_now(session)
        row = Commitment(
            case_id=case_id, promise=text, due_at=now + due_in,
            fulfilled_at=now if fulfilled else None,
        )  # fmt: skip
        session.add(row)
        session.flush()
        return row.id


def log_interaction(
    ws: Workspace, actor: Actor, case_id: uuid.UUID, *, ago: timedelta = timedelta(0)
) -> None:
    with write_session(ws) as session:
        case = session.get(Case, case_id)
        assert case is not None
        session.add(
            Interaction(
                case_id=case_id, customer_id=case.customer_id, channel=Channel.PHONE,
                direction=Direction.INBOUND, author_id=actor.user_id,
                body="Customer called: the line dropped again.",
                occurred_at=server_now(session) - ago,
            )
        )  # fmt: skip


def mark_reopened(ws: Workspace, case_id: uuid.UUID) -> None:
    with write_session(ws) as session:
        session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(reopen_count=Case.reopen_count + 1, version=Case.version + 1)
        )


def audit_actions(ws: Workspace, case_id: uuid.UUID) -> list[str]:
    with read_session(ws) as session:
        return list(
            session.scalars(
                select(AuditEvent.action).where(AuditEvent.case_id == case_id)
                .order_by(AuditEvent.seq)
            )
        )  # fmt: skip
