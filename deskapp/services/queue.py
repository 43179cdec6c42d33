"""The case queue, first version: the views a rep starts a shift with, sorted by SLA risk.

Sorting, filtering and limiting happen in SQL. The queue issue replaces this with keyset-paged
windows over every view, live counts and full-text search.

"Commitments due" lists the cases whose promises to the customer come due within a day (or are
already late), soonest promise first: commitments become timers for whoever owns the case
(DESIGN.md §5). "Within a day" is measured by the database server's clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session, aliased

from deskapp.db.models import Case, Commitment, Customer, User
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import CaseStatus, Channel, Mood, Priority, Role
from deskapp.domain.errors import PermissionDenied
from deskapp.services.handoff_waiting import server_now
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

OPEN_STATUSES = [s for s in CaseStatus if s.is_open]
COMMITMENTS_AHEAD = timedelta(hours=24)


class QueueView(StrEnum):
    MY_CASES = "my_cases"
    TEAM_UNASSIGNED = "team_unassigned"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    COMMITMENTS_DUE = "commitments_due"
    ALL_OPEN = "all_open"  # leads and admins

    @property
    def label(self) -> str:
        return {
            "my_cases": "My cases",
            "team_unassigned": "My team — unassigned",
            "waiting_on_customer": "Waiting on customer",
            "commitments_due": "Commitments due",
            "all_open": "All open",
        }[self.value]


@dataclass(frozen=True)
class QueueRow:
    id: uuid.UUID
    key: str
    customer_name: str
    subject: str
    priority: Priority
    status: CaseStatus
    channel: Channel
    mood: Mood
    assignee_name: str | None
    waiting_since: datetime | None
    transfer_count: int
    resolution_due: datetime | None
    version: int
    commitment_due: datetime | None = None  # the soonest open promise ("Commitments due" only)


def views_for(actor: Actor) -> list[QueueView]:
    views = [QueueView.MY_CASES, QueueView.TEAM_UNASSIGNED, QueueView.WAITING_ON_CUSTOMER,
             QueueView.COMMITMENTS_DUE]  # fmt: skip
    if actor.role.rank >= Role.LEAD.rank:
        views.append(QueueView.ALL_OPEN)
    return views


def list_queue(ws: Workspace, actor: Actor, view: QueueView, *, limit: int = 500) -> list[QueueRow]:
    if view not in views_for(actor):
        raise PermissionDenied("Only team leads and admins see every open case.")
    assignee = aliased(User)
    query = (
        select(
            Case.id, Case.number, Customer.name, Case.subject, Case.priority, Case.status,
            Case.channel, Case.mood, assignee.display_name, Case.waiting_since,
            Case.transfer_count, Case.resolution_due, Case.version,
        )
        .join(Customer, Customer.id == Case.customer_id)
        .outerjoin(assignee, assignee.id == Case.assignee_id)
        .where(*_conditions(view, actor))
        .limit(limit)
    )  # fmt: skip
    with read_session(ws) as session:
        if view is QueueView.COMMITMENTS_DUE:
            query = _by_soonest_promise(session, query)
        else:
            # Most at risk first: earliest resolution due (NULLs last on every dialect), then age.
            query = query.order_by(Case.resolution_due.is_(None), Case.resolution_due, Case.number)
        return [
            QueueRow(
                row[0], format_case_key(row[1]), row[2], row[3], row[4], row[5], row[6],
                row[7], row[8], row[9], row[10], row[11], row[12],
                row[13] if len(row) > 13 else None,
            )
            for row in session.execute(query)
        ]  # fmt: skip


def _by_soonest_promise(
    session: Session, query: Select[*tuple[Any, ...]]
) -> Select[*tuple[Any, ...]]:
    """Keep the cases with an unkept promise due before the horizon (late ones included) and
    sort them by that promise. Only promises inside the window are grouped, so the
    commitments index does the work."""
    horizon = server_now(session) + COMMITMENTS_AHEAD
    soonest = (
        select(Commitment.case_id, func.min(Commitment.due_at).label("due_at"))
        .where(Commitment.fulfilled_at.is_(None), Commitment.due_at <= horizon)
        .group_by(Commitment.case_id)
        .subquery("soonest_promise")
    )
    return (
        query.add_columns(soonest.c.due_at)
        .join(soonest, soonest.c.case_id == Case.id)
        .order_by(soonest.c.due_at, Case.number)
    )


def _conditions(view: QueueView, actor: Actor) -> list[ColumnElement[bool]]:
    open_case = Case.status.in_(OPEN_STATUSES)
    if view is QueueView.MY_CASES:
        return [Case.assignee_id == actor.user_id, open_case]
    if view is QueueView.TEAM_UNASSIGNED:
        return [Case.team_id == actor.team_id, Case.assignee_id.is_(None), open_case]
    if view is QueueView.WAITING_ON_CUSTOMER:
        return [Case.assignee_id == actor.user_id, Case.status == CaseStatus.PENDING_CUSTOMER]
    if view is QueueView.COMMITMENTS_DUE:
        return [_owned_by(actor), open_case]
    if actor.role is Role.LEAD and actor.team_id is not None:
        return [open_case, Case.team_id == actor.team_id]
    return [open_case]


def _owned_by(actor: Actor) -> ColumnElement[bool]:
    """Whose promises are mine to keep: my cases; a lead's, the team's; an admin's, all."""
    if actor.role is Role.ADMIN:
        return true()
    if actor.role is Role.LEAD and actor.team_id is not None:
        return Case.team_id == actor.team_id
    return Case.assignee_id == actor.user_id
