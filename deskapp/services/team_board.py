"""The team lead's board (issue 8): one row per person of a team with their load and what needs
a lead's eye, the team's totals and its handoff-quality figures; and, behind every number, the
cases it counts, so that clicking it shows exactly those cases in the queue.

What each number counts, all on the team's cases and by the database server's clock:

- open: open cases (new, open, pending…, escalated) the person holds;
- breached: of those, the ones whose SLA clock runs (not pending customer) and whose resolution,
  or first response still owed, was due by now;
- due soon: the same, due within the queue's "due soon" horizon in the team's business hours
  (queue_query.Clock), and not breached: the two never overlap;
- commitments due: open cases with a promise to the customer not kept and due within the next
  24 hours or late (the queue's "Commitments due");
- unacknowledged: open cases whose current handoff note waits for this person's read-back (the
  note names them, or was handed to the queue and they took the case), with the oldest's age;
- kudos: customers' praise for the person in the last 30 days, on any case;
- signed in now: their client's heartbeat is fresh (services/presence.signed_in).

Rows: the team's active members (leads too) by name; then anyone else holding the team's open
cases (someone deactivated or moved to another team: a lead must see them); then the team's
queue (open cases nobody holds). The totals add up every row, so they are the team's own.

Cost: one read of the clock and calendars, one grouped query over the team's open cases, one
over their current handoff notes, the sign-ins (services/presence.py), and, at most every
HISTORY_EVERY, the kudos (one grouped query) and the quality figures
(services/handoff_figures.py): those change slowly and cost the most. Never a query per
person. Measured in tests/bench/bench_team_board.py.

This module runs the board: rights, the reads and the rows. Its records are in
team_board_records.py and its SQL in team_board_queries.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskapp.db.models import Team, User
from deskapp.domain.enums import Role
from deskapp.domain.errors import NotFound, PermissionDenied
from deskapp.services import presence
from deskapp.services import queue_query as qq
from deskapp.services.handoff_figures import RepQuality, quality_figures
from deskapp.services.records import Actor
from deskapp.services.team_board_queries import (
    KUDOS_WINDOW,
    cases_statement,
    counts_statement,
    kudos_statement,
    unread_statement,
)
from deskapp.services.team_board_records import (
    UNASSIGNED,
    BoardCases,
    BoardMeasure,
    BoardRow,
    RowKind,
    TeamBoard,
)
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

# Kudos and quality figures are read again at most this often (team_board's ``previous``).
HISTORY_EVERY = timedelta(minutes=5)
MAX_CASES = 2_000  # behind one number: more than a lead reads, few enough to show at once


# ----------------------------------------------------------------------------- the board
def team_board(
    ws: Workspace,
    actor: Actor,
    team_id: uuid.UUID,
    *,
    previous: TeamBoard | None = None,
    history: bool = True,
) -> TeamBoard:
    """The board of ``team_id``: for its leads and for admins.

    Kudos (30 days) and handoff quality (all time) move slowly and cost the most (a scan of
    the praise, every note the team wrote): given the board on screen as ``previous``, they
    are taken from it while it read them less than HISTORY_EVERY ago. ``history=False`` skips
    them when there is nothing to take (a first, quick read: ``history_read_at`` is None)."""
    with read_session(ws) as session:
        team = _team_for(session, actor, team_id)
        clock = qq.read_clock(session)
        now = clock.now
        members = session.execute(
            select(User.id, User.display_name, User.role)
            .where(User.team_id == team_id, User.active.is_(True))
            .order_by(User.display_name, User.login)
        ).all()
        member_ids = [m[0] for m in members]
        loads = _case_counts(session, team_id, clock)
        waiting = _unacknowledged(session, team_id)
        others = _others(session, (set(loads) | set(waiting)) - set(member_ids) - {None})
        past = _History.reusable(previous, team_id, now)
        if past is None and history:
            past = _History(
                now, now - KUDOS_WINDOW, _kudos(session, member_ids, now - KUDOS_WINDOW)
            )
    if past is not None and past.quality is None:
        figures = {q.user_id: q for q in quality_figures(ws, actor, team_id)}
        past = _History(past.read_at, past.kudos_since, past.kudos, figures)
    signed_in = presence.signed_in(ws, member_ids)
    kudos = past.kudos if past is not None else {}
    quality = (past.quality or {}) if past is not None else {}

    def row(user_id: uuid.UUID | None, name: str, kind: RowKind, role: Role | None) -> BoardRow:
        counts = loads.get(user_id, (0, 0, 0, 0))
        unread, oldest = waiting.get(user_id, (0, None))
        return BoardRow(
            UNASSIGNED if user_id is None else user_id, name, kind, role, *counts, unread,
            None if oldest is None else max(now - oldest, timedelta(0)),
            kudos.get(user_id, 0) if user_id is not None else 0,
            user_id in signed_in, quality.get(user_id) if user_id is not None else None,
        )  # fmt: skip

    rows = [row(user_id, name, RowKind.MEMBER, role) for user_id, name, role in members]
    rows += [row(user_id, name, RowKind.OTHER, role) for user_id, name, role in others]
    rows.append(row(None, "Team queue (unassigned)", RowKind.QUEUE, None))
    return TeamBoard(
        team.id, team.name, now, tuple(rows), _total(rows, team.name, quality.get(None)),
        past.read_at if past else None, past.kudos_since if past else None,
    )  # fmt: skip


@dataclass(frozen=True)
class _History:
    """The slow half of a board: kudos by person, and quality figures (None on the team)."""

    read_at: datetime
    kudos_since: datetime
    kudos: dict[uuid.UUID, int]
    quality: dict[uuid.UUID | None, RepQuality] | None = None

    @classmethod
    def reusable(
        cls, board: TeamBoard | None, team_id: uuid.UUID, now: datetime
    ) -> _History | None:
        if board is None or board.team_id != team_id or board.history_read_at is None:
            return None
        if board.kudos_since is None or now - board.history_read_at >= HISTORY_EVERY:
            return None
        quality: dict[uuid.UUID | None, RepQuality] = {
            r.user_id: r.quality for r in board.rows if r.quality is not None
        }
        if board.total.quality is not None:
            quality[None] = board.total.quality
        kudos = {r.user_id: r.kudos for r in board.rows if r.user_id is not None}
        return cls(board.history_read_at, board.kudos_since, kudos, quality)


def board_teams(ws: Workspace, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """The teams whose board ``actor`` may open: an admin's every team, a lead's own."""
    _require_lead(actor)
    with read_session(ws) as session:
        query = select(Team.id, Team.name).order_by(Team.name)
        if actor.role is not Role.ADMIN:
            query = query.where(Team.id == actor.team_id)
        return [(team_id, name) for team_id, name in session.execute(query)]


# ----------------------------------------------------------------------------- behind a number
def board_cases(
    ws: Workspace,
    actor: Actor,
    team_id: uuid.UUID,
    user_id: uuid.UUID | None,
    measure: BoardMeasure,
) -> BoardCases:
    """The cases one number of the board counts: ``user_id``'s (UNASSIGNED: the team's queue;
    None: the whole team, the totals row), at most MAX_CASES of them, as queue rows."""
    with read_session(ws) as session:
        team = _team_for(session, actor, team_id)
        clock = qq.read_clock(session)
        statement, order = cases_statement(team.id, user_id, measure, clock)
        rows = session.execute(statement.order_by(*order).limit(MAX_CASES)).all()
        total = len(rows)
        if total == MAX_CASES:  # more may follow: count them (only then: it reads them again)
            counted = select(func.count()).select_from(statement.subquery())
            total = int(session.scalar(counted) or 0)
        whose = _whose_name(session, team, user_id)
    queue_rows = tuple(qq.to_row(r) for r in rows)
    return BoardCases(team.id, user_id, measure, f"{whose} — {measure.label}", queue_rows, total)


# ----------------------------------------------------------------------------- rights
def _require_lead(actor: Actor) -> None:
    if actor.role.rank < Role.LEAD.rank:
        raise PermissionDenied(
            "The team board is for team leads and admins. You are signed in as a rep "
            f"({actor.login}); your own cases are in the queue's views."
        )


def _team_for(session: Session, actor: Actor, team_id: uuid.UUID) -> Team:
    _require_lead(actor)
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound("That team does not exist (any more).")
    if actor.role is not Role.ADMIN and actor.team_id != team.id:
        raise PermissionDenied(
            f"The board of {team.name} is for its own lead and for admins; you lead another team."
        )
    return team


# ----------------------------------------------------------------------------- board reads
Counts = tuple[int, int, int, int]  # open, due soon, breached, commitments due


def _case_counts(
    session: Session, team_id: uuid.UUID, clock: qq.Clock
) -> dict[uuid.UUID | None, Counts]:
    rows = session.execute(counts_statement(team_id, clock)).all()
    return {r[0]: (int(r[1]), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)) for r in rows}


def _unacknowledged(
    session: Session, team_id: uuid.UUID
) -> dict[uuid.UUID | None, tuple[int, datetime]]:
    return {r[0]: (int(r[1]), r[2]) for r in session.execute(unread_statement(team_id))}


def _kudos(
    session: Session, member_ids: Sequence[uuid.UUID], since: datetime
) -> dict[uuid.UUID, int]:
    if not member_ids:
        return {}
    rows = session.execute(kudos_statement(member_ids, since)).all()
    return {r[0]: int(r[1]) for r in rows if r[0] is not None}


def _others(session: Session, user_ids: set[uuid.UUID | None]) -> list[tuple[uuid.UUID, str, Role]]:
    """People outside the team's active members who still hold its cases, named as such."""
    ids = sorted(u for u in user_ids if u is not None)
    if not ids:
        return []
    found = session.execute(
        select(User.id, User.display_name, User.role, User.active)
        .where(User.id.in_(ids))
        .order_by(User.display_name, User.login)
    ).all()
    return [
        (user_id, f"{name} ({'other team' if active else 'inactive'})", role)
        for user_id, name, role, active in found
    ]


def _total(rows: list[BoardRow], team_name: str, quality: RepQuality | None) -> BoardRow:
    ages = [r.oldest_unacknowledged for r in rows if r.oldest_unacknowledged is not None]
    return BoardRow(
        None, f"{team_name} (team total)", RowKind.TOTAL, None,
        sum(r.open_cases for r in rows), sum(r.due_soon for r in rows),
        sum(r.breached for r in rows), sum(r.commitments_due for r in rows),
        sum(r.unacknowledged for r in rows), max(ages) if ages else None,
        sum(r.kudos for r in rows), False, quality,
    )  # fmt: skip


def _whose_name(session: Session, team: Team, user_id: uuid.UUID | None) -> str:
    if user_id is None:
        return team.name
    if user_id == UNASSIGNED:
        return f"{team.name} queue"
    name = session.scalar(select(User.display_name).where(User.id == user_id))
    return name or "Someone no longer known"
