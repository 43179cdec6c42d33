"""Take and Get next: claiming an unassigned case of my team, atomically.

Two reps pressing at the same moment never get the same case (DESIGN.md §6). Locking the case
being claimed is the dialect-specific step: Take locks the one case with ``SELECT … FOR UPDATE``
(``_lock_unclaimed``), Get next finds and locks the riskiest claimable case with ``FOR UPDATE
SKIP LOCKED`` so claimers pass each other instead of queueing (``_claim_next`` says how per
dialect). On SQLite the write transaction already holds the file's write lock (``BEGIN
IMMEDIATE``, db/engine.py), which serializes claimers, and FOR UPDATE is not emitted.

Get next is short on purpose: many reps press it at the start of a shift. On PostgreSQL and
SQLite one statement finds, locks and claims the case and returns it (``UPDATE … WHERE id =
(SELECT … LIMIT 1 [FOR UPDATE SKIP LOCKED]) RETURNING``); the server's clock and the
"already done?" check of a retried request come in one more. Nothing in it is shared between
claimers but the case row and that case's own audit chain (services/audit.py), so on a server
twenty claimers run side by side. SQLite has one writer at a time: there a claimer waiting for
the write lock keeps looking every few milliseconds (``_sqlite_write``) instead of napping ever
longer in SQLite's busy handler, which left unlucky claimers waiting seconds behind luckier ones
(docs/benchmarks.md has the figures).

Get next's order is the queue's risk order (urgent first, then the soonest SLA due, then the
oldest: queue_query's SortColumn.RISK), the default order of "My team — unassigned", so the top
row there is what Get next gives. Cases this rep released to the queue in the last
RELEASE_COOLDOWN are passed over: the release left a handoff note from them to nobody
(services/handoffs.py), and a rep pressing Get next right after giving a case back does not want
it again. An explicit Take may still take it.

A claim needs no handoff note: migration 0002's trigger allows nobody → someone within the team.
Each claim writes the audit event ``case.taken`` (handoffs.TAKEN), with ``via``.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, CursorResult, Select, Update, exists, literal, select, update
from sqlalchemy import case as sql_case
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from deskapp.db.engine import SQLITE_BUSY_TIMEOUT_MS, WRITE_OPTIONS
from deskapp.db.models import AuditEvent, Case, HandoffNote, User
from deskapp.db.types import utcnow
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import CaseStatus, Role
from deskapp.domain.errors import DeskappError, InvalidInput, NotFound, PermissionDenied, StaleEdit
from deskapp.services import audit
from deskapp.services import queue_query as qq
from deskapp.services.cases import info
from deskapp.services.handoff_waiting import server_now
from deskapp.services.handoffs import TAKEN
from deskapp.services.queue_records import QueueQuery, QueueRow, QueueView, SortColumn
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace, damaged_workspace, is_damaged_sqlite

T = TypeVar("T")
RELEASE_COOLDOWN = timedelta(minutes=15)
CANDIDATES = 25  # per read: more than the claimers likely to race for the same top rows
_ROUNDS = 8  # reads of candidates before Get next gives up on a queue that keeps emptying
BUSY_ATTEMPTS = 6  # SQLite: each waits its busy timeout (db/engine.py) for the write lock
# SQLite, Get next: how long one try for the write lock waits in SQLite (its busy handler looks
# at 0, 1, 3, 8 and 18 ms) before the claimer asks again at once, up to the usual timeout.
CLAIM_LOCK_TRY_MS = 100


class AlreadyTaken(DeskappError):
    """Someone else claimed the case first. ``offer`` is the case Get next would give now (not
    claimed: the GUI asks "take that one instead?"), or None when nothing is left."""

    def __init__(self, key: str, taken_by: str, offer: QueueRow | None) -> None:
        self.key, self.taken_by, self.offer = key, taken_by, offer
        then = (
            f" Next in line is {offer.key} ({offer.subject}): take it instead?"
            if offer is not None
            else " Your team's queue has nothing else to take right now."
        )
        super().__init__(f"{key} was just taken by {taken_by}.{then}")


# --------------------------------------------------------------------------- the use cases
def take(
    ws: Workspace, actor: Actor, case_id: uuid.UUID, expected_version: int | None = None
) -> CaseInfo:
    """Claim this unassigned case of my team. Of two people taking it at once, one gets it and
    the other gets AlreadyTaken naming the winner and offering the next case. With
    ``expected_version`` a case changed since the rep saw it is refused (StaleEdit). Taking a
    case that is already mine (a retry whose reply was lost, a double press) just returns it."""
    me = _person(actor)
    outcome = _when_free(ws, lambda: _take(ws, actor, me, case_id, expected_version))
    if isinstance(outcome, CaseInfo):
        return outcome
    key, winner = outcome
    raise AlreadyTaken(key, winner, peek_next(ws, actor))


def _take(
    ws: Workspace,
    actor: Actor,
    me: uuid.UUID,
    case_id: uuid.UUID,
    expected_version: int | None,
) -> CaseInfo | tuple[str, str]:
    with write_session(ws) as session:
        if _lock_unclaimed(session, actor, case_id, skip_locked=False, version=expected_version):
            case = _claim(session, actor, me, case_id)
            assert case is not None  # locked and claimable: nobody can have changed it
            _audit_claim(session, actor, case_id, "take", uuid.uuid4())
            return info(case)
        case = session.get(Case, case_id, populate_existing=True)
        if case is not None and case.assignee_id == me:
            return info(case)
        return _why_not(session, actor, case, expected_version)


def get_next(
    ws: Workspace,
    actor: Actor,
    *,
    cooldown: timedelta = RELEASE_COOLDOWN,
    request_id: uuid.UUID | None = None,
) -> CaseInfo | None:
    """Claim the most at-risk unassigned case of my team, passing over the ones I released in
    the last ``cooldown``. None when there is nothing to take. A retry with the same
    ``request_id`` (the reply was lost) returns the case the first attempt claimed."""
    me = _person(actor)
    if actor.team_id is None:
        raise InvalidInput("Get next takes cases from your team's queue, and you are in no team.")
    request_id = request_id or uuid.uuid4()
    return _when_free(ws, lambda: _get_next(ws, actor, me, cooldown, request_id))


def _get_next(
    ws: Workspace, actor: Actor, me: uuid.UUID, cooldown: timedelta, request_id: uuid.UUID
) -> CaseInfo | None:
    dialect = ws.dialect
    with _sqlite_write(ws) if dialect == "sqlite" else write_session(ws) as session:
        # The server's clock and "did this request already claim a case?" in one round trip.
        earlier_case = select(AuditEvent.case_id).where(AuditEvent.id == request_id)
        now, earlier = session.execute(select(utcnow(), earlier_case.scalar_subquery())).one()
        if earlier is not None:
            case = session.get(Case, earlier)
            return info(case) if case is not None else None
        released_since = now - cooldown
        if dialect in ("mariadb", "mysql"):
            case_id = _lock_next(session, actor, me, released_since)
            claimed = _claim(session, actor, me, case_id) if case_id else None
        else:
            claimed = _claim_next(session, actor, me, released_since)
        if claimed is None:
            return None
        _audit_claim(session, actor, claimed.id, "get_next", request_id)
        return info(claimed)


def _claim_next(
    session: Session, actor: Actor, me: uuid.UUID, released_since: datetime
) -> Case | None:
    """PostgreSQL and SQLite: find, lock and claim the riskiest claimable case in one
    statement, and return it. PostgreSQL's ``FOR UPDATE SKIP LOCKED`` in the sub-select locks
    rows in risk order as the sort yields them, passing over those other claimers hold, and
    keeps only the one it returns; SQLite's write transaction already excludes the others."""
    choose = next_case_query(actor, me, released_since).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        choose = choose.with_for_update(skip_locked=True, of=Case)
    # correlate(None): the sub-select reads its own ``cases``, not the row being updated.
    first = choose.correlate(None).scalar_subquery()
    claim = _claim_update(actor, me).where(Case.id == first).returning(Case)
    return session.scalars(claim.execution_options(synchronize_session=False)).first()


