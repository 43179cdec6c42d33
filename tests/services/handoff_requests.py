"""What the handoff-service tests share: the people of a test workspace, a case, a note good
enough to pass lint at the server's clock, and looks at the rows behind the service's back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from deskapp.db.models import AuditEvent, Case, Commitment, HandoffDraft, HandoffNote
from deskapp.db.types import utcnow
from deskapp.domain.enums import Channel, HandoffKind, Mood, RiskLevel
from deskapp.domain.handoff import NextAction, NoteContent, Promise
from deskapp.services import cases, customers
from deskapp.services.handoffs import HandoffRequest
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace


@dataclass
class Person:
    ws: Workspace
    actor: Actor

    @property
    def id(self) -> uuid.UUID:
        assert self.actor.user_id is not None
        return self.actor.user_id


@dataclass
class Desk:
    """Everyone of the test workspace, each signed in with their own login."""

    rep: Person
    rep2: Person
    lead: Person
    admin: Person

    def new_case(self, owner: Person | None = None, *, queued: bool = False) -> CaseInfo:
        """An open case of the Support team owned by ``owner`` (the rep), or in its queue."""
        owner = owner or self.rep
        team_id = owner.actor.team_id
        assert team_id is not None
        customer_id = customers.create_customer(
            owner.ws, owner.actor, customers.NewCustomer("Ines Moreau", time_zone="Europe/Paris")
        )
        return cases.create_case(
            owner.ws,
            owner.actor,
            cases.NewCase(
                customer_id,
                team_id,
                "Invoice charged twice",
                Channel.EMAIL,
                assign_to_me=not queued,
            ),
        )


def sign_in_everyone(db: Any) -> Desk:
    return Desk(*(Person(*db.sign_in(who)) for who in ("rep", "rep2", "lead", "admin")))


def server_now(ws: Workspace) -> datetime:
    with read_session(ws) as session:
        moment = session.scalar(select(utcnow()))
    assert moment is not None
    return moment


def good_note(ws: Workspace, **changes: Any) -> NoteContent:
    """A note a careful rep writes: every element present, times ahead of the server's now."""
    now = server_now(ws)
    values: dict[str, Any] = {
        "risk": RiskLevel.WATCH,
        "summary": (
            "Ines Moreau was charged twice (49.00 each) for her October invoice and wants the "
            "duplicate refunded before her card statement closes on the 28th."
        ),
        "done": (
            "Confirmed both captures in the ledger (ref LG-20931), apologised and opened a "
            "refund request with payments (ticket PAY-5512)."
        ),
        "next_actions": (
            NextAction(
                "Check that payments approved PAY-5512", "next owner", now + timedelta(days=1)
            ),
        ),
        "commitments": (Promise("Email Ines the refund confirmation", now + timedelta(days=2)),),
        "contingencies": "If payments refuse the refund, escalate to the billing lead today.",
        "mood": Mood.FRUSTRATED,
        "contact_preference": "Email, afternoons",
    }
    values.update(changes)
    return NoteContent(**values)


def request(
    case: CaseInfo,
    content: NoteContent,
    *,
    kind: HandoffKind = HandoffKind.REASSIGN,
    to: Person | None = None,
    **options: Any,
) -> HandoffRequest:
    return HandoffRequest(
        case_id=case.id,
        kind=kind,
        to_user_id=to.id if to else None,
        to_team_id=options.pop("to_team_id", None),
        content=content,
        expected_version=options.pop("expected_version", case.version),
        **options,
    )


def count(ws: Workspace, model: Any, *conditions: Any) -> int:
    with read_session(ws) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0)


def case_row(ws: Workspace, case_id: uuid.UUID) -> Case:
    with read_session(ws) as session:
        row = session.get(Case, case_id)
        assert row is not None
        return row


def note_row(ws: Workspace, note_id: uuid.UUID) -> HandoffNote:
    with read_session(ws) as session:
        row = session.get(HandoffNote, note_id)
        assert row is not None
        return row


def events(ws: Workspace, case_id: uuid.UUID, action: str) -> list[AuditEvent]:
    with read_session(ws) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.case_id == case_id, AuditEvent.action == action)
                .order_by(AuditEvent.seq)
            )
        )


def notes_of(ws: Workspace, case_id: uuid.UUID) -> int:
    return count(ws, HandoffNote, HandoffNote.case_id == case_id)


def commitments_of(ws: Workspace, case_id: uuid.UUID) -> list[Commitment]:
    with read_session(ws) as session:
        return list(session.scalars(select(Commitment).where(Commitment.case_id == case_id)))


def drafts_of(ws: Workspace, case_id: uuid.UUID) -> int:
    return count(ws, HandoffDraft, HandoffDraft.case_id == case_id)
