"""Many clients on one PostgreSQL workspace for two minutes: throughput, latency, conflicts.

    .venv/bin/python -m tests.bench.bench_soak [--server postgresql://postgres@127.0.0.1/postgres]
                                               [--clients 10] [--seconds 120] [--cases 200]

Creates its own database on the server (a superuser address; default DESKAPP_TEST_POSTGRES_URL)
with one team of ``--clients`` people, each with their own login (two leads, the rest reps),
and ``--cases`` cases in the team's queue; runs each person as a separate process working
through the services (tests/helpers/soak.py says what they do) and drops it all afterwards.
Prints a Markdown table per operation kind (count, per second, p50/p95 ms, version conflicts,
cases already taken by someone else) and the invariant check; exits 1 if an invariant broke or
an operation failed for any reason other than a conflict.

The latencies include waiting for the machine: ten client processes and the server share its
cores, as they would not on real desks.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

from sqlalchemy import text

from deskapp.db.urls import parse_db_url
from deskapp.services.workspace import open_workspace
from tests.helpers import soak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("DESKAPP_TEST_POSTGRES_URL"),
        help="a PostgreSQL superuser address (the soak makes its own database)",
    )
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args(argv)
    if not args.server:
        parser.error("give --server or set DESKAPP_TEST_POSTGRES_URL")
    server = parse_db_url(args.server)
    with soak.soak_workspace(
        server, clients=args.clients, case_count=args.cases, seconds=args.seconds
    ) as world:
        version = _server_version(world)
        reports, elapsed = soak.run_clients(world)
        problems, facts = soak.check_invariants(world, reports)
    print(
        f"# Soak: {args.clients} clients, {elapsed:.0f} s, {args.cases} cases, "
        f"PostgreSQL {version}, {os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    print(soak.figures_table(reports, elapsed))
    print(
        f"\nAfterwards: {facts.cases} cases ({facts.owned} owned), {facts.claims} claims, "
        f"{facts.handoffs} handoffs to a colleague and {facts.releases} releases (each with "
        f"its note), {facts.interactions} interactions, {facts.acks} acknowledgements, "
        f"{facts.chains} audit chains checked."
    )
    failures = [r.fatal for r in reports if r.fatal] + [e for r in reports for e in r.errors]
    for line in problems + failures:
        print(f"FAILED: {line}")
    if not problems and not failures:
        print(
            "Every invariant holds: one owner per case as its history says, a note for every "
            "change of owner, no double claim, every write stored once, every chain whole."
        )
    return 1 if problems or failures else 0


def _server_version(world: soak.SoakWorld) -> str:
    ws = open_workspace(world.superuser)
    try:
        with ws.engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar()).split()[0]
    finally:
        ws.close()


if __name__ == "__main__":
    sys.exit(main())
