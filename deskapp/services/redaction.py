"""Erasing a customer's personal data (an erasure request), with every audit chain still whole.

An admin's one call, in one transaction:

- the customer: name → MARKER; e-mail, phone, preferred contact, profile note and tags gone
  (time zone, tier, organization and plan are not about the person and stay);
- their cases' subjects and resolution outcomes, the promises made on them, and every
  interaction body → MARKER;
- the handoff notes on their cases: every text (summary, what was done, contingencies, contact
  preference, the unbriefed reason, each action and promise, a team's added fields) → MARKER,
  while the structure stays (risk, mood, owners, due times, how many actions); the read-backs'
  text too; drafts of notes on their cases are deleted;
- the audit events on their chains (each case's, and ``customer:<id>``): free text in the
  reason and the detail → MARKER, keys kept (services/redaction_text.py says what is free text).

Notes, read-backs and audit events are insert-only; the database lets exactly this kind of
UPDATE through, and on PostgreSQL only for admins (migration 0011). Search documents follow by
themselves (the search triggers of 0004 and 0011), so the customer's old words are no longer
found. Hashes are left alone: each chain touched gets a ``customer.redacted`` event naming the
events redacted on it (services/redaction_marks.py), which is how ``deskapp audit verify``
tells a redaction from tampering. Running it again catches what was logged since.

What it cannot reach: copies outside the workspace (exports already written, backups, SQLite
backups made before upgrades, drafts on people's own computers), and old row versions a
database keeps until it reuses the space (SQLite free pages and search segments, PostgreSQL
dead rows until VACUUM).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, delete, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from deskapp.db.models import (
    AuditEvent,
    Case,
    Commitment,
    Customer,
    HandoffAck,
    HandoffDraft,
    HandoffNote,
    Interaction,
)
from deskapp.db.types import utcnow
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, NotFound
from deskapp.services import audit
from deskapp.services.customer_notes import customer_chain
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor
from deskapp.services.redaction_marks import MARKER, REDACTION_ACTION, redaction_detail
from deskapp.services.redaction_text import blank_text, mentions, personal_terms, scrub_detail
from deskapp.services.unit_of_work import already_applied, read_session, write_session
from deskapp.services.workspace import Workspace

REASON_MAX = 500  # audit_events.reason
CHAINS_PER_READ = 500  # bounded IN lists, however many cases the customer has
NOTE_TEXT = ("summary", "done", "contingencies", "contact_preference", "unbriefed_reason")
NOTE_DOCUMENTS = ("next_actions", "commitments", "extra")


@dataclass(frozen=True)
class ErasureTarget:
    """The customer an erasure request is about, as the confirmation shows them."""

    customer_id: uuid.UUID
    name: str
    email: str | None
    cases: int
    interactions: int
    redacted_at: datetime | None  # an earlier redaction; running again catches newer rows


@dataclass(frozen=True)
class RedactionReport:
    customer_id: uuid.UUID
    cases: int
    interactions: int
    notes: int
    read_backs: int
    promises: int
    drafts_deleted: int
    audit_events: int
    chains: int


# ----------------------------------------------------------------------------- finding them
def find_customer(ws: Workspace, actor: Actor, who: str) -> ErasureTarget:
    """The one customer ``who`` names: their id, e-mail address or id in the source they were
    imported from."""
    require_role(actor, Role.ADMIN, "erase a customer's personal data")
    who = who.strip()
    if not who:
        raise InvalidInput("Say which customer: their e-mail address or their id.")
    with read_session(ws) as session:
        found = _matching(session, who)
        if not found:
            raise NotFound(f"No customer has the e-mail address or id “{who}”.")
        if len(found) > 1:
            ids = ", ".join(str(c.id) for c in found[:5])
            raise InvalidInput(
                f"{len(found)} customers have “{who}”. Give the id of the one to erase: {ids}."
            )
        return _target(session, found[0])


def describe_customer(ws: Workspace, actor: Actor, customer_id: uuid.UUID) -> ErasureTarget:
    require_role(actor, Role.ADMIN, "erase a customer's personal data")
    with read_session(ws) as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound("That customer does not exist (any more).")
        return _target(session, customer)


def _matching(session: Session, who: str) -> list[Customer]:
    try:
        by_id = session.get(Customer, uuid.UUID(who))
    except ValueError:
        by_id = None
    if by_id is not None:
        return [by_id]
    if "@" in who:
        exact = list(session.scalars(select(Customer).where(Customer.email == who).limit(6)))
        return exact or list(
            session.scalars(
                select(Customer).where(func.lower(Customer.email) == who.lower()).limit(6)
            )
        )
    return list(session.scalars(select(Customer).where(Customer.external_id == who).limit(6)))


def _target(session: Session, customer: Customer) -> ErasureTarget:
    def count(query: Select[Any]) -> int:
        return int(session.scalar(query) or 0)

    return ErasureTarget(
        customer.id,
        customer.name,
        customer.email,
        count(select(func.count()).where(Case.customer_id == customer.id)),
        count(select(func.count()).where(Interaction.customer_id == customer.id)),
        customer.redacted_at,
    )


# ----------------------------------------------------------------------------- erasing
def redact_customer(
    ws: Workspace,
    actor: Actor,
    customer_id: uuid.UUID,
    reason: str,
    *,
    request_id: uuid.UUID | None = None,
) -> RedactionReport:
    """Erase the customer's personal data everywhere in the workspace (see the module's
    docstring). ``reason`` says why (a ticket number, not the customer's data: it is kept on
    every chain). ``request_id`` makes a retry after a lost reply a no-op."""
    require_role(actor, Role.ADMIN, "erase a customer's personal data")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("Say why (the erasure request's reference, for example).")
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"Keep the reason under {REASON_MAX} characters.")
    request_id = request_id or uuid.uuid4()
    with write_session(ws) as session:
        if already_applied(session, request_id):
            return _earlier_report(session, request_id)
        customer = session.execute(
            select(Customer.name, Customer.email, Customer.phone, Customer.phone_digits)
            .where(Customer.id == customer_id)
            .with_for_update()
        ).first()
        if customer is None:
            raise NotFound("That customer does not exist (any more).")
        terms = personal_terms(*customer)
        if mentions(reason, terms):
            raise InvalidInput(
                "The reason names the customer, and it is kept in the audit trail: describe "
                "the request without their data (its reference number, for example)."
            )
        now = session.scalar(select(utcnow()))
        their_cases = select(Case.id).where(Case.customer_id == customer_id)
        case_ids = list(session.scalars(their_cases.order_by(Case.number)))
        counts = _redact_records(session, customer_id, their_cases, now)
        chains = [audit.case_chain(c) for c in case_ids] + [customer_chain(customer_id)]
        named = _redact_audit(session, chains, terms, now)
        for case_id in case_ids:
            audit.record_event(
                session, actor, REDACTION_ACTION, case_id=case_id, reason=reason,
                detail=redaction_detail(customer_id, named[audit.case_chain(case_id)]),
            )  # fmt: skip
        report = RedactionReport(
            customer_id=customer_id,
            cases=len(case_ids),
            audit_events=sum(len(ids) for ids in named.values()),
            chains=len(chains),
            **counts,
        )
        summary = {k: v for k, v in asdict(report).items() if k != "customer_id"}
        audit.record_event(
            session, actor, REDACTION_ACTION, event_id=request_id,
            chain=customer_chain(customer_id), reason=reason,
            detail={**redaction_detail(customer_id, named[customer_chain(customer_id)]),
                    "counts": summary},
        )  # fmt: skip
        return report


def _rows(result: Any) -> int:
    assert isinstance(result, CursorResult)  # an UPDATE's or DELETE's result counts its rows
    return int(result.rowcount)


def _redact_records(
    session: Session, customer_id: uuid.UUID, their_cases: Select[Any], now: Any
) -> dict[str, int]:
    """Everything but the audit trail; returns how many rows of each kind were blanked."""
    session.execute(
        update(Customer)
        .where(Customer.id == customer_id)
        .values(name=MARKER, email=None, phone=None, phone_digits=None, profile_note=None,
                preferred_contact=None, tags=[], version=Customer.version + 1,
                redacted_at=func.coalesce(Customer.redacted_at, now))
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    session.execute(
        update(Case)
        .where(Case.customer_id == customer_id)
        .values(
            subject=MARKER,
            resolution_outcome=case((Case.resolution_outcome.is_(None), None), else_=MARKER),
            version=Case.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    promises = session.execute(
        update(Commitment)
        .where(Commitment.case_id.in_(their_cases), Commitment.promise != MARKER)
        .values(promise=MARKER, version=Commitment.version + 1)
        .execution_options(synchronize_session=False)
    )
    interactions = session.execute(
        update(Interaction)
        .where(
            or_(Interaction.customer_id == customer_id, Interaction.case_id.in_(their_cases)),
            Interaction.redacted_at.is_(None),
        )
        .values(body=MARKER, redacted_at=now)
        .execution_options(synchronize_session=False)
    )
    notes_of_theirs = select(HandoffNote.id).where(HandoffNote.case_id.in_(their_cases))
    read_backs = session.execute(
        update(HandoffAck)
        .where(
            HandoffAck.note_id.in_(notes_of_theirs),
            HandoffAck.redacted_at.is_(None),
            HandoffAck.text != "",
        )
        .values(text=MARKER, redacted_at=now)
        .execution_options(synchronize_session=False)
    )
    drafts = session.execute(
        delete(HandoffDraft)
        .where(HandoffDraft.case_id.in_(their_cases))
        .execution_options(synchronize_session=False)
    )
    return {
        "interactions": _rows(interactions),
        "notes": _redact_notes(session, their_cases, now),
        "read_backs": _rows(read_backs),
        "promises": _rows(promises),
        "drafts_deleted": _rows(drafts),
    }


def _redact_notes(session: Session, their_cases: Select[Any], now: Any) -> int:
    """Each note's text blanked and its structure kept: one UPDATE per note, as each holds
    its own action and promise lists."""
    names = (*NOTE_TEXT, *NOTE_DOCUMENTS)
    rows = session.execute(
        select(HandoffNote.id, *(getattr(HandoffNote, name) for name in names)).where(
            HandoffNote.case_id.in_(their_cases), HandoffNote.redacted_at.is_(None)
        )
    ).all()
    for note_id, *values in rows:
        blanked = {name: blank_text(value) for name, value in zip(names, values, strict=True)}
        session.execute(
            update(HandoffNote)
            .where(HandoffNote.id == note_id)
            .values(**blanked, redacted_at=now)
            .execution_options(synchronize_session=False)
        )
    return len(rows)


def _redact_audit(
    session: Session, chains: list[str], terms: tuple[str, ...], now: Any
) -> dict[str, list[uuid.UUID]]:
    """Free text out of the reasons and details on ``chains``; the ids redacted, by chain.
    Earlier redaction events are left as they are: they hold ids and the admin's reason."""
    named: dict[str, list[uuid.UUID]] = defaultdict(list)
    for start in range(0, len(chains), CHAINS_PER_READ):
        rows = session.execute(
            select(AuditEvent.id, AuditEvent.chain, AuditEvent.reason, AuditEvent.detail).where(
                AuditEvent.chain.in_(chains[start : start + CHAINS_PER_READ]),
                AuditEvent.redacted_at.is_(None),
                AuditEvent.action != REDACTION_ACTION,
            )
        ).all()
        for event_id, chain, reason, detail in rows:
            new_reason = scrub_detail(reason, terms) if reason else reason
            new_detail = scrub_detail(detail or {}, terms)
            if new_reason == reason and new_detail == (detail or {}):
                continue  # nothing personal in it: it stays as written, content-checked
            session.execute(
                update(AuditEvent)
                .where(AuditEvent.id == event_id)
                .values(reason=new_reason, detail=new_detail, redacted_at=now)
                .execution_options(synchronize_session=False)
            )
            named[chain].append(event_id)
    return named


def _earlier_report(session: Session, request_id: uuid.UUID) -> RedactionReport:
    event = session.get(AuditEvent, request_id)
    assert event is not None  # already_applied found it
    counts = dict((event.detail or {}).get("counts") or {})
    return RedactionReport(customer_id=uuid.UUID(hex=event.detail["customer_id"]), **counts)
