"""Customers: created by reps taking a call, by imports and by the demo generator."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from deskapp.db.models import Customer
from deskapp.domain.enums import Tier
from deskapp.domain.errors import InvalidInput
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import write_session
from deskapp.services.workspace import Workspace


def phone_digits(phone: str | None) -> str | None:
    """ "+1 (555) 010-2030" → "15550102030": what the phone search index holds."""
    digits = re.sub(r"\D", "", phone or "")
    return digits or None


@dataclass(frozen=True)
class NewCustomer:
    name: str
    email: str | None = None
    phone: str | None = None
    time_zone: str = "UTC"
    tier: Tier = Tier.STANDARD
    id: uuid.UUID | None = None


def create_customer(ws: Workspace, actor: Actor, new: NewCustomer) -> uuid.UUID:
    if not new.name.strip():
        raise InvalidInput("A customer needs a name.")
    customer_id = new.id or uuid.uuid4()
    with write_session(ws) as session:
        if session.get(Customer, customer_id) is None:
            session.add(
                Customer(
                    id=customer_id,
                    name=new.name.strip(),
                    email=new.email,
                    phone=new.phone,
                    phone_digits=phone_digits(new.phone),
                    time_zone=new.time_zone,
                    tier=new.tier,
                    tags=[],
                )
            )
    return customer_id
