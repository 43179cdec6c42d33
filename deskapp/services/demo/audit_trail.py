"""The demo's audit trail: for every case, the events the services would have written.

The generator loads cases, contacts, handoff notes and read-backs in bulk, which records no
audit events; this reads them back a slice of case numbers at a time, has audit_story.py tell
each case's story again as services/audit.py would have recorded it, in the case's own hash
chain, and writes the rows. Hashes come from services/audit.py itself, so ``deskapp audit
verify`` checks these chains like any other.

Speed (a million cases make about seven million events): rows are read with untyped columns
(the driver's own values, no conversion through the ORM types per value) and written through
db/bulk.py a slice at a time. Events go in case order, which in the demo is time order (case
numbers are chronological), and ids of our own grow in the order made, so every index grows
at its end. What remains is the cost of the record itself: two hashes per event
(services/audit.py), bulk.py's conversion of each row, and the database writing it (a helper
thread hashing beside the writes gained nothing measurable on two cores).

Rights: on PostgreSQL an audit event must name the signed-in login as its actor (migration
0009), except for the workspace's owner or a superuser. A demo built by a Deskapp admin's own
login therefore cannot write this history in other people's names: that is checked first,
and the trail is then left out with the database's reason, the rest of the demo intact.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import DBAPIError

from deskapp.db.bulk import bulk_insert
from deskapp.db.models import AuditEvent, Case
from deskapp.services.audit import content_hash, hashed_content, link_hash
from deskapp.services.demo.audit_story import Slice, Storyteller
from deskapp.services.demo.context import table
from deskapp.services.demo.spec import Progress

STAGE = "audit trail"
SLICE_CASES = 10_000
COLUMNS = (
    "id", "chain", "seq", "case_id", "actor_id", "actor_login", "action", "reason", "detail",
    "occurred_at", "content_hash", "prev_hash", "chain_hash",
)  # fmt: skip

_CASES = (
    "SELECT id, number, subject, channel, status, team_id, assignee_id, created_at, "
    "last_activity_at, resolved_at, closed_at, resolution_code, resolution_outcome "
    "FROM cases WHERE number >= :low AND number < :high ORDER BY number"
)
_IN_SLICE = "JOIN cases c ON c.id = {}.case_id WHERE c.number >= :low AND c.number < :high"
_CONTACTS = (
    "SELECT i.case_id, i.occurred_at, i.id, i.channel, i.direction, i.author_id, i.kudos_for_id "
    "FROM interactions i " + _IN_SLICE.format("i")
)
_NOTES = (
    "SELECT n.case_id, n.created_at, n.id, n.kind, n.author_id, n.from_user_id, n.to_user_id, "
    "n.from_team_id, n.to_team_id, n.unbriefed_reason FROM handoff_notes n "
    + _IN_SLICE.format("n")
    + " AND n.addendum_to_id IS NULL"
)
_ACKS = (
    "SELECT n.case_id, a.created_at, a.note_id, a.user_id, a.kind, a.text "
    "FROM handoff_acks a JOIN handoff_notes n ON n.id = a.note_id "
    + _IN_SLICE.format("n")
    + " AND a.kind IN ('accepted', 'question')"
)


def trail_refused(conn: Connection) -> str | None:
    """Why this connection may not write events in other people's names, or None if it may.

    Tried, not guessed: one event naming another person goes in under a savepoint and is
    rolled back either way, so whatever the database enforces answers."""
    if conn.dialect.name != "postgresql":
        return None  # SQLite has no logins; MariaDB leaves the actor to the services
    me = conn.exec_driver_sql("SELECT current_user").scalar()
    other = conn.execute(
        text("SELECT id, login FROM users WHERE login <> :me ORDER BY login LIMIT 1"), {"me": me}
    ).first()
    if other is None:
        return None
    probe = conn.begin_nested()
    try:
        conn.execute(
            table(AuditEvent).insert(),
            [dict(zip(COLUMNS, _probe(other[0], other[1]), strict=True))],
        )
    except DBAPIError as error:
        probe.rollback()
        return _first_line(error)
    probe.rollback()
    return None


def write_audit_trail(
    conn: Connection, *, now: datetime, seed: int, progress: Progress | None = None
) -> int:
    """Write every case's trail in the caller's transaction; returns the events written, 0
    when the database refuses them (reported through ``progress`` with its reason)."""
    report = progress or (lambda stage, done, total: None)
    refused = trail_refused(conn)
    if refused is not None:
        report(f"{STAGE} left out: {refused}", 1, 1)
        return 0
    top = conn.execute(select(func.max(Case.number))).scalar() or 0
    teller = Storyteller(conn, now, seed)
    written = 0
    report(STAGE, 0, top)
    for low in range(1, top + 1, SLICE_CASES):
        rows = teller.rows(_read_slice(conn, low, low + SLICE_CASES))
        written += bulk_insert(conn, table(AuditEvent), COLUMNS, rows)
        report(STAGE, min(top, low + SLICE_CASES - 1), top)
    return written


def _read_slice(conn: Connection, low: int, high: int) -> Slice:
    bounds = {"low": low, "high": high}
    cases, contacts, notes, acks = (
        conn.execute(text(sql), bounds).fetchall() for sql in (_CASES, _CONTACTS, _NOTES, _ACKS)
    )
    return Slice(cases, contacts, notes, acks)


def _probe(user_id: Any, login: str) -> tuple[Any, ...]:
    event_id = uuid.uuid4()
    detail: dict[str, Any] = {}
    digest = content_hash(
        hashed_content(
            event_hex=event_id.hex, chain="demo:probe", seq=1, case_hex=None, actor_login=login,
            action="demo.probe", reason=None, detail=detail,
        )
    )  # fmt: skip
    return (event_id, "demo:probe", 1, None, user_id, login, "demo.probe", None, detail,
            datetime.now(UTC), digest, None, link_hash(None, digest))  # fmt: skip


def _first_line(error: DBAPIError) -> str:
    """The database's own words (its message, not the SQL that was refused)."""
    return str(error.orig).strip().splitlines()[0] if error.orig else str(error)
