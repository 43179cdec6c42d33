"""Checking the audit trail: every chain whole, or the first broken link of each broken one.

services/audit.py writes each event with three hashes: ``content_hash`` over the event's
content (who, what, on which chain at which place, why, the detail), ``prev_hash`` (the link
before it) and ``chain_hash = sha256(prev_hash:content_hash)``. Reading a chain back from its
first event, three things can be wrong, and the report says which, at the first event where it
happens:

- a **gap**: the event numbers jump (an event was deleted, or the chain's first ones are gone);
- **content**: the stored row no longer hashes to its ``content_hash`` (a detail, reason, actor
  or action was edited, or events were renumbered: the place is part of the content);
- **link**: ``prev_hash`` is not the previous event's ``chain_hash``, or ``chain_hash`` does not
  follow from ``prev_hash`` and ``content_hash`` (a row was rewritten with fresh hashes, or
  events were moved between chains).

Redaction (an erasure request) blanks personal data in an event's detail and reason. The
links are made over content *hashes*, not content, so a redacted event keeps its original
``content_hash`` and the chain still verifies: links are checked for every event, content only
for events that are not redacted (``is_redacted`` decides; see there).

What a hash chain cannot show by itself: events cut off the *end* of a chain, or a chain
rewritten from some point on with every hash recomputed. Other records (a handoff note's id is
its audit event's id) are the anchors for that; this module checks the chains.

Scale: a million cases make a million chains and several million events. They are read in one
ordered stream (chain, seq: the unique index's order), a few thousand rows at a time, never one
query per chain; memory stays flat whatever the size.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy import ColumnClause, column, select, table
from sqlalchemy.orm import Session

from deskapp.db.models import AuditEvent, Case
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import Role
from deskapp.services.audit import case_chain, content_hash, hashed_content, link_hash
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor
from deskapp.services.redaction_marks import named_by_redactions
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

STREAM_ROWS = 5000  # rows per fetch: large enough to keep the driver busy, small in memory
CASE_CHAIN_PREFIX = "case:"


class Problem(StrEnum):
    GAP = "gap"
    CONTENT = "content"
    LINK = "link"


class StoredEvent(NamedTuple):
    """One audit row as stored: the columns the hashes cover and the hashes themselves. Ids
    stay hex text, as the content hash has them (a tuple, not a dataclass: millions are made
    while verifying, and a tuple is the cheapest to build)."""

    chain: str
    seq: int
    id_hex: str
    case_hex: str | None
    actor_login: str
    action: str
    reason: str | None
    detail: dict[str, Any]
    content_hash: str
    prev_hash: str | None
    chain_hash: str


@dataclass(frozen=True)
class BrokenLink:
    """The first event of a chain that does not check out, and what is wrong with it."""

    chain: str
    seq: int
    problem: Problem
    explanation: str
    event_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None
    case_key: str | None = None  # filled in after the stream, for the chains of cases

    @property
    def subject(self) -> str:
        """The chain as a person names it: the case key, or the chain's own name."""
        return self.case_key or self.chain


@dataclass(frozen=True)
class VerifyReport:
    chains_checked: int
    events_checked: int
    redacted_events: int
    broken: tuple[BrokenLink, ...]
    seconds: float

    @property
    def whole(self) -> bool:
        return not self.broken


def stored_content(event: StoredEvent) -> dict[str, Any]:
    """What ``content_hash`` covers, rebuilt from the stored row: the same keys and values that
    services/audit.py record_event hashes when it writes the event."""
    return hashed_content(
        event_hex=event.id_hex,
        chain=event.chain,
        seq=event.seq,
        case_hex=event.case_hex,
        actor_login=event.actor_login,
        action=event.action,
        reason=event.reason,
        detail=event.detail,
    )


