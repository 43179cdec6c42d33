"""Which cases a queue view holds: membership, filters and the search condition, and the
database server's clock that time-dependent views ("Due soon", "Commitments due") are built on.

Part of the queue's SQL (queue_query.py builds the statements, sorts and keysets around these
conditions); everything here is a condition on the ``cases`` row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ColumnElement, and_, bindparam, false, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from deskapp.db.models import Case, Team
from deskapp.db.models.cases import OPEN_STATUSES, TICKING_STATUSES
from deskapp.db.types import utcnow
from deskapp.domain.enums import CaseStatus, Role
from deskapp.domain.sla_clock import DUE_SOON, BusinessCalendar, business_deadline
from deskapp.services.case_search import case_matches, probe_condition
from deskapp.services.queue_records import QueueFilters, QueueQuery, QueueView
from deskapp.services.records import Actor


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


def searching(dialect: str, text: str, probe: str | None = None) -> list[ColumnElement[bool]]:
    """The search's condition: every match collected first, or with ``probe`` (an FTS5 query,
    SQLite) one lookup per case (services/queue.py chooses)."""
    if not text.strip():
        return []
    if probe is not None:
        return [probe_condition(probe)]
    condition = case_matches(dialect, text)
    return [] if condition is None else [condition]
