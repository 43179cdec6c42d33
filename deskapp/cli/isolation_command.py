"""``deskapp admin isolation [on|off]``: whether leads and reps see only their team's cases.

Without on or off it says how the workspace is set. Switching is for admins (or the server's
owner account); the database enforces it on PostgreSQL (services/team_isolation.py).
"""

from __future__ import annotations

import argparse

from deskapp.cli import exit_codes
from deskapp.cli.connect import opened_workspace, target_from_args
from deskapp.services import auth, team_isolation


def register(areas: argparse._SubParsersAction[argparse.ArgumentParser], common) -> None:
    parser = areas.add_parser(
        "isolation",
        parents=[common],
        help="team isolation: leads and reps see only their team's cases",
        description="Switch team isolation on or off, or say how it is set. With isolation on, "
        "leads and reps see only their own team's cases and the cases assigned to them; admins "
        "see every case. PostgreSQL workspaces only: there the database itself enforces it.",
    )
    parser.add_argument("state", nargs="?", choices=("on", "off"), help="omit to see the setting")
    parser.set_defaults(handler=isolation)


def isolation(args: argparse.Namespace) -> int:
    with opened_workspace(target_from_args(args)) as ws:
        if args.state is None:
            on = team_isolation.team_isolation_on(ws)
        else:
            on = args.state == "on"
            already = team_isolation.set_team_isolation(ws, auth.setup_actor(ws), on)
            if already:
                print(f"Team isolation was already {args.state}; nothing changed.")
                return exit_codes.OK
    if on:
        print(
            "Team isolation is on: leads and reps see only their own team's cases and the "
            "cases assigned to them; admins see every case."
        )
    else:
        print("Team isolation is off: everyone sees every team's cases.")
    return exit_codes.OK