def is_redacted(event: StoredEvent, named: Container[tuple[str, str]] = frozenset()) -> bool:
    """Has an admin redacted this event's personal data (an erasure request)?

    The one place a redacted event is recognised. A redacted event keeps its original
    ``content_hash`` while its detail and reason read "[redacted]"; its content is then no
    longer checked, only its links. So that this cannot hide an edit, the redaction itself is
    an audit event on the same chain naming the events it redacted (services/redaction.py,
    redaction_marks.py), and only events named so count: ``named`` holds their (chain, id),
    read before the stream by ``named_by_redactions`` (empty: nothing counts as redacted).
    """
    return (event.chain, event.id_hex) in named


# ----------------------------------------------------------------------------- checking
@dataclass
class ChainChecker:
    """Feeds on events ordered by (chain, seq) and keeps the first broken link of each chain.

    Pure: no database. ``redacted`` says which events to check by their links only.
    """

    redacted: Callable[[StoredEvent], bool] = is_redacted
    chains: int = 0
    events: int = 0
    redacted_events: int = 0
    broken: list[BrokenLink] = field(default_factory=list)
    _chain: str | None = None
    _expected_seq: int = 1
    _previous_hash: str | None = None
    _chain_broken: bool = False

    def feed(self, event: StoredEvent) -> None:
        self.events += 1
        if event.chain != self._chain:
            self.chains += 1
            self._chain, self._expected_seq = event.chain, 1
            self._previous_hash, self._chain_broken = None, False
        if self._chain_broken:
            return  # one finding per chain: after the first break, nothing later can be trusted
        problem = self._check(event)
        if problem is not None:
            kind, why = problem
            case_id = uuid.UUID(hex=event.case_hex) if event.case_hex else None
            # A gap is reported where it is (the first missing event); anything else at the
            # event that does not check out.
            seq, event_id = (
                (self._expected_seq, None)
                if kind is Problem.GAP
                else (event.seq, uuid.UUID(hex=event.id_hex))
            )
            self.broken.append(BrokenLink(event.chain, seq, kind, why, event_id, case_id))
            self._chain_broken = True
            return
        self._expected_seq = event.seq + 1
        self._previous_hash = event.chain_hash

    def _check(self, event: StoredEvent) -> tuple[Problem, str] | None:
        if event.seq != self._expected_seq:
            missing = (
                f"event {self._expected_seq} is missing"
                if event.seq == self._expected_seq + 1
                else f"events {self._expected_seq} to {event.seq - 1} are missing"
            )
            after = f"from event {self._expected_seq - 1} " if self._expected_seq > 1 else ""
            return Problem.GAP, f"{missing}: the chain jumps {after}to event {event.seq}"
        if self.redacted(event):
            self.redacted_events += 1
        elif content_hash(stored_content(event)) != event.content_hash:
            return Problem.CONTENT, (
                "its content (actor, action, reason, details or place in the chain) was changed "
                "after it was written: it no longer matches its content hash"
            )
        if event.prev_hash != self._previous_hash:
            return Problem.LINK, (
                "it does not point at the event before it"
                if self._previous_hash is not None
                else "the chain's first event points at an event before it"
            )
        if event.chain_hash != link_hash(event.prev_hash, event.content_hash):
            return Problem.LINK, "its link hash does not follow from its content hash"
        return None

    def report(self, seconds: float) -> VerifyReport:
        return VerifyReport(self.chains, self.events, self.redacted_events, tuple(self.broken),
                            seconds)  # fmt: skip


def check_events(
    events: Iterable[StoredEvent], redacted: Callable[[StoredEvent], bool] = is_redacted
) -> VerifyReport:
    """Check events already ordered by (chain, seq) (tests, and callers holding rows)."""
    started = time.perf_counter()
    checker = ChainChecker(redacted)
    for event in events:
        checker.feed(event)
    return checker.report(time.perf_counter() - started)


# ----------------------------------------------------------------------------- reading
# Untyped columns: the driver's own values, without the ORM types' conversions (a UUID object
# per id, the JSON decoded by SQLAlchemy) that would cost more than the checking itself.
_COLUMNS: list[ColumnClause[Any]] = [column(name) for name in (
    "chain", "seq", "id", "case_id", "actor_login", "action", "reason", "detail",
    "content_hash", "prev_hash", "chain_hash",
)]  # fmt: skip
_AUDIT_TABLE = table(AuditEvent.__tablename__, *_COLUMNS)


