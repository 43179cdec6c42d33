"""The customer card and their cases: who they are, how to reach them, what their plan covers
and how much of it this period has used, when we last spoke, and every case they have had.

Figures are computed from the records, never stored (DESIGN.md §4: "usage is computed"), in two
round trips: the customer row with the server's clock, then every figure as one statement of
sub-queries, each on an index (cases by customer; interactions by customer and time). A plan's
period is the calendar month, quarter or year in the customer's own time zone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from deskapp.db.models import Case, Customer, Interaction, Organization, SupportPlan, User
from deskapp.db.types import utcnow
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import CaseStatus, Channel, Direction, PlanPeriod, Priority, Tier
from deskapp.domain.errors import InvalidInput, NotFound
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

RECENT_CONTACT_DAYS = 30
CASES_PAGE = 50
MAX_CASES_PAGE = 500
OPEN_STATUSES = tuple(s for s in CaseStatus if s.is_open)

CaseCursor = tuple[datetime, uuid.UUID]  # (created_at, id) of the last case shown


@dataclass(frozen=True)
class PlanUsage:
    """The support plan and what this period has used of it."""

    name: str
    period: PlanPeriod
    period_start: datetime  # UTC instants of the customer's local period boundaries
    period_end: datetime
    included_cases: int | None
    used_cases: int  # cases opened this period
    included_hours: Decimal | None
    used_hours: Decimal  # logged call, chat and meeting time this period

    @property
    def cases_left(self) -> int | None:
        return None if self.included_cases is None else self.included_cases - self.used_cases

    @property
    def hours_left(self) -> Decimal | None:
        return None if self.included_hours is None else self.included_hours - self.used_hours

    @property
    def exceeded(self) -> bool:
        cases, hours = self.cases_left, self.hours_left
        return (cases is not None and cases < 0) or (hours is not None and hours < 0)


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
    support_plan: str | None  # the plan's name; ``plan`` has its usage
    case_count: int
    preferred_contact: str | None = None
    open_case_count: int = 0
    last_contact_at: datetime | None = None  # the last call, email... with the customer
    contacts_last_30_days: int = 0
    plan: PlanUsage | None = None
    local_time: datetime | None = None  # the customer's wall clock when this was read
    version: int = 0


@dataclass(frozen=True)
class CaseSummaryRow:
    id: uuid.UUID
    key: str
    subject: str
    status: CaseStatus
    created_at: datetime
    resolution_outcome: str | None
    priority: Priority | None = None
    channel: Channel | None = None
    resolution_code: str | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    last_activity_at: datetime | None = None
    assignee: str | None = None

    @property
    def cursor(self) -> CaseCursor:
        return (self.created_at, self.id)


@dataclass(frozen=True)
class CasesPage:
    rows: tuple[CaseSummaryRow, ...]
    next_before: CaseCursor | None  # pass as ``before`` for the next page; None: no more


def customer_profile(ws: Workspace, customer_id: uuid.UUID) -> CustomerProfile:
    with read_session(ws) as session:
        return read_profile(session, customer_id)


def cases_page(
    ws: Workspace,
    customer_id: uuid.UUID,
    *,
    before: CaseCursor | None = None,
    limit: int = CASES_PAGE,
) -> CasesPage:
    """The customer's cases, open and closed, newest first, ``limit`` at a time."""
    with read_session(ws) as session:
        if session.get(Customer, customer_id) is None:
            raise NotFound("That customer does not exist (any more).")
        return read_cases(session, customer_id, before=before, limit=limit)


def read_profile(session: Session, customer_id: uuid.UUID) -> CustomerProfile:
    row = session.execute(
        select(Customer, Organization.name, SupportPlan, utcnow())
        .outerjoin(Organization, Organization.id == Customer.organization_id)
        .outerjoin(SupportPlan, SupportPlan.id == Customer.support_plan_id)
        .where(Customer.id == customer_id)
    ).first()
    if row is None:
        raise NotFound("That customer does not exist (any more).")
    customer, org_name, plan, now = row
    zone = _zone(customer.time_zone)
    local = now.astimezone(zone)
    period = _period(plan.period, local) if plan is not None else None
    figures = _figures(session, customer_id, now, period)
    usage = None
    if plan is not None and period is not None:
        seconds = int(figures["plan_seconds"] or 0)
        usage = PlanUsage(
            plan.name, plan.period, period[0], period[1], plan.included_cases,
            int(figures["plan_cases"] or 0), plan.included_hours,
            (Decimal(seconds) / 3600).quantize(Decimal("0.01")),
        )  # fmt: skip
    return CustomerProfile(
        customer.id, customer.name, customer.email, customer.phone, org_name,
        customer.time_zone, customer.tier, tuple(customer.tags or ()), customer.profile_note,
        plan.name if plan is not None else None, int(figures["cases"] or 0),
        preferred_contact=customer.preferred_contact,
        open_case_count=int(figures["open_cases"] or 0),
        last_contact_at=figures["last_contact"],
        contacts_last_30_days=int(figures["recent"] or 0),
        plan=usage, local_time=local, version=customer.version,
    )  # fmt: skip


