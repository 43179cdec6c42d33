"""A change seen by a second client: how long a case changed by one person takes to show in
another person's open queue (issue 4: ≤ 1 s on PostgreSQL, LISTEN/NOTIFY; ≤ 2 s on SQLite and
MariaDB, polling).

    .venv/bin/python -m tests.bench.bench_live --db /tmp/demo.sqlite [--repeat 20]
    .venv/bin/python -m tests.bench.bench_live --db postgresql://postgres@127.0.0.1/demo

**It changes real cases** (the mood of cases on the first page of "All open", back and forth).

The watcher is the app's own path, in this process: a QueuePane driven by QueueController, its
LiveRefresh (gui/live_refresh.py) and the task runner, signed in as an admin on "All open". The
writer is a second process with its own connection, signed in as an admin too: it changes the
mood of a case on the watcher's screen (cases.change_case, what the case view calls) and reports
the moment its call returned, committed. From that moment to:

- **signalled**: LiveRefresh says the case changed (the change feed's poll on SQLite and
  MariaDB, a notification and its catch-up poll on PostgreSQL);
- **on screen**: the queue's row shows the new mood (after the controller's debounced re-read
  of the rows in view).

The changes come at random moments (0 to 1 s apart), so they fall anywhere in a polling cycle.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from multiprocessing.connection import Connection

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Mood
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.queue_cells import MOOD_COLUMN
from deskapp.gui.panes.queue_pane import QueuePane, view_key
from deskapp.gui.queue_controller import QueueController
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import auth, cases
from deskapp.services.cases import CaseChange
from deskapp.services.queue import QueueView
from deskapp.services.workspace import open_workspace
from tests.bench.bench_queue_gui import first_admin, wait_until

TIMEOUT = 10.0  # seconds: a change not seen by then is reported as a failure
MOODS = (Mood.CALM, Mood.ANGRY)


def writer(url: str, login: str, pipe: Connection) -> None:
    """The second client: for each (case id, mood) received, change it; send back the time
    the change was committed (time.time(): one clock for both processes on one machine)."""
    ws = open_workspace(parse_db_url(url))
    try:
        actor = auth.sign_in(ws, login)
        while (order := pipe.recv()) is not None:
            case_id, mood = order
            version = cases.get_case_state(ws, case_id).version
            cases.change_case(ws, actor, case_id, CaseChange(version, mood=mood))
            pipe.send(time.time())
    finally:
        ws.close()


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[round(0.95 * (len(ordered) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a demo workspace: file path or server URL")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    ws = open_workspace(parse_db_url(args.db))
    login = first_admin(ws)
    runner = TaskRunner()
    pane = QueuePane()
    controller = QueueController(runner, pane)
    context = multiprocessing.get_context("spawn")  # its own process and connection
    ours, theirs = context.Pipe()
    second = context.Process(target=writer, args=(args.db, login, theirs), daemon=True)
    second.start()
    signalled: list[float] = []
    shown: list[float] = []
    try:
        controller.start(ws, auth.sign_in(ws, login))
        pane.select_view(view_key(QueueView.ALL_OPEN))
        wait_until(app, lambda: runner.is_idle and pane.model.rowCount() > 0)
        model = pane.model
        rows = [r for n in range(min(20, model.rowCount())) if (r := model.row_at(n))]
        if not rows:
            sys.exit("“All open” is empty: run it on a `deskapp demo` workspace.")
        heard: dict[uuid.UUID, float] = {}
        controller.live.changed.connect(
            lambda ids: [heard.setdefault(case_id, time.time()) for case_id in ids]
        )
        time.sleep(1.5)  # the first poll only learns what is there
        rng = random.Random(4)
        for n in range(args.repeat):
            row = rows[n % len(rows)]
            mood = MOODS[(n // len(rows)) % 2]
            if row.mood is mood:
                mood = MOODS[1 - MOODS.index(mood)]
            label = fmt.MOOD_LABELS[mood]
            pause = time.time() + rng.uniform(0, 1)
            wait_until(app, lambda until=pause: time.time() >= until)
            heard.pop(row.id, None)
            ours.send((row.id, mood))
            wait_until(app, ours.poll, TIMEOUT)
            committed = ours.recv()

            def on_screen(case_id: uuid.UUID = row.id, text: str = label) -> bool:
                position = model.row_of(case_id)
                looks = model.rendered(position) if position is not None else None
                return looks is not None and looks.texts[MOOD_COLUMN] == text

            seen = _first_time(app, on_screen, TIMEOUT)
            wait_until(app, lambda case_id=row.id: case_id in heard, TIMEOUT)
            signalled.append(heard[row.id] - committed)
            shown.append(seen - committed)
            rows[n % len(rows)] = model.row_at(model.row_of(row.id) or 0) or row
    finally:
        ours.send(None)
        second.join(timeout=30)
        controller.stop()
        runner.shutdown()
        ws.close()
    load = " / ".join(f"{figure:.2f}" for figure in os.getloadavg())
    target = "≤ 1 s" if ws.dialect == "postgresql" else "≤ 2 s"
    how = "LISTEN/NOTIFY" if ws.dialect == "postgresql" else "polling"
    print(f"# A change seen by a second client: {ws.dialect} ({how}), {ws.name}, "
          f"{len(shown)} changes; load average {load} on {os.cpu_count()} cores\n")  # fmt: skip
    print("| from the writer's commit to | p50 ms | p95 ms | max ms | target |")
    print("|---|---:|---:|---:|---|")
    for name, samples in (("signalled (LiveRefresh)", signalled), ("the row on screen", shown)):
        p50, p95 = percentiles(samples)
        print(f"| {name} | {p50 * 1000:.0f} | {p95 * 1000:.0f} | {max(samples) * 1000:.0f} "
              f"| {target} |")  # fmt: skip
    return 0


def _first_time(app: QApplication, done: Callable[[], bool], timeout: float) -> float:
    """Process events until ``done``; the time it first held."""
    wait_until(app, done, timeout)
    return time.time()


if __name__ == "__main__":
    sys.exit(main())
