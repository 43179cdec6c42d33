"""How fast the case view's reads answer for the customer with the longest history.

    .venv/bin/python -m tests.bench.bench_case_view --db /tmp/cvbench/data/demo.sqlite
    .venv/bin/python -m tests.bench.bench_case_view --db postgresql://postgres@127.0.0.1/demo

Run it on a demo workspace (``deskapp demo --cases 100000 …``; the demo has one long-standing
customer with up to 2,000 cases). Everything here only reads. For that customer's newest case it
times each read the case view makes: the first screen (``case_detail``: header, card, first
pages of cases and timeline, handoff, promises, changes since the handoff), the card alone
(``customer_history``), a page of the timeline deep in the history (keyset, page 20), filtered
pages, a page of older cases, and the customer search a rep types on a call. With ``--gui`` (the
default on a file workspace) it also times the real window: selecting the case → header and
first screen of history painted (tests/bench/case_view_gui.py), beside the same bare SQL.

Beside each service figure is its bare SQL: the very statements the service sent (recorded from
the engine), replayed on the driver's cursor with the same values — the database's share; the
rest is Python (sessions, rows into frozen dataclasses). Prints a Markdown table of p50 / p95
in milliseconds.
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

from sqlalchemy import Engine, event, func, select

from deskapp.db.models import Case, Customer, User
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Channel
from deskapp.services import auth, customer_lookup, history
from deskapp.services.workspace import open_workspace


@dataclass
class Figure:
    name: str
    service: list[float]
    bare: list[float]
    statements: int
    rows: int


def ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


class Recorder:
    """Every statement the engine sends while ``recording`` (with its driver-ready values)."""

    def __init__(self, engine: Engine) -> None:
        self.recording = False
        self.sent: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        control = statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))
        if self.recording and not control:  # the replay runs in one transaction of its own
            self.sent.append((statement, parameters))

    def capture(self, work: Callable[[], Any]) -> tuple[list[tuple[str, Any]], Any]:
        self.sent, self.recording = [], True
        try:
            result = work()
        finally:
            self.recording = False
        return self.sent, result


def replay(engine: Engine, statements: list[tuple[str, Any]]) -> Callable[[], None]:
    """The recorded statements on one raw DBAPI connection, rows fetched: the database's share."""
    raw = engine.raw_connection()

    def run() -> None:
        cursor = raw.cursor()
        try:
            for sql, params in statements:
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
        finally:
            cursor.close()
        raw.rollback()

    return run


