"""What the demo generator's parts share: the connection, the clock, the seeded draws (random
numbers, fake names, time-ordered ids) and the cast made so far — teams, people, plans and
customers — that later parts draw from.

Every part draws from the one ``rng`` in a fixed order, which is what makes a demo the same for
a seed: a part must not draw more, less or in another order than it did.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table

from deskapp.domain.enums import Tier
from deskapp.services.demo.spec import DemoSpec, Progress

HISTORY_YEARS = 3


class Ids:
    """Time-ordered UUIDs: a 48-bit counter on top, random below, a valid version-4 layout."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._next = 1

    def __call__(self) -> uuid.UUID:
        value = (self._next << 80) | self._rng.getrandbits(80)
        self._next += 1
        return uuid.UUID(int=value, version=4)


class DemoContext:
    """One build's shared state; each part reads the cast the parts before it filled in."""

    def __init__(self, conn: Connection, spec: DemoSpec, now: datetime, report: Progress):
        from faker import Faker

        self.conn, self.spec, self.now, self.report = conn, spec, now, report
        self.rng = random.Random(spec.seed)
        self.fake = Faker(["en_US", "en_GB", "nl_NL", "de_DE", "fr_FR", "en_IN"])
        self.fake.seed_instance(spec.seed)
        self.ids = Ids(self.rng)
        self.start = now - timedelta(days=365 * HISTORY_YEARS)
        self.team_ids: list[uuid.UUID] = []
        self.reps_by_team: list[list[tuple[uuid.UUID, str]]] = []
        self.leads: list[uuid.UUID] = []  # by team, as team_ids
        self.plan_ids: list[uuid.UUID] = []
        self.customers: list[tuple[uuid.UUID, str, Tier]] = []
        self.counts = {"interactions": 0, "handoff_notes": 0}

    def first_last(self) -> tuple[str, str]:
        """A first and a last name, without the titles and degrees a full name may carry
        ("Dr", "B.Sc."), which would end up in logins and e-mail addresses."""
        return self.fake.first_name(), self.fake.last_name()


def table(model: Any) -> Table:
    """A model's Table, as db/bulk.py takes it."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def ascii_name(text_: str) -> str:
    """A name folded to lower-case ASCII letters, digits and dots, for logins and addresses."""
    folded = unicodedata.normalize("NFKD", text_).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == ".")
