"""How fast case search answers on a big workspace, for each kind of text a rep types.

    .venv/bin/python -m tests.bench.bench_search --db /tmp/demo.sqlite [--repeat 20]
    .venv/bin/python -m tests.bench.bench_search --db postgresql://postgres@127.0.0.1/demo

Run it on a demo workspace (``deskapp demo --cases 1000000 --db …``); it only reads. The texts
come from the workspace itself (a customer in the middle of it gives the rare word, the e-mail
address, the phone fragment and the case key), so any demo size works.

Each kind is timed in three statements a queue or a search box makes:

- ``newest``: the first page of every matching case, newest first (a search across history);
- ``open``: the first page of the matching open cases, most at risk first (the queue's "All
  open" view; on SQLite with the queue's hint that open cases are few, and a common two-letter
  word looked up case by case as the queue does);
- ``count``: how many cases match, counted as the queue counts (services/queue.count_up_to):
  no further than ``COUNT_CAP``, past which a rep reads "10,000+". The exact number of matches
  is printed beside it (counted once, not timed).

Each figure is measured twice: through the service (``case_matches`` builds the condition,
SQLAlchemy compiles and runs it, rows come back) and as the bare SQL of the same statement on
the driver's cursor. Prints a Markdown table (p50 / p95 ms, rows) and then the bare SQL.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, func, select
from sqlalchemy.orm import Session

from deskapp.db.engine import make_engine
from deskapp.db.models import Case, Customer
from deskapp.db.urls import parse_db_url
from deskapp.domain.case_key import format_case_key
from deskapp.services.case_search import case_matches, is_common, probe_condition, probe_query
from deskapp.services.queue import COUNT_CAP
from deskapp.services.queue_query import OPEN_STATUSES, selective, status_in

PAGE = 100


@dataclass
class Figure:
    kind: str
    shape: str
    service: list[float]
    bare: list[float]
    rows: int | str
    sql: str
    matches: int  # every match of the text (counted once, untimed)


def texts(engine: Engine) -> dict[str, str]:
    """The text of every kind, taken from the workspace (a customer in its middle)."""
    with engine.connect() as conn:
        customers = conn.execute(select(func.count()).select_from(Customer)).scalar() or 1
        found = conn.execute(
            select(Customer.email, Customer.phone_digits)
            .where(Customer.email.is_not(None), Customer.phone_digits.is_not(None))
            .order_by(Customer.id)
            .offset(customers // 2)
            .limit(1)
        ).one()
        email, phone = str(found[0]), str(found[1])
        top = conn.execute(select(func.max(Case.number))).scalar() or 1
    rare = email.split("@")[0].split(".")[-1]  # "okafor1234": one customer's address
    return {
        "common word": "refund",
        "two common words": "refund call",
        "rare word": rare,
        "2-letter prefix": "re",
        "3-letter prefix": "ref",
        "exact e-mail": email,
        "phone digits": phone[len(phone) // 2 - 3 : len(phone) // 2 + 3],
        "case key": format_case_key(top // 2 or 1),
    }


def statements(
    dialect: str, condition: ColumnElement[bool], probe: str | None = None
) -> dict[str, Select[Any]]:
    """``probe``: the FTS5 query the queue would look up case by case in the "open" page
    (services/queue._probe: a common two-letter word, an admin's "All open" in SLA order)."""
    row: tuple[Any, ...] = (Case.id, Case.number, Case.subject, Case.status, Case.resolution_due)
    in_open = condition if probe is None else probe_condition(probe)
    # As the queue tells SQLite that open cases are few (a constant likelihood() it accepts).
    open_case: ColumnElement[bool] = selective(status_in(OPEN_STATUSES))  # literal, as the queue
    shapes: dict[str, Select[Any]] = {
        "newest": select(*row).where(condition).order_by(Case.number.desc()).limit(PAGE),
        "open": select(*row)
        .where(open_case, in_open)
        .order_by(Case.resolution_due.is_(None), Case.resolution_due, Case.id)  # as the queue
        .limit(PAGE),
        # As services/queue_query.count_statement with a cap: LIMIT inside, COUNT outside.
        "count": select(func.count()).select_from(
            select(Case.id).where(condition).limit(COUNT_CAP + 1).subquery("capped")
        ),
    }
    return shapes


def probe_of(engine: Engine, typed: str) -> str | None:
    """As services/queue._probe decides for an admin's "All open" in SLA order."""
    query = probe_query(typed) if engine.dialect.name == "sqlite" else None
    if query is None:
        return None
    with Session(engine) as session:
        return query if is_common(session, query) else None


def timed(run: Callable[[], int], repeat: int) -> tuple[list[float], int]:
    rows = run()  # warm the cache: a rep's second keystroke finds it warm too
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = run()
        times.append((time.perf_counter() - start) * 1000)
    return times, rows


def measure(engine: Engine, repeat: int) -> list[Figure]:
    figures = []
    dialect = engine.dialect.name
    for kind, typed in texts(engine).items():
        condition = case_matches(dialect, typed)
        assert condition is not None, typed
        probe = probe_of(engine, typed)
        with engine.connect() as conn:  # every match, once, untimed: the "matches" column
            matches = conn.execute(select(func.count()).select_from(Case).where(condition))
            every = matches.scalar() or 0
        for shape, statement in statements(dialect, condition, probe).items():
            sql = str(statement.compile(dialect=engine.dialect,
                                        compile_kwargs={"literal_binds": True}))  # fmt: skip

            def service(kind_text: str = typed, shape_: str = shape) -> int:
                found = case_matches(dialect, kind_text)
                assert found is not None
                probed = probe_of(engine, kind_text) if shape_ == "open" else None
                with engine.connect() as conn:
                    return len(conn.execute(statements(dialect, found, probed)[shape_]).all())

            def bare(sql_: str = sql) -> int:
                with engine.connect() as conn:
                    return len(conn.exec_driver_sql(sql_).fetchall())

            service_ms, found = timed(service, repeat)
            bare_ms, _ = timed(bare, repeat)
            rows: int | str = found
            if shape == "count":
                with engine.connect() as conn:
                    counted = int(conn.exec_driver_sql(sql).scalar() or 0)
                rows = f"{COUNT_CAP:,}+" if counted > COUNT_CAP else counted
            figures.append(Figure(f"{kind} `{typed}`", shape, service_ms, bare_ms, rows, sql,
                                  every))  # fmt: skip
            print(f"  {kind:18} {shape:7} {statistics.median(service_ms):8.1f} ms",
                  file=sys.stderr, flush=True)  # fmt: skip
    return figures


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(figures: list[Figure], engine: Engine) -> None:
    with engine.connect() as conn:
        cases = conn.execute(select(func.count()).select_from(Case)).scalar()
    load = " → ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\nCase search on {engine.dialect.name}, {cases:,} cases (ms; p50 / p95), "
          f"load average {load}\n")  # fmt: skip
    print("| kind | statement | service p50 | service p95 | bare SQL p50 | bare SQL p95 | rows "
          "| matches |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for f in figures:
        rows = f.rows if isinstance(f.rows, str) else f"{f.rows:,}"
        print(f"| {f.kind} | {f.shape} | {statistics.median(f.service):.1f} | "
              f"{p95(f.service):.1f} | {statistics.median(f.bare):.1f} | {p95(f.bare):.1f} | "
              f"{rows} | {f.matches:,} |")  # fmt: skip
    print("\n## The bare SQL\n")
    for f in figures:
        print(f"-- {f.kind}, {f.shape}\n{f.sql};\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a demo workspace: file path or server URL")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per figure")
    args = parser.parse_args(argv)
    engine = make_engine(parse_db_url(args.db))
    try:
        report(measure(engine, args.repeat), engine)
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
