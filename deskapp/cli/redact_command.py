"""``deskapp admin redact --customer EMAIL_OR_ID --reason "…"``: an erasure request.

Replaces the customer's personal data with "[redacted]" everywhere in the workspace
(services/redaction.py) after saying whom and how much it concerns and asking to go ahead
(``--yes`` for scripts). It cannot be undone, and the audit trail still verifies afterwards.
"""

from __future__ import annotations

import argparse

from deskapp.cli import exit_codes
from deskapp.cli.connect import opened_workspace, person_at_terminal, target_from_args
from deskapp.domain.errors import InvalidInput
from deskapp.services import auth, redaction


def register(areas: argparse._SubParsersAction[argparse.ArgumentParser], common) -> None:
    parser = areas.add_parser(
        "redact",
        parents=[common],
        help="erase a customer's personal data (an erasure request)",
        description="Replace a customer's personal data with [redacted] everywhere in the "
        "workspace: their name and contacts, their cases' subjects, interactions, handoff "
        "notes, read-backs and promises, and the free text of the audit events about them. "
        "The audit trail still verifies. This cannot be undone.",
    )
    parser.add_argument(
        "--customer", required=True, metavar="EMAIL_OR_ID",
        help="the customer's e-mail address, their id, or their id in the source they were "
        "imported from",
    )  # fmt: skip
    parser.add_argument(
        "--reason", required=True,
        help="why, kept in the audit trail: the request's reference, not the customer's data",
    )  # fmt: skip
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.set_defaults(handler=redact)


def redact(args: argparse.Namespace) -> int:
    with opened_workspace(target_from_args(args)) as ws:
        actor = auth.setup_actor(ws)
        target = redaction.find_customer(ws, actor, args.customer)
        if not args.yes and not _confirmed(target):
            print("Nothing was changed.")
            return exit_codes.OK
        report = redaction.redact_customer(ws, actor, target.customer_id, args.reason)
    counted = ", ".join(
        _count(n, what)
        for n, what in (
            (report.cases, "case"),
            (report.interactions, "interaction"),
            (report.notes, "handoff note"),
            (report.read_backs, "read-back"),
            (report.promises, "promise"),
            (report.audit_events, "audit event"),
        )
    )
    print(
        f"Erased the personal data of customer {report.customer_id}: {counted} "
        f"(on {_count(report.chains, 'audit chain')}); "
        f"{_count(report.drafts_deleted, 'draft')} deleted."
    )
    print(
        "The audit trail still verifies (deskapp audit verify). Copies outside the workspace "
        "(exports, backups) are not touched: erase those separately."
    )
    return exit_codes.OK


def _confirmed(target: redaction.ErasureTarget) -> bool:
    if not person_at_terminal():
        raise InvalidInput(
            "Erasing a customer's personal data cannot be undone: run this in a terminal to "
            "confirm it, or add --yes."
        )
    who = _plain(target.name) + (f" <{_plain(target.email)}>" if target.email else "")
    earlier = " (already erased once; this catches anything added since)"
    print(
        f"This erases the personal data of {who}{earlier if target.redacted_at else ''}: "
        f"{target.cases} cases, {target.interactions} interactions, their handoff notes and "
        "the free text of their audit events. It cannot be undone."
    )
    return input("Type ERASE to go ahead: ").strip() == "ERASE"


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _plain(text: str) -> str:
    """Customer text safe for a terminal: control characters shown as '?'."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)
