"""``deskapp demo``: fill a new workspace with a realistic contact centre (and ``--demo``)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from deskapp import paths
from deskapp.cli import exit_codes
from deskapp.cli.connect import Target, opened_workspace, target_from_args, tls_from_args
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Role
from deskapp.services import auth
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.permissions import require_role

GUI_DEMO_CASES = 20_000


def _count(text: str) -> int:
    value = int(text.replace("_", "").replace(",", ""))
    if value < 1:
        raise argparse.ArgumentTypeError("give a number of at least 1")
    return value


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="fill a new workspace with realistic demo data",
        description="Build a realistic contact centre (teams, people, customers, cases, "
        "histories, handoff notes, canned responses) in a new or empty workspace. The same "
        "seed always gives the same workspace. Without --db it goes to the demo workspace "
        f"that `deskapp --demo` opens ({paths.demo_workspace()}).",
    )
    demo.add_argument("--cases", type=_count, default=GUI_DEMO_CASES, help="how many cases")
    demo.add_argument("--customers", type=_count, help="how many customers (default cases ÷ 5)")
    demo.add_argument("--seed", type=int, default=1, help="the same seed builds the same data")
    demo.set_defaults(handler=run)


def demo_target(args: argparse.Namespace) -> Target:
    if args.db is not None:
        return target_from_args(args)
    return Target(parse_db_url(paths.demo_workspace()), tls_from_args(args))


def run(args: argparse.Namespace) -> int:
    spec = DemoSpec(cases=args.cases, customers=args.customers, seed=args.seed)
    with opened_workspace(demo_target(args)) as ws:
        require_role(auth.setup_actor(ws), Role.ADMIN, "fill a workspace with demo data")
        started = time.monotonic()
        summary = build_demo(ws, spec, ProgressPrinter())
        seconds = time.monotonic() - started
        print(
            f"{ws.name}: {summary.cases:,} cases, {summary.customers:,} customers, "
            f"{summary.interactions:,} interactions, {summary.handoff_notes:,} handoff notes, "
            f"{summary.people} people in {summary.teams} teams, "
            f"{summary.canned_responses} canned responses, {summary.audit_events:,} audit "
            f"events — built in {seconds:.0f} s."
        )
        if summary.cases and not summary.audit_events:
            # Said here too: the progress line that gave the database's reason is overwritten.
            print(
                "No audit trail: the server accepts audit events only in the signed-in login's "
                "own name. Build the demo as the server's owner account to include one.",
                file=sys.stderr,
            )
    return exit_codes.OK


class ProgressPrinter:
    """One updating line on a terminal; a line per stage and tenth otherwise (logs, CI)."""

    def __init__(self) -> None:
        self._terminal = sys.stderr.isatty()
        self._last: tuple[str, int] = ("", -1)

    def __call__(self, stage: str, done: int, total: int) -> None:
        tenth = done * 10 // total if total else 10
        if (stage, tenth) == self._last:
            return
        self._last = (stage, tenth)
        text = f"{stage}: {done:,}/{total:,}" if total > 1 else stage
        if self._terminal:
            end = "\n" if stage == "done" else ""
            print(f"\r{text:<60}", end=end, file=sys.stderr, flush=True)
        else:
            print(text, file=sys.stderr, flush=True)


def has_cases(args: argparse.Namespace) -> bool:
    """Does the workspace named by --db exist and hold cases already?"""
    from sqlalchemy import func, select

    from deskapp.db.models import Case
    from deskapp.services.unit_of_work import read_session

    target = demo_target(args)
    if not (target.url.database and Path(target.url.database).exists()):
        return False
    with opened_workspace(target) as ws, read_session(ws) as session:
        return bool(session.scalar(select(func.count()).select_from(Case)))
