"""The one place that records audit events: who did what, when, and why.

Each subject has its own hash chain (a case: ``case:<id>``; people: ``people``), so writers to
different cases never queue behind each other. A link hashes the previous link and this event's
content hash; an admin can later redact personal data in ``detail`` and keep the chain whole.
The (chain, seq) unique constraint makes two concurrent appends collide instead of forking.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskapp.db.models import AuditEvent, ChangeFeedEntry
from deskapp.services.records import Actor, AuditInfo
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

PEOPLE_CHAIN = "people"
# PostgreSQL clients LISTEN here for live refresh (services/queue_live.py); delivered on commit.
CHANGE_CHANNEL = "deskapp_case_changed"
TEAMS_CHAIN = "teams"


def case_chain(case_id: uuid.UUID) -> str:
    return f"case:{case_id.hex}"


def content_hash(event: dict[str, Any]) -> str:
    canonical = json.dumps(event, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def hashed_content(
    *,
    event_hex: str,
    chain: str,
    seq: int,
    case_hex: str | None,
    actor_login: str,
    action: str,
    reason: str | None,
    detail: dict[str, Any],
) -> dict[str, Any]:
    """What an event's ``content_hash`` covers: written here, rebuilt from the stored row by the
    verifier (services/audit_verify.py), so the two can never drift apart."""
    return {
        "id": event_hex,
        "chain": chain,
        "seq": seq,
        "case_id": case_hex,
        "actor": actor_login,
        "action": action,
        "reason": reason,
        "detail": detail,
    }


def link_hash(prev_hash: str | None, this_content_hash: str) -> str:
    return hashlib.sha256(f"{prev_hash or ''}:{this_content_hash}".encode()).hexdigest()


def record_event(
    session: Session,
    actor: Actor,
    action: str,
    *,
    event_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
    chain: str | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> uuid.UUID:
    """Append an event in the caller's transaction. ``event_id`` is the request id of the change
    (services/unit_of_work.already_applied looks for it when a write is retried)."""
    chain = chain or (case_chain(case_id) if case_id else PEOPLE_CHAIN)
    event_id = event_id or uuid.uuid4()
    detail = detail or {}
    previous = session.execute(
        select(AuditEvent.seq, AuditEvent.chain_hash)
        .where(AuditEvent.chain == chain)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    seq = previous.seq + 1 if previous else 1
    prev_hash = previous.chain_hash if previous else None
    digest = content_hash(
        hashed_content(
            event_hex=event_id.hex,
            chain=chain,
            seq=seq,
            case_hex=case_id.hex if case_id else None,
            actor_login=actor.login,
            action=action,
            reason=reason,
            detail=detail,
        )
    )
    session.add(
        AuditEvent(
            id=event_id,
            chain=chain,
            seq=seq,
            case_id=case_id,
            actor_id=actor.user_id,
            actor_login=actor.login,
            action=action,
            reason=reason,
            detail=detail,
            content_hash=digest,
            prev_hash=prev_hash,
            chain_hash=link_hash(prev_hash, digest),
        )
    )
    if case_id is not None:
        session.add(ChangeFeedEntry(entity="case", entity_id=case_id, case_id=case_id))
        if session.get_bind().dialect.name == "postgresql":
            session.execute(select(func.pg_notify(CHANGE_CHANNEL, str(case_id))))
    session.flush()
    return event_id


def history(
    ws: Workspace, *, case_id: uuid.UUID | None = None, chain: str | None = None
) -> list[AuditInfo]:
    """The events of one chain, oldest first."""
    chain = chain or (case_chain(case_id) if case_id else PEOPLE_CHAIN)
    with read_session(ws) as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.chain == chain).order_by(AuditEvent.seq)
        ).all()
        return [
            AuditInfo(
                e.id,
                e.chain,
                e.seq,
                e.case_id,
                e.actor_login,
                e.action,
                e.reason,
                e.detail,
                e.occurred_at,
            )
            for e in rows
        ]


def first_broken_link(ws: Workspace, chain: str) -> int | None:
    """The seq of the first event whose link does not follow from the one before, or None."""
    with read_session(ws) as session:
        rows = session.execute(
            select(
                AuditEvent.seq, AuditEvent.content_hash, AuditEvent.prev_hash, AuditEvent.chain_hash
            )
            .where(AuditEvent.chain == chain)
            .order_by(AuditEvent.seq)
        ).all()
    previous: str | None = None
    for expected_seq, row in enumerate(rows, start=1):
        if (
            row.seq != expected_seq
            or row.prev_hash != previous
            or row.chain_hash != link_hash(previous, row.content_hash)
        ):
            return int(row.seq)
        previous = row.chain_hash
    return None
