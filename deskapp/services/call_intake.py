"""A new case from a call: the customer (found, or created on the spot), the case and what the
customer said, in one transaction.

Every id is chosen by the client before the first attempt, so a retry after a lost reply finds
what the first attempt wrote and creates nothing twice. A new customer whose email or phone
number already belongs to someone is refused with those customers attached
(``PossibleDuplicate.matches``), unless the rep confirms it is another person.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from deskapp.db.models import Case, Customer
from deskapp.domain.enums import Channel, Direction, Priority
from deskapp.domain.errors import InvalidInput
from deskapp.services import cases, interactions
from deskapp.services.customers import NewCustomer, phone_digits
from deskapp.services.interactions import LoggedInteraction, NewInteraction
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.unit_of_work import write_session
from deskapp.services.workspace import Workspace

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class CallIntake:
    """Exactly one of ``customer_id`` (someone found) and ``new_customer`` (give it an id)."""

    team_id: uuid.UUID
    subject: str
    customer_id: uuid.UUID | None = None
    new_customer: NewCustomer | None = None
    channel: Channel = Channel.PHONE
    priority: Priority = Priority.NORMAL
    category: str | None = None
    first_contact: str | None = None  # what the customer said: the case's first interaction
    duration_seconds: int | None = None
    allow_duplicate: bool = False  # the rep confirmed a same-email/phone customer is another
    case_id: uuid.UUID = field(default_factory=uuid.uuid4)
    interaction_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class IntakeResult:
    customer_id: uuid.UUID
    case: CaseInfo
    first_contact: LoggedInteraction | None


@dataclass(frozen=True)
class SimilarCustomer:
    id: uuid.UUID
    name: str
    email: str | None
    phone: str | None


class PossibleDuplicate(InvalidInput):
    """The new customer's email or phone number is already someone's: ``matches`` are they."""

    def __init__(self, message: str, matches: tuple[SimilarCustomer, ...]) -> None:
        super().__init__(message)
        self.matches = matches


def open_case_from_call(ws: Workspace, actor: Actor, intake: CallIntake) -> IntakeResult:
    if (intake.customer_id is None) == (intake.new_customer is None):
        raise InvalidInput("Choose the customer on the line, or enter a new one — not both.")
    subject = " ".join(intake.subject.split())
    if not subject:
        raise InvalidInput("Give the case a subject a colleague will understand at a glance.")
    if intake.new_customer is not None:
        _check_new_customer(intake.new_customer)
    first: NewInteraction | None = None
    prepared: tuple[str, int] = ("", 0)
    if intake.first_contact is not None and intake.first_contact.strip():
        first = NewInteraction(
            intake.case_id, intake.channel, Direction.INBOUND, intake.first_contact,
            duration_seconds=intake.duration_seconds, id=intake.interaction_id,
        )  # fmt: skip
        prepared = interactions.prepare(actor, first)
    with write_session(ws) as session:
        customer_id = intake.customer_id or _customer(session, intake)
        case = session.get(Case, intake.case_id)
        if case is None:
            new = cases.NewCase(
                customer_id, intake.team_id, subject, intake.channel, intake.priority,
                intake.category, assign_to_me=actor.user_id is not None,
            )  # fmt: skip
            case = cases.add_case(session, actor, new, intake.case_id, subject)
        logged = None
        if first is not None:
            logged = interactions.add_interaction(session, actor, first, *prepared)
            session.refresh(case)
        return IntakeResult(customer_id, cases.info(case), logged)


def _customer(session: Session, intake: CallIntake) -> uuid.UUID:
    new = intake.new_customer
    assert new is not None
    # Stable across retries even when the GUI gave the new customer no id of its own.
    customer_id = new.id or uuid.uuid5(intake.case_id, "customer")
    if session.get(Customer, customer_id) is not None:
        return customer_id  # the retry of an intake whose reply was lost
    if not intake.allow_duplicate:
        _refuse_duplicates(session, new)
    session.add(
        Customer(
            id=customer_id,
            name=" ".join(new.name.split()),
            email=(new.email or "").strip() or None,
            phone=(new.phone or "").strip() or None,
            phone_digits=phone_digits(new.phone),
            time_zone=new.time_zone,
            tier=new.tier,
            tags=[],
        )
    )
    session.flush()
    return customer_id


def _check_new_customer(new: NewCustomer) -> None:
    if not new.name.strip():
        raise InvalidInput("A customer needs a name.")
    if new.email and not _EMAIL.match(new.email.strip()):
        raise InvalidInput(f"“{new.email}” is not an email address (name@example.com).")
    try:
        ZoneInfo(new.time_zone)
    except (KeyError, ValueError):
        raise InvalidInput(
            f"“{new.time_zone}” is not a time zone; choose one like Europe/Berlin."
        ) from None


def _refuse_duplicates(session: Session, new: NewCustomer) -> None:
    conditions: list[ColumnElement[bool]] = []
    if new.email and new.email.strip():
        email = new.email.strip()  # as typed or lower case: both found through the index
        conditions.append(Customer.email.in_({email, email.lower()}))
    digits = phone_digits(new.phone)
    if digits:
        conditions.append(Customer.phone_digits == digits)
    if not conditions:
        return
    rows = session.execute(
        select(Customer.id, Customer.name, Customer.email, Customer.phone)
        .where(or_(*conditions), Customer.redacted_at.is_(None))
        .limit(5)
    ).all()
    if rows:
        matches = tuple(SimilarCustomer(*r) for r in rows)
        names = ", ".join(m.name for m in matches)
        raise PossibleDuplicate(
            f"This email or phone number already belongs to {names}. Open their history "
            "instead, or confirm that this is another person.",
            matches,
        )