def _lock_next(
    session: Session, actor: Actor, me: uuid.UUID, released_since: datetime
) -> uuid.UUID | None:
    """MariaDB: find and lock the riskiest claimable case. A sorted ``FOR UPDATE`` there would
    lock every row the scan reads and keep those locks to the end of the transaction, so a
    claimer would fence off the whole queue from the others: the candidates are read without
    locks and locked one at a time by primary key, ``SKIP LOCKED`` passing over the ones
    someone else holds. (MariaDB has no UPDATE … RETURNING either.)
    """
    candidates = next_case_query(actor, me, released_since)
    passed: list[uuid.UUID] = []
    for _round in range(_ROUNDS):
        unseen = candidates.where(Case.id.notin_(passed)) if passed else candidates
        case_ids = session.scalars(unseen.limit(CANDIDATES)).all()
        if not case_ids:
            return None
        for case_id in case_ids:
            if _lock_unclaimed(session, actor, case_id, skip_locked=True):
                return case_id
            passed.append(case_id)
    return None


def peek_next(
    ws: Workspace, actor: Actor, *, cooldown: timedelta = RELEASE_COOLDOWN
) -> QueueRow | None:
    """The case Get next would claim now, without claiming it."""
    if actor.user_id is None or actor.team_id is None:
        return None
    with read_session(ws) as session:
        released_since = server_now(session) - cooldown
        query = QueueQuery(QueueView.TEAM_UNASSIGNED, SortColumn.RISK)
        statement = qq.rows_statement(actor, query, None, session.get_bind().dialect.name)
        row = session.execute(
            statement.select.where(~_released_by(actor.user_id, released_since)).limit(1)
        ).first()
        return qq.to_row(row) if row is not None else None


