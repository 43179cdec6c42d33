"""Cold start: from a fresh process to the queue's first rows painted (issue 9: ≤ 1.5 s).

    .venv/bin/python -m tests.bench.bench_cold_start --db /tmp/demo1m.sqlite [--repeat 10]
    .venv/bin/python -m tests.bench.bench_cold_start --db … --app dist/deskapp/deskapp

Starts the app ``--repeat`` times on the workspace of ``--db``: the frozen build
(``dist/deskapp/deskapp``, made by ``.venv/bin/pyinstaller build.spec``) when it exists, else
``python -m deskapp``; ``--app`` names another executable. Each start runs with
``DESKAPP_FIRST_ROWS_PROBE`` (deskapp/gui/first_rows_probe.py): it signs in as ``--login``
(default: the rep with the most open cases, whose first view is their own queue) and quits
once the queue table has painted real rows. Timed from just before the process is created to
the probe's line on its standard output; beside it the CPU time the process used (user +
system), which a busy machine inflates far less than the wall clock. One untimed start first
warms the operating system's file cache, as on a machine where the app ran before; a start
after a reboot reads the files from disk and is slower.

Qt runs offscreen unless QT_QPA_PLATFORM is set (``xcb`` under Xvfb paints a real window).
Prints a Markdown table of p50 / p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from deskapp.db.models import Case, User
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import CaseStatus, Role
from deskapp.gui.first_rows_probe import PAINTED, PROBE_ENV
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import open_workspace

FROZEN = Path(__file__).resolve().parents[2] / "dist" / "deskapp" / "deskapp"
TARGET_MS = 1500
OPEN = [s for s in CaseStatus if s.is_open]


@dataclass
class Start:
    wall_ms: float
    cpu_ms: float
    rows: int


def app_command(app: str | None) -> tuple[list[str], str]:
    """The command that starts the app, and how the table names it."""
    if app:
        return [app], app
    if FROZEN.exists():
        return [str(FROZEN)], "frozen build (dist/deskapp/deskapp)"
    return [sys.executable, "-m", "deskapp"], "python -m deskapp"


def busiest_rep(db: str) -> str:
    """The rep with the most open cases: their own queue is what they see first."""
    ws = open_workspace(parse_db_url(db))
    try:
        with read_session(ws) as session:
            login = session.scalar(
                select(User.login)
                .join(Case, Case.assignee_id == User.id)
                .where(Case.status.in_(OPEN), User.role == Role.REP)
                .group_by(User.login)
                .order_by(func.count().desc())
                .limit(1)
            )
    finally:
        ws.close()
    if login is None:
        sys.exit("No rep has open cases here: run it on a `deskapp demo` workspace.")
    return str(login)


def start_once(command: list[str], db: str, login: str, timeout: float = 120.0) -> Start:
    env = {**os.environ, PROBE_ENV: login}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--db", db], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    painted_ms = None
    rows = 0
    for line in process.stdout:  # the probe prints its line the moment the rows are on screen
        if line.startswith(PAINTED):
            painted_ms = (time.perf_counter() - began) * 1000
            rows = int(line.split(":")[1].split()[0])
            break
    try:
        _, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _, errors = process.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if painted_ms is None or process.returncode != 0:
        sys.exit(f"The app did not paint its queue (exit {process.returncode}):\n{errors}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Start(painted_ms, cpu * 1000, rows)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def table(name: str, db: str, login: str, starts: list[Start]) -> str:
    wall = [s.wall_ms for s in starts]
    cpu = [s.cpu_ms for s in starts]
    return "\n".join([
        f"Cold start: {name} on {db}, signed in as {login}; {len(starts)} starts "
        f"({os.environ.get('QT_QPA_PLATFORM', 'offscreen')} platform)",
        "",
        "| measure | p50 ms | p95 ms | target ms |",
        "|---|---:|---:|---:|",
        f"| fresh process → first {starts[0].rows} queue rows painted | "
        f"{statistics.median(wall):.0f} | {p95(wall):.0f} | {TARGET_MS} |",
        f"| CPU time of that process (user + system) | {statistics.median(cpu):.0f} | "
        f"{p95(cpu):.0f} | |",
    ])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a demo workspace: file path or server URL")
    parser.add_argument("--repeat", type=int, default=10, help="timed starts")
    parser.add_argument("--app", help="the executable to start (default: the frozen build)")
    parser.add_argument("--login", help="who signs in (default: the busiest rep)")
    args = parser.parse_args(argv)
    command, name = app_command(args.app)
    login = args.login or busiest_rep(args.db)
    start_once(command, args.db, login)  # untimed: the file cache warm, as on a second start
    starts = []
    for n in range(args.repeat):
        starts.append(start_once(command, args.db, login))
        print(f"  start {n + 1}: {starts[-1].wall_ms:.0f} ms", file=sys.stderr, flush=True)
    print(table(name, args.db, login, starts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
