"""Reading the audit trail as people do: who did what, when and why.

- ``case_history``: one case's events, newest first, each in plain words (the case view's
  "Audit history").
- ``team_audit``: the team-wide view for leads and admins, filtered by team, person, kind of
  action and dates, newest first, a page at a time by keyset (the last row's time and id), so
  the hundredth page costs what the first does. A lead sees the events of their team's cases,
  an admin everything (people, teams, canned responses too), a rep is refused.

Rows carry names, not ids: the person who acted by their display name (their login when they
were the setup account), and the people and teams an event's detail refers to, looked up in
one query per page.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, and_, or_, select
from sqlalchemy.orm import Session, aliased

from deskapp.db.models import AuditEvent, Case, Team, User
from deskapp.domain.case_key import format_case_key, parse_case_key
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from deskapp.services.audit import case_chain
from deskapp.services.audit_wording import ActionKind, actions_of, describe, ids_named_in, kind_of
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

PAGE_ROWS = 100
MAX_PAGE_ROWS = 1000


@dataclass(frozen=True)
class AuditRow:
    id: uuid.UUID
    occurred_at: datetime
    chain: str
    seq: int
    case_id: uuid.UUID | None
    case_key: str | None
    actor_login: str
    actor_name: str
    action: str
    kind: ActionKind | None
    what: str  # "reassigned the case from Dana Scully to Lee Adama"
    why: str | None  # the reason the person gave, if any


@dataclass(frozen=True)
class PageMark:
    """Where a page ended: the next page starts after this (time, id)."""

    occurred_at: datetime
    id: uuid.UUID


@dataclass(frozen=True)
class AuditQuery:
    team_id: uuid.UUID | None = None
    actor_login: str | None = None
    kinds: tuple[ActionKind, ...] = ()
    since: datetime | None = None  # from this moment on (inclusive)
    until: datetime | None = None  # before this moment (exclusive)
    case_id: uuid.UUID | None = None


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    next_after: PageMark | None  # None: this was the last page


_ROW_COLUMNS = (
    AuditEvent.id, AuditEvent.occurred_at, AuditEvent.chain, AuditEvent.seq, AuditEvent.case_id,
    Case.number, AuditEvent.actor_login, User.display_name, AuditEvent.action, AuditEvent.reason,
    AuditEvent.detail, AuditEvent.actor_id,
)  # fmt: skip


def _rows_query() -> Select[Any]:
    return (
        select(*_ROW_COLUMNS)
        .outerjoin(Case, Case.id == AuditEvent.case_id)
        .outerjoin(User, User.id == AuditEvent.actor_id)
    )


def case_history(ws: Workspace, case_id: uuid.UUID) -> tuple[AuditRow, ...]:
    """Every event of one case, newest first (whoever can read the case may read this)."""
    with read_session(ws) as session:
        if session.get(Case, case_id) is None:
            raise NotFound("That case does not exist (any more).")
        rows = session.execute(
            _rows_query()
            .where(AuditEvent.chain == case_chain(case_id))
            .order_by(AuditEvent.seq.desc())
        ).all()
        return tuple(_readable(session, rows))


def find_case(ws: Workspace, key_text: str) -> tuple[uuid.UUID, str]:
    """The case a person names by its key ("C-123", "c123", "C-000123"): its id and key."""
    number = parse_case_key(key_text.strip())
    if number is None:
        raise InvalidInput(f"“{key_text}” is not a case key; write it like C-000123.")
    with read_session(ws) as session:
        case_id = session.scalar(select(Case.id).where(Case.number == number))
    if case_id is None:
        raise NotFound(f"There is no case {format_case_key(number)}.")
    return case_id, format_case_key(number)


def team_audit(
    ws: Workspace,
    actor: Actor,
    query: AuditQuery,
    *,
    after: PageMark | None = None,
    limit: int = PAGE_ROWS,
) -> AuditPage:
    """One page of the team audit view, newest first; ``after`` continues a previous page."""
    query = _allowed(actor, query)
    limit = max(1, min(limit, MAX_PAGE_ROWS))
    statement = _filtered(_rows_query(), query)
    if after is not None:
        statement = statement.where(
            or_(
                AuditEvent.occurred_at < after.occurred_at,
                and_(AuditEvent.occurred_at == after.occurred_at, AuditEvent.id < after.id),
            )
        )
    newest_first = (AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    with read_session(ws) as session:
        if query.kinds:
            # A page per action, each read off ix_audit_events_action_occurred, merged here.
            # One IN (...) over the actions left the choice of index to statistics that cannot
            # tell a rare action from a common one: for a kind nobody did lately SQLite read
            # back through the whole log (4.7 s at a million cases) to fill a page.
            found: list[Row[Any]] = []
            for action in actions_of(query.kinds):
                of_action = statement.where(AuditEvent.action == action)
                found += session.execute(of_action.order_by(*newest_first).limit(limit + 1)).all()
            found.sort(key=lambda row: (row.occurred_at, row.id), reverse=True)
        else:
            found = list(session.execute(statement.order_by(*newest_first).limit(limit + 1)))
        rows = tuple(_readable(session, found[:limit]))
    more = len(found) > limit
    last = rows[-1] if rows else None
    mark = PageMark(last.occurred_at, last.id) if more and last is not None else None
    return AuditPage(rows, mark)


def audit_people(ws: Workspace, actor: Actor, team_id: uuid.UUID | None) -> list[tuple[str, str]]:
    """(login, display name) of the people a filter may name: the team's, or everyone's."""
    query = _allowed(actor, AuditQuery(team_id=team_id))
    statement = select(User.login, User.display_name).order_by(User.display_name)
    if query.team_id is not None:
        statement = statement.where(User.team_id == query.team_id)
    with read_session(ws) as session:
        return [(row[0], row[1]) for row in session.execute(statement)]


# ----------------------------------------------------------------------------- rights, filters
def _allowed(actor: Actor, query: AuditQuery) -> AuditQuery:
    """The query as this person may run it: a lead's always limited to their own team."""
    if actor.role is Role.ADMIN:
        return query
    if actor.role is Role.LEAD and actor.team_id is not None:
        if query.team_id is not None and query.team_id != actor.team_id:
            raise PermissionDenied(
                "A team lead sees the audit log of their own team only. Ask an admin for "
                "another team's."
            )
        return AuditQuery(actor.team_id, query.actor_login, query.kinds, query.since,
                          query.until, query.case_id)  # fmt: skip
    raise PermissionDenied(
        "The team audit log is for team leads and admins. The history of one case is in the "
        "case view: Case ▸ Audit history…"
    )


