"""The queue's SQL: which cases a view holds, filters, search, sort order and keysets.

Everything is decided in the database (sorting, filtering, counting, search); Python only turns
result rows into QueueRow values. Orders are total: every sort ends with the case id as the tie
breaker, in the sort's direction, and empty values (no SLA, nobody waiting, unassigned) come
last whichever the direction. A keyset is the last row's sort values plus its id, and "the rows
after it" is the lexicographic comparison written out column by column, so it needs no
row-value syntax and holds for NULLs on every dialect (DESIGN.md §4: timestamp+id keysets, no
single sequence).

Why this is fast at a million cases: every view is a slice of the *open* cases (a few percent
of all cases once history builds up), reached through an index on its membership columns
(``ix_cases_assignee_status``, ``ix_cases_team_assignee_status``, ``ix_cases_status_due``,
``ix_cases_team_status``); the database then sorts that slice, keeping only the top rows it
needs. An admin's "All open" and "Due soon" by SLA, either way, need no sort at all: partial
indexes over the open cases hold them in that order (``ix_cases_open_due``,
``ix_cases_ticking_due`` and their ``*_desc`` twins, migration 0007). No view reads closed
history row by row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy import case as sql_case
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import KeyedColumnElement
from sqlalchemy.sql.functions import FunctionElement

from deskapp.db.models import Case, Commitment, Customer, Team, User
from deskapp.db.models.cases import OPEN_STATUSES as OPEN_STATUSES  # re-exported: queue.py...
from deskapp.db.models.cases import TICKING_STATUSES
from deskapp.db.types import utcnow
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import CaseStatus, Mood, Priority, Role
from deskapp.domain.errors import InvalidInput, PermissionDenied
from deskapp.domain.sla_clock import DUE_SOON, BusinessCalendar, business_deadline
from deskapp.services.case_search import case_matches
from deskapp.services.queue_records import Keyset, QueueFilters, QueueQuery, QueueRow, QueueView
from deskapp.services.queue_records import SortColumn as Col
from deskapp.services.records import Actor

COMMITMENTS_AHEAD = timedelta(hours=24)
LEAD_VIEWS = (QueueView.ALL_OPEN, QueueView.REP)
MAX_PAGE = 1000

_ASSIGNEE = aliased(User, name="assignee")
_PRIORITY_RANK = sql_case({p: i for i, p in enumerate(Priority)}, value=Case.priority)
_STATUS_RANK = sql_case({s: i for i, s in enumerate(CaseStatus)}, value=Case.status)
_MOOD_RANK = sql_case({m: i for i, m in enumerate(Mood)}, value=Case.mood)
# The first-response due counts only until the customer had a first answer.
_FIRST_RESPONSE_PENDING = sql_case(
    (Case.first_responded_at.is_(None), Case.first_response_due), else_=None
)

_DEFAULT_SORT = {
    QueueView.TEAM_UNASSIGNED: Col.RISK,  # the top row is what Get next would hand out
    QueueView.COMMITMENTS_DUE: Col.PROMISE,
}


def default_sort(view: QueueView) -> Col:
    """Most at risk first: the soonest SLA due, unless the view is about something else."""
    return _DEFAULT_SORT.get(view, Col.SLA)


# --------------------------------------------------------------------------- the server's clock
@dataclass(frozen=True)
class Clock:
    """The server's time and the teams' calendars, read before a time-dependent view is built."""

    now: datetime
    calendars: dict[uuid.UUID, BusinessCalendar]

    def due_soon_horizon(self, team_id: uuid.UUID) -> datetime:
        """When the team will have worked DUE_SOON more hours: due before that is due soon."""
        calendar = self.calendars.get(team_id)
        return self.now + DUE_SOON if calendar is None else _deadline(self.now, calendar)


def needs_clock(view: QueueView) -> bool:
    return view in (QueueView.DUE_SOON, QueueView.COMMITMENTS_DUE)


def read_clock(session: Session) -> Clock:
    """One round trip: every team's hours, with the server's time on each row."""
    rows = session.execute(
        select(Team.id, Team.time_zone, Team.business_hours, Team.holidays, utcnow())
    ).all()
    if not rows:
        now = session.scalar(select(utcnow()))
        assert now is not None  # every server knows the time
        return Clock(now, {})
    calendars = {}
    for team_id, zone, hours, holidays, _now in rows:
        try:
            calendars[team_id] = BusinessCalendar.from_team(zone, hours, holidays or ())
        except ValueError:
            continue  # a team whose hours do not parse counts wall-clock time: never hidden
    return Clock(rows[0][4], calendars)


def _deadline(now: datetime, calendar: BusinessCalendar) -> datetime:
    try:
        return business_deadline(now, DUE_SOON, calendar)
    except (ValueError, KeyError):  # a calendar that never opens, an unknown time zone
        return now + DUE_SOON


# --------------------------------------------------------------------------- rights and input
def check_query(actor: Actor, query: QueueQuery, limit: int | None = None) -> None:
    if query.view in LEAD_VIEWS and actor.role.rank < Role.LEAD.rank:
        raise PermissionDenied(
            "Only team leads and admins see every open case or another person's cases."
        )
    if query.view is QueueView.REP and query.rep_id is None:
        raise InvalidInput("Choose whose cases to show.")
    if query.sort is Col.PROMISE and query.view is not QueueView.COMMITMENTS_DUE:
        raise InvalidInput("Cases can be sorted by promise only in “Commitments due”.")
    if limit is not None and not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"Ask for between 1 and {MAX_PAGE} rows at a time.")


# --------------------------------------------------------------------------- sort order
@dataclass(frozen=True)
class SortPart:
    expr: Any  # a column or SQL expression
    descending: bool
    nullable: bool


def sort_parts(query: QueueQuery, promise: ColumnElement[Any] | None) -> list[SortPart]:
    """The columns of ``query``'s order, before the id that breaks ties."""
    column = query.sort or default_sort(query.view)
    down = query.descending
    simple: dict[Col, tuple[Any, bool]] = {
        Col.KEY: (Case.number, False),
        Col.SLA: (Case.resolution_due, True),
        Col.PRIORITY: (_PRIORITY_RANK, False),
        Col.CUSTOMER: (Customer.name, False),
        Col.SUBJECT: (Case.subject, False),
        Col.STATUS: (_STATUS_RANK, False),
        Col.MOOD: (_MOOD_RANK, False),
        Col.CHANNEL: (Case.channel, False),
        Col.ASSIGNEE: (_ASSIGNEE.display_name, True),
        Col.TRANSFERS: (Case.transfer_count, False),
        Col.CATEGORY: (Case.category, True),
        Col.CREATED: (Case.created_at, False),
    }
    if column in simple:
        expr, nullable = simple[column]
        return [SortPart(expr, down, nullable)]
    if column is Col.WAITING:  # a longer wait is an earlier waiting_since
        return [SortPart(Case.waiting_since, not down, True)]
    if column is Col.PROMISE:
        assert promise is not None  # check_query allows it in "Commitments due" only
        return [SortPart(promise, down, False)]
    # Col.RISK — urgent first, then the soonest SLA due, then the oldest
    return [
        SortPart(_PRIORITY_RANK, not down, False),
        SortPart(Case.resolution_due, down, True),
        SortPart(Case.created_at, down, False),
    ]


