"""``deskapp admin user …`` and ``deskapp admin team …``: setting up people and teams.

The acting person is the setup account (services.auth.setup_actor): on an SQLite workspace the
file's owner, on a server the signed-in login, which must be a Deskapp admin or, before any admin
exists, the server's owner or superuser.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from deskapp.cli import exit_codes, isolation_command, redact_command
from deskapp.cli.connect import opened_workspace, person_at_terminal, target_from_args
from deskapp.db.roles import TEMPORARY_PASSWORD_HOURS, check_login
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, NotFound
from deskapp.services import auth, people, teams, users
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor, TeamInfo
from deskapp.services.workspace import Workspace

ROLE_CHOICES = [role.value for role in Role]


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    admin = commands.add_parser(
        "admin", parents=[common], help="people and teams", description="Set up people and teams."
    )
    areas = admin.add_subparsers(dest="admin_area", metavar="AREA", required=True)
    _register_user_commands(areas, common)
    _register_team_commands(areas, common)
    isolation_command.register(areas, common)  # deskapp admin isolation on|off
    redact_command.register(areas, common)  # deskapp admin redact --customer …


def _register_user_commands(
    areas: argparse._SubParsersAction[argparse.ArgumentParser], common
) -> None:
    user = areas.add_parser(
        "user", parents=[common], help="add people, change roles, disable, temporary passwords"
    )
    actions = user.add_subparsers(dest="user_action", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        parents=[common],
        help="add a person",
        description="Add a person. On a server this also creates their database login, with "
        "an initial password typed twice (or read from standard input with --password-stdin).",
    )
    add.add_argument("login", metavar="LOGIN", help="e.g. dana (lower case, digits, . or _)")
    add.add_argument("--name", required=True, help="the name colleagues know them by")
    add.add_argument("--role", required=True, choices=ROLE_CHOICES)
    add.add_argument("--team", metavar="TEAM_NAME", help="the team they work in")
    add.add_argument("--email", help="their work e-mail address")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the initial password from the first line of standard input (scripts)",
    )
    add.set_defaults(handler=add_user)

    for name, active, what in (
        ("disable", False, "stop a person from signing in (their history stays)"),
        ("enable", True, "let a disabled person sign in again"),
    ):
        parser = actions.add_parser(name, parents=[common], help=what, description=what)
        parser.add_argument("login", metavar="LOGIN")
        parser.set_defaults(handler=set_active, active=active)

    set_role_parser = actions.add_parser(
        "set-role", parents=[common], help="make a person a rep, lead or admin"
    )
    set_role_parser.add_argument("login", metavar="LOGIN")
    set_role_parser.add_argument("role", metavar="ROLE", choices=ROLE_CHOICES)
    set_role_parser.set_defaults(handler=set_role)

    list_parser = actions.add_parser("list", parents=[common], help="everyone, disabled too")
    list_parser.set_defaults(handler=list_users)

    temporary = actions.add_parser(
        "temp-password",
        parents=[common],
        help="give a person a new random password (servers), printed once",
        description="Replace a person's server password with a new random one and print it "
        "once, for handing over privately. It is not stored or logged anywhere.",
    )
    temporary.add_argument("login", metavar="LOGIN")
    temporary.set_defaults(handler=issue_temporary_password)


def _register_team_commands(
    areas: argparse._SubParsersAction[argparse.ArgumentParser], common
) -> None:
    team = areas.add_parser("team", parents=[common], help="add and list teams")
    actions = team.add_subparsers(dest="team_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="add a team")
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--time-zone",
        default="UTC",
        metavar="ZONE",
        help="where the team works, for business hours, e.g. Europe/Amsterdam (default: UTC)",
    )
    add.set_defaults(handler=add_team)
    list_parser = actions.add_parser("list", parents=[common], help="all teams")
    list_parser.set_defaults(handler=list_teams)


@contextmanager
def _as_setup_account(args: argparse.Namespace) -> Iterator[tuple[Workspace, Actor]]:
    with opened_workspace(target_from_args(args)) as ws:
        yield ws, auth.setup_actor(ws)


# ------------------------------------------------------------------------------ people
def add_user(args: argparse.Namespace) -> int:
    login = check_login(args.login)  # before anyone types a password for an impossible login
    if args.email is not None and "@" not in args.email:
        raise InvalidInput(f"“{args.email}” is not an e-mail address.")
    with _as_setup_account(args) as (ws, actor):
        require_role(actor, Role.ADMIN, "add people")  # before anyone types a password in vain
        team = _team_named(ws, args.team) if args.team else None
        password = None
        if ws.is_server:
            password = _initial_password(login, from_stdin=args.password_stdin)
        elif args.password_stdin:
            print("A local workspace has no passwords; --password-stdin was ignored.")
        added = users.add_user(
            ws,
            actor,
            login=login,
            display_name=args.name,
            role=Role(args.role),
            team_id=team.id if team else None,
            email=args.email,
            password=password,
        )
    where = f", team {team.name}" if team else ""
    print(f"Added {plain(added.display_name)} ({added.login}, {added.role.value}{where}).")
    return exit_codes.OK


def _initial_password(login: str, *, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InvalidInput("No password arrived on standard input; nobody was added.")
        return password
    if not person_at_terminal():
        raise InvalidInput(
            f"{login} needs an initial password on a server. Run this in a terminal to type it, "
            "or give it on standard input with --password-stdin."
        )
    first = getpass.getpass(f"Initial password for {login}: ")
    again = getpass.getpass("The same password again: ")
    if first != again:
        raise InvalidInput("The two passwords differ; nobody was added. Please try again.")
    return first


def set_active(args: argparse.Namespace) -> int:
    with _as_setup_account(args) as (ws, actor):
        user = users.set_active(ws, actor, args.login, args.active)
    state = "can sign in again" if user.active else "is disabled and can no longer sign in"
    print(f"{plain(user.display_name)} ({user.login}) {state}.")
    return exit_codes.OK


def set_role(args: argparse.Namespace) -> int:
    with _as_setup_account(args) as (ws, actor):
        user = users.set_role(ws, actor, args.login, Role(args.role))
    print(f"{plain(user.display_name)} ({user.login}) is now {user.role.value}.")
    return exit_codes.OK


def issue_temporary_password(args: argparse.Namespace) -> int:
    with _as_setup_account(args) as (ws, actor):
        password = people.issue_temporary_password(ws, actor, args.login)
    print(f"Temporary password for {args.login}: {password}")
    print(
        "Hand it over privately (in person or by phone, not by e-mail or chat). It is shown "
        f"only now and works for {TEMPORARY_PASSWORD_HOURS} hours; Deskapp asks them to "
        "choose their own the first time they sign in with it."
    )
    return exit_codes.OK


def list_users(args: argparse.Namespace) -> int:
    with _as_setup_account(args) as (ws, _actor):
        people = users.list_users(ws, include_inactive=True)
        team_names = {team.id: team.name for team in teams.list_teams(ws)}
    if not people:
        print("Nobody yet. Add people with `deskapp admin user add`.")
        return exit_codes.OK
    rows = [
        (
            u.login,
            u.display_name,
            u.role.value,
            team_names.get(u.team_id, "") if u.team_id else "",
            "active" if u.active else "disabled",
        )
        for u in people
    ]
    print_table(("LOGIN", "NAME", "ROLE", "TEAM", "STATUS"), rows)
    return exit_codes.OK


# ------------------------------------------------------------------------------ teams
def add_team(args: argparse.Namespace) -> int:
    _check_time_zone(args.time_zone)
    with _as_setup_account(args) as (ws, actor):
        team = teams.create_team(ws, actor, args.name, time_zone=args.time_zone)
    print(f"Added team {plain(team.name)} ({team.time_zone}).")
    return exit_codes.OK


def list_teams(args: argparse.Namespace) -> int:
    with _as_setup_account(args) as (ws, _actor):
        found = teams.list_teams(ws)
    if not found:
        print("No teams yet. Add one with `deskapp admin team add NAME`.")
        return exit_codes.OK
    print_table(("TEAM", "TIME ZONE"), [(t.name, t.time_zone) for t in found])
    return exit_codes.OK


def _team_named(ws: Workspace, name: str) -> TeamInfo:
    found = teams.list_teams(ws)
    for team in found:
        if team.name == name:
            return team
    for team in found:
        if team.name.casefold() == name.strip().casefold():
            return team
    known = ", ".join(plain(t.name) for t in found) or "none yet"
    raise NotFound(
        f"There is no team called “{plain(name)}” (teams: {known}). Add it first with "
        "`deskapp admin team add NAME`."
    )


def _check_time_zone(zone: str) -> None:
    available = zoneinfo.available_timezones()
    # Without a time zone database (Windows without tzdata) there is nothing to check against.
    if available and zone not in available:
        raise InvalidInput(
            f"“{plain(zone)}” is not a time zone name. Use a name such as Europe/Amsterdam, "
            "America/New_York or UTC."
        )


# ------------------------------------------------------------------------------ output
def plain(text: str) -> str:
    """Text safe for a terminal: control characters (escape sequences) shown as '?'."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    cells = [list(headers), *[[plain(cell) for cell in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
