"""The customer's profile note ("prefers email after 6pm, hard of hearing"): read it, change it,
version-checked like every record a rep types into (DESIGN.md §6).

Two reps on the phone with the same customer may both add to the note. The second save is never
written over the first and never loses its text: it raises ``ProfileNoteConflict`` carrying the
rep's text untouched and the note as saved now, for the GUI to show side by side
(gui/profile_note_dialog.py). A card number is refused rather than kept (DESIGN.md §7); the text
stays with the rep to fix.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import AuditEvent, Customer, User
from deskapp.domain.card_mask import mask_card_numbers
from deskapp.domain.errors import InvalidInput, NotFound, StaleEdit
from deskapp.services import audit
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import already_applied, read_session, write_session
from deskapp.services.workspace import Workspace

NOTE_MAX_CHARS = 20_000  # as the importers allow
CHANGED = "customer.note_changed"


@dataclass(frozen=True)
class ProfileNote:
    customer_id: uuid.UUID
    customer_name: str
    text: str
    version: int  # the customer's: what a save is checked against
    updated_at: datetime


class ProfileNoteConflict(StaleEdit):
    """Someone saved the customer after this rep opened the note. ``mine`` is the rep's text,
    untouched; ``current`` the note as saved now; ``changed_by`` who saved it (None: unknown)."""

    def __init__(self, message: str, mine: str, current: ProfileNote,
                 changed_by: str | None) -> None:  # fmt: skip
        super().__init__(message)
        self.mine = mine
        self.current = current
        self.changed_by = changed_by


def customer_chain(customer_id: uuid.UUID) -> str:
    return f"customer:{customer_id.hex}"


def profile_note(ws: Workspace, customer_id: uuid.UUID) -> ProfileNote:
    with read_session(ws) as session:
        return _note(_customer(session, customer_id))


def set_profile_note(
    ws: Workspace,
    actor: Actor,
    customer_id: uuid.UUID,
    expected_version: int,
    text: str,
    *,
    request_id: uuid.UUID | None = None,
) -> ProfileNote:
    """Save ``text`` as the note if nobody saved the customer since ``expected_version``.
    ``request_id``, chosen before the first attempt, makes a retry after a lost reply a no-op."""
    note = _checked(text)
    request_id = request_id or uuid.uuid4()
    with write_session(ws) as session:
        customer = _customer(session, customer_id, for_update=True)
        if already_applied(session, request_id):
            return _note(customer)
        if customer.version != expected_version:
            raise ProfileNoteConflict(
                f"{_who(session, customer_id) or 'Someone else'} saved {customer.name}'s note "
                "while you were editing it. Your text is kept: compare it with theirs and "
                "choose.",
                text, _note(customer), _who(session, customer_id),
            )  # fmt: skip
        if (customer.profile_note or "") != note:
            before = len(customer.profile_note or "")
            customer.profile_note = note or None
            session.flush()  # the ORM checks and bumps the version here
            session.refresh(customer)
            audit.record_event(
                session, actor, CHANGED, event_id=request_id, chain=customer_chain(customer_id),
                detail={"customer_id": customer_id.hex, "length": {"from": before, "to": len(note)},
                        "version": customer.version},
            )  # fmt: skip
        return _note(customer)


def _checked(text: str) -> str:
    note = text.strip()
    if len(note) > NOTE_MAX_CHARS:
        raise InvalidInput(
            f"The note is {len(note):,} characters; keep it under {NOTE_MAX_CHARS:,} (what "
            "happened on a case belongs in the case)."
        )
    if mask_card_numbers(note)[1]:
        raise InvalidInput(
            "The note holds a full card number, which must never be kept here. Write only its "
            "last four digits; your text is still in the editor."
        )
    return note


def _customer(session: Session, customer_id: uuid.UUID, *, for_update: bool = False) -> Customer:
    query = select(Customer).where(Customer.id == customer_id)
    customer = session.scalar(query.with_for_update() if for_update else query)
    if customer is None:
        raise NotFound("That customer does not exist (any more).")
    return customer


def _note(customer: Customer) -> ProfileNote:
    return ProfileNote(customer.id, customer.name, customer.profile_note or "", customer.version,
                       customer.updated_at)  # fmt: skip


def _who(session: Session, customer_id: uuid.UUID) -> str | None:
    """Who saved the note last, from its audit chain (an import leaves none: unknown)."""
    last = session.execute(
        select(AuditEvent.actor_login, User.display_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.chain == customer_chain(customer_id))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    return (last[1] or last[0]) if last else None