def order_by(parts: Sequence[SortPart], descending: bool) -> list[ColumnElement[Any]]:
    clauses: list[ColumnElement[Any]] = []
    for part in parts:
        if part.nullable:  # false < true: the empty values last, in either direction
            clauses.append(part.expr.is_(None))
        clauses.append(part.expr.desc() if part.descending else part.expr.asc())
    clauses.append(Case.id.desc() if descending else Case.id.asc())
    return clauses


def after(parts: Sequence[SortPart], keyset: Keyset) -> ColumnElement[bool]:
    """Rows that come after ``keyset`` in the order of ``parts`` (then id)."""
    if len(keyset.values) != len(parts):
        raise InvalidInput("That position belongs to another order of this view; start again.")
    clauses: list[ColumnElement[bool]] = []
    equal: list[ColumnElement[bool]] = []
    for part, value in zip(parts, keyset.values, strict=True):
        clauses.append(and_(*equal, _beyond(part, value)))
        equal.append(part.expr.is_(None) if value is None else part.expr == value)
    last_id = Case.id < keyset.case_id if keyset.descending else Case.id > keyset.case_id
    clauses.append(and_(*equal, last_id))
    return or_(*clauses)


def _beyond(part: SortPart, value: Any) -> ColumnElement[bool]:
    if value is None:
        return false()  # empty values come last: nothing follows them in this column
    beyond = part.expr < value if part.descending else part.expr > value
    return or_(beyond, part.expr.is_(None)) if part.nullable else beyond


