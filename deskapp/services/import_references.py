"""What an import needs to know of the workspace before its first row: the records the same
source gave before (by external id), the teams and people a row may name, the next case
number and the server's clock.

Read once, in the import's own transaction, as the driver gives them (no UUID or enum
objects): a million ids load in a second instead of ten, and they only go back to the
database (db/bulk.py takes both forms).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, text

from deskapp.db.models import Team, User
from deskapp.domain.enums import Channel
from deskapp.services.import_sources import Kind, SourceFormat
from deskapp.services.records import Actor

Id = uuid.UUID | bytes  # rows read back are UUIDs; new rows carry the bytes SQLite stores
# A case by its external id: id, customer id, channel, number (None: a server numbers it)
CaseRef = tuple[Id, Id, Channel | str, int | None]


@dataclass
class References:
    """Grows as the pass goes: a new customer or case is known to the rows after it."""

    now: datetime
    customers: dict[str, Id] = field(default_factory=dict)
    cases: dict[str, CaseRef] = field(default_factory=dict)
    interactions: set[str] = field(default_factory=set)
    teams: dict[str, uuid.UUID] = field(default_factory=dict)  # by casefolded name
    people: dict[str, uuid.UUID] = field(default_factory=dict)  # by name, e-mail or login
    case_count: int = 0  # SQLite: cases in the workspace before the import
    next_number: int | None = None  # SQLite numbers new cases as it checks them


def kinds_needed(kind: Kind, format: SourceFormat) -> set[str]:
    """The kinds of record a file gives: a helpdesk's tickets bring requesters and comments."""
    if format == "csv":
        return {kind}
    return {"customers"} if kind == "customers" else {"customers", "cases", "interactions"}


def load_references(conn: Connection, origin: str, needs: set[str]) -> References:
    found = References(now=server_now(conn))
    if needs & {"customers", "cases"}:
        found.customers = dict(_ids(conn, "external_id, id", "customers", origin))
    if needs & {"cases", "interactions"}:
        found.cases = {
            e: (i, c, ch, n)
            for e, i, c, ch, n in _ids(conn, "external_id, id, customer_id, channel, number",
                                       "cases", origin)
        }  # fmt: skip
    if conn.dialect.name == "sqlite" and needs & {"cases", "interactions"}:
        # This transaction holds SQLite's write lock (BEGIN IMMEDIATE): MAX + 1 stays ours.
        count, highest = conn.execute(
            text("SELECT COUNT(*), COALESCE(MAX(number), 0) FROM cases")
        ).one()
        found.case_count, found.next_number = int(count), int(highest) + 1
    if "interactions" in needs:
        found.interactions = {e for (e,) in _ids(conn, "external_id", "interactions", origin)}
    found.teams = {n.casefold(): i for i, n in conn.execute(select(Team.id, Team.name))}
    for user_id, login, name, email in conn.execute(
        select(User.id, User.login, User.display_name, User.email)
    ):
        for key in (name, email, login):  # the login wins over a namesake
            if key:
                found.people[key.casefold()] = user_id
    return found


def _ids(conn: Connection, columns: str, table: str, origin: str) -> list[Any]:
    """The rows of ``table`` from ``origin`` that have an external id, straight from the
    driver: a million of them in a fraction of a second (SQLAlchemy's rows cost a µs each)."""
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            f"SELECT {columns} FROM {table} "
            f"WHERE external_source = {marker} AND external_id IS NOT NULL",
            (origin,),
        )
        return list(cursor.fetchall())
    finally:
        cursor.close()


def default_team(references: References, wanted: str | None, actor: Actor) -> uuid.UUID | None:
    """Where cases without a team column go: the team asked for, else the admin's own, else
    the first one."""
    teams = references.teams
    if wanted:
        return teams.get(wanted.strip().casefold())
    if actor.team_id is not None:
        return actor.team_id
    return teams[min(teams)] if teams else None


def server_now(conn: Connection) -> datetime:
    if conn.dialect.name == "sqlite":
        value: Any = conn.execute(text("SELECT CURRENT_TIMESTAMP")).scalar()
    else:
        value = conn.execute(select(func.now())).scalar()
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
