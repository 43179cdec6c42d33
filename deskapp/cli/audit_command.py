"""``deskapp audit verify|show|list``: check the audit trail, read a case's history, read the
team-wide log.

``verify`` reads every chain once (or one case's) and prints a summary; exit 0 when every chain
is whole, AUDIT_BROKEN (4) with the first broken link of each broken chain when not, so a
nightly job can alert on it. ``show`` prints one case's history and ``list`` the team log,
newest first, in the words the window uses; times are this computer's local time.
The person acting is whoever the server authenticated; on a local workspace the setup account,
or the local person named by --as.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import datetime, time, timedelta

from deskapp.cli import exit_codes
from deskapp.cli.connect import opened_workspace, target_from_args
from deskapp.domain.errors import InvalidInput, NotFound
from deskapp.services import audit_review, audit_verify, auth, teams
from deskapp.services.audit_review import AuditQuery, AuditRow
from deskapp.services.audit_verify import VerifyReport
from deskapp.services.audit_wording import KIND_LABELS, ActionKind
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

BROKEN_SHOWN = 50  # more broken chains than this: the count, and the first ones
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # no terminal escapes from a reason
_AS_HELP = (
    "on a local workspace, act as this person (default: the workspace's setup account); on a "
    "server you are the login you connect with"
)


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    audit = commands.add_parser(
        "audit",
        help="check the audit trail, or read who did what, when and why",
        description="The audit trail: every claim, change, handoff and reassignment, hash-"
        "chained per case.",
    )
    actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        parents=[common],
        help="check that no audit event was changed, removed or reordered",
        description="Read every audit chain (one per case, and the people, teams and canned "
        "responses chains) and check each event's content hash and its link to the event "
        "before. Exit 0: every chain is whole; 4: a chain is broken (its first broken link is "
        "printed). The whole workspace needs an admin; one case anyone who can read it.",
    )
    verify.add_argument("--case", metavar="C-123", help="check this case's chain only")
    verify.add_argument("--chain", metavar="NAME", help="check one chain by name, e.g. people")
    verify.add_argument("--as", dest="person", metavar="LOGIN", help=_AS_HELP)
    verify.set_defaults(handler=run_verify)
    show = actions.add_parser(
        "show",
        parents=[common],
        help="print one case's audit history, newest first",
        description="Who did what to the case, when and why, newest first.",
    )
    show.add_argument("--case", metavar="C-123", required=True, help="the case's key")
    show.add_argument("--json", action="store_true", help="one JSON object per event")
    show.set_defaults(handler=run_show)
    listing = actions.add_parser(
        "list",
        parents=[common],
        help="print the team audit log, newest first (leads and admins)",
        description="The audit log across cases, newest first. A lead sees their team's "
        "cases; an admin everything, or one team with --team.",
    )
    listing.add_argument("--team", metavar="NAME", help="only this team's cases")
    listing.add_argument("--actor", metavar="LOGIN", help="only what this person did")
    listing.add_argument(
        "--kind",
        action="append",
        choices=[kind.value for kind in ActionKind],
        help="only this kind of action (repeat for several): "
        + "; ".join(f"{kind.value}: {label.lower()}" for kind, label in KIND_LABELS.items()),
    )
    listing.add_argument("--since", metavar="DATE", help="from this day (YYYY-MM-DD) or moment")
    listing.add_argument("--until", metavar="DATE", help="up to and including this day")
    listing.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    listing.add_argument("--json", action="store_true", help="one JSON object per event")
    listing.add_argument("--as", dest="person", metavar="LOGIN", help=_AS_HELP)
    listing.set_defaults(handler=run_list)


def acting_person(ws: Workspace, login: str | None) -> Actor:
    if login is None:
        return auth.setup_actor(ws)
    if ws.is_server:
        raise InvalidInput(
            "--as is for local workspaces. On a server you act as the login you connect with: "
            "--db postgresql://LOGIN@HOST/DATABASE."
        )
    return auth.sign_in(ws, login)


# ----------------------------------------------------------------------------- verify
def run_verify(args: argparse.Namespace) -> int:
    if args.case and args.chain:
        raise InvalidInput("Give either --case or --chain, not both.")
    with opened_workspace(target_from_args(args)) as ws:
        if args.case:
            case_id, key = audit_review.find_case(ws, args.case)
            report, scope = audit_verify.verify_case(ws, case_id), f"case {key}"
        elif args.chain:
            actor = acting_person(ws, args.person)
            report, scope = audit_verify.verify_chain(ws, actor, args.chain), args.chain
        else:
            actor = acting_person(ws, args.person)
            report, scope = audit_verify.verify_workspace(ws, actor), ws.name
    print_report(report, scope)
    return exit_codes.OK if report.whole else exit_codes.AUDIT_BROKEN


def print_report(report: VerifyReport, scope: str) -> None:
    print(f"Audit trail of {scope}")
    for name, value in (
        ("Chains checked", f"{report.chains_checked:,}"),
        ("Events checked", f"{report.events_checked:,}"),
        ("Redacted events", f"{report.redacted_events:,}"),
        ("Broken chains", f"{len(report.broken):,}"),
        ("Time", f"{report.seconds:.1f} s"),
    ):
        print(f"  {name:<16} {value:>12}")
    if report.events_checked == 0:
        print("There are no audit events to check.")
        return
    if report.whole:
        print("Every chain is whole.")
        return
    print()
    print("First broken link of each broken chain:")
    width = max(len(link.subject) for link in report.broken[:BROKEN_SHOWN])
    print(f"  {'Chain':<{width}}  {'Event':>6}  {'Problem':<8} What is wrong")
    for link in report.broken[:BROKEN_SHOWN]:
        print(f"  {link.subject:<{width}}  {link.seq:>6}  {link.problem.value:<8} "
              f"{link.explanation}")  # fmt: skip
    if len(report.broken) > BROKEN_SHOWN:
        print(f"  … and {len(report.broken) - BROKEN_SHOWN:,} more broken chains")
    chains = "chain is" if len(report.broken) == 1 else "chains are"
    print(
        f"The audit trail is NOT whole: {len(report.broken):,} {chains} broken. Events were "
        "changed or removed outside Deskapp; compare with your latest backup."
    )


# ----------------------------------------------------------------------------- reading
def run_show(args: argparse.Namespace) -> int:
    with opened_workspace(target_from_args(args)) as ws:
        case_id, key = audit_review.find_case(ws, args.case)
        rows = audit_review.case_history(ws, case_id)
    if args.json:
        print_json(rows)
        return exit_codes.OK
    print(f"Audit history of {key}, newest first ({len(rows)} event{'s' * (len(rows) != 1)}):")
    print_rows(rows, with_case=False)
    return exit_codes.OK


def run_list(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise InvalidInput("--limit must be 1 or more.")
    since = parse_moment(args.since, "--since") if args.since else None
    until = parse_moment(args.until, "--until", end_of_day=True) if args.until else None
    with opened_workspace(target_from_args(args)) as ws:
        actor = acting_person(ws, args.person)
        team_id = None
        if args.team:
            team = next((t for t in teams.list_teams(ws) if t.name == args.team), None)
            if team is None:
                raise NotFound(f"There is no team called “{args.team}”.")
            team_id = team.id
        kinds = tuple(ActionKind(kind) for kind in args.kind or ())
        query = AuditQuery(team_id, args.actor, kinds, since, until)
        rows: list[AuditRow] = []
        page = audit_review.team_audit(ws, actor, query, limit=args.limit)
        rows.extend(page.rows)
        while page.next_after is not None and len(rows) < args.limit:
            page = audit_review.team_audit(ws, actor, query, after=page.next_after,
                                           limit=args.limit - len(rows))  # fmt: skip
            rows.extend(page.rows)
    if args.json:
        print_json(rows)
    elif rows:
        print_rows(rows, with_case=True)
        if page.next_after is not None:
            print(f"(the newest {len(rows)}; --limit or --until show more)")
    else:
        print("No audit events match.")
    return exit_codes.OK


def print_rows(rows: tuple[AuditRow, ...] | list[AuditRow], *, with_case: bool) -> None:
    who_width = min(24, max((len(r.actor_name) for r in rows), default=3))
    for row in rows:
        when = row.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        case = f"{row.case_key or '—':<9} " if with_case else ""
        why = f" — why: “{_plain(row.why)}”" if row.why else ""
        who = _plain(row.actor_name)[:who_width]
        print(f"{when}  {case}{who:<{who_width}}  {_plain(row.what)}{why}")


def print_json(rows: tuple[AuditRow, ...] | list[AuditRow]) -> None:
    for row in rows:
        print(json.dumps({
            "time": row.occurred_at.isoformat(), "case": row.case_key, "chain": row.chain,
            "seq": row.seq, "actor": row.actor_login, "actor_name": row.actor_name,
            "action": row.action, "kind": row.kind.value if row.kind else None,
            "what": row.what, "why": row.why,
        }, ensure_ascii=False))  # fmt: skip


def parse_moment(text: str, option: str, *, end_of_day: bool = False) -> datetime:
    """A day (local midnight; with ``end_of_day`` the midnight after it) or an ISO moment."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{option} “{text}” is not a date; write e.g. 2026-11-24 or 2026-11-24T15:00."
        ) from None
    is_day = len(text.strip()) <= 10
    if is_day:
        moment = datetime.combine(moment.date(), time())
        if end_of_day:
            moment += timedelta(days=1)
    if moment.tzinfo is None:
        moment = moment.astimezone()  # this computer's time zone, as the rows are printed
    return moment


def _plain(text: str) -> str:
    return _UNPRINTABLE.sub("?", text.replace("\n", " ").replace("\t", " "))