# --------------------------------------------------------------------------- membership
class selective(FunctionElement[bool]):  # noqa: N801 - reads like the SQL condition it wraps
    """A condition few rows meet — the open cases among years of closed ones. SQLite's planner
    knows only the average number of rows per index value (a status holds an eighth of the
    table, it reckons) and would rather scan the whole table; ``likelihood()`` tells it the
    truth. Other dialects keep histograms and see the condition as it is."""

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a condition already: never compared with 1


@compiles(selective)
def _selective(element: selective, compiler: SQLCompiler, **kw: Any) -> str:
    [condition] = element.clauses.clauses
    return compiler.process(condition, **kw)


@compiles(selective, "sqlite")
def _selective_sqlite(element: selective, compiler: SQLCompiler, **kw: Any) -> str:
    [condition] = element.clauses.clauses
    return f"likelihood({compiler.process(condition, **kw)}, 0.05)"


def status_in(statuses: tuple[CaseStatus, ...]) -> ColumnElement[bool]:
    """``status IN (...)`` with the values written into the SQL, not bound: SQLite's planner
    cannot see bound values when it decides whether a partial index (``ix_cases_open_due``,
    ``ix_cases_ticking_due``, built from the same tuples) covers the query."""
    values = bindparam(None, list(statuses), Case.status.type, expanding=True, literal_execute=True)
    return Case.status.in_(values)


def membership(actor: Actor, query: QueueQuery, clock: Clock | None) -> list[ColumnElement[bool]]:
    """Which cases ``query.view`` holds for ``actor``."""
    view = query.view
    open_case = selective(status_in(OPEN_STATUSES))
    mine = Case.assignee_id == actor.user_id if actor.user_id is not None else false()
    if view is QueueView.MY_CASES:
        return [mine, open_case]
    if view is QueueView.TEAM_UNASSIGNED:
        my_team = Case.team_id == actor.team_id if actor.team_id is not None else false()
        return [my_team, Case.assignee_id.is_(None), open_case]
    if view is QueueView.WAITING_ON_CUSTOMER:
        return [mine, Case.status == CaseStatus.PENDING_CUSTOMER]
    if view is QueueView.DUE_SOON:
        assert clock is not None
        ticking = selective(status_in(TICKING_STATUSES))
        return [_scope(actor), ticking, _due_soon(clock)]
    if view is QueueView.COMMITMENTS_DUE:
        return [_scope(actor), open_case]
    team = [Case.team_id == actor.team_id] if actor.role is Role.LEAD and actor.team_id else []
    if view is QueueView.REP:
        return [Case.assignee_id == query.rep_id, open_case, *team]
    return [open_case, *team]  # ALL_OPEN


def _scope(actor: Actor) -> ColumnElement[bool]:
    """Whose work is mine to watch: my cases; a lead's, the team's; an admin's, all."""
    if actor.role is Role.ADMIN:
        return true()
    if actor.role is Role.LEAD and actor.team_id is not None:
        return Case.team_id == actor.team_id
    return Case.assignee_id == actor.user_id if actor.user_id is not None else false()


def _due_soon(clock: Clock) -> ColumnElement[bool]:
    """Resolution (or a pending first response) due within DUE_SOON of the case's team's
    business hours, or already past."""

    def due_before(horizon: datetime) -> ColumnElement[bool]:
        return or_(
            Case.resolution_due <= horizon,
            and_(Case.first_responded_at.is_(None), Case.first_response_due <= horizon),
        )

    if not clock.calendars:
        return due_before(clock.now + DUE_SOON)
    per_team = [
        and_(Case.team_id == team_id, due_before(clock.due_soon_horizon(team_id)))
        for team_id in sorted(clock.calendars)
    ]
    # A team whose hours did not parse is missing from the calendars: wall-clock hours for it.
    others = and_(Case.team_id.notin_(sorted(clock.calendars)), due_before(clock.now + DUE_SOON))
    return or_(*per_team, others)


