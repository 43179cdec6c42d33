"""How the queue pane feels on a big workspace: painting while scrolling, and a jump to rows
not fetched yet. Real widgets, the real task runner and the database of ``--db``.

    .venv/bin/python -m tests.bench.bench_queue_gui --db /tmp/q10k.sqlite [--repeat 40]

It signs in as an admin and opens "All open" (every open case: the largest view there is),
1400 x 900 like the screenshots. Measured, p50 / p95 in milliseconds:

- **paint while scrolling**: one scroll step through rows already fetched, to the end of the
  synchronous repaint of the table (target ≤ 16 ms: a frame at 60 Hz).
- **jump: placeholders**: the scrollbar dragged to rows never fetched, to the end of the
  repaint that shows them as "Loading…" (no database wait on the GUI thread).
- **jump: rows**: from the same drag until the rows are in and painted (target ≤ 100 ms).

``--qt-delegate`` paints with Qt's own delegate instead of the queue's
(panes/queue_cell_delegate.py), to compare the two.

Beside each wall-clock figure, the CPU time the process spent (``time.process_time``: every
thread, so the fetch on the task runner counts in "rows in") and the load average when the run
ended: on a shared machine the wall clock also counts the time other work had the cores.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QStyledItemDelegate
from sqlalchemy import select

from deskapp.db.models import User
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Role
from deskapp.gui.panes.queue_model import PAGE
from deskapp.gui.panes.queue_pane import QueuePane, view_key
from deskapp.gui.queue_controller import QueueController
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import auth
from deskapp.services.queue import QueueView
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace, open_workspace


def first_admin(ws: Workspace) -> str:
    with read_session(ws) as session:
        login = session.scalar(
            select(User.login).where(User.role == Role.ADMIN, User.active.is_(True)).limit(1)
        )
    if login is None:
        sys.exit("No admin in this workspace: run it on a `deskapp demo` workspace.")
    return login


def wait_until(app: QApplication, done: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the queue did not answer in time")
        app.processEvents()
        time.sleep(0.0005)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a demo workspace: file path or server URL")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--width", type=int, default=1400, help="the pane's width in pixels")
    parser.add_argument("--qt-delegate", action="store_true",
                        help="paint with Qt's delegate, not the queue's: to compare")  # fmt: skip
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    ws = open_workspace(parse_db_url(args.db))
    admin = auth.sign_in(ws, first_admin(ws))
    guard_gui_thread(ws.engine)  # the GUI thread must never wait on the database
    runner = TaskRunner()
    pane = QueuePane()
    pane.resize(args.width, 900)
    if args.qt_delegate:
        pane.table.setItemDelegate(QStyledItemDelegate(pane.table))
    controller = QueueController(runner, pane)
    pane.show()
    controller.start(ws, admin)
    controller.live.stop()  # measure the table, not the change feed's polls
    wait_until(app, lambda: runner.is_idle)
    pane.select_view(view_key(QueueView.ALL_OPEN))
    wait_until(app, lambda: runner.is_idle and pane.model.rowCount() > 0)
    model, table = pane.model, pane.table
    rows = model.rowCount()
    bar = table.verticalScrollBar()
    table.setFocus()
    # Fetch the first pages by scrolling through them once.
    fetched = min(rows, 5 * PAGE)
    for step in range(0, fetched, 30):
        bar.setValue(step)
        table.viewport().repaint()
        wait_until(app, lambda: runner.is_idle)
    paint: list[float] = []
    paint_cpu: list[float] = []
    visible = max(1, table.rowAt(table.viewport().height() - 1) - table.rowAt(0))
    rng = random.Random(7)
    for _ in range(args.repeat):
        bar.setValue(rng.randrange(0, max(1, fetched - visible)))
        started, cpu = time.perf_counter(), time.process_time()
        table.viewport().repaint()
        paint.append((time.perf_counter() - started) * 1000)
        paint_cpu.append((time.process_time() - cpu) * 1000)
        app.processEvents()
    placeholders: list[float] = []
    placeholders_cpu: list[float] = []
    arrived: list[float] = []
    arrived_cpu: list[float] = []
    for _ in range(args.repeat):
        target = rng.randrange(0, max(1, rows - visible))
        model.forget_pages_except(set())  # every row unfetched: a jump lands on placeholders
        started, cpu = time.perf_counter(), time.process_time()
        bar.setValue(target)
        table.viewport().repaint()
        placeholders.append((time.perf_counter() - started) * 1000)
        placeholders_cpu.append((time.process_time() - cpu) * 1000)
        last = min(rows - 1, target + visible - 1)
        wait_until(app, lambda t=target, e=last: model.is_loaded(t) and model.is_loaded(e))
        table.viewport().repaint()
        arrived.append((time.perf_counter() - started) * 1000)
        arrived_cpu.append((time.process_time() - cpu) * 1000)
    controller.stop()
    runner.shutdown()
    ws.close()
    load = " / ".join(f"{figure:.2f}" for figure in os.getloadavg())
    painter = "Qt's delegate" if args.qt_delegate else "the queue's delegate"
    print(f"Queue pane on {ws.name}: “All open” of an admin, {rows:,} rows, {args.width}×900, "
          f"{ws.dialect}, {painter}; load average {load} on {os.cpu_count()} cores\n")  # fmt: skip
    print("| what | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms | target | samples |")
    print("|---|---:|---:|---:|---:|---|---:|")
    for name, samples, cpu_samples, target_text in (
        ("paint while scrolling (rows fetched)", paint, paint_cpu, "≤ 16 ms"),
        ("jump: placeholders painted", placeholders, placeholders_cpu, "at once"),
        ("jump: rows in and painted", arrived, arrived_cpu, "≤ 100 ms"),
    ):
        if samples:
            p50, p95 = percentiles(samples)
            cpu50, cpu95 = percentiles(cpu_samples)
            print(f"| {name} | {p50:.1f} | {p95:.1f} | {cpu50:.1f} | {cpu95:.1f} "
                  f"| {target_text} | {len(samples)} |")  # fmt: skip


if __name__ == "__main__":
    main()