# --------------------------------------------------------------------------- the claim itself
def next_case_query(actor: Actor, me: uuid.UUID, released_since: datetime) -> Select[uuid.UUID]:
    """The claimable cases of my team in Get next's order, without those I released since
    ``released_since`` (no lock, no limit: see _lock_next)."""
    query = QueueQuery(QueueView.TEAM_UNASSIGNED, SortColumn.RISK)
    parts = qq.sort_parts(query, None)
    return (
        select(Case.id)
        .where(*qq.membership(actor, query, None), ~_released_by(me, released_since))
        .order_by(*qq.order_by(parts, descending=False))
    )


def _released_by(me: uuid.UUID, since: datetime) -> ColumnElement[bool]:
    """This case went from me back to a queue (a note to nobody) since ``since``."""
    return exists().where(
        HandoffNote.case_id == Case.id,
        HandoffNote.from_user_id == me,
        HandoffNote.to_user_id.is_(None),
        HandoffNote.created_at >= since,
    )


def _claimable(actor: Actor, case_id: uuid.UUID | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Case.assignee_id.is_(None),
        Case.status.in_(qq.OPEN_STATUSES),
    ]
    if case_id is not None:
        conditions.append(Case.id == case_id)
    if actor.role is not Role.ADMIN:
        conditions.append(Case.team_id == actor.team_id)
    return conditions


def _lock_unclaimed(
    session: Session,
    actor: Actor,
    case_id: uuid.UUID,
    *,
    skip_locked: bool,
    version: int | None = None,
) -> bool:
    """Lock this case if it is still there to claim (the one dialect-specific step: see the
    module's docstring). False when it is not, or — with ``skip_locked`` — when another
    claimer holds it right now."""
    conditions = _claimable(actor, case_id)
    if version is not None:
        conditions.append(Case.version == version)
    found = session.execute(
        select(Case.id).where(*conditions).with_for_update(skip_locked=skip_locked)
    ).first()
    return found is not None


def _claim_update(actor: Actor, me: uuid.UUID) -> Update:
    """The claim itself, for the WHERE the caller adds: still unassigned, open and (unless an
    admin claims it) in my team; new becomes open."""
    return (
        update(Case)
        .where(*_claimable(actor, None))
        .values(
            assignee_id=me,
            status=sql_case(
                (Case.status == CaseStatus.NEW, literal(CaseStatus.OPEN, Case.status.type)),
                else_=Case.status,
            ),
            version=Case.version + 1,
            updated_at=utcnow(),
        )
    )