def read_cases(
    session: Session,
    customer_id: uuid.UUID,
    *,
    before: CaseCursor | None = None,
    limit: int = CASES_PAGE,
) -> CasesPage:
    if not 1 <= limit <= MAX_CASES_PAGE:
        raise InvalidInput(f"A page of cases holds 1 to {MAX_CASES_PAGE} cases.")
    query = (
        select(Case.id, Case.number, Case.subject, Case.status, Case.created_at,
               Case.resolution_outcome, Case.priority, Case.channel, Case.resolution_code,
               Case.resolved_at, Case.closed_at, Case.last_activity_at, User.display_name)
        .outerjoin(User, User.id == Case.assignee_id)
        .where(Case.customer_id == customer_id)
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit + 1)
    )  # fmt: skip
    if before is not None:
        moment, last_id = before
        query = query.where(
            or_(Case.created_at < moment, and_(Case.created_at == moment, Case.id < last_id))
        )
    rows = [
        CaseSummaryRow(
            r[0],
            format_case_key(r[1]),
            r[2],
            r[3],
            r[4],
            r[5],
            priority=r[6],
            channel=r[7],
            resolution_code=r[8],
            resolved_at=r[9],
            closed_at=r[10],
            last_activity_at=r[11],
            assignee=r[12],
        )
        for r in session.execute(query)
    ]
    if len(rows) > limit:
        return CasesPage(tuple(rows[:limit]), rows[limit - 1].cursor)
    return CasesPage(tuple(rows), None)


def _figures(
    session: Session,
    customer_id: uuid.UUID,
    now: datetime,
    period: tuple[datetime, datetime] | None,
) -> dict[str, Any]:
    mine = Case.customer_id == customer_id
    # A contact is a conversation with the customer: not an internal note, not the courier.
    contact = and_(
        Interaction.customer_id == customer_id,
        Interaction.direction != Direction.INTERNAL,
        Interaction.channel != Channel.THIRD_PARTY,
    )
    recent_from = now - timedelta(days=RECENT_CONTACT_DAYS)
    parts = {
        "cases": select(func.count()).select_from(Case).where(mine),
        "open_cases": select(func.count())
        .select_from(Case)
        .where(mine, Case.status.in_(OPEN_STATUSES)),
        # Newest first with a limit, not MAX(): the index is walked back to the first match
        # instead of reading every interaction the customer ever had.
        "last_contact": select(Interaction.occurred_at)
        .where(contact)
        .order_by(Interaction.occurred_at.desc())
        .limit(1),
        "recent": select(func.count())
        .select_from(Interaction)
        .where(contact, Interaction.occurred_at >= recent_from),
    }
    if period is not None:
        parts["plan_cases"] = (
            select(func.count())
            .select_from(Case)
            .where(mine, Case.created_at >= period[0], Case.created_at < period[1])
        )
        parts["plan_seconds"] = select(
            func.coalesce(func.sum(Interaction.duration_seconds), 0)
        ).where(
            Interaction.customer_id == customer_id,
            Interaction.occurred_at >= period[0],
            Interaction.occurred_at < period[1],
        )
    row = session.execute(
        select(*(query.scalar_subquery().label(name) for name, query in parts.items()))
    ).one()
    return dict(row._mapping)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):  # an unknown zone reads as UTC rather than failing the card
        return ZoneInfo("UTC")


def _period(kind: PlanPeriod, local: datetime) -> tuple[datetime, datetime]:
    """The calendar month, quarter or year around ``local``, as UTC instants."""
    first_month = {
        PlanPeriod.MONTH: local.month,
        PlanPeriod.QUARTER: (local.month - 1) // 3 * 3 + 1,
        PlanPeriod.YEAR: 1,
    }[kind]
    months = {PlanPeriod.MONTH: 1, PlanPeriod.QUARTER: 3, PlanPeriod.YEAR: 12}[kind]
    after = first_month - 1 + months  # months from January to the period's end
    # Each boundary through the zone: a period starting in summer time and ending in winter
    # time gets each boundary's own offset.
    zone = local.tzinfo
    start = datetime(local.year, first_month, 1, tzinfo=zone)
    end = datetime(local.year + after // 12, after % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)
