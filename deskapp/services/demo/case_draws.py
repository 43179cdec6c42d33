"""What the demo draws for each case: when it was opened, the status its age makes likely, its
SLA due times, and the words of its contacts (the placeholders the catalog's templates fill).
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from deskapp.domain.enums import CaseStatus, Channel, Direction, Priority, Tier
from deskapp.services.demo import catalog as cat
from deskapp.services.demo.context import DemoContext

RECENT_DAYS = 14


def opened_at(ctx: DemoContext, number: int) -> datetime:
    """Chronological by number. The newest share of cases falls in the last two weeks, so a
    demo of any size has a working queue; the rest spreads over the years before."""
    total = ctx.spec.cases
    recent = max(total * 3 // 100, min(total // 4, 300))
    old = total - recent
    recent_start = ctx.now - timedelta(days=RECENT_DAYS)
    if number > old:
        span = (ctx.now - recent_start).total_seconds()
        moment = recent_start + timedelta(seconds=span * (number - old) / (recent + 1))
    else:
        span = (recent_start - ctx.start).total_seconds()
        moment = ctx.start + timedelta(seconds=span * number / max(old, 1))
    return min(moment, ctx.now - timedelta(minutes=5))


def status_for_age(ctx: DemoContext, age_days: int) -> CaseStatus:
    """Recent cases in every status; older ones closed, but for a few nobody closed."""
    rng = ctx.rng
    if age_days < RECENT_DAYS:
        return rng.choices(
            [
                CaseStatus.NEW,
                CaseStatus.OPEN,
                CaseStatus.PENDING_CUSTOMER,
                CaseStatus.PENDING_INTERNAL,
                CaseStatus.PENDING_THIRD_PARTY,
                CaseStatus.ESCALATED,
                CaseStatus.RESOLVED,
                CaseStatus.CLOSED,
            ],
            weights=[14, 30, 12, 6, 5, 4, 22, 7],
        )[0]
    if rng.random() < 0.01:  # a few long-running cases nobody closed
        return rng.choice([CaseStatus.OPEN, CaseStatus.PENDING_THIRD_PARTY, CaseStatus.ESCALATED])
    return CaseStatus.CLOSED if rng.random() < 0.9 else CaseStatus.RESOLVED


def sla_dues(
    ctx: DemoContext, created: datetime, priority: Priority, tier: Tier, status: CaseStatus
) -> tuple[datetime, datetime | None, datetime]:
    """First-response, next-response and resolution due times."""
    first, _following, resolution = cat.SLA_MINUTES[priority]
    factor = cat.TIER_SLA_FACTOR[tier]
    first_due = created + timedelta(minutes=first * factor * 2.2)  # business → wall clock
    resolution_due = created + timedelta(minutes=resolution * factor * 3)
    next_due = None
    if status.is_open:
        # Every SLA state appears in the open work: breached, due soon and on track.
        state = ctx.rng.random()
        if state < 0.2:
            resolution_due = ctx.now - timedelta(minutes=ctx.rng.randint(5, 3 * 24 * 60))
        elif state < 0.45:
            resolution_due = ctx.now + timedelta(minutes=ctx.rng.randint(5, 120))
        else:
            resolution_due = ctx.now + timedelta(hours=ctx.rng.randint(3, 96))
        next_due = min(resolution_due, ctx.now + timedelta(hours=ctx.rng.randint(-4, 24)))
    return first_due, next_due, resolution_due


def placeholders(ctx: DemoContext, first: str, rep_first: str, now: datetime) -> dict[str, str]:
    """The values the catalog's templates fill in: names, order, amount, date, product…"""
    rng = ctx.rng
    day = now + timedelta(days=rng.randint(-10, 10))
    return {
        "first": first,
        "rep": rep_first,
        "order": f"#A{rng.randint(100000, 999999)}",
        "amount": f"€{rng.randint(9, 480)}.{rng.randint(0, 99):02d}",
        "last4": f"{rng.randint(0, 9999):04d}",
        "date": day.strftime("%a %d %b"),
        "tracking": f"1Z{rng.randint(10**9, 10**10 - 1)}NL",
        "product": rng.choice(cat.PRODUCTS),
        "cases": str(rng.randint(2, 40)),
    }


def contact_body(
    direction: Direction,
    channel: Channel,
    category: str,
    values: dict[str, str],
    assignee: uuid.UUID | None,
    rng: random.Random,
) -> tuple[str, uuid.UUID | None]:
    """A contact's text and its author (None: the customer wrote it)."""
    if direction is Direction.INBOUND:
        problem = cat.PROBLEMS[category].format_map(values)
        template = rng.choice(cat.INBOUND[channel])
        return template.format_map({**values, "problem": problem}), None
    if direction is Direction.OUTBOUND:
        action = cat.ACTIONS[category].format_map(values)
        return rng.choice(cat.OUTBOUND).format_map({**values, "action": action}), assignee
    return rng.choice(cat.INTERNAL).format_map(values), assignee


def weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]
