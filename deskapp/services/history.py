"""The case in hand and its customer's history: profile, every case, one merged timeline.

First version for the main window; the case-view issue adds streaming of long histories and
filters. Reads are bounded (newest first) so a customer with twenty thousand interactions costs
the same as one with twenty. The case comes with its open promises to the customer (timers for
whoever owns it now) and, once it has changed hands, what changed since the last handoff.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskapp.db.models import (
    Case,
    Commitment,
    Customer,
    HandoffAck,
    HandoffNote,
    Interaction,
    Organization,
    SupportPlan,
    Team,
    User,
)
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import (
    AckKind,
    CaseStatus,
    Channel,
    Direction,
    Mood,
    Priority,
    RiskLevel,
    Tier,
)
from deskapp.domain.errors import NotFound
from deskapp.services.handoff_figures import ChangeSummary, changes_since_last_handoff
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

TIMELINE_PAGE = 200


@dataclass(frozen=True)
class CustomerProfile:
    id: uuid.UUID
    name: str
    email: str | None
    phone: str | None
    organization: str | None
    time_zone: str
    tier: Tier
    tags: tuple[str, ...]
    profile_note: str | None
    support_plan: str | None
    case_count: int


@dataclass(frozen=True)
class CaseSummaryRow:
    id: uuid.UUID
    key: str
    subject: str
    status: CaseStatus
    created_at: datetime
    resolution_outcome: str | None


@dataclass(frozen=True)
class TimelineEntry:
    kind: Literal["interaction", "handoff"]
    at: datetime
    case_key: str
    channel: Channel | None
    direction: Direction | None
    author: str | None
    text: str
    risk: RiskLevel | None = None
    addendum: bool = False  # an answer or a correction added to a submitted note


@dataclass(frozen=True)
class FollowUp:
    """What happened to a note after it was submitted, in order: the receiver's questions and
    read-back, the author's answers and corrections (addenda; the note itself never changes)."""

    kind: Literal["question", "addendum", "read_back"]
    who: str
    at: datetime
    text: str


@dataclass(frozen=True)
class HandoffView:
    """A submitted handoff note as the next owner reads it."""

    author: str
    at: datetime
    risk: RiskLevel
    summary: str
    done: str
    next_actions: tuple[str, ...]
    commitments: tuple[str, ...]
    no_commitments: bool
    contingencies: str
    contact_preference: str
    unbriefed: bool
    follow_ups: tuple[FollowUp, ...] = ()


@dataclass(frozen=True)
class OpenCommitment:
    """A promise made to the customer and not yet kept: a timer for whoever owns the case."""

    id: uuid.UUID
    promise: str
    due: datetime


@dataclass(frozen=True)
class SinceHandoff:
    """The marker at the last handoff: who wrote it and what changed on the case since."""

    author: str
    changes: ChangeSummary


@dataclass(frozen=True)
class CaseDetail:
    id: uuid.UUID
    key: str
    subject: str
    status: CaseStatus
    priority: Priority
    channel: Channel
    category: str | None
    mood: Mood
    team: str
    assignee: str | None
    resolution_due: datetime | None
    transfer_count: int
    reopen_count: int
    version: int
    customer: CustomerProfile
    cases: tuple[CaseSummaryRow, ...]
    timeline: tuple[TimelineEntry, ...]
    current_handoff: HandoffView | None
    commitments: tuple[OpenCommitment, ...] = ()  # soonest first; none on a closed case
    since_handoff: SinceHandoff | None = None


def case_detail(ws: Workspace, case_id: uuid.UUID, *, cases_limit: int = 100) -> CaseDetail:
    with read_session(ws) as session:
        row = session.execute(
            select(Case, Team.name, User.display_name)
            .join(Team, Team.id == Case.team_id)
            .outerjoin(User, User.id == Case.assignee_id)
            .where(Case.id == case_id)
        ).first()
        if row is None:
            raise NotFound("That case does not exist (any more).")
        case, team_name, assignee_name = row
        customer_row = session.execute(
            select(Customer, Organization.name, SupportPlan.name)
            .outerjoin(Organization, Organization.id == Customer.organization_id)
            .outerjoin(SupportPlan, SupportPlan.id == Customer.support_plan_id)
            .where(Customer.id == case.customer_id)
        ).one()
        customer, org_name, plan_name = customer_row
        case_count = session.scalar(select(func.count()).where(Case.customer_id == customer.id))
        cases = session.execute(
            select(Case.id, Case.number, Case.subject, Case.status, Case.created_at,
                   Case.resolution_outcome)
            .where(Case.customer_id == customer.id)
            .order_by(Case.created_at.desc())
            .limit(cases_limit)
        ).all()  # fmt: skip
        timeline = _timeline(session, customer.id)
        handoff = _handoff(session, case.current_handoff_id)
        commitments = _open_commitments(session, case) if case.status.is_open else ()
        profile = CustomerProfile(
            customer.id, customer.name, customer.email, customer.phone, org_name,
            customer.time_zone, customer.tier, tuple(customer.tags or ()),
            customer.profile_note, plan_name, int(case_count or 0),
        )  # fmt: skip
        detail = CaseDetail(
            case.id, format_case_key(case.number), case.subject, case.status, case.priority,
            case.channel, case.category, case.mood, team_name, assignee_name,
            case.resolution_due, case.transfer_count, case.reopen_count, case.version, profile,
            tuple(CaseSummaryRow(r[0], format_case_key(r[1]), r[2], r[3], r[4], r[5])
                  for r in cases),
            timeline, handoff, commitments,
        )  # fmt: skip
    return _with_changes_since(ws, detail)


