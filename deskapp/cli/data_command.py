"""``deskapp import KIND FILE`` and ``deskapp export KIND FILE``: customers, cases and
interactions in from CSV, Zendesk and Freshdesk files, and out to CSV or JSON.

The import prints a report (rows rejected with line, column and reason) and writes the whole
file in one transaction or nothing: exit 0 when imported (or, with --dry-run, when it would
import whole), 1 when anything was rejected and nothing was written. --valid-only imports the
valid rows and exits 0. Admins only (on a server: a login with the admin role).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from deskapp.cli import exit_codes
from deskapp.cli.canned_command import acting_person
from deskapp.cli.connect import opened_workspace, target_from_args
from deskapp.domain.errors import InvalidInput
from deskapp.services import data_export, data_import, import_mappings
from deskapp.services.data_import import ImportReport, ImportRequest
from deskapp.services.import_sources import FORMATS, KINDS
from deskapp.services.queue_records import QueueQuery, QueueView

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # no terminal escapes from a file
LISTED = 50  # problems printed; the rest are counted


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    importing = commands.add_parser(
        "import",
        parents=[common],
        help="import customers, cases or interactions (CSV, Zendesk JSON, Freshdesk CSV)",
        description="Check every row of FILE and import all of it in one transaction, or "
        "nothing when a row is rejected (the report gives line, column and reason). Rows "
        "already imported from the same source are skipped, so running it twice never "
        "duplicates. Zendesk and Freshdesk ticket exports bring the requesters, tickets and "
        "comments together (KIND customers: only the requesters). Exit 0: imported (or, with "
        "--dry-run, would be); 1: rejected, nothing written.",
    )
    importing.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    importing.add_argument("file", metavar="FILE", help="the file to import")
    importing.add_argument("--format", choices=FORMATS, help="default: from the file")
    importing.add_argument(
        "--mapping",
        metavar="MAP",
        help="CSV columns for Deskapp's fields: field=Column,field=Column… or a JSON file of "
        "{field: column}; kept for the next import of KIND (default: the kept mapping, else "
        "columns named like the fields)",
    )
    importing.add_argument("--source", default="csv", help="the old system's name (CSV)")
    importing.add_argument("--team", help="the team for cases without a team column")
    importing.add_argument(
        "--day-first", action="store_true", help="01/02/2024 is 1 February (default: January 2)"
    )
    importing.add_argument(
        "--time-zone", default="UTC", help="for times without an offset (default UTC)"
    )
    importing.add_argument("--dry-run", action="store_true", help="check and report only")
    importing.add_argument(
        "--valid-only", action="store_true", help="import the valid rows, skip rejected ones"
    )
    importing.add_argument("--as", dest="person", metavar="LOGIN", help="local workspaces only")
    importing.set_defaults(handler=run_import)
    exporting = commands.add_parser(
        "export",
        parents=[common],
        help="export customers, cases or interactions to CSV or JSON",
        description="Write KIND to FILE (CSV or JSON, by its name or --format): everything, "
        "or what belongs to the cases of one queue view (--view, --status). CSV cells that a "
        "spreadsheet would run as a formula start with an apostrophe; a redacted customer's "
        "personal data stays redacted.",
    )
    exporting.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    exporting.add_argument("file", metavar="FILE", help="a .csv or .json file to write")
    exporting.add_argument("--format", choices=["csv", "json"], help="default: from FILE")
    exporting.add_argument(
        "--view", choices=[v.value for v in QueueView if v is not QueueView.REP],
        help="only the cases of this queue view (and their customers and interactions)",
    )  # fmt: skip
    exporting.add_argument("--search", default="", help="with --view: what you would type")
    exporting.add_argument("--as", dest="person", metavar="LOGIN", help="local workspaces only")
    exporting.set_defaults(handler=run_export)


def parse_mapping(text: str) -> dict[str, str]:
    path = Path(text)
    if path.suffix.lower() == ".json" and path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"--mapping: {path} is not a JSON object ({exc}).") from exc
        if not isinstance(loaded, dict):
            raise InvalidInput(f"--mapping: {path} must hold an object of field: column.")
        return {str(k): str(v) for k, v in loaded.items()}
    mapping = {}
    for part in text.split(","):
        field, sep, column = part.partition("=")
        if not sep or not field.strip():
            raise InvalidInput(
                f"--mapping: “{part}” is not field=Column (example: name=Full name,email=Mail)."
            )
        mapping[field.strip()] = column.strip()
    return mapping


def run_import(args: argparse.Namespace) -> int:
    mapping = parse_mapping(args.mapping) if args.mapping else None
    request = ImportRequest(
        args.kind, Path(args.file), args.format, mapping, args.source, args.valid_only,
        args.day_first, args.time_zone, args.team,
    )  # fmt: skip
    progress = _Progress()
    with opened_workspace(target_from_args(args)) as ws:
        actor = acting_person(ws, args.person)
        saved = import_mappings.saved_mapping(ws, args.kind) if mapping is None else None
        run = data_import.preview_import if args.dry_run else data_import.run_import
        report = run(ws, actor, request, progress, saved)
        progress.done()
        print_report(report)
        verdict = report.verdict(args.valid_only)
        if verdict:
            print(_plain(verdict))
            return exit_codes.ERROR
        if report.format == "csv" and report.new and not args.dry_run and report.written:
            import_mappings.save_mapping(ws, actor, args.kind, report.mapping)
    if args.dry_run:
        print("Dry run: nothing was written. Run again without --dry-run to import.")
    elif report.written:
        print(f"Imported {report.new:,} new record(s); {report.existing:,} already there.")
    else:
        print(f"Nothing new to import: all {report.existing:,} record(s) are already there.")
    return exit_codes.OK


class _Progress:
    """Rows read so far, on one line of the terminal (only when it is a terminal)."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if sys.stderr.isatty() and stage != "done":
            share = f" of {total:,}" if total else ""
            print(f"\r{stage}: {done:,}{share}…", end="", file=sys.stderr, flush=True)
            self.shown = True

    def done(self) -> None:
        if self.shown:
            print(file=sys.stderr)


