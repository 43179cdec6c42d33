"""The demo workspace: a realistic contact centre, deterministic for a seed, fast at scale.

A million cases come with about 200,000 customers and 3,000,000 interactions, including one
long-standing customer with 2,000 cases and 20,000 interactions (the history benchmark's
worst case). Rows stream in chunks through db/bulk.py; nothing goes through the ORM one object
at a time. Ids are time-ordered UUIDs so index inserts stay sequential.

This module runs a build: it refuses a workspace that has cases, reads the server's clock, has
each part write its rows in turn (staff.py, customers.py, cases.py, the starter canned library,
audit_trail.py) in one transaction, then fills the search index and refreshes the statistics.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text

from deskapp.db.bulk import (
    pause_search_index,
    rebuild_search_index,
    refresh_statistics,
)
from deskapp.db.engine import WRITE_OPTIONS
from deskapp.db.models import Case
from deskapp.db.sequences import advance_case_numbers
from deskapp.domain.errors import InvalidInput
from deskapp.services.demo.audit_trail import write_audit_trail
from deskapp.services.demo.canned_library import load_starter_library
from deskapp.services.demo.cases import write_cases
from deskapp.services.demo.context import DemoContext
from deskapp.services.demo.customers import write_customers
from deskapp.services.demo.spec import DemoSpec, DemoSummary, Progress
from deskapp.services.demo.staff import write_plans_and_sla, write_teams_and_people
from deskapp.services.workspace import Workspace


def build_demo(ws: Workspace, spec: DemoSpec, progress: Progress | None = None) -> DemoSummary:
    """Fill an empty workspace with demo data. Refuses a workspace that already has cases."""
    if spec.cases < 1:
        raise InvalidInput("The demo needs at least one case.")
    report = progress or (lambda stage, done, total: None)
    with ws.engine.execution_options(**WRITE_OPTIONS).begin() as conn:
        if conn.execute(select(func.count()).select_from(Case.__table__)).scalar():
            raise InvalidInput(
                f"{ws.name} already has cases. The demo goes into a new or empty workspace: "
                "give another file name with --db."
            )
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MB while loading
        now = conn.execute(
            select(func.now() if conn.dialect.name != "sqlite" else text("CURRENT_TIMESTAMP"))
        ).scalar()
        now = _as_utc(now)
        ctx = DemoContext(conn, spec, now, report)
        pause_search_index(conn)  # the search index is filled once, at the end
        summary = _generate(ctx)
        # What the services would have recorded for all of it (demo/audit_trail.py).
        events = write_audit_trail(conn, now=now, seed=spec.seed, progress=report)
        summary = replace(summary, audit_events=events)
        report("search index", 0, 1)
        rebuild_search_index(conn)
    with ws.engine.connect() as conn:
        tables = ["customers", "cases", "interactions", "handoff_notes", "audit_events"]
        if conn.dialect.name == "postgresql":  # (MariaDB's admin may not: it needs INSERT)
            # Without the search table's statistics PostgreSQL guesses that any word matches
            # a quarter of the cases, and scanned a million of them for one customer's name.
            tables.append("case_search_fts")
        refresh_statistics(conn, tables)
        conn.commit()
    report("done", 1, 1)
    return summary


def _generate(ctx: DemoContext) -> DemoSummary:
    """Each part in turn: later ones draw from the cast the earlier ones made."""
    people = write_teams_and_people(ctx)
    write_plans_and_sla(ctx)
    heavy_id = write_customers(ctx)
    write_cases(ctx)
    canned = load_starter_library(ctx.conn)
    advance_case_numbers(ctx.conn, ctx.spec.cases)
    return DemoSummary(
        teams=len(ctx.team_ids),
        people=people,
        customers=len(ctx.customers),
        cases=ctx.spec.cases,
        interactions=ctx.counts["interactions"],
        handoff_notes=ctx.counts["handoff_notes"],
        canned_responses=canned,
        heavy_customer_id=heavy_id,
    )


def _as_utc(value: Any) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
