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
``ix_cases_ticking_due`` and their ``*_desc`` twins, migration 0007). Other orders sort narrow
rows (ids and sort values, read on SQLite from ``ix_cases_open_sorting``, migration 0013) and
read whole rows for the page only (``read_page``). No view reads closed history row by row.

Which cases a view holds (membership, filters, the search condition) and the server's clock
are in queue_membership.py.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import KeyedColumnElement

from deskapp.db.models import Case, Commitment, Customer, User
from deskapp.db.models.cases import OPEN_STATUSES as OPEN_STATUSES  # re-exported: queue.py...
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import CaseStatus, Mood, Priority, Role
from deskapp.domain.errors import InvalidInput, PermissionDenied
from deskapp.services.queue_membership import Clock as Clock  # re-exported: queue.py, tests
from deskapp.services.queue_membership import filtering, searching
from deskapp.services.queue_membership import membership as membership
from deskapp.services.queue_membership import needs_clock as needs_clock
from deskapp.services.queue_membership import read_clock as read_clock
from deskapp.services.queue_membership import selective as selective
from deskapp.services.queue_membership import status_in as status_in
from deskapp.services.queue_records import Keyset, QueueQuery, QueueRow, QueueView
from deskapp.services.queue_records import SortColumn as Col
from deskapp.services.records import Actor

COMMITMENTS_AHEAD = timedelta(hours=24)
LEAD_VIEWS = (QueueView.ALL_OPEN, QueueView.REP)
_INDEX_ORDERED = (QueueView.ALL_OPEN, QueueView.DUE_SOON)  # an admin's, by SLA (migration 0007)
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


# --------------------------------------------------------------------------- statements
# True of every case; repeated from the WHERE of ix_cases_open_sorting (models/cases.py), which
# SQLite uses only for a statement that says it: the narrow page statements do.
OPEN_SORTING_MARK = Case.number.is_not(None)


@dataclass(frozen=True)
class Statement:
    """A view's rows in order: ``select`` (every column, no limit) for callers that take the
    first row or every row, and ``page()`` (narrow rows, see ``read_page``) for the queue's
    pages. The ``sort_<n>`` columns of both carry the values of ``parts``: a row's keyset."""

    select: Select[Any]
    parts: list[SortPart]
    query: QueueQuery
    keys: Select[Any]  # the ids and sort values in order: what page() limits

    def page(self, after_: Keyset | None, offset: int, limit: int) -> Select[Any]:
        """``limit`` rows from ``offset``, after ``after_``, in order: whole rows when
        ``reads_whole``, else the ids and sort values (``read_page`` reads the rows)."""
        rows = self.select if self.reads_whole else self.keys
        if after_ is not None:
            rows = rows.where(after(self.parts, after_))
        if offset:
            rows = rows.offset(offset)
        return rows.limit(limit)

    reads_whole: bool  # the view's rows come in order off an index: no narrow rows


def read_page(
    session: Session, statement: Statement, after_: Keyset | None, offset: int, limit: int
) -> tuple[list[Row[Any]], list[QueueRow]]:
    """A page's keyset rows (the ``sort_<n>`` values and id) and its rows.

    Orders no index holds (customer, subject, assignee…) take two statements: the order,
    keyset and offset are worked out over narrow rows (ids and sort values), then only the
    page's rows are read whole, by id. Sorting 30,000 open cases by customer then moves a few
    bytes a case rather than every column, and on SQLite reads only the open cases' covering
    index (``ix_cases_open_sorting``, migration 0013), never a case's table row. Python only
    puts the rows back in the order the database gave (a dict lookup a row); a row gone in
    between (never, inside SQLite's snapshot) is left out."""
    keys = list(session.execute(statement.page(after_, offset, limit)).all())
    if statement.reads_whole or not keys:
        return keys, [to_row(row) for row in keys]
    by_id = {row.id: to_row(row) for row in session.execute(whole_rows([k.id for k in keys]))}
    shown = [key for key in keys if key.id in by_id]
    rows = [by_id[key.id] for key in shown]
    if statement.query.view is QueueView.COMMITMENTS_DUE:  # the promise came with the ids
        promises = [key.promise_due for key in shown]
        rows = [replace(r, commitment_due=p) for r, p in zip(rows, promises, strict=True)]
    return shown, rows


