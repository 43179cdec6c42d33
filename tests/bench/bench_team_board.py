"""How fast the team lead's board answers on a big workspace: the whole board, its live half
(what the open board re-reads every half minute and after each change), each grouped query
on its own, and the case lists behind the numbers.

    .venv/bin/python -m tests.bench.bench_team_board --db /tmp/demo.sqlite [--repeat 10]
    .venv/bin/python -m tests.bench.bench_team_board --db postgresql://postgres@127.0.0.1/demo

Run it on a demo workspace (``deskapp demo --cases 1000000 --db …``). It acts as the lead of
the team with the most open cases, through the connection of ``--db``, and only reads.

Each figure is the service call the GUI makes and, where one statement does the work, beside
it the bare SQL of that statement on the driver's cursor. Prints Markdown tables: p50 / p95 in
milliseconds, and the database's plan for each grouped query.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from sqlalchemy import func, select

from deskapp.db.models import Case, User
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Role
from deskapp.services import presence
from deskapp.services import queue_query as qq
from deskapp.services import team_board as tb
from deskapp.services import team_board_queries as tbq
from deskapp.services.handoff_figures import quality_figures
from deskapp.services.records import Actor
from deskapp.services.team_board_records import BoardMeasure, TeamBoard
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace, open_workspace
from tests.bench.bench_queue import Figure, bare_sql, ms, plan_of, timed


def busiest_team_lead(ws: Workspace) -> Actor:
    """The lead of the team with the most open cases."""
    with read_session(ws) as session:
        busiest = session.execute(
            select(Case.team_id, func.count())
            .where(Case.status.in_(qq.OPEN_STATUSES))
            .group_by(Case.team_id)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
        assert busiest is not None, "the workspace has no open cases: build a demo first"
        lead = session.scalars(
            select(User).where(User.role == Role.LEAD, User.team_id == busiest[0])
        ).first()
        assert lead is not None, "that team has no lead"
        return Actor(lead.login, lead.display_name, lead.role, lead.id, lead.team_id)


def board_figures(ws: Workspace, lead: Actor, repeat: int) -> tuple[list[Figure], TeamBoard]:
    team = lead.team_id
    assert team is not None
    whole, board = timed(lambda: tb.team_board(ws, lead, team), repeat)
    live, _ = timed(lambda: tb.team_board(ws, lead, team, previous=board), repeat)
    first, _ = timed(lambda: tb.team_board(ws, lead, team, history=False), repeat)
    with read_session(ws) as session:
        clock = qq.read_clock(session)
    members = [r.user_id for r in board.members if r.user_id is not None]
    since = clock.now - tbq.KUDOS_WINDOW
    statements = {
        "counts per person (open, due soon, breached, commitments)": tbq.counts_statement(
            team, clock
        ),
        "unacknowledged handoffs per person": tbq.unread_statement(team),
        "kudos per person, 30 days": tbq.kudos_statement(members, since),
    }
    figures = [
        Figure("whole board (first read: with kudos and quality)", whole, None, len(board.rows)),
        Figure("board, live half (kudos and quality reused)", live, None, len(board.rows)),
        Figure("board, first quick read (no kudos, no quality)", first, None, len(board.rows)),
    ]
    for name, statement in statements.items():
        bare, rows = timed(bare_sql(ws.engine, statement), repeat)
        figures.append(Figure(f"  {name}", bare, bare, rows))
    quality, found = timed(lambda: quality_figures(ws, lead, team), repeat)
    figures.append(Figure("  handoff quality figures (handoff_figures.py)", quality, None,
                          len(found)))  # fmt: skip
    signed, _ = timed(lambda: presence.signed_in(ws, members), repeat)
    figures.append(Figure("  signed in now (presence.signed_in)", signed, None, len(members)))
    return figures, board


def list_figures(ws: Workspace, lead: Actor, board: TeamBoard, repeat: int) -> list[Figure]:
    """Clicking a number: the team's total of each measure, and the busiest person's."""
    team = lead.team_id
    assert team is not None
    busiest = max(board.members, key=lambda r: r.open_cases)
    with read_session(ws) as session:
        clock = qq.read_clock(session)
    figures = []
    for row in (board.total, busiest):
        who = "team" if row.user_id is None else "busiest person"
        for measure in BoardMeasure:
            service, listed = timed(
                lambda r=row, m=measure: tb.board_cases(ws, lead, team, r.user_id, m), repeat
            )
            statement, order = tbq.cases_statement(team, row.user_id, measure, clock)
            bare, _ = timed(
                bare_sql(ws.engine, statement.order_by(*order).limit(tb.MAX_CASES)), repeat
            )
            figures.append(Figure(f"list: {who}, {measure.label}", service, bare, listed.total))
    return figures


def plans(ws: Workspace, lead: Actor, board: TeamBoard) -> list[tuple[str, str]]:
    team = lead.team_id
    assert team is not None
    with read_session(ws) as session:
        clock = qq.read_clock(session)
    members = [r.user_id for r in board.members if r.user_id is not None]
    return [
        ("counts per person", plan_of(ws.engine, tbq.counts_statement(team, clock))),
        ("unacknowledged per person", plan_of(ws.engine, tbq.unread_statement(team))),
        ("kudos per person", plan_of(ws.engine, tbq.kudos_statement(members, clock.now))),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a demo workspace file or server address")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    ws = open_workspace(parse_db_url(args.db))
    with read_session(ws) as session:
        cases = session.scalar(select(func.count()).select_from(Case)) or 0
    lead = busiest_team_lead(ws)
    started = time.perf_counter()
    figures, board = board_figures(ws, lead, args.repeat)
    figures += list_figures(ws, lead, board, args.repeat)
    people = len(board.members)
    print(f"# Team board benchmark: {ws.dialect}, {cases:,} cases; {board.team_name}: "
          f"{people} people, {board.total.open_cases:,} open cases; "
          f"p50/p95 of {args.repeat} runs\n")  # fmt: skip
    print("| operation | rows | p50 ms | p95 ms | bare SQL p50 | overhead p50 |")
    print("|---|---:|---:|---:|---:|---:|")
    for f in figures:
        print(_row(f))
    print("\n| grouped query | plan |\n|---|---|")
    for name, plan in plans(ws, lead, board):
        print(f"| {name} | {plan} |")
    print(f"\n(measured in {time.perf_counter() - started:.0f} s)")
    ws.close()
    return 0


def _row(f: Figure) -> str:
    bare: Any = ms(f.bare, 0.5) if f.bare else None
    service = ms(f.service, 0.5)
    overhead = "" if bare is None or f.bare is f.service else f"{service - bare:.1f}"
    return (f"| {f.name} | {f.rows} | {service:.1f} | {ms(f.service, 0.95):.1f} | "
            f"{'' if bare is None else f'{bare:.1f}'} | {overhead} |")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