def filtering(filters: QueueFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.statuses:
        conditions.append(Case.status.in_(sorted(filters.statuses)))
    if filters.priorities:
        conditions.append(Case.priority.in_(sorted(filters.priorities)))
    if filters.channels:
        conditions.append(Case.channel.in_(sorted(filters.channels)))
    if filters.categories:
        conditions.append(Case.category.in_(sorted(filters.categories)))
    if filters.team_ids:
        conditions.append(Case.team_id.in_(sorted(filters.team_ids)))
    if filters.assignee_ids:
        people = sorted(i for i in filters.assignee_ids if i is not None)
        either = [Case.assignee_id.in_(people)] if people else []
        if None in filters.assignee_ids:
            either.append(Case.assignee_id.is_(None))
        conditions.append(or_(*either))
    return conditions


def searching(dialect: str, text: str) -> list[ColumnElement[bool]]:
    if not text.strip():
        return []
    condition = case_matches(dialect, text)
    return [] if condition is None else [condition]


# --------------------------------------------------------------------------- statements
@dataclass(frozen=True)
class Statement:
    """A rows statement and the sort parts whose values its ``sort_<n>`` columns carry."""

    select: Select[Any]
    parts: list[SortPart]
    query: QueueQuery


def soonest_promise(clock: Clock) -> Any:
    """Per case, the soonest unkept promise due before the horizon (late ones included).
    Only promises inside the window are grouped, so the commitments index does the work."""
    return (
        select(Commitment.case_id, func.min(Commitment.due_at).label("due_at"))
        .where(
            Commitment.fulfilled_at.is_(None), Commitment.due_at <= clock.now + COMMITMENTS_AHEAD
        )
        .group_by(Commitment.case_id)
        .subquery("soonest_promise")
    )


def where(
    actor: Actor, query: QueueQuery, clock: Clock | None, dialect: str
) -> list[ColumnElement[bool]]:
    return [
        *membership(actor, query, clock),
        *filtering(query.filters),
        *searching(dialect, query.search),
    ]


def rows_statement(actor: Actor, query: QueueQuery, clock: Clock | None, dialect: str) -> Statement:
    """The view's rows in order (no keyset, offset or limit yet)."""
    promise: KeyedColumnElement[Any] | None = None
    columns: list[Any] = [
        Case.id, Case.number, Customer.name.label("customer_name"), Case.subject,
        Case.priority, Case.status, Case.channel, Case.mood,
        _ASSIGNEE.display_name.label("assignee_name"), Case.waiting_since, Case.transfer_count,
        Case.resolution_due, Case.version, Case.category, Case.team_id, Case.assignee_id,
        _FIRST_RESPONSE_PENDING.label("first_response_pending"), Case.created_at,
    ]  # fmt: skip
    statement = (
        select(*columns)
        .join(Customer, Customer.id == Case.customer_id)
        .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Case.assignee_id)
    )
    if query.view is QueueView.COMMITMENTS_DUE:
        assert clock is not None
        soonest = soonest_promise(clock)
        promise = soonest.c.due_at
        statement = statement.add_columns(promise.label("promise_due")).join(
            soonest, soonest.c.case_id == Case.id
        )
    else:
        statement = statement.add_columns(literal(None).label("promise_due"))
    parts = sort_parts(query, promise)
    statement = statement.add_columns(
        *(part.expr.label(f"sort_{n}") for n, part in enumerate(parts))
    )
    statement = statement.where(*where(actor, query, clock, dialect)).order_by(
        *order_by(parts, query.descending)
    )
    return Statement(statement, parts, query)


def count_statement(
    actor: Actor, query: QueueQuery, clock: Clock | None, dialect: str
) -> Select[Any]:
    statement = select(func.count()).select_from(Case)
    if query.view is QueueView.COMMITMENTS_DUE:
        assert clock is not None
        soonest = soonest_promise(clock)
        statement = statement.join(soonest, soonest.c.case_id == Case.id)
    return statement.where(*where(actor, query, clock, dialect))


def to_row(row: Row[Any]) -> QueueRow:
    return QueueRow(
        row.id, format_case_key(row.number), row.customer_name, row.subject, row.priority,
        row.status, row.channel, row.mood, row.assignee_name, row.waiting_since,
        row.transfer_count, row.resolution_due, row.version, row.promise_due, row.category,
        row.team_id, row.assignee_id, row.first_response_pending, row.created_at,
    )  # fmt: skip


def keyset_of(row: Row[Any], statement: Statement) -> Keyset:
    mapping = row._mapping
    return Keyset(
        statement.query.sort or default_sort(statement.query.view),
        statement.query.descending,
        tuple(mapping[f"sort_{n}"] for n in range(len(statement.parts))),
        row.id,
    )
