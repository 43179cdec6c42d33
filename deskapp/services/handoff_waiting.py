"""What is waiting after a handoff: notes to read back, unanswered questions, promises coming due.

Ages and due states are measured against the database server's clock, never the workstation's
(DESIGN.md §4), and every list is oldest (or soonest) first. Only a case's *current* note waits
for a read-back: once the case has changed hands again, the older note has been overtaken.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session, aliased

from deskapp.db.models import Case, Commitment, HandoffAck, HandoffNote, Team, User
from deskapp.db.types import utcnow
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import AckKind, CaseStatus, RiskLevel, Role
from deskapp.domain.errors import InvalidInput
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace


@dataclass(frozen=True)
class PendingHandoff:
    """A note waiting for its receiver's read-back (or for its author's answer)."""

    note_id: uuid.UUID
    case_id: uuid.UUID
    case_key: str
    subject: str
    author: str
    receiver: str | None  # None: handed to the team's queue
    team: str
    risk: RiskLevel
    unbriefed: bool
    created_at: datetime
    age: timedelta
    open_question: str | None
    unbriefed_reason: str | None = None  # why nobody briefed (a lead's rep-is-out move)


@dataclass(frozen=True)
class CommitmentDue:
    """A promise made to the customer, as a timer for whoever owns the case now."""

    commitment_id: uuid.UUID
    case_id: uuid.UUID
    case_key: str
    subject: str
    owner: str | None
    promise: str
    due: datetime
    overdue: bool


def server_now(session: Session) -> datetime:
    """The database server's current UTC time."""
    moment: datetime | None = session.scalar(select(utcnow()))
    assert moment is not None  # the server always knows the time
    return moment


def open_questions(acks: Iterable[HandoffAck]) -> dict[uuid.UUID, str]:
    """The unanswered question of each note, by note id. An answer closes every question asked
    before it; at equal times the answer still counts as later, since it can only be written
    once a question exists."""
    order = {AckKind.QUESTION: 0, AckKind.ANSWER: 1, AckKind.ACCEPTED: 2}
    open_by_note: dict[uuid.UUID, str] = {}
    for ack in sorted(acks, key=lambda a: (a.created_at, order[a.kind])):
        if ack.kind is AckKind.QUESTION:
            open_by_note[ack.note_id] = ack.text
        elif ack.kind is AckKind.ANSWER:
            open_by_note.pop(ack.note_id, None)
    return open_by_note


def to_acknowledge(ws: Workspace, actor: Actor) -> list[PendingHandoff]:
    """Notes handed to me, or to the queue of a case I now own, not yet accepted."""
    if actor.user_id is None:
        return []
    addressed_to_me = or_(
        HandoffNote.to_user_id == actor.user_id,
        and_(HandoffNote.to_user_id.is_(None), Case.assignee_id == actor.user_id),
    )
    return _pending(ws, [addressed_to_me, _not_accepted(), _is_current()])


def unacknowledged_sent(ws: Workspace, actor: Actor) -> list[PendingHandoff]:
    """Notes I wrote that nobody has accepted yet; a lead sees every note from the team."""
    if actor.role is Role.ADMIN:
        sent: ColumnElement[bool] = true()
    elif actor.role is Role.LEAD and actor.team_id is not None:
        sent = or_(
            HandoffNote.author_id == actor.user_id, HandoffNote.from_team_id == actor.team_id
        )
    else:
        sent = HandoffNote.author_id == actor.user_id if actor.user_id else false()
    return _pending(ws, [sent, _not_accepted(), _is_current()])


def questions_for(ws: Workspace, actor: Actor) -> list[PendingHandoff]:
    """Open questions on notes I wrote; a lead also answers for the team's absent authors."""
    author = aliased(User, name="question_author")
    mine: ColumnElement[bool] = HandoffNote.author_id == actor.user_id if actor.user_id else false()
    if actor.role is Role.ADMIN:
        mine = or_(mine, author.active.is_(False))
    elif actor.role is Role.LEAD and actor.team_id is not None:
        mine = or_(mine, and_(author.active.is_(False), author.team_id == actor.team_id))
    asked = exists().where(
        HandoffAck.note_id == HandoffNote.id, HandoffAck.kind == AckKind.QUESTION
    )
    rows = _pending(ws, [mine, asked], author=author)
    return [row for row in rows if row.open_question is not None]


def commitments_due(
    ws: Workspace, actor: Actor, *, within: timedelta = timedelta(hours=24)
) -> list[CommitmentDue]:
    """Unkept promises on cases I own (a lead: the team's; an admin: all), overdue or due
    within ``within``, soonest first."""
    if within < timedelta(0):
        raise InvalidInput("Choose a window that looks ahead (for example the next 24 hours).")
    if actor.role is Role.ADMIN:
        owned: ColumnElement[bool] = true()
    elif actor.role is Role.LEAD and actor.team_id is not None:
        owned = Case.team_id == actor.team_id
    else:
        owned = Case.assignee_id == actor.user_id if actor.user_id else false()
    with read_session(ws) as session:
        now = server_now(session)
        rows = session.execute(
            select(Commitment, Case.number, Case.subject, User.display_name)
            .join(Case, Case.id == Commitment.case_id)
            .outerjoin(User, User.id == Case.assignee_id)
            .where(
                owned,
                Commitment.fulfilled_at.is_(None),
                Commitment.due_at <= now + within,
                Case.status != CaseStatus.CLOSED,
            )
            .order_by(Commitment.due_at, Commitment.id)
        ).all()
    return [
        CommitmentDue(
            c.id,
            c.case_id,
            format_case_key(number),
            subject,
            owner,
            c.promise,
            c.due_at,
            c.due_at < now,
        )
        for c, number, subject, owner in rows
    ]


# ----------------------------------------------------------------------------- shared query
def _not_accepted() -> ColumnElement[bool]:
    accepted = exists().where(
        HandoffAck.note_id == HandoffNote.id, HandoffAck.kind == AckKind.ACCEPTED
    )
    return ~accepted


def _is_current() -> ColumnElement[bool]:
    return Case.current_handoff_id == HandoffNote.id


def _pending(
    ws: Workspace, conditions: list[ColumnElement[bool]], *, author: type[User] | None = None
) -> list[PendingHandoff]:
    author = author or aliased(User, name="note_author")
    receiver = aliased(User, name="note_receiver")
    with read_session(ws) as session:
        now = server_now(session)
        rows = session.execute(
            select(HandoffNote, Case.number, Case.subject, author.display_name,
                   receiver.display_name, Team.name)
            .join(Case, Case.id == HandoffNote.case_id)
            .join(author, author.id == HandoffNote.author_id)
            .outerjoin(receiver, receiver.id == HandoffNote.to_user_id)
            .join(Team, Team.id == HandoffNote.to_team_id)
            .where(HandoffNote.addendum_to_id.is_(None), *conditions)
            .order_by(HandoffNote.created_at, HandoffNote.id)
        ).all()  # fmt: skip
        note_ids = [row[0].id for row in rows]
        acks = session.scalars(select(HandoffAck).where(HandoffAck.note_id.in_(note_ids))).all()
    questions = open_questions(acks)
    return [
        PendingHandoff(
            note.id,
            note.case_id,
            format_case_key(number),
            subject,
            author_name,
            receiver_name,
            team_name,
            note.risk,
            note.unbriefed,
            note.created_at,
            now - note.created_at,
            questions.get(note.id),
            note.unbriefed_reason if note.unbriefed else None,
        )
        for note, number, subject, author_name, receiver_name, team_name in rows
    ]
