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
- ``count_up_to`` for one query and ``view_counts_up_to`` for every tab (one statement of
  sub-counts), each reading no more than a cap of rows: "10,000+" rather than a second spent
  counting 880,000 matches of a two-letter search. ``count`` and ``view_counts`` count exactly.

Sorting, filtering, counting and search happen in the database (queue_query.py builds the SQL).
Time-dependent views ("Due soon", "Commitments due") use the database server's clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskapp.db.models import Case, User
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, PermissionDenied
from deskapp.services import case_search
from deskapp.services import queue_query as qq
from deskapp.services.queue_query import COMMITMENTS_AHEAD, OPEN_STATUSES, default_sort
from deskapp.services.queue_records import (
    Count,
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

# A common two-letter search is looked up case by case in views of at most this many cases
# (about 0.1 ms a case on SQLite: _probe).
PROBE_VIEW = 1000
# Counting stops here: a rep reads "10,000+" and narrows the search; nobody scrolls further.
COUNT_CAP = 10_000
# A view is a slice of the open cases, counted through its index; its tab counts exactly up to
# here (an admin's "All open" of a big contact centre), past which it too says "at least".
VIEW_COUNT_CAP = 100_000

__all__ = [
    "COMMITMENTS_AHEAD",
    "COUNT_CAP",
    "OPEN_STATUSES",
    "VIEW_COUNT_CAP",
    "Count",
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
    "count_up_to",
    "default_sort",
    "fetch_page",
    "fetch_window",
    "list_queue",
    "rep_loads",
    "view_counts",
    "view_counts_up_to",
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
        statement = page_statement(session, actor, query)
        keys, rows = qq.read_page(session, statement, after, 0, limit + 1)
        return _page(keys, rows, statement, limit, None)


def fetch_window(
    ws: Workspace, actor: Actor, query: QueueQuery, offset: int, limit: int = 100
) -> Page:
    """``limit`` rows of ``query`` from position ``offset`` (0 is the top): a jump."""
    qq.check_query(actor, query, limit)
    if offset < 0:
        raise InvalidInput("A position in the list cannot be negative.")
    with read_session(ws) as session:
        statement = page_statement(session, actor, query, offset)
        keys, rows = qq.read_page(session, statement, None, offset, limit + 1)
        return _page(keys, rows, statement, limit, offset)


def count(ws: Workspace, actor: Actor, query: QueueQuery) -> int:
    """How many rows ``query`` holds (its filters and search included), exactly: every
    matching row is read. The GUI asks ``count_up_to`` instead."""
    return _count(ws, actor, query, None).value


def count_up_to(ws: Workspace, actor: Actor, query: QueueQuery, cap: int = COUNT_CAP) -> Count:
    """How many rows ``query`` holds, reading no more than ``cap + 1`` of them: past ``cap`` the
    answer is "at least ``cap``" (``Count.at_least``)."""
    if cap < 1:
        raise InvalidInput("Count at least one row.")
    return _count(ws, actor, query, cap)


def _count(ws: Workspace, actor: Actor, query: QueueQuery, cap: int | None) -> Count:
    qq.check_query(actor, query)
    with read_session(ws) as session:
        clock = qq.read_clock(session) if qq.needs_clock(query.view) else None
        dialect = session.get_bind().dialect.name
        probe = _probe(session, actor, query, clock, many=True)
        statement = qq.count_statement(actor, query, clock, dialect, cap, probe)
        return _capped(int(session.scalar(statement) or 0), cap)


def view_counts(ws: Workspace, actor: Actor) -> dict[QueueView, int]:
    """Each of ``available_views(actor)``'s row count, unfiltered and exact."""
    return {view: n.value for view, n in _view_counts(ws, actor, None).items()}


def view_counts_up_to(
    ws: Workspace, actor: Actor, cap: int = VIEW_COUNT_CAP
) -> dict[QueueView, Count]:
    """Each of ``available_views(actor)``'s row count, unfiltered, each counted up to ``cap``."""
    if cap < 1:
        raise InvalidInput("Count at least one row.")
    return _view_counts(ws, actor, cap)


def _view_counts(ws: Workspace, actor: Actor, cap: int | None) -> dict[QueueView, Count]:
    """One statement of sub-counts (after one read of the server's clock and the teams' hours
    for "Due soon")."""
    views = available_views(actor)
    with read_session(ws) as session:
        clock = qq.read_clock(session)
        dialect = session.get_bind().dialect.name
        counts = [
            qq.count_statement(actor, QueueQuery(view), clock, dialect, cap)
            .scalar_subquery()
            .label(view.value)
            for view in views
        ]
        row = session.execute(select(*counts)).one()
        return {view: _capped(int(row._mapping[view.value] or 0), cap) for view in views}


def _capped(found: int, cap: int | None) -> Count:
    if cap is not None and found > cap:
        return Count(cap, at_least=True)
    return Count(found)


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
def page_statement(
    session: Session, actor: Actor, query: QueueQuery, offset: int = 0
) -> qq.Statement:
    """The statement ``fetch_page`` and ``fetch_window`` (from ``offset``) read ``query`` with."""
    clock = qq.read_clock(session) if qq.needs_clock(query.view) else None
    probe = _probe(session, actor, query, clock, many=offset > PROBE_VIEW)
    return qq.rows_statement(actor, query, clock, session.get_bind().dialect.name, probe)


def _probe(
    session: Session, actor: Actor, query: QueueQuery, clock: qq.Clock | None, *, many: bool
) -> str | None:
    """SQLite: whether to look a search up case by case (the FTS5 query) rather than collect
    every match first. Only a common two-letter word qualifies (one prefix-index term: about
    0.1 ms a case, where a longer prefix costs milliseconds), and only where few cases are
    looked at: a view of at most PROBE_VIEW cases, or, for a page, an admin's "All open" or
    "Due soon" in SLA order, read off its index until the page is full (a hundred cases for a
    word in most of them). ``many``: every row is looked at (a count) or thousands of them (a
    jump deep into the view): only a small view then. Measured in tests/bench/bench_search.py."""
    if session.get_bind().dialect.name != "sqlite" or not query.search.strip():
        return None
    fts_query = case_search.probe_query(query.search)
    if fts_query is None or not case_search.is_common(session, fts_query):
        return None
    in_index_order = (
        not many
        and actor.role is Role.ADMIN
        and query.view in (QueueView.ALL_OPEN, QueueView.DUE_SOON)
        and (query.sort or default_sort(query.view)) is SortColumn.SLA
        and query.filters == QueueFilters()
    )
    if in_index_order:
        return fts_query
    unsearched = replace(query, search="")
    dialect = session.get_bind().dialect.name
    held = qq.count_statement(actor, unsearched, clock, dialect, PROBE_VIEW)
    return fts_query if int(session.scalar(held) or 0) <= PROBE_VIEW else None


def _page(
    keys: Sequence[Any], rows: Sequence[QueueRow], statement: qq.Statement, limit: int,
    offset: int | None,
) -> Page:  # fmt: skip
    last = qq.keyset_of(keys[limit - 1 if len(keys) > limit else -1], statement) if keys else None
    return Page(tuple(rows[:limit]), last, len(keys) > limit, offset)
