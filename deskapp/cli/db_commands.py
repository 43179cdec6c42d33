"""``deskapp db upgrade`` and ``deskapp db current``: the workspace's schema."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from deskapp import __version__
from deskapp.cli import exit_codes
from deskapp.cli.connect import connected_engine, target_from_args
from deskapp.db import migrate
from deskapp.domain.errors import PermissionDenied

OWNER_NEEDED = (
    "The server did not allow this login to change the workspace's tables. Upgrading needs the "
    "database's owner or superuser account: run `deskapp db upgrade --db "
    "postgresql://ADMIN@HOST/DATABASE` (or mariadb://…) with such an account."
)


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    db = commands.add_parser(
        "db",
        parents=[common],
        help="the workspace's database schema",
        description="Look at or upgrade the database schema of a workspace.",
    )
    db_commands = db.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    upgrade_parser = db_commands.add_parser(
        "upgrade",
        parents=[common],
        help="bring the workspace to this Deskapp's schema",
        description="Upgrade (or create) the workspace's schema. An SQLite file is copied "
        "first; on a server this needs the owner or superuser account.",
    )
    upgrade_parser.set_defaults(handler=upgrade)
    current_parser = db_commands.add_parser(
        "current",
        parents=[common],
        help="show the workspace's schema and whether it needs an upgrade (changes nothing)",
        description="Show the workspace's schema version. Exit status 0: up to date; "
        "3: an upgrade is needed; 1: it could not be read.",
    )
    current_parser.set_defaults(handler=current)


def upgrade(args: argparse.Namespace) -> int:
    target = target_from_args(args)
    with connected_engine(target, must_exist=False) as engine:
        with engine.connect() as conn:
            before = migrate.read_schema_state(conn)
        if not before.needs_upgrade:
            print(f"{target.name}: schema {before.current} → {before.head}: already up to date.")
            return exit_codes.OK
        backup = _upgrade(engine)
    print(f"{target.name}: schema {before.current or 'none'} → {before.head}")
    if backup is not None:
        print(f"A copy of the workspace as it was is at {backup}")
    return exit_codes.OK


def _upgrade(engine: Engine) -> Path | None:
    try:
        return migrate.upgrade(engine)
    except DBAPIError as exc:
        text = str(exc.orig).lower()
        if "denied" in text or "insufficient privilege" in text or "must be owner" in text:
            raise PermissionDenied(OWNER_NEEDED) from exc
        raise


def current(args: argparse.Namespace) -> int:
    """Reads the schema state and changes nothing (not even on an out-of-date workspace)."""
    target = target_from_args(args)
    with connected_engine(target, must_exist=True) as engine, engine.connect() as conn:
        state = migrate.read_schema_state(conn)
    print(f"Workspace:        {target.name}")
    print(f"Schema:           {state.current or 'none (an empty database)'}")
    print(f"This Deskapp:     {__version__}, schema {state.head}")
    print(f"Last written by:  {'Deskapp ' + state.written_by if state.written_by else 'unknown'}")
    if state.needs_upgrade:
        print(
            "An upgrade is needed: run `deskapp db upgrade` (on a server, with the database's "
            "owner account)."
        )
        return exit_codes.UPGRADE_NEEDED
    print("Up to date.")
    return exit_codes.OK