def print_report(report: ImportReport) -> None:
    where = ", ".join(
        part for part in (report.format, report.encoding,
                          f"delimiter {report.delimiter!r}" if report.delimiter else "") if part
    )  # fmt: skip
    print(f"{_plain(report.source)} ({where}):")
    for whole in report.file_problems:
        print(f"  {_plain(whole)}")
    if report.mapping and report.format == "csv":
        pairs = ", ".join(f"{f} ← {c}" for f, c in report.mapping.items())
        print(f"  columns: {_plain(pairs)}")
    for note in report.notes[:10]:
        print(f"  note: {_plain(note)}")
    for problem in report.problems[:LISTED]:
        column = f" {problem.column}" if problem.column else ""
        print(f"  line {problem.line}{_plain(column)}: {_plain(problem.reason)}")
    if report.problem_count > LISTED:
        print(f"  … and {report.problem_count - LISTED:,} more problem(s).")
    new = "new" if report.written else "new, not written"
    for kind, count in report.counts.items():
        print(
            f"  {kind}: {count.new:,} {new}, {count.existing:,} already imported, "
            f"{count.rejected:,} rejected"
        )
    if not report.file_problems:
        print(f"{report.rows:,} row(s) read.")


def run_export(args: argparse.Namespace) -> int:
    path = Path(args.file)
    view = QueueQuery(QueueView(args.view), search=args.search) if args.view else None
    with opened_workspace(target_from_args(args)) as ws:
        actor = acting_person(ws, args.person)
        count = data_export.export_records(ws, actor, args.kind, path, args.format, view)
    print(f"Exported {count:,} {args.kind} to {path}.")
    return exit_codes.OK


def _plain(text: str) -> str:
    return _UNPRINTABLE.sub("?", text.replace("\n", " ").replace("\t", " "))
