"""``deskapp canned import FILE`` and ``deskapp canned export FILE``: the canned-response
library to and from JSON or CSV files.

The import prints one line per row (new, update, unchanged or rejected, with the reasons) and
writes all of it in one transaction or nothing: exit 0 when everything was imported (or would
be, with --dry-run), 1 when anything was rejected. The person acting is whoever the server
authenticated; on a local workspace the setup account, or the local person named by --as.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from deskapp.cli import exit_codes
from deskapp.cli.connect import opened_workspace, target_from_args
from deskapp.domain.enums import CannedScope
from deskapp.domain.errors import InvalidInput
from deskapp.services import auth
from deskapp.services.canned_transfer import (
    ImportPreview,
    Outcome,
    apply_import,
    export_library,
    preview_import,
)
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

SCOPES = [scope.value for scope in CannedScope]
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # no terminal escapes from a file


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    canned = commands.add_parser(
        "canned",
        help="import or export canned responses (JSON or CSV)",
        description="Bring canned responses in from a JSON or CSV file, or write them out.",
    )
    actions = canned.add_subparsers(dest="canned_command", metavar="ACTION", required=True)
    importing = actions.add_parser(
        "import",
        parents=[common],
        help="import responses from FILE: all of them, or none when a row is rejected",
        description="Check every row of FILE and import them all in one go, or nothing when "
        "any row is rejected (the report says why, row by row). A row updates the response "
        "with the same shortcut, else the same title, in its scope. Columns (CSV header, or "
        "JSON keys): title, shortcut, category, tags, scope, team, body. Exit 0: imported "
        "(or, with --dry-run, would be); 1: something was rejected.",
    )
    importing.add_argument("file", metavar="FILE", help="a .json or .csv file (UTF-8)")
    importing.add_argument("--format", choices=["json", "csv"], help="default: from FILE's name")
    importing.add_argument(
        "--dry-run", action="store_true", help="only check and report; write nothing"
    )
    importing.add_argument(
        "--scope",
        choices=SCOPES,
        help="for rows that name no scope (default: the widest you may write)",
    )
    importing.add_argument("--as", dest="person", metavar="LOGIN", help=_AS_HELP)
    importing.set_defaults(handler=run_import)
    exporting = actions.add_parser(
        "export",
        parents=[common],
        help="write the responses you can use to FILE",
        description="Write the active canned responses you can use to FILE, as JSON or CSV. "
        "CSV cells that a spreadsheet would run as a formula start with an apostrophe; "
        "`deskapp canned import` takes it off again.",
    )
    exporting.add_argument("file", metavar="FILE", help="a .json or .csv file to write")
    exporting.add_argument("--format", choices=["json", "csv"], help="default: from FILE's name")
    exporting.add_argument(
        "--scope",
        action="append",
        choices=SCOPES,
        help="only these scopes (repeat for several; default: all)",
    )
    exporting.add_argument("--as", dest="person", metavar="LOGIN", help=_AS_HELP)
    exporting.set_defaults(handler=run_export)


_AS_HELP = (
    "on a local workspace, act as this person (default: the workspace's setup account); on a "
    "server you are the login you connect with"
)


def acting_person(ws: Workspace, login: str | None) -> Actor:
    if login is None:
        return auth.setup_actor(ws)
    if ws.is_server:
        raise InvalidInput(
            "--as is for local workspaces. On a server you act as the login you connect with: "
            "--db postgresql://LOGIN@HOST/DATABASE."
        )
    return auth.sign_in(ws, login)


def run_import(args: argparse.Namespace) -> int:
    with opened_workspace(target_from_args(args)) as ws:
        actor = acting_person(ws, args.person)
        scope = CannedScope(args.scope) if args.scope else None
        preview = preview_import(ws, actor, Path(args.file), args.format, default_scope=scope)
        print_report(preview)
        if not preview.ok:
            print("Nothing was imported: fix the file and try again.")
            return exit_codes.ERROR
        if args.dry_run:
            print("Dry run: nothing was written. Run again without --dry-run to import.")
            return exit_codes.OK
        result = apply_import(ws, actor, preview)
    print(f"Imported: {result.new} new, {result.updated} updated, {result.unchanged} unchanged.")
    return exit_codes.OK


def print_report(preview: ImportPreview) -> None:
    print(f"{_plain(preview.source)} ({preview.format}):")
    for problem in preview.file_problems:
        print(f"  {_plain(problem)}")
    for row in preview.rows:
        scope = row.scope.value if row.scope else "?"
        print(f"  row {row.number:<5} {row.outcome:<10} {scope:<9} {_plain(row.title) or '—'}")
        for reason in row.reasons:
            print(f"            {_plain(reason)}")
    words: list[tuple[Outcome, str]] = [
        ("new", "new"),
        ("update", "updated"),
        ("unchanged", "unchanged"),
        ("rejected", "rejected"),
    ]
    counts = ", ".join(f"{preview.count(outcome)} {word}" for outcome, word in words)
    print(f"{len(preview.rows)} rows: {counts}.")


def run_export(args: argparse.Namespace) -> int:
    path = Path(args.file)
    scopes = [CannedScope(s) for s in args.scope] if args.scope else None
    with opened_workspace(target_from_args(args)) as ws:
        actor = acting_person(ws, args.person)
        try:
            count = export_library(ws, actor, path, args.format, scopes)
        except OSError as exc:
            raise InvalidInput(f"{path} cannot be written ({exc.strerror or exc}).") from exc
    print(f"Exported {count} canned response{'s' * (count != 1)} to {path}.")
    return exit_codes.OK


def _plain(text: str) -> str:
    return _UNPRINTABLE.sub("?", text.replace("\n", " ").replace("\t", " "))
