"""The SQL behind the team board's numbers (services/team_board.py runs it): what "breached",
"due soon", "commitments due" and "unacknowledged" mean as conditions on the team's open cases,
the grouped statements that count them per person, and the statement that lists the cases
behind any one number as queue rows. Statements only: no session, no rights.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy import case as sql_case
from sqlalchemy.orm import aliased

from deskapp.db.models import (
    Case,
    Commitment,
    Customer,
    HandoffAck,
    HandoffNote,
    Interaction,
    User,
)
from deskapp.db.models.cases import TICKING_STATUSES
from deskapp.domain.enums import AckKind
from deskapp.services import queue_query as qq
from deskapp.services.team_board_records import UNASSIGNED, BoardMeasure

KUDOS_WINDOW = timedelta(days=30)


# ----------------------------------------------------------------------------- conditions
def _due_by(moment: datetime) -> ColumnElement[bool]:
    """An SLA target (the resolution, or a first response still owed) due by ``moment``. Each
    side tests for NULL itself, so the condition is never unknown and NOT of it is exact."""
    return or_(
        and_(Case.resolution_due.is_not(None), Case.resolution_due <= moment),
        and_(
            Case.first_responded_at.is_(None),
            Case.first_response_due.is_not(None),
            Case.first_response_due <= moment,
        ),
    )


def _breached(clock: qq.Clock) -> ColumnElement[bool]:
    return and_(Case.status.in_(TICKING_STATUSES), _due_by(clock.now))


def _due_soon(clock: qq.Clock, team_id: uuid.UUID) -> ColumnElement[bool]:
    horizon = clock.due_soon_horizon(team_id)
    return and_(Case.status.in_(TICKING_STATUSES), not_(_due_by(clock.now)), _due_by(horizon))


def _promised(clock: qq.Clock) -> ColumnElement[bool]:
    return exists().where(
        Commitment.case_id == Case.id,
        Commitment.fulfilled_at.is_(None),
        Commitment.due_at <= clock.now + qq.COMMITMENTS_AHEAD,
    )


def _team_open(team_id: uuid.UUID) -> list[ColumnElement[bool]]:
    return [Case.team_id == team_id, qq.selective(qq.status_in(qq.OPEN_STATUSES))]


def _receiver() -> ColumnElement[Any]:
    """Who owes the read-back: the person the note names, or whoever took the case from the
    queue it was handed to (as handoff_waiting.to_acknowledge has it)."""
    return func.coalesce(HandoffNote.to_user_id, Case.assignee_id)


def _unread_note() -> list[ColumnElement[bool]]:
    accepted = exists().where(
        HandoffAck.note_id == HandoffNote.id, HandoffAck.kind == AckKind.ACCEPTED
    )
    return [
        HandoffNote.id == Case.current_handoff_id,
        HandoffNote.addendum_to_id.is_(None),
        not_(accepted),
    ]


# ----------------------------------------------------------------------------- board queries
Counts = tuple[int, int, int, int]  # open, due soon, breached, commitments due


def counts_statement(team_id: uuid.UUID, clock: qq.Clock) -> Select[Any]:
    """Per holder (None: the queue) of the team's open cases: open, due soon, breached,
    commitments due. One pass over the team's open cases (ix_cases_team_assignee_status)."""

    def tally(condition: ColumnElement[bool]) -> Any:
        return func.sum(sql_case((condition, 1), else_=0))

    return (
        select(
            Case.assignee_id,
            func.count(),
            tally(_due_soon(clock, team_id)),
            tally(_breached(clock)),
            tally(_promised(clock)),
        )
        .where(*_team_open(team_id))
        .group_by(Case.assignee_id)
    )


def unread_statement(team_id: uuid.UUID) -> Select[Any]:
    """Per receiver (None: the queue): current handoff notes on the team's open cases not yet
    accepted, and the oldest one's time."""
    receiver = _receiver().label("receiver")
    return (
        select(receiver, func.count(), func.min(HandoffNote.created_at))
        .select_from(Case)
        .join(HandoffNote, HandoffNote.id == Case.current_handoff_id)
        .where(*_team_open(team_id), *_unread_note())
        .group_by(receiver)
    )