def _with_changes_since(ws: Workspace, detail: CaseDetail) -> CaseDetail:
    changes = changes_since_last_handoff(ws, detail.id)
    if changes is None:
        return detail
    with read_session(ws) as session:
        author = session.scalar(
            select(User.display_name)
            .join(HandoffNote, HandoffNote.author_id == User.id)
            .where(HandoffNote.id == changes.note_id)
        )
    return replace(detail, since_handoff=SinceHandoff(author or "a colleague", changes))


def _open_commitments(session: Session, case: Case) -> tuple[OpenCommitment, ...]:
    rows = session.execute(
        select(Commitment.id, Commitment.promise, Commitment.due_at)
        .where(Commitment.case_id == case.id, Commitment.fulfilled_at.is_(None))
        .order_by(Commitment.due_at, Commitment.id)
    ).all()
    return tuple(OpenCommitment(r[0], r[1], r[2]) for r in rows)


def _follow_ups(session: Session, note_id: uuid.UUID) -> tuple[FollowUp, ...]:
    """Questions and read-backs (from the acks; an answer's text is its addendum's) and the
    addenda, oldest first."""
    acks = session.execute(
        select(HandoffAck.kind, User.display_name, HandoffAck.created_at, HandoffAck.text)
        .join(User, User.id == HandoffAck.user_id)
        .where(HandoffAck.note_id == note_id, HandoffAck.kind != AckKind.ANSWER)
    ).all()
    addenda = session.execute(
        select(User.display_name, HandoffNote.created_at, HandoffNote.summary)
        .join(User, User.id == HandoffNote.author_id)
        .where(HandoffNote.addendum_to_id == note_id)
    ).all()
    entries = [
        FollowUp("question" if kind is AckKind.QUESTION else "read_back", who, at, text)
        for kind, who, at, text in acks
    ] + [FollowUp("addendum", who, at, text) for who, at, text in addenda]
    # An answer is written after its question even when both carry the same second.
    order = {"question": 0, "addendum": 1, "read_back": 2}
    return tuple(sorted(entries, key=lambda e: (e.at, order[e.kind])))


def _handoff(session: Session, note_id: uuid.UUID | None) -> HandoffView | None:
    if note_id is None:
        return None
    row = session.execute(
        select(HandoffNote, User.display_name)
        .join(User, User.id == HandoffNote.author_id)
        .where(HandoffNote.id == note_id)
    ).one()
    note, author = row
    actions = tuple(
        f"{a.get('action', '')} — {a.get('owner', '')}, due {_due(a.get('due'))}"
        for a in note.next_actions or []
    )
    promises = tuple(f"{c.get('promise', '')} — due {_due(c.get('due'))}"
                     for c in note.commitments or [])  # fmt: skip
    return HandoffView(
        author, note.created_at, note.risk, note.summary, note.done, actions, promises,
        note.no_commitments, note.contingencies, note.contact_preference, note.unbriefed,
        _follow_ups(session, note.id),
    )  # fmt: skip


def _timeline(session: Session, customer_id: uuid.UUID) -> tuple[TimelineEntry, ...]:
    interactions = session.execute(
        select(Interaction.occurred_at, Case.number, Interaction.channel, Interaction.direction,
               User.display_name, Interaction.body)
        .join(Case, Case.id == Interaction.case_id)
        .outerjoin(User, User.id == Interaction.author_id)
        .where(Interaction.customer_id == customer_id)
        .order_by(Interaction.occurred_at.desc())
        .limit(TIMELINE_PAGE)
    ).all()  # fmt: skip
    notes = session.execute(
        select(HandoffNote.created_at, Case.number, User.display_name, HandoffNote.summary,
               HandoffNote.risk, HandoffNote.addendum_to_id)
        .join(Case, Case.id == HandoffNote.case_id)
        .join(User, User.id == HandoffNote.author_id)
        .where(Case.customer_id == customer_id)
        .order_by(HandoffNote.created_at.desc())
        .limit(TIMELINE_PAGE)
    ).all()  # fmt: skip
    entries = [
        TimelineEntry("interaction", r[0], format_case_key(r[1]), r[2], r[3], r[4], r[5])
        for r in interactions
    ] + [
        TimelineEntry(
            "handoff",
            r[0],
            format_case_key(r[1]),
            None,
            None,
            r[2],
            r[3],
            r[4],
            addendum=r[5] is not None,
        )
        for r in notes
    ]
    entries.sort(key=lambda e: e.at, reverse=True)
    return tuple(entries[:TIMELINE_PAGE])


def _due(value: object) -> str:
    """An ISO due time from a note, as a person reads it in their own time zone."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "—")
    return moment.astimezone().strftime("%a %d %b %H:%M")
