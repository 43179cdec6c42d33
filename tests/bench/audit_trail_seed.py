"""The demo's audit trail, for a demo workspace built before the demo wrote one.

``deskapp demo`` writes every case's trail itself (deskapp/services/demo/audit_trail.py: the
events the services would have written for its history, hash-chained per case). A workspace
built by an older Deskapp has cases but no trail; this writes it with the same module, so the
verifier's benchmark (bench_audit_verify.py --seed) can run on it. A workspace whose cases
already have events is left as it is.

    .venv/bin/python -m tests.bench.audit_trail_seed --db /tmp/demo.sqlite
"""

from __future__ import annotations

import argparse
import sys
import time

from sqlalchemy import select

from deskapp.db.engine import WRITE_OPTIONS
from deskapp.db.models import AuditEvent
from deskapp.db.types import utcnow
from deskapp.db.urls import parse_db_url
from deskapp.services.demo.audit_trail import write_audit_trail
from deskapp.services.workspace import Workspace, open_workspace


def seed_audit_trail(ws: Workspace, *, seed: int = 1, quiet: bool = False) -> int:
    """Write the trail of every case, unless cases have events already; returns the events
    written (0 when there were some, or when the database refused: the reason is printed)."""
    started = time.perf_counter()

    def progress(stage: str, done: int, total: int) -> None:
        if quiet:
            return
        if total > 1:
            stage += f": {done:,}/{total:,} cases, {time.perf_counter() - started:.0f} s"
        print(f"  {stage}", file=sys.stderr)

    with ws.engine.execution_options(**WRITE_OPTIONS).begin() as conn:
        if conn.scalar(select(AuditEvent.id).where(AuditEvent.case_id.is_not(None)).limit(1)):
            progress("the cases have audit events already; nothing written", 1, 1)
            return 0
        now = conn.scalar(select(utcnow()))
        assert now is not None
        return write_audit_trail(conn, now=now, seed=seed, progress=progress)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a demo workspace (file or server address)")
    args = parser.parse_args()
    ws = open_workspace(parse_db_url(args.db), may_upgrade_server=True)
    try:
        started = time.perf_counter()
        count = seed_audit_trail(ws)
        print(f"{count:,} audit events written in {time.perf_counter() - started:.0f} s.")
    finally:
        ws.close()


if __name__ == "__main__":
    main()
