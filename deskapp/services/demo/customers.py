"""The demo's customers and their organizations: skewed tiers, tags, profile notes and plans,
and the one long-standing customer (the first) whose history the benchmarks read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from deskapp.db.bulk import bulk_insert
from deskapp.db.models import Customer, Organization
from deskapp.domain.enums import Tier
from deskapp.services.demo import catalog as cat
from deskapp.services.demo.context import DemoContext, ascii_name, table


def write_customers(ctx: DemoContext) -> uuid.UUID:
    """The organizations and customers; returns the long-standing customer's id."""
    total = ctx.spec.customer_count
    org_ids = [ctx.ids() for _ in range(max(1, total // 10))]
    bulk_insert(
        ctx.conn,
        table(Organization),
        ["id", "name", "domain", "version"],
        ((oid, ctx.fake.company(), None, 1) for oid in org_ids),
    )
    tiers = [t for t, w in cat.TIER_WEIGHTS for _ in range(w)]
    columns = [
        "id",
        "name",
        "email",
        "phone",
        "phone_digits",
        "organization_id",
        "time_zone",
        "tier",
        "tags",
        "profile_note",
        "support_plan_id",
        "preferred_contact",
        "version",
    ]

    def rows() -> Iterator[tuple[Any, ...]]:
        for index in range(total):
            rng = ctx.rng
            name = " ".join(ctx.first_last())
            if index == 0:  # the long-standing customer of the history benchmark
                name = "Margaret Okafor"
            tier = Tier.VIP if index == 0 else rng.choice(tiers)
            parts = name.split(" ")
            email = f"{ascii_name(parts[0])}.{ascii_name(parts[-1])}{index}@example.{rng.choice(['com', 'net', 'org', 'nl', 'de'])}"  # noqa: E501
            phone = f"+{rng.choice(['31', '44', '49', '1', '33'])} {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"  # noqa: E501
            customer_id = ctx.ids()
            ctx.customers.append((customer_id, parts[0], tier))
            tags = rng.sample(cat.CUSTOMER_TAGS, k=rng.choice([0, 0, 0, 1, 1, 2]))
            note = None
            if index == 0:
                note = (
                    "Customer since 2014. Runs a chain of bakeries; calls about "
                    "several locations. Prefers a call-back to waiting on hold."
                )
            elif rng.random() < 0.05:
                note = rng.choice(
                    [
                        "Hard of hearing: prefers email.",
                        "Reseller: orders for clients.",
                        "Asked not to be called before 10:00.",
                    ]
                )
            yield (
                customer_id,
                name,
                email,
                phone,
                "".join(c for c in phone if c.isdigit()),
                rng.choice(org_ids) if rng.random() < 0.4 else None,
                rng.choice(cat.CUSTOMER_TIME_ZONES),
                tier,
                tags,
                note,
                rng.choice(ctx.plan_ids) if rng.random() < 0.7 else None,
                rng.choice(cat.CONTACT_PREFERENCES) if rng.random() < 0.3 else None,
                1,
            )
            if index % 20_000 == 0:
                ctx.report("customers", index, total)

    bulk_insert(ctx.conn, table(Customer), columns, rows())
    ctx.report("customers", total, total)
    return ctx.customers[0][0]
