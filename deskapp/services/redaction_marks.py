"""How a redaction shows on an audit chain: written by services/redaction.py, recognised by
services/audit_verify.py.

An erasure request blanks personal data in audit events but leaves their hashes alone; then,
on every chain it touched, it records a ``customer.redacted`` event whose detail names the
events it redacted (``redacted_events``: their ids, hex). That event is itself hashed and
linked like any other, so its list cannot be changed later without breaking the chain, and an
event edited behind the app's back is named by no redaction and still fails its content check.
(A forged redaction appended at a chain's end is a rewrite with fresh hashes, which a hash
chain alone cannot show: see services/audit_verify.py.)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import AuditEvent

MARKER = "[redacted]"  # what personal data reads as afterwards (migration 0011 knows it too)
REDACTION_ACTION = "customer.redacted"
NAMED_KEY = "redacted_events"


def redaction_detail(customer_id: uuid.UUID, redacted: Iterable[uuid.UUID]) -> dict[str, Any]:
    return {"customer_id": customer_id.hex, NAMED_KEY: sorted(event.hex for event in redacted)}


def named_by_redactions(session: Session, chain: str | None = None) -> frozenset[tuple[str, str]]:
    """(chain, event id in hex) of every event that a redaction on the same chain names.
    The action's index (migration 0010) finds the redactions without reading other events."""
    query = select(AuditEvent.chain, AuditEvent.detail).where(AuditEvent.action == REDACTION_ACTION)
    if chain is not None:
        query = query.where(AuditEvent.chain == chain)
    named: set[tuple[str, str]] = set()
    for chain_name, detail in session.execute(query):
        ids = (detail or {}).get(NAMED_KEY) or []
        named.update((chain_name, str(event_hex)) for event_hex in ids)
    return frozenset(named)