def whole_rows(case_ids: list[uuid.UUID]) -> Select[Any]:
    """These cases' rows, every column a QueueRow needs (the promise left empty)."""
    return (
        select(*_row_columns(), literal(None).label("promise_due"))
        .join(Customer, Customer.id == Case.customer_id)
        .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Case.assignee_id)
        # One expanding parameter: a hundred ids are not coerced one by one into the SQL.
        .where(Case.id.in_(bindparam("page_ids", case_ids, Case.id.type, expanding=True)))
    )


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
    actor: Actor, query: QueueQuery, clock: Clock | None, dialect: str, probe: str | None = None
) -> list[ColumnElement[bool]]:
    return [
        *membership(actor, query, clock),
        *filtering(query.filters),
        *searching(dialect, query.search, probe),
    ]


@functools.cache
def _row_columns() -> tuple[Any, ...]:
    """What a QueueRow is made of (to_row), besides the promise; built once (each page's
    statements reuse them)."""
    return (
        Case.id, Case.number, Customer.name.label("customer_name"), Case.subject,
        Case.priority, Case.status, Case.channel, Case.mood,
        _ASSIGNEE.display_name.label("assignee_name"), Case.waiting_since, Case.transfer_count,
        Case.resolution_due, Case.version, Case.category, Case.team_id, Case.assignee_id,
        _FIRST_RESPONSE_PENDING.label("first_response_pending"), Case.created_at,
    )  # fmt: skip


def rows_statement(
    actor: Actor, query: QueueQuery, clock: Clock | None, dialect: str, probe: str | None = None
) -> Statement:
    """The view's rows in order (no keyset, offset or limit yet)."""
    promise: KeyedColumnElement[Any] | None = None
    statement = (
        select(*_row_columns())
        .join(Customer, Customer.id == Case.customer_id)
        .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Case.assignee_id)
    )
    keys = select(Case.id).select_from(Case)
    column = query.sort or default_sort(query.view)
    # Every case has its customer (a foreign key that is never empty): joining them changes no
    # view's membership, so the narrow rows join only what their sort reads.
    if column is Col.CUSTOMER:
        keys = keys.join(Customer, Customer.id == Case.customer_id)
    if column is Col.ASSIGNEE:
        keys = keys.outerjoin(_ASSIGNEE, _ASSIGNEE.id == Case.assignee_id)
    if query.view is QueueView.COMMITMENTS_DUE:
        assert clock is not None
        soonest = soonest_promise(clock)
        promise = soonest.c.due_at
        statement = statement.add_columns(promise.label("promise_due")).join(
            soonest, soonest.c.case_id == Case.id
        )
        keys = keys.add_columns(promise.label("promise_due")).join(
            soonest, soonest.c.case_id == Case.id
        )
    else:
        statement = statement.add_columns(literal(None).label("promise_due"))
        keys = keys.add_columns(literal(None).label("promise_due"))
    parts = sort_parts(query, promise)
    sorting = [part.expr.label(f"sort_{n}") for n, part in enumerate(parts)]
    conditions = where(actor, query, clock, dialect, probe)
    ordering = order_by(parts, query.descending)
    statement = statement.add_columns(*sorting).where(*conditions).order_by(*ordering)
    keys = keys.add_columns(*sorting).where(*conditions, OPEN_SORTING_MARK).order_by(*ordering)
    # An admin's "All open" and "Due soon" in SLA order are held in that order by indexes
    # (``ix_cases_open_due``…, migration 0007): the page is read straight off one, whole rows
    # and all. Every other view and order sorts its rows, and sorts narrow ones (read_page).
    in_sla_order = (query.sort or default_sort(query.view)) is Col.SLA
    index_ordered = actor.role is Role.ADMIN and query.view in _INDEX_ORDERED
    reads_whole = in_sla_order and index_ordered
    return Statement(statement, parts, query, keys, reads_whole)


def count_statement(
    actor: Actor,
    query: QueueQuery,
    clock: Clock | None,
    dialect: str,
    cap: int | None = None,
    probe: str | None = None,
) -> Select[Any]:
    """How many rows ``query`` holds; with a ``cap``, no more than ``cap + 1`` are counted
    (LIMIT inside, COUNT outside), so a huge search stops reading once it is known to be huge
    and a result of ``cap + 1`` means "more than ``cap``"."""
    if cap is None:
        statement = select(func.count()).select_from(Case)
    else:
        statement = select(literal_column("1")).select_from(Case)
    if query.view is QueueView.COMMITMENTS_DUE:
        assert clock is not None
        soonest = soonest_promise(clock)
        statement = statement.join(soonest, soonest.c.case_id == Case.id)
    statement = statement.where(*where(actor, query, clock, dialect, probe))
    if cap is None:
        return statement
    return select(func.count()).select_from(statement.limit(cap + 1).subquery("capped"))


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
