"""``deskapp``: the window by default, or admin work as subcommands (``deskapp --help``).

main() never lets a traceback reach a person: a DeskappError prints its message (exit 1), a
usage mistake gets argparse's message (exit 2), anything else is logged and named (exit 1).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from dataclasses import dataclass

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from deskapp import __version__, paths
from deskapp.cli import admin_commands, db_commands, demo_command, exit_codes, handoff_command
from deskapp.cli.connect import (
    add_connection_options,
    address_from_args,
    known_password,
    tls_from_args,
)
from deskapp.cli.failures import explain_database_error, report_unexpected
from deskapp.db.engine import TlsOptions
from deskapp.domain.errors import DeskappError

EPILOG = (
    "Server passwords come from your system keychain, DESKAPP_DB_PASSWORD (for scripts), or a "
    "prompt; never put one in --db. Examples: `deskapp --db postgresql://dana@db.example.com/"
    "deskapp`, `deskapp db current`, `deskapp admin user add dana --name 'Dana Scully' "
    "--role rep --team Support`."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deskapp",
        description="Deskapp: the case queue, customer history, canned responses and structured "
        "handoff notes for customer-service teams. Without a command, opens the window.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"Deskapp {__version__}")
    add_connection_options(parser, repeated=False)
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, check that it works, and quit (installers and CI)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the demo workspace (built on first use: a few seconds)",
    )
    # The connection options again on every subcommand: `deskapp db current --db …` reads well.
    common = argparse.ArgumentParser(add_help=False)
    add_connection_options(common, repeated=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    db_commands.register(commands, common)
    admin_commands.register(commands, common)
    demo_command.register(commands, common)
    handoff_command.register(commands, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    _never_fail_on_printing()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already explained
        if exc.code is None:
            return exit_codes.OK
        return exc.code if isinstance(exc.code, int) else exit_codes.USAGE
    try:
        handler = getattr(args, "handler", None)
        if handler is None:
            return launch_gui(args)
        return int(handler(args))
    except DeskappError as exc:
        print(exc, file=sys.stderr)
        return exit_codes.ERROR
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return exit_codes.INTERRUPTED
    except DBAPIError as exc:
        explained = explain_database_error(exc)
        if explained is None:
            return report_unexpected(exc)
        print(explained, file=sys.stderr)
        return exit_codes.ERROR
    except Exception as exc:
        return report_unexpected(exc)


@dataclass(frozen=True)
class GuiLaunch:
    """What the window starts with. ``url`` None: the window chooses (the last connection or
    the local workspace). ``password``: one known without asking; the window asks itself when
    it needs one and has none."""

    url: URL | None
    password: str | None
    tls: TlsOptions
    smoke_test: bool


def gui_launch(args: argparse.Namespace) -> GuiLaunch:
    if args.demo:
        if args.db is not None:
            raise DeskappError("Use either --demo or --db, not both.")
        args.db = str(paths.demo_workspace())
        if not demo_command.has_cases(args):
            print("Building the demo workspace (once)…", file=sys.stderr)
            args.cases, args.customers, args.seed = demo_command.GUI_DEMO_CASES, None, 1
            demo_command.run(args)
    url = address_from_args(args)
    password = known_password(url)[0] if url is not None else None
    return GuiLaunch(url, password, tls_from_args(args), bool(args.smoke_test))


def launch_gui(args: argparse.Namespace) -> int:
    launch = gui_launch(args)
    try:
        # Imported here: the subcommands must work where Qt cannot load (a server, a container).
        from deskapp.gui.app import run_gui
    except ImportError as exc:
        raise DeskappError(
            f"The Deskapp window cannot start on this computer: {exc}. The `deskapp` commands "
            "(see deskapp --help) work without it."
        ) from exc
    return int(
        run_gui(launch.url, password=launch.password, tls=launch.tls, smoke_test=launch.smoke_test)
    )


def _never_fail_on_printing() -> None:
    """A console or pipe that cannot show “→” or a name's accent shows '?' instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")
