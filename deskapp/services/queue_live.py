"""What the live queue needs besides its rows: the facts its filters and SLA clock use, and the
signals that something changed (DESIGN.md §6: many clients, one truth).

- ``queue_facts``: the server's time, every team's business calendar (the SLA countdown ticks in
  the team's working hours, on the workstation, without asking the database again), and the
  choices the filters offer (teams, people, categories in use).
- ``recent_changes``: the change feed's trailing window. Every case change writes an entry
  (services/audit.py); a client remembers which entries it has seen, so an entry whose
  transaction committed late is still noticed on the next poll. SQLite and MariaDB poll this.
- ``ChangeListener``: PostgreSQL's LISTEN on ``CHANGE_CHANNEL``, which audit.record_event
  notifies on commit. A notification only says "look now"; the poll above is the truth, so a
  missed notification costs latency, never a change.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from deskapp.db.models import Case, ChangeFeedEntry, Team, User
from deskapp.db.types import utcnow
from deskapp.domain.enums import Role
from deskapp.domain.sla_clock import BusinessCalendar
from deskapp.services.audit import CHANGE_CHANNEL
from deskapp.services.queue_query import OPEN_STATUSES
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

# How far back a poll looks: longer than any write transaction stays open, so an entry stamped
# at its start but committed at its end is still inside the window when it becomes visible.
TRAILING_WINDOW = timedelta(seconds=60)
MAX_CATEGORIES = 200


@dataclass(frozen=True)
class Choice:
    id: uuid.UUID
    name: str


@dataclass(frozen=True)
class QueueFacts:
    now: datetime  # the server's clock when read: the workstation's own may be off
    calendars: dict[uuid.UUID, BusinessCalendar]
    teams: tuple[Choice, ...]
    people: tuple[Choice, ...]  # whose cases this person may filter by
    categories: tuple[str, ...]


@dataclass(frozen=True)
class ChangePoll:
    now: datetime
    entries: frozenset[uuid.UUID]  # change-feed entries inside the trailing window
    case_ids: dict[uuid.UUID, uuid.UUID | None]  # entry -> the case it is about


def queue_facts(ws: Workspace, actor: Actor) -> QueueFacts:
    with read_session(ws) as session:
        teams = session.execute(
            select(Team.id, Team.name, Team.time_zone, Team.business_hours, Team.holidays, utcnow())
        ).all()
        now = teams[0][5] if teams else session.scalar(select(utcnow()))
        assert now is not None
        calendars: dict[uuid.UUID, BusinessCalendar] = {}
        for team_id, _name, zone, hours, holidays, _now in teams:
            try:
                calendars[team_id] = BusinessCalendar.from_team(zone, hours, holidays or ())
            except ValueError:
                continue  # counted in wall-clock time, like the queue's "Due soon" does
        people = select(User.id, User.display_name).where(User.active.is_(True))
        if actor.role is not Role.ADMIN:
            people = people.where(User.team_id == actor.team_id)
        categories = (
            select(Case.category)
            .distinct()
            .where(Case.status.in_(OPEN_STATUSES), Case.category.is_not(None))
            .limit(MAX_CATEGORIES)
        )
        return QueueFacts(
            now,
            calendars,
            tuple(sorted((Choice(t[0], t[1]) for t in teams), key=lambda c: c.name.lower())),
            tuple(
                sorted(
                    (Choice(i, n) for i, n in session.execute(people)), key=lambda c: c.name.lower()
                )
            ),
            tuple(sorted(str(c) for c in session.scalars(categories) if c)),
        )


def recent_changes(ws: Workspace, window: timedelta = TRAILING_WINDOW) -> ChangePoll:
    """The change-feed entries of the last ``window`` of the server's clock (index on
    created_at: a handful of rows however large the feed has grown)."""
    with read_session(ws) as session:
        now = session.scalar(select(utcnow()))
        assert now is not None
        rows = session.execute(
            select(ChangeFeedEntry.id, ChangeFeedEntry.case_id).where(
                ChangeFeedEntry.created_at >= now - window
            )
        ).all()
        return ChangePoll(now, frozenset(r[0] for r in rows), {r[0]: r[1] for r in rows})


class ChangeListener:
    """PostgreSQL only: a connection of its own that LISTENs for case changes. ``wait`` blocks
    up to ``timeout`` seconds and returns the case ids notified (possibly none). Runs on a
    thread of its own; a lost connection raises from ``wait`` (the caller opens a new one)."""

    def __init__(self, ws: Workspace) -> None:
        if ws.dialect != "postgresql":
            raise ValueError("LISTEN/NOTIFY needs PostgreSQL")
        raw = ws.engine.raw_connection()
        conn: Any = raw.driver_connection
        assert conn is not None  # a live connection, just checked out
        self._conn = conn
        raw.detach()  # never handed back to the pool while it listens
        self._raw = raw
        try:
            self._conn.rollback()  # the pool's liveness ping may have opened a transaction
            self._conn.autocommit = True  # a notification is delivered between transactions
            self._conn.execute(f"LISTEN {CHANGE_CHANNEL}")
        except Exception:
            self.close()
            raise

    def wait(self, timeout: float) -> list[str]:
        return [n.payload for n in self._conn.notifies(timeout=timeout, stop_after=1)]

    def close(self) -> None:
        # The pool's wrapper first: it resets (rolls back) the connection before closing it, and
        # logs "Exception during reset" when the connection underneath was closed already.
        with contextlib.suppress(Exception):  # closing a connection that is already gone
            self._raw.close()
        with contextlib.suppress(Exception):
            self._conn.close()
