"""``deskapp``: the window by default, or admin work as subcommands (``deskapp --help``).

main() never lets a traceback reach a person: a DeskappError prints its message (exit 1), a
usage mistake gets argparse's message (exit 2), anything else is logged and named (exit 1).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from deskapp import __version__, paths
from deskapp.cli import exit_codes
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

# Each command module and the subcommands it registers, in `deskapp --help` order. The modules
# import the services they drive (~0.8 s): opening the window, which names no command, must not
# pay for them, so they are imported only when a command or --help may be on the line.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "deskapp.cli.db_commands": ("db",),
    "deskapp.cli.admin_commands": ("admin",),
    "deskapp.cli.demo_command": ("demo",),
    "deskapp.cli.handoff_command": ("handoff",),
    "deskapp.cli.canned_command": ("canned",),
    "deskapp.cli.data_command": ("import", "export"),
    "deskapp.cli.audit_command": ("audit",),
}
COMMAND_NAMES = tuple(name for names in COMMAND_MODULES.values() for name in names)


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line. ``with_commands=False``: the subcommands by name only (the same
    usage line and "invalid choice" message), for a line that names none of them."""
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
    if not with_commands:
        for name in COMMAND_NAMES:
            commands.add_parser(name)
        return parser
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(commands, common)
    return parser


def parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser for this line: the commands' own parsers only when it may need them, that is
    when a word is a command's name or could be --help (argparse accepts "--he" for it)."""
    needs_commands = any(word in COMMAND_NAMES or word.startswith(("-h", "--h")) for word in argv)
    return build_parser(with_commands=needs_commands)


def main(argv: list[str] | None = None) -> int:
    _never_fail_on_printing()
    if argv is None:
        argv = sys.argv[1:]
    parser = parser_for(argv)
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
        from deskapp.cli import demo_command  # only here: the window never needs it otherwise

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
