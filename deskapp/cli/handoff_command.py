"""``deskapp handoff lint NOTE.json``: check a handoff note the way the editor does.

For teams testing their notes and rules. One JSON object per finding on stdout (field,
severity, message, rule); exit 0 when nothing blocks, 1 when something blocks, 2 when the file
is not a valid note (what is wrong on stderr). No database, no window: lint is pure.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from deskapp.cli import exit_codes
from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_lint import blocks, lint


class NotANote(Exception):
    """The file given is not a note; the message says which file and why."""


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    handoff = commands.add_parser(
        "handoff",
        help="work with handoff notes (lint, the team template)",
        description="Work with structured handoff notes.",
    )
    actions = handoff.add_subparsers(dest="handoff_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "lint",
        help="check a NOTE.json the way the handoff editor does",
        description="Check a handoff note and print one JSON object per finding (field, "
        "severity block|warn, message, rule). Exit 0: nothing blocks; 1: something blocks; "
        "2: the file is not a valid note. NOTE.json keys: risk, summary, done, next_actions "
        "[{action, owner, due}], commitments [{promise, due}], no_commitments, contingencies, "
        "mood, contact_preference; times in ISO 8601 with a time zone.",
    )
    check.add_argument("note", metavar="NOTE.json", help="the note to check")
    check.add_argument(
        "--now", metavar="ISO-8601", help="check as if it were this time (default: now)"
    )
    check.add_argument(
        "--previous",
        metavar="PREV.json",
        help="the previous handoff note of the case, to warn about a copied note",
    )
    check.set_defaults(handler=run_lint)
    template = actions.add_parser(
        "template",
        help="show or change a team's handoff template",
        description="A team's handoff template: its lead or an admin may change labels, help, "
        "added fields and rules; the core fields stay and stay required. Each change raises "
        "the version.",
    )
    steps = template.add_subparsers(dest="template_action", metavar="ACTION", required=True)
    show = steps.add_parser("show", parents=[common], help="print the team's template as JSON")
    show.add_argument("--team", required=True, help="the team's name")
    show.set_defaults(handler=run_template, action="show", file=None)
    change = steps.add_parser("set", parents=[common], help="set the team's template from a file")
    change.add_argument("--team", required=True, help="the team's name")
    change.add_argument("file", metavar="TEMPLATE.json", help="the template (see `show`)")
    change.set_defaults(handler=run_template, action="set")


def run_lint(args: argparse.Namespace) -> int:
    try:
        now = _moment(args.now) if args.now else datetime.now(UTC)
        note = read_note(Path(args.note))
        previous = read_note(Path(args.previous)) if args.previous else None
    except NotANote as exc:
        print(exc, file=sys.stderr)
        return exit_codes.USAGE
    findings = lint(note, now=now, previous=previous)
    for finding in findings:
        print(
            json.dumps(
                {
                    "field": finding.field,
                    "severity": finding.severity.value,
                    "message": finding.message,
                    "rule": finding.rule,
                },
                ensure_ascii=False,
            )
        )
    return exit_codes.ERROR if blocks(findings) else exit_codes.OK


def read_note(path: Path) -> NoteContent:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotANote(f"{path}: no such file. Check the path and try again.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NotANote(f"{path}: cannot be read ({exc}). Save it as UTF-8 text.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotANote(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
            "A note is one JSON object; see `deskapp handoff lint --help`."
        ) from None
    try:
        return NoteContent.from_json(data)
    except ValueError as exc:
        raise NotANote(
            f"{path}: not a valid note: {exc}. See `deskapp handoff lint --help` for the keys."
        ) from None


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise NotANote(
            f"--now “{text}” is not an ISO 8601 time; write e.g. 2026-11-24T15:00:00+01:00."
        ) from None
    if moment.tzinfo is None:
        raise NotANote(f"--now “{text}” has no time zone; add one, e.g. +01:00 or Z.")
    return moment


def run_template(args: argparse.Namespace) -> int:
    from deskapp.cli.connect import opened_workspace, target_from_args
    from deskapp.domain.errors import InvalidInput, NotFound
    from deskapp.services import auth, handoff_templates, teams

    with opened_workspace(target_from_args(args)) as ws:
        team = next((t for t in teams.list_teams(ws) if t.name == args.team), None)
        if team is None:
            raise NotFound(f"There is no team called “{args.team}”.")
        if args.action == "show":
            current = handoff_templates.template_for(ws, team.id)
            print(json.dumps(handoff_templates.template_as_dict(current), indent=2,
                             ensure_ascii=False))  # fmt: skip
            return exit_codes.OK
        try:
            data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(f"{args.file} is not a readable JSON file: {exc}") from exc
        if not isinstance(data, dict):
            raise InvalidInput(f"{args.file} must hold one JSON object (version, fields, rules).")
        saved = handoff_templates.set_team_template(ws, auth.setup_actor(ws), team.id, data)
        print(f"{team.name}: handoff template version {saved.version} saved.")
    return exit_codes.OK