def _claim(session: Session, actor: Actor, me: uuid.UUID, case_id: uuid.UUID) -> Case | None:
    """Claim the case this transaction has locked (Take; Get next on MariaDB)."""
    claimed = session.execute(
        _claim_update(actor, me)
        .where(Case.id == case_id)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(claimed, CursorResult)  # an UPDATE's result counts its rows
    # The row is locked by us and was claimable when locked: nobody can have changed it.
    assert claimed.rowcount == 1, "a locked, claimable case could not be claimed"
    return session.get(Case, case_id, populate_existing=True)


def _audit_claim(
    session: Session, actor: Actor, case_id: uuid.UUID, how: str, request_id: uuid.UUID
) -> None:
    audit.record_event(
        session, actor, TAKEN, event_id=request_id, case_id=case_id, detail={"via": how}
    )


def _why_not(
    session: Session, actor: Actor, case: Case | None, expected_version: int | None
) -> tuple[str, str]:
    """Why a Take failed: (key, who took it) for AlreadyTaken; any other reason is raised."""
    if case is None:
        raise NotFound("That case does not exist (any more).")
    key = format_case_key(case.number)
    if case.assignee_id is not None:
        owner = session.get(User, case.assignee_id)
        return key, owner.display_name if owner is not None else "someone"
    if not case.status.is_open:
        raise InvalidInput(f"{key} is {case.status.value}: there is nothing to take on.")
    if actor.role is not Role.ADMIN and case.team_id != actor.team_id:
        raise PermissionDenied(
            f"{key} is in another team's queue. Ask that team's lead to transfer it to yours."
        )
    raise StaleEdit(
        f"{key} changed while you looked at it (you saw version {expected_version}, it is now "
        f"{case.version}). Look at it again, then take it."
    )


@contextmanager
def _sqlite_write(ws: Workspace) -> Iterator[Session]:
    """SQLite, Get next: a write transaction whose BEGIN IMMEDIATE is retried every few
    milliseconds while another writer holds the file, for up to the usual busy timeout.

    SQLite's own busy handler naps 1, 2, 5 … then 100 ms between looks, so under many claimers
    the longest waiters, napping longest, kept losing the lock to fresh ones (p95 above a
    second for 20 claimers). Here each try waits at most CLAIM_LOCK_TRY_MS inside SQLite, then
    the claimer asks again at once. The connection's usual busy timeout is put back before it
    returns to the pool."""
    with ws.engine.connect() as conn:
        # On the driver's connection: a pragma outside any transaction, no lock taken.
        driver: Any = conn.connection.driver_connection
        driver.execute(f"PRAGMA busy_timeout = {CLAIM_LOCK_TRY_MS}")
        try:
            yield from _locked_session(ws, conn.execution_options(**WRITE_OPTIONS))
        finally:
            driver.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


def _locked_session(ws: Workspace, conn: Any) -> Iterator[Session]:
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        session = Session(conn, expire_on_commit=False)
        try:
            session.begin()
            session.connection()  # BEGIN IMMEDIATE: the write lock, or "database is locked"
            break
        except OperationalError as exc:
            session.close()
            if "database is locked" not in str(exc.orig) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0, 0.002))  # noqa: S311 - apart, so the waiters do not collide
    try:
        with session:
            yield session
            session.commit()
    except DBAPIError as exc:
        if is_damaged_sqlite(exc):
            raise damaged_workspace(ws.name) from exc
        raise


def _when_free(ws: Workspace, work: Callable[[], T]) -> T:
    """Run a claim; on SQLite, run it again while other writers kept the file busy past its
    busy timeout (many claimers on one file queue for its single write lock, and SQLite's wait
    is not first come, first served). Safe: a claim that committed is recognised on the retry
    (Take: the case is mine; Get next: its request id)."""
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        try:
            return work()
        except OperationalError as exc:
            busy = ws.dialect == "sqlite" and "database is locked" in str(exc.orig)
            if not busy or attempt == BUSY_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _person(actor: Actor) -> uuid.UUID:
    if actor.user_id is None:
        raise PermissionDenied("The setup account cannot own cases: sign in as a person.")
    return actor.user_id