def kudos_statement(
    member_ids: Sequence[uuid.UUID], since: datetime
) -> Select[uuid.UUID | None, int]:
    """Per person: customers' praise since ``since``."""
    return (
        select(Interaction.kudos_for_id, func.count())
        .where(Interaction.kudos_for_id.in_(member_ids), Interaction.occurred_at >= since)
        .group_by(Interaction.kudos_for_id)
    )


# ----------------------------------------------------------------------------- case lists
_ASSIGNEE = aliased(User, name="assignee")
_FIRST_RESPONSE_PENDING = sql_case(
    (Case.first_responded_at.is_(None), Case.first_response_due), else_=None
)


def _queue_columns(promise: ColumnElement[Any] | None) -> list[Any]:
    """The columns queue_query.to_row reads (queue_query.rows_statement's, without its view)."""
    return [
        Case.id, Case.number, Customer.name.label("customer_name"), Case.subject,
        Case.priority, Case.status, Case.channel, Case.mood,
        _ASSIGNEE.display_name.label("assignee_name"), Case.waiting_since, Case.transfer_count,
        Case.resolution_due, Case.version, Case.category, Case.team_id, Case.assignee_id,
        _FIRST_RESPONSE_PENDING.label("first_response_pending"), Case.created_at,
        (literal(None) if promise is None else promise).label("promise_due"),
    ]  # fmt: skip


def cases_statement(
    team_id: uuid.UUID,
    user_id: uuid.UUID | None,
    measure: BoardMeasure,
    clock: qq.Clock,
) -> tuple[Select[Any], list[Any]]:
    """The rows behind one number, and their order."""
    sla_order = [Case.resolution_due.is_(None), Case.resolution_due, Case.id]
    if measure is BoardMeasure.KUDOS:
        return _praised_cases(team_id, user_id, clock)
    if measure is BoardMeasure.COMMITMENTS_DUE:
        soonest = qq.soonest_promise(clock)
        statement = _base(soonest.c.due_at).join(soonest, soonest.c.case_id == Case.id)
        order: list[Any] = [soonest.c.due_at, Case.id]
    elif measure is BoardMeasure.UNACKNOWLEDGED:
        statement = _base(None).join(HandoffNote, HandoffNote.id == Case.current_handoff_id)
        statement = statement.where(*_unread_note())
        order = [HandoffNote.created_at, Case.id]
    else:
        statement, order = _base(None), sla_order
        if measure is BoardMeasure.BREACHED:
            statement = statement.where(_breached(clock))
        elif measure is BoardMeasure.DUE_SOON:
            statement = statement.where(_due_soon(clock, team_id))
    statement = statement.where(*_team_open(team_id))
    if user_id is not None:
        holder = _receiver() if measure is BoardMeasure.UNACKNOWLEDGED else Case.assignee_id
        statement = statement.where(
            holder.is_(None) if user_id == UNASSIGNED else holder == user_id
        )
    return statement, order


def _base(promise: ColumnElement[Any] | None) -> Select[Any]:
    return (
        select(*_queue_columns(promise))
        .join(Customer, Customer.id == Case.customer_id)
        .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Case.assignee_id)
    )


def _praised_cases(
    team_id: uuid.UUID, user_id: uuid.UUID | None, clock: qq.Clock
) -> tuple[Select[Any], list[Any]]:
    """The cases on which customers praised the person (or any member) in the last 30 days,
    open or not, the latest praise first."""
    if user_id is None:
        praised: ColumnElement[bool] = Interaction.kudos_for_id.in_(
            select(User.id).where(User.team_id == team_id, User.active.is_(True))
        )
    elif user_id == UNASSIGNED:
        praised = false()
    else:
        praised = Interaction.kudos_for_id == user_id
    latest = (
        select(Interaction.case_id, func.max(Interaction.occurred_at).label("praised_at"))
        .where(praised, Interaction.occurred_at >= clock.now - KUDOS_WINDOW)
        .group_by(Interaction.case_id)
        .subquery("praise")
    )
    statement = _base(None).join(latest, latest.c.case_id == Case.id)
    return statement, [latest.c.praised_at.desc(), Case.id]