def measure(
    engine: Engine,
    recorder: Recorder,
    name: str,
    work: Callable[[], Any],
    repeat: int,
    count: Callable[[Any], int],
) -> Figure:
    work()  # warm: statement caches, the database's buffers
    statements, result = recorder.capture(work)
    service = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        service.append(time.perf_counter() - start)
    bare_run = replay(engine, statements)
    bare_run()
    bare = []
    for _ in range(repeat):
        start = time.perf_counter()
        bare_run()
        bare.append(time.perf_counter() - start)
    return Figure(name, service, bare, len(statements), count(result))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a demo workspace: file or server address")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--gui",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also time the real window (default: on for a file workspace)",
    )
    args = parser.parse_args(argv)
    ws = open_workspace(parse_db_url(args.db))
    engine = ws.engine
    with engine.connect() as conn:
        customer_id, case_total = conn.execute(
            select(Case.customer_id, func.count())
            .group_by(Case.customer_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        case_id = conn.scalar(
            select(Case.id)
            .where(Case.customer_id == customer_id)
            .order_by(Case.created_at.desc())
            .limit(1)
        )
        name, phone = conn.execute(
            select(Customer.name, Customer.phone_digits).where(Customer.id == customer_id)
        ).one()
        customers = conn.scalar(select(func.count()).select_from(Customer))
        two_cases = list(
            conn.scalars(
                select(Case.id)
                .where(Case.customer_id == customer_id)
                .order_by(Case.created_at.desc())
                .limit(2)
            )
        )
        owner = conn.scalar(
            select(User.login).join(Case, Case.assignee_id == User.id).where(Case.id == case_id)
        )
    recorder = Recorder(engine)
    deep: Any = None
    before = None
    for _ in range(19):  # the cursor of page 20 of the timeline, as a rep scrolling gets it
        page = history.timeline_page(ws, customer_id, before=before, limit=50)
        before = page.next_before or before
    deep = before
    detail = history.case_detail(ws, case_id)
    last_name = name.split()[-1]
    reads: list[tuple[str, Callable[[], Any], Callable[[Any], int]]] = [
        (
            "first screen: case_detail (header, card, 100 cases, 100 entries)",
            lambda: history.case_detail(ws, case_id),
            lambda d: len(d.cases) + len(d.timeline),
        ),
        (
            "customer_history (card, 100 cases, 100 entries)",
            lambda: history.customer_history(ws, customer_id),
            lambda h: len(h.cases) + len(h.timeline),
        ),
        (
            "timeline page 20 (50 entries, keyset)",
            lambda: history.timeline_page(ws, customer_id, before=deep, limit=50),
            lambda p: len(p.entries),
        ),
        (
            "timeline, emails only (50)",
            lambda: history.timeline_page(ws, customer_id, limit=50, channels=[Channel.EMAIL]),
            lambda p: len(p.entries),
        ),
        (
            "timeline, one case (50)",
            lambda: history.timeline_page(ws, customer_id, limit=50, case_id=case_id),
            lambda p: len(p.entries),
        ),
        (
            "older cases (next 100)",
            lambda: history.cases_page(ws, customer_id, before=detail.cases_next, limit=100),
            lambda p: len(p.rows),
        ),
        (
            f"find customer: name start “{name[:4].lower()}”",
            lambda: customer_lookup.find_customers(ws, name[:4].lower()),
            len,
        ),
        (
            f"find customer: last name “{last_name.lower()}”",
            lambda: customer_lookup.find_customers(ws, last_name.lower()),
            len,
        ),
        (
            "find customer: phone (last 7 digits)",
            lambda: customer_lookup.find_customers(ws, (phone or "0000000")[-7:]),
            len,
        ),
    ]
    figures = [
        measure(engine, recorder, label, work, args.repeat, count) for label, work, count in reads
    ]
    print(
        f"\n{ws.name} ({ws.dialect}): customer with the most cases: {case_total:,} cases; "
        f"{customers:,} customers; {args.repeat} runs each; load average "
        f"{os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| read | rows | statements | service p50 ms | service p95 ms | bare SQL p50 ms "
        "| bare SQL p95 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for f in figures:
        print(
            f"| {f.name} | {f.rows} | {f.statements} | {ms(f.service, 0.5):.1f} | "
            f"{ms(f.service, 0.95):.1f} | {ms(f.bare, 0.5):.1f} | {ms(f.bare, 0.95):.1f} |"
        )
    total = statistics.median(figures[0].service) * 1000
    print(f"\nFirst screen median: {total:.1f} ms")
    if args.gui if args.gui is not None else not ws.is_server:
        from tests.bench.case_view_gui import time_selecting

        actor = auth.sign_in(ws, owner or _any_rep(engine))
        gui: list[float] = []
        cpu: list[float] = []
        painted = time_selecting(ws, actor, two_cases, args.repeat, gui, cpu)
        bare = figures[0].bare
        print(f"\nload average {os.getloadavg()[0]:.1f}")
        print("\n| in the window | p50 ms | p95 ms | bare SQL p50 ms | bare SQL p95 ms |")
        print("|---|---:|---:|---:|---:|")
        print(
            f"| select the case → header and first screen of history painted | "
            f"{ms(painted, 0.5):.1f} | {ms(painted, 0.95):.1f} | {ms(bare, 0.5):.1f} | "
            f"{ms(bare, 0.95):.1f} |"
        )
        print(f"| … of which the GUI thread: panes filled and painted | {ms(gui, 0.5):.1f} | "
              f"{ms(gui, 0.95):.1f} | | |")  # fmt: skip
        print(f"| … the same, GUI thread CPU time | {ms(cpu, 0.5):.1f} | {ms(cpu, 0.95):.1f} "
              "| | |")  # fmt: skip
    ws.close()
    return 0


def _any_rep(engine: Engine) -> str:
    with engine.connect() as conn:
        login = conn.scalar(select(User.login).where(User.active).order_by(User.login).limit(1))
    assert login is not None, "the workspace has no people"
    return login


if __name__ == "__main__":
    sys.exit(main())
