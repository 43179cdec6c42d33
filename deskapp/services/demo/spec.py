"""What a demo build is asked for (``DemoSpec``) and what it made (``DemoSummary``).

Kept apart from the generator so that its parts (staff.py, customers.py, cases.py, …) and its
callers share these records without importing the build itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

# How a build reports its progress: (stage, done, total).
Progress = Callable[[str, int, int], None]
HEAVY_CUSTOMER_CASES = 2_000


@dataclass(frozen=True)
class DemoSpec:
    cases: int = 2_000
    customers: int | None = None  # default: one customer per five cases
    seed: int = 1

    @property
    def customer_count(self) -> int:
        return self.customers if self.customers else max(20, self.cases // 5)

    @property
    def heavy_cases(self) -> int:
        """The long-history customer's share: 2,000 cases at a million, less when smaller."""
        return min(HEAVY_CUSTOMER_CASES, max(1, self.cases // 50))


@dataclass(frozen=True)
class DemoSummary:
    teams: int
    people: int
    customers: int
    cases: int
    interactions: int
    handoff_notes: int
    canned_responses: int
    heavy_customer_id: uuid.UUID
    audit_events: int = 0  # none when the database refuses them (demo/audit_trail.py)