def _hex(value: Any) -> str:
    """An id as the driver gives it (16 bytes, a UUID, text) as 32 hex digits."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return value.hex
    return uuid.UUID(str(value)).hex


def stream_events(session: Session, chain: str | None = None) -> Iterator[StoredEvent]:
    """Every event (or one chain's) in (chain, seq) order, fetched in batches."""
    query = select(*_AUDIT_TABLE.c).order_by(_AUDIT_TABLE.c.chain, _AUDIT_TABLE.c.seq)
    if chain is not None:
        query = query.where(_AUDIT_TABLE.c.chain == chain)
    # stream_results: a server-side cursor on PostgreSQL and MariaDB, so millions of rows
    # never sit in memory at once; SQLite steps through its cursor anyway.
    connection = session.connection(execution_options={"stream_results": True})
    result = connection.execute(query)
    loads, make = json.loads, StoredEvent
    while batch := result.fetchmany(STREAM_ROWS):
        for row in batch:
            chain_name, seq, event_id, case_id, login, action, reason, detail = row[:8]
            if isinstance(detail, str | bytes):  # SQLite and MariaDB hand JSON back as text
                detail = loads(detail)
            case_hex = _hex(case_id) if case_id is not None else None
            yield make(chain_name, seq, _hex(event_id), case_hex, login, action, reason,
                       detail if detail is not None else {}, row[8], row[9], row[10])  # fmt: skip
    result.close()


def verify_workspace(ws: Workspace, actor: Actor) -> VerifyReport:
    """Check every chain of the workspace: cases, people, teams, canned responses."""
    require_role(actor, Role.ADMIN, "check the whole audit trail")
    return _verify(ws, None)


def verify_case(ws: Workspace, case_id: uuid.UUID) -> VerifyReport:
    """Check one case's chain (anyone who can read the case may: it shows nothing more)."""
    return _verify(ws, case_chain(case_id))


def verify_chain(ws: Workspace, actor: Actor, chain: str) -> VerifyReport:
    """Check one chain by name (``people``, ``teams``, ``canned:<id>``, ``case:<id>``)."""
    require_role(actor, Role.ADMIN, "check an audit chain by name")
    return _verify(ws, chain)


def _verify(ws: Workspace, chain: str | None) -> VerifyReport:
    started = time.perf_counter()
    # Read first, in a session of its own: the stream needs a fresh connection. A redaction
    # committed in between would show as a changed event; verifying again clears it.
    with read_session(ws) as session:
        named = named_by_redactions(session, chain)
    checker = ChainChecker(partial(is_redacted, named=named))
    with read_session(ws) as session:
        for event in stream_events(session, chain):
            checker.feed(event)
        broken = _with_case_keys(session, checker.broken)
    checker.broken = broken
    return checker.report(time.perf_counter() - started)


def _with_case_keys(session: Session, broken: list[BrokenLink]) -> list[BrokenLink]:
    """Name the broken chains of cases by their keys (C-000123), as people know them."""
    case_ids = {b.case_id or _case_id_of(b.chain) for b in broken} - {None}
    if not case_ids:
        return broken
    numbers: dict[uuid.UUID, int] = {}
    ids = list(case_ids)
    for start in range(0, len(ids), 500):  # bounded IN lists, however many chains broke
        rows = session.execute(
            select(Case.id, Case.number).where(Case.id.in_(ids[start : start + 500]))
        )
        numbers.update({row[0]: row[1] for row in rows})
    named = []
    for link in broken:
        case_id = link.case_id or _case_id_of(link.chain)
        number = numbers.get(case_id) if case_id else None
        key = format_case_key(number) if number else None
        named.append(replace(link, case_id=case_id, case_key=key))
    return named


def _case_id_of(chain: str) -> uuid.UUID | None:
    if not chain.startswith(CASE_CHAIN_PREFIX):
        return None
    try:
        return uuid.UUID(hex=chain[len(CASE_CHAIN_PREFIX) :])
    except ValueError:
        return None
