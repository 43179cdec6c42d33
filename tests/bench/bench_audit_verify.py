"""How long checking the whole audit trail takes, and how fast the audit views answer.

    .venv/bin/deskapp demo --db /tmp/demo1m.sqlite --cases 1000000
    .venv/bin/python -m tests.bench.bench_audit_verify --db /tmp/demo1m.sqlite

The demo writes, for every case, the events the services would have written for its history
(deskapp/services/demo/audit_trail.py: opened, taken, each contact, each handoff and
read-back, the status changes; about 7 events a case). ``--seed`` writes that trail into a
demo workspace built before the demo had one (tests/bench/audit_trail_seed.py, the same
module); a workspace that has it already is left as it is.

Then it times:

- ``verify_workspace``: every chain read in (chain, seq) order and checked (content hash
  recomputed, links followed), beside the bare SQL: the same ordered stream fetched on the
  driver's cursor, nothing checked — the database's share; the rest is Python (hashing);
- ``verify_case`` and ``case_history`` for random cases (p50 / p95);
- the team audit view as a lead: the first page, page 20 by keyset, and filtered by a person,
  by claims only, and by the last 7 days; each beside its bare SQL (the service's statements
  replayed on the driver's cursor, tests/bench/bench_case_view.py).

Prints Markdown tables. Everything except ``--seed`` only reads.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from deskapp.db.models import AuditEvent, Case, User
from deskapp.db.types import utcnow
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Role
from deskapp.services import audit_review, audit_verify, auth
from deskapp.services.audit_review import AuditQuery
from deskapp.services.audit_wording import ActionKind
from deskapp.services.workspace import Workspace, open_workspace
from tests.bench.audit_trail_seed import seed_audit_trail
from tests.bench.bench_case_view import Recorder, measure, ms

STREAM_SQL = (
    "SELECT chain, seq, id, case_id, actor_login, action, reason, detail, content_hash, "
    "prev_hash, chain_hash FROM audit_events ORDER BY chain, seq"
)


def bare_stream(ws: Workspace) -> tuple[float, int]:
    """The verifier's one query on a raw driver cursor, rows fetched in batches and dropped."""
    raw = ws.engine.raw_connection()
    try:
        # A named (server-side) cursor on PostgreSQL, as the service's stream_results uses.
        dialect = ws.engine.dialect.name
        cursor = raw.cursor(name="audit_stream") if dialect == "postgresql" else raw.cursor()
        started, rows = time.perf_counter(), 0
        cursor.execute(STREAM_SQL)
        while batch := cursor.fetchmany(audit_verify.STREAM_ROWS):
            rows += len(batch)
        seconds = time.perf_counter() - started
        cursor.close()
        raw.rollback()
        return seconds, rows
    finally:
        raw.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a demo workspace: file or server address")
    parser.add_argument(
        "--seed", action="store_true", help="write the audit trail first (an older demo)"
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--full-runs", type=int, default=2, help="whole-trail checks to time")
    args = parser.parse_args(argv)
    ws = open_workspace(parse_db_url(args.db), may_upgrade_server=True)
    if args.seed:
        started = time.perf_counter()
        written = seed_audit_trail(ws)
        print(f"Seeded {written:,} audit events in {time.perf_counter() - started:.0f} s.\n")
    admin = auth.setup_actor(ws)
    with ws.engine.connect() as conn:
        case_count = conn.scalar(select(func.count()).select_from(Case)) or 0
        event_count = conn.scalar(select(func.count()).select_from(AuditEvent)) or 0
        lead_login = conn.scalar(select(User.login).where(User.role == Role.LEAD).limit(1))
        sample = list(conn.scalars(select(Case.id).order_by(func.random()).limit(args.repeat)))
        now = conn.scalar(select(utcnow()))
    assert lead_login is not None and now is not None
    lead = auth.sign_in(ws, lead_login)
    print(
        f"Workspace: {ws.name} ({ws.engine.dialect.name}), {case_count:,} cases, "
        f"{event_count:,} audit events.\n"
    )

    print("| Whole trail | run | seconds | events/s | chains | bare SQL stream (s) |")
    print("|---|---|---|---|---|---|")
    for run in range(1, args.full_runs + 1):
        report = audit_verify.verify_workspace(ws, admin)
        bare, rows = bare_stream(ws)
        assert rows == report.events_checked, (rows, report.events_checked)
        rate = report.events_checked / report.seconds if report.seconds else 0
        print(
            f"| verify_workspace ({'whole' if report.whole else 'BROKEN'}) | {run} | "
            f"{report.seconds:.1f} | {rate:,.0f} | {report.chains_checked:,} | {bare:.1f} |"
        )

    recorder = Recorder(ws.engine)
    cases = iter(random.Random(3).choices(sample, k=10_000))
    reads: list[tuple[str, Callable[[], Any], Callable[[Any], int]]] = [
        (
            "verify_case (one chain)",
            lambda: audit_verify.verify_case(ws, next(cases)),
            lambda r: r.events_checked,
        ),
        (
            "case_history (one case, worded)",
            lambda: audit_review.case_history(ws, next(cases)),
            len,
        ),
    ]
    first = audit_review.team_audit(ws, lead, AuditQuery())
    mark = first.next_after
    for _ in range(18):  # the cursor of page 20, as a lead pressing "Load older" gets it
        assert mark is not None
        mark = audit_review.team_audit(ws, lead, AuditQuery(), after=mark).next_after
    person = first.rows[0].actor_login if first.rows else None
    views = [
        ("team log, first page (100)", AuditQuery(), None),
        ("team log, page 20 (keyset)", AuditQuery(), mark),
        ("team log, one person", AuditQuery(actor_login=person), None),
        ("team log, handoffs only", AuditQuery(kinds=(ActionKind.HANDOFFS,)), None),
        ("team log, claims only", AuditQuery(kinds=(ActionKind.CLAIMS,)), None),
        ("team log, last 7 days", AuditQuery(since=now - timedelta(days=7)), None),
    ]
    for name, query, after in views:
        reads.append(
            (
                f"{name}, as a lead",
                lambda q=query, a=after: audit_review.team_audit(ws, lead, q, after=a),
                lambda p: len(p.rows),
            )
        )
    print("\n| Read | rows | p50 ms | p95 ms | bare SQL p50 ms | bare p95 ms |")
    print("|---|---|---|---|---|---|")
    for name, work, count in reads:
        figure = measure(ws.engine, recorder, name, work, args.repeat, count)
        print(
            f"| {name} | {figure.rows:,} | {ms(figure.service, 0.5):.1f} | "
            f"{ms(figure.service, 0.95):.1f} | {ms(figure.bare, 0.5):.1f} | "
            f"{ms(figure.bare, 0.95):.1f} |"
        )
    ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
