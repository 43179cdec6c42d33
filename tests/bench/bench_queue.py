"""How fast the case queue answers on a big workspace: views, sorts, filters, pages, jumps,
counts, and Get next with many clients racing.

    .venv/bin/python -m tests.bench.bench_queue --db /tmp/demo.sqlite [--repeat 30]
    .venv/bin/python -m tests.bench.bench_queue --db postgresql://postgres@127.0.0.1/demo

Run it on a demo workspace (``deskapp demo --cases 1000000 --db …``). It acts as that
workspace's people (the rep with the most open cases, their lead, the admin) through the
connection of ``--db``. **Get next claims real cases** (``--clients`` times ``--claims`` of them,
from the busiest team's queue): use a workspace you can spare, or ``--claims 0``.

Each figure is the service call a GUI makes (session, SQL, rows into QueueRow values) and,
beside it, the bare SQL of the same statement run on the driver's cursor, and the difference
(the Python overhead). Prints a Markdown table: p50 / p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Select, func, select, update
from sqlalchemy.exc import DBAPIError

from deskapp.db.models import Case, User
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Channel, Priority, Role
from deskapp.services import claiming, queue
from deskapp.services import queue_query as qq
from deskapp.services.queue import QueueFilters, QueueQuery, QueueView, SortColumn
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace, open_workspace

PAGE = 100


@dataclass
class Figure:
    name: str
    service: list[float]
    bare: list[float] | None
    rows: int | str = ""


def ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def timed(work: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    result = work()  # warm: statement caches, the database's buffers
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        samples.append(time.perf_counter() - start)
    return samples, result


# --------------------------------------------------------------------------- bare SQL
def bare_sql(engine: Engine, statement: Select[Any]) -> Callable[[], int]:
    """The statement's SQL and bound values, run on the DBAPI cursor: the database's share."""
    compiled = statement.compile(
        dialect=engine.dialect, compile_kwargs={"render_postcompile": True}
    )
    processors = compiled._bind_processors  # the values as the driver receives them
    params = {}
    for key, value in compiled.construct_params().items():
        # An IN list's values are named after the list (status_1_3 for status_1).
        processor = processors.get(key) or processors.get(key.rsplit("_", 1)[0])
        params[key] = processor(value) if processor is not None else value
    args: Any = [params[k] for k in compiled.positiontup or ()] if compiled.positional else params
    sql = str(compiled)

    def run() -> int:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(sql, args)
            count = len(cursor.fetchall())
            cursor.close()
            raw.rollback()
            return count
        finally:
            raw.close()

    run.sql, run.args = sql, args  # type: ignore[attr-defined]  # for plan_of
    return run


def built_of(ws: Workspace, actor: Actor, query: QueueQuery) -> qq.Statement:
    """The statement the service pages ``query`` with (its search probed or collected)."""
    with read_session(ws) as session:
        return queue.page_statement(session, actor, query)


def statement_of(ws: Workspace, actor: Actor, query: QueueQuery, limit: int) -> Select[Any]:
    """The first statement of a page (whole rows, or the ids in order: qq.read_page)."""
    return built_of(ws, actor, query).page(None, 0, limit + 1)


def bare_page(
    ws: Workspace, actor: Actor, query: QueueQuery, after: Any = None, offset: int = 0
) -> Callable[[], int]:
    """The bare SQL of a page as the service reads it: one statement, or two (the ids in
    order, then those rows whole by id: queue_query.read_page)."""
    built = built_of(ws, actor, query)
    first = bare_sql(ws.engine, built.page(after, offset, PAGE + 1))
    if built.reads_whole:
        return first
    with read_session(ws) as session:
        keys, _rows = qq.read_page(session, built, after, offset, PAGE + 1)
    whole = bare_sql(ws.engine, qq.whole_rows([key.id for key in keys]))

    def run() -> int:
        first()
        return whole()

    return run


# --------------------------------------------------------------------------- plans
def plan_of(engine: Engine, statement: Select[Any]) -> str:
    """The database's plan for ``statement``, condensed to its access paths and sorts."""
    run = bare_sql(engine, statement)
    sql, args = run.sql, run.args  # type: ignore[attr-defined]
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, args)
            steps = [row[3] for row in cursor.fetchall()]
        else:
            cursor.execute("EXPLAIN " + sql, args)
            lines = [row[0] if len(row) == 1 else " ".join(map(str, row)) for row in cursor]
            steps = [
                line.strip().removeprefix("->  ").split("  (cost")[0]
                for line in lines
                if any(word in line for word in ("Scan", "Sort", "Join", "Loop", "ALL", "ref"))
            ]
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return "; ".join(steps)


def plans(ws: Workspace, cast: tuple[Actor, Actor, Actor]) -> list[tuple[str, str]]:
    found = []
    for who in cast:
        for view in queue.available_views(who):
            statement = statement_of(ws, who, QueueQuery(view), PAGE)
            found.append((f"{view.label} ({who.role.value})", plan_of(ws.engine, statement)))
    return found