def _filtered(statement: Select[Any], query: AuditQuery) -> Select[Any]:
    """Every filter but the kinds of action, which team_audit reads one action at a time."""
    if query.team_id is not None:
        # A correlated EXISTS, not a condition on the joined case: newest first, each event's
        # case is looked up by its key until a page is full (1 ms at a million cases), where a
        # join condition let SQLite first filter the whole cases table (0.3 s).
        of_team = aliased(Case)
        statement = statement.where(
            select(of_team.id)
            .where(of_team.id == AuditEvent.case_id, of_team.team_id == query.team_id)
            .exists()
        )
    if query.case_id is not None:
        statement = statement.where(AuditEvent.chain == case_chain(query.case_id))
    if query.actor_login:
        statement = statement.where(AuditEvent.actor_login == query.actor_login)
    if query.since is not None:
        statement = statement.where(AuditEvent.occurred_at >= query.since)
    if query.until is not None:
        statement = statement.where(AuditEvent.occurred_at < query.until)
    return statement


# ----------------------------------------------------------------------------- wording
def _readable(session: Session, rows: Sequence[Any]) -> Iterable[AuditRow]:
    names = _names(session, {hex_id for row in rows for hex_id in ids_named_in(row[10] or {})})

    def name_of(hex_id: str | None) -> str:
        return names.get(hex_id or "", "someone no longer in this workspace")

    for row in rows:
        (event_id, occurred_at, chain, seq, case_id, number, login, display_name, action,
         reason, detail, actor_id) = row  # fmt: skip
        what = describe(action, detail or {}, name_of, actor_id.hex if actor_id else None)
        yield AuditRow(
            event_id, occurred_at, chain, seq, case_id,
            format_case_key(number) if number else None, login, display_name or login, action,
            kind_of(action), what, reason,
        )  # fmt: skip


def _names(session: Session, hex_ids: set[str]) -> dict[str, str]:
    """Display names of the users and names of the teams with these ids (hex)."""
    ids = []
    for hex_id in hex_ids:
        try:
            ids.append(uuid.UUID(hex=hex_id))
        except ValueError:
            continue  # not an id: nothing to name
    if not ids:
        return {}
    found: dict[str, str] = {}
    for model, column in ((User, User.display_name), (Team, Team.name)):
        for row in session.execute(select(model.id, column).where(model.id.in_(ids))):
            found[row[0].hex] = row[1]
    return found
