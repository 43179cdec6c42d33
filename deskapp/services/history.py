"""The case in hand and its customer's history: the first screen of the case view in one call.

``case_detail`` reads the case header (status, SLA due times, waiting, owner, bounces, reopens,
open promises), the customer card (services/customer_profile.py), the first page of their cases
and the first page of their merged timeline (services/timeline.py), and — once the case has
changed hands — what changed since the last handoff. The rest streams as the rep scrolls:
``cases_page`` and ``timeline_page``, keyset-paged from the ``cases_next`` and ``timeline_next``
cursors given here. ``customer_history`` is the same first screen for a customer without a case
in hand (a call from someone looked up by name).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import (
    Case,
    Commitment,
    HandoffAck,
    HandoffNote,
    Team,
    User,
)
from deskapp.db.types import utcnow
from deskapp.domain.case_key import format_case_key
from deskapp.domain.case_lifecycle import next_statuses
from deskapp.domain.enums import (
    AckKind,
    CaseStatus,
    Channel,
    Mood,
    Priority,
    RiskLevel,
)
from deskapp.domain.errors import NotFound
from deskapp.services.customer_profile import (
    CaseCursor,
    CasesPage,
    CaseSummaryRow,
    CustomerProfile,
    PlanUsage,
    cases_page,
    customer_profile,
    read_cases,
    read_profile,
)
from deskapp.services.handoff_figures import ChangeSummary, changes_since_last_handoff
from deskapp.services.timeline import (
    TIMELINE_PAGE,
    Cursor,
    TimelineEntry,
    TimelinePage,
    entry_text,
    read_page,
    timeline_page,
)
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

__all__ = [
    "TIMELINE_PAGE",
    "CaseCursor",
    "CaseDetail",
    "CaseSummaryRow",
    "CasesPage",
    "Cursor",
    "CustomerHistory",
    "CustomerProfile",
    "FollowUp",
    "HandoffView",
    "OpenCommitment",
    "PlanUsage",
    "SinceHandoff",
    "TimelineEntry",
    "TimelinePage",
    "case_detail",
    "cases_page",
    "customer_history",
    "customer_profile",
    "entry_text",
    "timeline_page",
]

FIRST_CASES = 100
FIRST_TIMELINE = 100


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
    team_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    escalated: bool = False  # escalated at some point, even if now back to open
    first_response_due: datetime | None = None
    first_responded_at: datetime | None = None
    next_response_due: datetime | None = None
    sla_paused_at: datetime | None = None  # pending customer: the SLA clock stands still
    waiting_since: datetime | None = None  # the customer's oldest unanswered contact
    resolution_code: str | None = None
    resolution_outcome: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    last_activity_at: datetime | None = None
    next_statuses: tuple[CaseStatus, ...] = ()  # what the status menu offers
    cases_next: CaseCursor | None = None  # cases_page(before=...) for older cases
    timeline_next: Cursor | None = None  # timeline_page(before=...) for older entries
    read_at: datetime | None = None  # the server's clock when this was read


@dataclass(frozen=True)
class CustomerHistory:
    """The customer card and the first pages of their cases and timeline, without a case."""

    customer: CustomerProfile
    cases: tuple[CaseSummaryRow, ...]
    cases_next: CaseCursor | None
    timeline: tuple[TimelineEntry, ...]
    timeline_next: Cursor | None


def case_detail(
    ws: Workspace,
    case_id: uuid.UUID,
    *,
    cases_limit: int = FIRST_CASES,
    timeline_limit: int = FIRST_TIMELINE,
) -> CaseDetail:
    """The case view's first screen, in one call."""
    with read_session(ws) as session:
        row = session.execute(
            select(Case, Team.name, User.display_name, utcnow())
            .join(Team, Team.id == Case.team_id)
            .outerjoin(User, User.id == Case.assignee_id)
            .where(Case.id == case_id)
        ).first()
        if row is None:
            raise NotFound("That case does not exist (any more).")
        case, team_name, assignee_name, now = row
        profile = read_profile(session, case.customer_id)
        cases = read_cases(session, case.customer_id, limit=cases_limit)
        timeline = read_page(session, case.customer_id, limit=timeline_limit)
        handoff = _handoff(session, case.current_handoff_id)
        commitments = _open_commitments(session, case) if case.status.is_open else ()
        detail = CaseDetail(
            case.id, format_case_key(case.number), case.subject, case.status, case.priority,
            case.channel, case.category, case.mood, team_name, assignee_name,
            case.resolution_due, case.transfer_count, case.reopen_count, case.version, profile,
            cases.rows, timeline.entries, handoff, commitments,
            team_id=case.team_id, assignee_id=case.assignee_id, escalated=bool(case.escalated),
            first_response_due=case.first_response_due,
            first_responded_at=case.first_responded_at,
            next_response_due=case.next_response_due, sla_paused_at=case.sla_paused_at,
            waiting_since=case.waiting_since, resolution_code=case.resolution_code,
            resolution_outcome=case.resolution_outcome, created_at=case.created_at,
            updated_at=case.updated_at, resolved_at=case.resolved_at, closed_at=case.closed_at,
            last_activity_at=case.last_activity_at, next_statuses=next_statuses(case.status),
            cases_next=cases.next_before, timeline_next=timeline.next_before, read_at=now,
        )  # fmt: skip
    return _with_changes_since(ws, detail)


def customer_history(
    ws: Workspace,
    customer_id: uuid.UUID,
    *,
    cases_limit: int = FIRST_CASES,
    timeline_limit: int = FIRST_TIMELINE,
) -> CustomerHistory:
    """A customer's card and the first pages of their history, in one call."""
    with read_session(ws) as session:
        profile = read_profile(session, customer_id)
        cases = read_cases(session, customer_id, limit=cases_limit)
        timeline = read_page(session, customer_id, limit=timeline_limit)
    return CustomerHistory(profile, cases.rows, cases.next_before, timeline.entries,
                           timeline.next_before)  # fmt: skip


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


def _due(value: object) -> str:
    """An ISO due time from a note, as a person reads it in their own time zone."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "—")
    return moment.astimezone().strftime("%a %d %b %H:%M")
