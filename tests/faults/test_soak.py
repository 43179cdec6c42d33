"""Ten people at once on one PostgreSQL workspace (DESIGN.md §6): separate processes, each
signed in with their own login (so the database's rights and row policies are in force),
claiming, editing, logging contacts, handing cases on and acknowledging for 30 s through the
services. Afterwards the truth holds: each case has the owner its history says and points at
its latest note, every change of owner has its note, no case was claimed twice, every write a
client saw succeed is stored exactly once, and every audit chain verifies.

The 2-minute version with figures is tests/bench/bench_soak.py; the clients are
tests/helpers/soak.py.
"""

from __future__ import annotations

import pytest

from deskapp.db.urls import parse_db_url
from tests.helpers import soak
from tests.helpers.databases import require_server

pytestmark = [pytest.mark.slow, pytest.mark.server]

CLIENTS = 10
SECONDS = 30
CASES = 120  # enough that the queue never runs dry while everyone keeps a few


def test_ten_clients_for_thirty_seconds_leave_every_invariant_whole():
    server = parse_db_url(require_server("postgresql").render_as_string(hide_password=False))
    with soak.soak_workspace(server, clients=CLIENTS, case_count=CASES, seconds=SECONDS) as world:
        reports, elapsed = soak.run_clients(world)
        problems, facts = soak.check_invariants(world, reports)
    print(f"\n{elapsed:.0f} s, {facts}\n{soak.figures_table(reports, elapsed)}")
    assert [r.fatal for r in reports if r.fatal] == []
    assert [e for r in reports for e in r.errors] == [], "only conflicts may stop an operation"
    assert problems == []
    # The run did what it is for: people raced, and work moved between them.
    assert len(reports) == CLIENTS and all(r.samples for r in reports)
    assert facts.claims >= CLIENTS and facts.handoffs > 0 and facts.releases > 0
    assert facts.interactions > 0 and facts.acks > 0
