"""How fast imports go: a million customers, then a million cases, then a million interactions
from CSV files into a fresh SQLite workspace (the issue's bar: 20,000 rows/s or more).

    .venv/bin/python -m tests.bench.bench_import [--rows 1000000] [--folder /tmp/bench-import]

Writes the three files (seeded: the same files every run), imports each with
``data_import.run_import`` (read, decode, check every value, insert, bring the search index
and the other indexes up to date, commit: all of it timed) and prints a Markdown table:
kind | rows | seconds | rows/s | CPU seconds | SQL. The machine's load average goes with it:
on a shared machine the wall clock measures the neighbours too, the CPU seconds (this
process, both of its threads) do not; CPU seconds above the wall seconds are the checking
and the inserting overlapping on two cores.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from deskapp.db.urls import parse_db_url
from deskapp.services import auth
from deskapp.services.data_import import ImportReport, ImportRequest, run_import
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.workspace import Workspace, open_workspace

SEED = 20261124
START = datetime(2023, 1, 1, tzinfo=UTC)
FIRST = ["Ana", "Bo", "Chen", "Dana", "Eli", "Femi", "Gus", "Hana", "Ivo", "Jia", "Kai", "Lea"]
LAST = ["Okafor", "Lee", "Ruiz", "Müller", "Novak", "Sato", "Berg", "Costa", "Ivanova", "Diaz"]
SUBJECTS = ["Refund for order", "Router keeps rebooting", "Invoice address", "Parcel lost",
            "Password reset", "Double charge", "Upgrade plan", "App crash on start"]  # fmt: skip
STATUSES = ["open", "pending", "solved", "closed", "new"]
STATEMENTS = {
    "customers": "INSERT INTO customers (id, name, email, phone, …, external_id) VALUES (?, …), "
    "(?, …) — 500 rows a statement; reading indexes made again once at the end",
    "cases": "INSERT INTO cases (id, number, customer_id, subject, …) VALUES (?, …), (?, …) — "
    "500 rows a statement, search trigger set aside; search documents of each chunk's new "
    "cases added after it; reading indexes made again once at the end",
    "interactions": "INSERT INTO interactions (id, case_id, customer_id, body, …) VALUES "
    "(?, …), (?, …) — 500 rows a statement, search triggers set aside; reading indexes made "
    "again, then FTS5 'rebuild' once (the file touches most cases)",
}


@dataclass(frozen=True)
class Timing:
    kind: str
    rows: int
    seconds: float
    report: ImportReport
    cpu_seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def write_files(folder: Path, rows: int) -> dict[str, Path]:
    rng = random.Random(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {kind: folder / f"{kind}-{rows}.csv" for kind in ("customers", "cases",
                                                              "interactions")}  # fmt: skip
    if all(p.exists() for p in paths.values()):
        return paths
    with paths["customers"].open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "name", "email", "phone", "tier", "created_at"])
        for n in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            when = START + timedelta(minutes=n)
            out.writerow([f"K{n}", f"{first} {last}", f"{first.lower()}.{n}@example.com",
                          f"+1 555 {n:07d}", rng.choice(["standard", "vip", ""]),
                          when.isoformat()])  # fmt: skip
    with paths["cases"].open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "customer_id", "subject", "status", "priority", "channel",
                      "created_at"])  # fmt: skip
        for n in range(rows):
            when = START + timedelta(minutes=n)
            out.writerow([f"T{n}", f"K{rng.randrange(rows)}", f"{rng.choice(SUBJECTS)} {n}",
                          rng.choice(STATUSES), rng.choice(["low", "normal", "high"]),
                          rng.choice(["email", "phone", "chat"]),
                          when.strftime("%Y-%m-%d %H:%M:%S")])  # fmt: skip
    with paths["interactions"].open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "case_id", "occurred_at", "direction", "body"])
        for n in range(rows):
            when = START + timedelta(minutes=n, seconds=30)
            case, direction = f"T{rng.randrange(rows)}", rng.choice(["inbound", "outbound"])
            body = f"Message {n}: the customer wrote about {rng.choice(SUBJECTS)}"
            out.writerow([f"M{n}", case, when.isoformat(), direction, body])
    return paths


def new_workspace(folder: Path) -> Workspace:
    path = folder / "bench-import.sqlite"
    for leftover in folder.glob("bench-import.sqlite*"):
        leftover.unlink()
    ws = open_workspace(parse_db_url(path))
    build_demo(ws, DemoSpec(cases=1, customers=1, seed=1))  # teams and people, one case
    return ws


def bench(rows: int, folder: Path) -> list[Timing]:
    paths = write_files(folder, rows)
    ws = new_workspace(folder)
    try:
        admin = auth.setup_actor(ws)
        timings = []
        for kind, path in paths.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            report = run_import(ws, admin, ImportRequest(kind, path))  # type: ignore[arg-type]
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
            if not report.written or report.rejected:
                raise SystemExit(f"{kind}: the import did not go in: {report.verdict(False)}")
            timings.append(Timing(kind, report.new, seconds, report, cpu_seconds))
        return timings
    finally:
        ws.close()


def table(timings: list[Timing]) -> str:
    lines = ["| kind | rows | seconds | rows/s | CPU seconds | SQL |",
             "|---|---:|---:|---:|---:|---|"]  # fmt: skip
    for t in timings:
        lines.append(f"| {t.kind} | {t.rows:,} | {t.seconds:.1f} | {t.per_second:,.0f} | "
                     f"{t.cpu_seconds:.1f} | {STATEMENTS[t.kind]} |")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    default = Path(tempfile.gettempdir()) / "bench-import"
    parser.add_argument("--folder", type=Path, default=default)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    timings = bench(args.rows, args.folder)
    print(table(timings))
    print(f"\nLoad average (1, 5, 15 min) before: {_load(load_before)}; after: "
          f"{_load(os.getloadavg())} on {os.cpu_count()} CPUs.")  # fmt: skip
    slowest = min(t.per_second for t in timings)
    print(f"\nSlowest: {slowest:,.0f} rows/s (bar: 20,000 rows/s).", file=sys.stderr)
    return 0


def _load(figures: tuple[float, float, float]) -> str:
    return ", ".join(f"{f:.2f}" for f in figures)


if __name__ == "__main__":
    raise SystemExit(main())
