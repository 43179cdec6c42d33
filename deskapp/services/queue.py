"""The case queue: views with live counts, keyset pages, jumps, filters and search.

A windowed GUI model asks for pages as the table scrolls:

- ``fetch_page(ws, actor, query, after, limit)`` — the next ``limit`` rows after a keyset (the
  last row's sort values + id; ``None`` for the top). Each page costs the same however deep the
  rep has scrolled, and rows changing meanwhile never make a page repeat or skip a row that
  stayed put.
- ``fetch_window(ws, actor, query, offset, limit)`` — the rows at a position, for a scrollbar
  dragged to the middle. OFFSET walks the rows before the position, so its cost grows with the
  offset; that is acceptable because a view is a slice of the open cases (thousands, not
  millions: see queue_query.py) and a jump happens once per drag, after which scrolling
  continues by keyset from the page's ``last``. Measured in tests/bench/bench_queue.py.
- ``count`` for one query and ``view_counts`` for every tab (one statement of sub-counts).

Sorting, filtering, counting and search happen in the database (queue_query.py builds the SQL).
Time-dependent views ("Due soon", "Commitments due") use the database server's clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskapp.db.models import Case, User
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, PermissionDenied
from deskapp.services import queue_query as qq
from deskapp.services.queue_query import COMMITMENTS_AHEAD, OPEN_STATUSES, default_sort
from deskapp.services.queue_records import (
    Keyset,
    Page,
    QueueFilters,
    QueueQuery,
    QueueRow,
    QueueView,
    RepLoad,
    SortColumn,
)
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

__all__ = [
    "COMMITMENTS_AHEAD",
    "OPEN_STATUSES",
    "Keyset",
    "Page",
    "QueueFilters",
    "QueueQuery",
    "QueueRow",
    "QueueView",
    "RepLoad",
    "SortColumn",
    "available_views",
    "count",
    "default_sort",
    "fetch_page",
    "fetch_window",
    "list_queue",
    "rep_loads",
    "view_counts",
    "views_for",
]


def views_for(actor: Actor) -> list[QueueView]:
    """The tabs the current queue pane knows how to show (it has an empty-state text for each).
    ``available_views`` adds "Due soon"; the pane moves to it once it has that text."""
    views = [QueueView.MY_CASES, QueueView.TEAM_UNASSIGNED, QueueView.WAITING_ON_CUSTOMER,
             QueueView.COMMITMENTS_DUE]  # fmt: skip
    if actor.role.rank >= Role.LEAD.rank:
        views.append(QueueView.ALL_OPEN)
    return views


def available_views(actor: Actor) -> list[QueueView]:
    """Every tab this person has, in the order a rep works them. Leads' per-person views
    (QueueView.REP) are opened from ``rep_loads`` and are not listed here."""
    views = [QueueView.MY_CASES, QueueView.TEAM_UNASSIGNED, QueueView.WAITING_ON_CUSTOMER,
             QueueView.DUE_SOON, QueueView.COMMITMENTS_DUE]  # fmt: skip
    if actor.role.rank >= Role.LEAD.rank:
        views.append(QueueView.ALL_OPEN)
    return views


def list_queue(ws: Workspace, actor: Actor, view: QueueView, *, limit: int = 500) -> list[QueueRow]:
    """The first ``limit`` rows of ``view`` in its own order (the first version's call)."""
    return list(fetch_page(ws, actor, QueueQuery(view), None, limit).rows)


def fetch_page(
    ws: Workspace, actor: Actor, query: QueueQuery, after: Keyset | None, limit: int = 100
) -> Page:
    """``limit`` rows of ``query`` after ``after`` (None: from the top)."""
    qq.check_query(actor, query, limit)
    if after is not None and (after.sort, after.descending) != (
        query.sort or default_sort(query.view),
        query.descending,
    ):
        raise InvalidInput("That position belongs to another order of this view; start again.")
    with read_session(ws) as session:
        statement = _statement(session, actor, query)
        select_ = statement.select
        if after is not None:
            select_ = select_.where(qq.after(statement.parts, after))
        rows = session.execute(select_.limit(limit + 1)).all()
        return _page(rows, statement, limit, None)


def fetch_window(
    ws: Workspace, actor: Actor, query: QueueQuery, offset: int, limit: int = 100
) -> Page:
    """``limit`` rows of ``query`` from position ``offset`` (0 is the top): a jump."""
    qq.check_query(actor, query, limit)
    if offset < 0:
        raise InvalidInput("A position in the list cannot be negative.")
    with read_session(ws) as session:
        statement = _statement(session, actor, query)
        rows = session.execute(statement.select.offset(offset).limit(limit + 1)).all()
        return _page(rows, statement, limit, offset)


def count(ws: Workspace, actor: Actor, query: QueueQuery) -> int:
    """How many rows ``query`` holds (its filters and search included)."""
    qq.check_query(actor, query)
    with read_session(ws) as session:
        clock = qq.read_clock(session) if qq.needs_clock(query.view) else None
        dialect = session.get_bind().dialect.name
        return int(session.scalar(qq.count_statement(actor, query, clock, dialect)) or 0)


def view_counts(ws: Workspace, actor: Actor) -> dict[QueueView, int]:
    """Each of ``available_views(actor)``'s row count, unfiltered: one statement of sub-counts
    (after one read of the server's clock and the teams' hours for "Due soon")."""
    views = available_views(actor)
    with read_session(ws) as session:
        clock = qq.read_clock(session)
        dialect = session.get_bind().dialect.name
        counts = [
            qq.count_statement(actor, QueueQuery(view), clock, dialect)
            .scalar_subquery()
            .label(view.value)
            for view in views
        ]
        row = session.execute(select(*counts)).one()
        return {view: int(row._mapping[view.value] or 0) for view in views}


def rep_loads(ws: Workspace, actor: Actor) -> list[RepLoad]:
    """The people of a lead's team (every active person for an admin) with their open-case
    counts, busiest first: the list a lead opens per-person views from."""
    if actor.role.rank < Role.LEAD.rank:
        raise PermissionDenied("Only team leads and admins see everyone's load.")
    held = (
        select(Case.assignee_id, func.count().label("open_cases"))
        .where(Case.status.in_(OPEN_STATUSES), Case.assignee_id.is_not(None))
        .group_by(Case.assignee_id)
    )
    people = select(User.id, User.display_name).where(User.active.is_(True))
    if actor.role is Role.LEAD:
        held = held.where(Case.team_id == actor.team_id)
        people = people.where(User.team_id == actor.team_id)
    with read_session(ws) as session:
        counts = {user_id: held_count for user_id, held_count in session.execute(held)}
        loads = [
            RepLoad(user_id, name, int(counts.get(user_id, 0)))
            for user_id, name in session.execute(people)
        ]
    return sorted(loads, key=lambda load: (-load.open_cases, load.display_name, load.user_id))


# --------------------------------------------------------------------------- shared
def _statement(session: Session, actor: Actor, query: QueueQuery) -> qq.Statement:
    clock = qq.read_clock(session) if qq.needs_clock(query.view) else None
    return qq.rows_statement(actor, query, clock, session.get_bind().dialect.name)


def _page(rows: Sequence[Any], statement: qq.Statement, limit: int, offset: int | None) -> Page:
    shown = rows[:limit]
    last = qq.keyset_of(shown[-1], statement) if shown else None
    return Page(tuple(qq.to_row(r) for r in shown), last, len(rows) > limit, offset)
