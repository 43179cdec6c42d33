"""Cases for the queue and claiming tests, written straight into the test workspace.

The queue reads what other services write; these tests need many cases with chosen values
(ties, empty values, every status) far faster than creating them one service call at a time.
Numbers are given explicitly and the server's case-number sequence is moved past them.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from deskapp.db.models import Case, Customer, Team
from deskapp.db.sequences import advance_case_numbers
from deskapp.domain.enums import CaseStatus, Channel, Mood, Priority
from deskapp.services.unit_of_work import write_session
from deskapp.services.workspace import Workspace

# Names and subjects differ in their first letter (or are equal): their order is the same under
# every database's collation, so Python can predict it.
CUSTOMER_NAMES = ["Anna Berg", "Bram Cole", "Cora Dunn", "Dirk Eames", "Ella Fox"]
SUBJECTS = ["Billing question", "Courier lost parcel", "Login fails", "Refund please"]
CATEGORIES = [None, "billing", "delivery", "login"]
ALWAYS_OPEN = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat",
                                                     "sun")}  # fmt: skip


@dataclass(frozen=True)
class Made:
    """A case as written, with the values the queue shows and sorts by."""

    id: uuid.UUID
    number: int
    customer_name: str
    subject: str
    priority: Priority
    status: CaseStatus
    channel: Channel
    mood: Mood
    category: str | None
    team_id: uuid.UUID
    assignee_id: uuid.UUID | None
    resolution_due: datetime | None
    first_response_due: datetime | None
    first_responded_at: datetime | None
    waiting_since: datetime | None
    transfer_count: int
    created_at: datetime


def add_customers(ws: Workspace, names: list[str] = CUSTOMER_NAMES) -> dict[str, uuid.UUID]:
    ids = {name: uuid.uuid4() for name in names}
    with write_session(ws) as session:
        session.add_all(Customer(id=i, name=name, tags=[]) for name, i in ids.items())
    return ids


def add_cases(ws: Workspace, cases: list[Made], customer_ids: dict[str, uuid.UUID]) -> None:
    with write_session(ws) as session:
        session.add_all(
            Case(
                id=m.id, number=m.number, customer_id=customer_ids[m.customer_name],
                subject=m.subject, category=m.category, channel=m.channel, priority=m.priority,
                status=m.status, escalated=m.status is CaseStatus.ESCALATED, team_id=m.team_id,
                assignee_id=m.assignee_id, mood=m.mood, resolution_due=m.resolution_due,
                first_response_due=m.first_response_due, first_responded_at=m.first_responded_at,
                waiting_since=m.waiting_since, transfer_count=m.transfer_count, reopen_count=0,
                created_at=m.created_at,
            )
            for m in cases
        )  # fmt: skip
        session.flush()
        advance_case_numbers(session.connection(), max(m.number for m in cases))


def set_hours(ws: Workspace, team_id: uuid.UUID, hours: dict[str, Any], zone: str = "UTC") -> None:
    with write_session(ws) as session:
        session.execute(
            update(Team)
            .where(Team.id == team_id)
            .values(business_hours=hours, time_zone=zone, holidays=[])
        )


def mixed_cases(
    count: int,
    now: datetime,
    team_ids: list[uuid.UUID],
    assignees: list[uuid.UUID | None],
    *,
    seed: int = 7,
    first_number: int = 1,
) -> list[Made]:
    """``count`` cases over every status, with many ties and empty values in each column."""
    rng = random.Random(seed)
    dues: list[datetime | None] = [None, *(now + timedelta(hours=h) for h in (-5, -1, 1, 3, 30))]
    waits: list[datetime | None] = [None, None, *(now - timedelta(minutes=m) for m in (5, 90))]
    made = []
    for n in range(count):
        made.append(
            Made(
                id=uuid.uuid4(), number=first_number + n,
                customer_name=rng.choice(CUSTOMER_NAMES), subject=rng.choice(SUBJECTS),
                priority=rng.choice(list(Priority)), status=rng.choice(list(CaseStatus)),
                channel=rng.choice(list(Channel)), mood=rng.choice(list(Mood)),
                category=rng.choice(CATEGORIES), team_id=rng.choice(team_ids),
                assignee_id=rng.choice(assignees), resolution_due=rng.choice(dues),
                first_response_due=rng.choice(dues),
                first_responded_at=rng.choice([None, now - timedelta(hours=2)]),
                waiting_since=rng.choice(waits), transfer_count=rng.choice([0, 0, 1, 3]),
                created_at=now - timedelta(days=rng.choice([1, 2, 3])),
            )
        )  # fmt: skip
    return made


def unassigned_cases(count: int, now: datetime, team_id: uuid.UUID, *, first_number: int = 1,
                     seed: int = 3) -> list[Made]:  # fmt: skip
    """New cases in a team's queue, for claiming."""
    rng = random.Random(seed)
    return [
        Made(
            id=uuid.uuid4(), number=first_number + n, customer_name=rng.choice(CUSTOMER_NAMES),
            subject=rng.choice(SUBJECTS), priority=rng.choice(list(Priority)),
            status=CaseStatus.NEW, channel=Channel.EMAIL, mood=Mood.NEUTRAL, category=None,
            team_id=team_id, assignee_id=None,
            resolution_due=rng.choice([None, now + timedelta(minutes=rng.randint(-600, 6000))]),
            first_response_due=None, first_responded_at=None, waiting_since=None,
            transfer_count=0, created_at=now - timedelta(minutes=rng.randint(1, 10_000)),
        )
        for n in range(count)
    ]  # fmt: skip