# --------------------------------------------------------------------------- who
def people(ws: Workspace) -> tuple[Actor, Actor, Actor]:
    """The rep with the most open cases, the lead of their team, an admin."""
    # Only the columns an Actor needs: a workspace built by an older version still answers.
    who = select(User.login, User.display_name, User.role, User.id, User.team_id)
    with read_session(ws) as session:
        busiest = session.execute(
            select(Case.assignee_id, func.count())
            .join(User, User.id == Case.assignee_id)
            .where(Case.status.in_(qq.OPEN_STATUSES), User.role == Role.REP)
            .group_by(Case.assignee_id)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
        assert busiest is not None, "the workspace has no open cases: build a demo first"
        rep = session.execute(who.where(User.id == busiest[0])).one()
        lead = session.execute(
            who.where(User.role == Role.LEAD, User.team_id == rep.team_id)
        ).first()
        admin = session.execute(who.where(User.role == Role.ADMIN)).first()
        assert lead is not None and admin is not None
        return Actor(*rep), Actor(*lead), Actor(*admin)


# --------------------------------------------------------------------------- the figures
def query_figure(
    ws: Workspace, who: Actor, name: str, query: QueueQuery, repeat: int, limit: int = PAGE
) -> Figure:
    service, page = timed(lambda: queue.fetch_page(ws, who, query, None, limit), repeat)
    bare, _ = timed(bare_page(ws, who, query), repeat)
    return Figure(name, service, bare, len(page.rows))


def view_figures(ws: Workspace, cast: tuple[Actor, Actor, Actor], repeat: int) -> list[Figure]:
    figures = []
    for who in cast:
        for view in queue.available_views(who):
            label = f"open “{view.label}” ({who.role.value}), first {PAGE}"
            figures.append(query_figure(ws, who, label, QueueQuery(view), repeat))
    return figures


def worst_sort(ws: Workspace, admin: Actor, repeat: int) -> list[Figure]:
    """The biggest view (the admin's All open) sorted by each column: the slowest is shown."""
    slowest: Figure | None = None
    for column in SortColumn:
        if column is SortColumn.PROMISE:
            continue
        for down in (False, True):
            query = QueueQuery(QueueView.ALL_OPEN, column, down)
            service, _ = timed(lambda q=query: queue.fetch_page(ws, admin, q, None, PAGE), 5)
            if slowest is None or statistics.median(service) > statistics.median(slowest.service):
                slowest = Figure(f"{column.value} {'desc' if down else 'asc'}", service, None)
    assert slowest is not None
    column_name, direction = slowest.name.split()
    query = QueueQuery(QueueView.ALL_OPEN, SortColumn(column_name), direction == "desc")
    label = f"All open (admin) by its slowest column, {slowest.name}"
    return [query_figure(ws, admin, label, query, repeat)]


def filter_figures(ws: Workspace, admin: Actor, lead: Actor, repeat: int) -> list[Figure]:
    urgent_email = QueueFilters(
        priorities=frozenset({Priority.URGENT, Priority.HIGH}),
        channels=frozenset({Channel.EMAIL, Channel.PHONE}),
    )
    figures = [
        query_figure(ws, admin, "filter change: All open, high+urgent by email/phone",
                     QueueQuery(QueueView.ALL_OPEN, filters=urgent_email), repeat),
        query_figure(ws, lead, "filter change: team's open, one rep's cases by customer",
                     QueueQuery(QueueView.ALL_OPEN, SortColumn.CUSTOMER, filters=QueueFilters(
                         assignee_ids=frozenset({None}))), repeat),
    ]  # fmt: skip
    try:
        search = QueueQuery(QueueView.ALL_OPEN, search="refund")
        figures.append(query_figure(ws, admin, "search as they type: “refund”", search, repeat))
    except DBAPIError as exc:  # a workspace built before the search index existed
        print(f"(search left out: {str(exc.orig).splitlines()[0]})\n")
    return figures


def paging_figures(ws: Workspace, admin: Actor, repeat: int) -> list[Figure]:
    query = QueueQuery(QueueView.ALL_OPEN, SortColumn.CUSTOMER)
    page = queue.fetch_page(ws, admin, query, None, PAGE)
    assert page.has_more, "All open needs two pages of open cases: build a bigger demo"
    number = 2  # the page measured, after ``page``: the 10th, or the last of a small workspace
    while number < 10:
        following = queue.fetch_page(ws, admin, query, page.last, PAGE)
        if not following.has_more:
            break
        page, number = following, number + 1
    after = page.last
    assert after is not None
    service, tenth = timed(lambda: queue.fetch_page(ws, admin, query, after, PAGE), repeat)
    bare, _ = timed(bare_page(ws, admin, query, after), repeat)
    place = "the 10th" if number == 10 else f"page {number}"
    figures = [Figure(f"next page (keyset), {place} of All open by customer", service, bare,
                      len(tenth.rows))]  # fmt: skip
    total = queue.count(ws, admin, query)
    middle = total // 2
    service, window = timed(lambda: queue.fetch_window(ws, admin, query, middle, PAGE), repeat)
    bare, _ = timed(bare_page(ws, admin, query, offset=middle), repeat)
    figures.append(Figure(f"jump to the middle (row {middle:,} of {total:,}), All open by "
                          "customer", service, bare, len(window.rows)))  # fmt: skip
    return figures


def count_figures(ws: Workspace, cast: tuple[Actor, Actor, Actor], repeat: int) -> list[Figure]:
    figures = []
    for who in cast:
        service, counts = timed(lambda w=who: queue.view_counts(ws, w), repeat)
        with read_session(ws) as session:
            clock = qq.read_clock(session)
        statement = select(*(
            qq.count_statement(who, QueueQuery(v), clock, ws.dialect).scalar_subquery()
            for v in queue.available_views(who)))  # fmt: skip
        bare, _ = timed(bare_sql(ws.engine, statement), repeat)
        figures.append(Figure(f"counts of all views ({who.role.value})", service, bare,
                              "/".join(str(c) for c in counts.values())))  # fmt: skip
    return figures


# --------------------------------------------------------------------------- Get next, racing
def _client(url: str, actor: Actor, claims: int, start: Any, results: Any) -> None:
    ws = open_workspace(parse_db_url(url))
    try:
        claiming.peek_next(ws, actor)  # connect and warm before the race
        start.wait()
        samples = []
        for _ in range(claims):
            began = time.perf_counter()
            got = claiming.get_next(ws, actor)
            samples.append(time.perf_counter() - began)
            if got is None:
                break
        results.put(samples)
    finally:
        ws.close()


def get_next_figures(ws: Workspace, url: str, lead: Actor, clients: int, claims: int,
                     repeat: int) -> list[Figure]:  # fmt: skip
    with read_session(ws) as session:
        reps = session.execute(
            select(User.login, User.display_name, User.role, User.id, User.team_id).where(
                User.team_id == lead.team_id, User.role == Role.REP
            )
        ).all()
    actors = [Actor(*rep) for rep in reps]
    bare, _ = timed(_bare_get_next(ws, actors[0]), repeat)
    context = multiprocessing.get_context("spawn")  # each client its own process and connection
    start, results = context.Barrier(clients), context.Queue()
    processes = [
        context.Process(target=_client, args=(url, actors[n % len(actors)], claims, start, results))
        for n in range(clients)
    ]
    for process in processes:
        process.start()
    samples: list[float] = []
    for _ in processes:
        samples += results.get(timeout=600)
    for process in processes:
        process.join(timeout=60)
    name = f"Get next, {clients} clients racing ({len(samples)} claims)"
    return [Figure(name, samples, bare, len(samples))]


def _bare_get_next(ws: Workspace, actor: Actor) -> Callable[[], int]:
    """The claim's deciding SQL on one connection: lock the next case, assign it; rolled back.
    (PostgreSQL's and SQLite's statement; MariaDB's service locks candidates one by one.)"""
    assert actor.user_id is not None
    since = _now(ws) - claiming.RELEASE_COOLDOWN
    lock = (
        claiming.next_case_query(actor, actor.user_id, since)
        .limit(1)
        .with_for_update(skip_locked=True, of=Case)
    )

    def run() -> int:
        with ws.engine.connect() as conn:
            case_id = conn.execute(lock).scalar()
            if case_id is not None:
                conn.execute(
                    update(Case).where(Case.id == case_id).values(assignee_id=actor.user_id)
                )
            conn.rollback()
        return 1

    return run


def _now(ws: Workspace) -> Any:
    with read_session(ws) as session:
        return qq.read_clock(session).now


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a demo workspace file or server address")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--claims", type=int, default=10, help="Get next calls per client")
    args = parser.parse_args(argv)
    ws = open_workspace(parse_db_url(args.db))
    with read_session(ws) as session:
        cases = session.scalar(select(func.count()).select_from(Case))
    cast = people(ws)
    _rep, lead, admin = cast
    load = " → ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"# Queue benchmark: {ws.dialect}, {cases:,} cases, p50/p95 of {args.repeat} runs, "
          f"load average {load}\n")  # fmt: skip
    figures = [
        *view_figures(ws, cast, args.repeat),
        *worst_sort(ws, admin, args.repeat),
        *filter_figures(ws, admin, lead, args.repeat),
        *paging_figures(ws, admin, args.repeat),
        *count_figures(ws, cast, args.repeat),
    ]
    if args.claims > 0:
        figures += get_next_figures(ws, args.db, lead, args.clients, args.claims, args.repeat)
    print("| operation | rows | p50 ms | p95 ms | bare SQL p50 | overhead p50 |")
    print("|---|---:|---:|---:|---:|---:|")
    for f in figures:
        bare = ms(f.bare, 0.5) if f.bare else None
        print(f"| {f.name} | {f.rows} | {ms(f.service, 0.5):.1f} | {ms(f.service, 0.95):.1f} | "
              f"{'' if bare is None else f'{bare:.1f}'} | "
              f"{'' if bare is None else f'{ms(f.service, 0.5) - bare:.1f}'} |")  # fmt: skip
    print("\n| view (who), default order | plan |\n|---|---|")
    for name, plan in plans(ws, cast):
        print(f"| {name} | {plan} |")
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
