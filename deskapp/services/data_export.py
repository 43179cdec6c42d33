"""Exporting cases, customers and interactions to CSV or JSON: everything, or the cases of a
queue view as filtered on screen (and their customers and interactions).

The columns are the importer's field names, so an export imports again elsewhere. CSV cells
that a spreadsheet would run as a formula are neutralized (tabular_text.py). A redacted
customer's personal data stays redacted: their name, contacts and notes, the subjects of their
cases and the text of their interactions are written as REDACTED, whatever the rows still hold.
Rows stream to a temporary file that replaces the target only when complete.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from deskapp.db.models import Case, Customer, Interaction, Team, User
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput
from deskapp.services import queue_query as qq
from deskapp.services.import_sources import Kind
from deskapp.services.permissions import require_role
from deskapp.services.queue_records import QueueQuery
from deskapp.services.records import Actor
from deskapp.services.tabular_text import neutralize
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

ExportFormat = Literal["csv", "json"]
Progress = Callable[[str, int, int], None]
REDACTED = "[redacted]"
FORMAT_NAME = "deskapp.export"
FORMAT_VERSION = 1
BATCH = 2000

COLUMNS: dict[Kind, tuple[str, ...]] = {
    "customers": ("external_id", "name", "email", "phone", "time_zone", "tier", "tags",
                  "profile_note", "preferred_contact", "created_at"),
    "cases": ("external_id", "customer_external_id", "subject", "status", "priority", "channel",
              "category", "team", "assignee", "created_at", "updated_at", "resolved_at",
              "closed_at", "key"),
    "interactions": ("external_id", "case_external_id", "occurred_at", "channel", "direction",
                     "author", "body", "duration_seconds"),
}  # fmt: skip


def export_records(
    ws: Workspace,
    actor: Actor,
    kind: Kind,
    path: Path,
    format: ExportFormat | None = None,
    view: QueueQuery | None = None,
    progress: Progress | None = None,
) -> int:
    """Write ``kind`` (all of it, or what belongs to the cases of ``view``) to ``path``;
    returns how many records. Admins only: an export holds every customer's data."""
    require_role(actor, Role.ADMIN, "export data")
    chosen: ExportFormat = format or ("json" if path.suffix.lower() == ".json" else "csv")
    report = progress or (lambda stage, done, total: None)
    with read_session(ws) as session:
        cases = _view_cases(session, actor, view) if view is not None else None
        rows = _rows(session, kind, cases)
        try:
            count = _write(path, kind, chosen, rows, report)
        except OSError as exc:
            raise InvalidInput(f"{path} cannot be written ({exc.strerror or exc}).") from exc
    report("done", count, count)
    return count


def _view_cases(session: Session, actor: Actor, view: QueueQuery) -> Select[Any]:
    """The ids of the cases ``view`` shows this person (its filters and search included)."""
    qq.check_query(actor, view)
    dialect = session.get_bind().dialect.name
    clock = qq.read_clock(session) if qq.needs_clock(view.view) else None
    statement = qq.rows_statement(actor, view, clock, dialect).select
    return select(statement.subquery().c.id)


def _ext(external_id: str | None, fallback: Any) -> str:
    return external_id if external_id else str(fallback)


def _rows(session: Session, kind: Kind, cases: Select[Any] | None) -> Iterator[dict[str, Any]]:
    if kind == "customers":
        query = select(Customer).order_by(Customer.created_at, Customer.id)
        if cases is not None:
            query = query.where(Customer.id.in_(select(Case.customer_id).where(Case.id.in_(cases))))
        for c in session.scalars(query.execution_options(yield_per=BATCH)):
            hidden = c.redacted_at is not None
            yield {
                "external_id": _ext(c.external_id, c.id),
                "name": REDACTED if hidden else c.name,
                "email": None if hidden else c.email,
                "phone": None if hidden else c.phone,
                "time_zone": c.time_zone,
                "tier": c.tier,
                "tags": [] if hidden else list(c.tags or []),
                "profile_note": None if hidden else c.profile_note,
                "preferred_contact": None if hidden else c.preferred_contact,
                "created_at": c.created_at,
            }
        session.expunge_all()
    elif kind == "cases":
        assignee = aliased(User)
        case_query = (
            select(
                Case,
                Customer.external_id,
                Customer.id,
                Customer.redacted_at,
                Team.name,
                assignee.login,
            )
            .join(Customer, Customer.id == Case.customer_id)
            .join(Team, Team.id == Case.team_id)
            .outerjoin(assignee, assignee.id == Case.assignee_id)
            .order_by(Case.number)
        )
        if cases is not None:
            case_query = case_query.where(Case.id.in_(cases))
        for case, customer_ext, customer_id, redacted, team, login in session.execute(
            case_query.execution_options(yield_per=BATCH)
        ):
            yield {
                "external_id": _ext(case.external_id, format_case_key(case.number)),
                "customer_external_id": _ext(customer_ext, customer_id),
                "subject": REDACTED if redacted is not None else case.subject,
                "status": case.status,
                "priority": case.priority,
                "channel": case.channel,
                "category": case.category,
                "team": team,
                "assignee": login,
                "created_at": case.created_at,
                "updated_at": case.updated_at,
                "resolved_at": case.resolved_at,
                "closed_at": case.closed_at,
                "key": format_case_key(case.number),
            }
    else:
        author = aliased(User)
        interaction_query = (
            select(Interaction, Case.external_id, Case.number, Customer.redacted_at, author.login)
            .join(Case, Case.id == Interaction.case_id)
            .join(Customer, Customer.id == Interaction.customer_id)
            .outerjoin(author, author.id == Interaction.author_id)
            .order_by(Interaction.occurred_at, Interaction.id)
        )
        if cases is not None:
            interaction_query = interaction_query.where(Interaction.case_id.in_(cases))
        for item, case_ext, number, redacted, login in session.execute(
            interaction_query.execution_options(yield_per=BATCH)
        ):
            yield {
                "external_id": _ext(item.external_id, item.id),
                "case_external_id": _ext(case_ext, format_case_key(number)),
                "occurred_at": item.occurred_at,
                "channel": item.channel,
                "direction": item.direction,
                "author": login,
                "body": REDACTED if redacted is not None else item.body,
                "duration_seconds": item.duration_seconds,
            }


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return neutralize(", ".join(value))
    return neutralize(str(_plain(value)))


def _write(
    path: Path,
    kind: Kind,
    format: ExportFormat,
    rows: Iterator[dict[str, Any]],
    progress: Progress,
) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            if format == "csv":
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(COLUMNS[kind])
                for row in rows:
                    writer.writerow([_cell(row[name]) for name in COLUMNS[kind]])
                    count += 1
                    if count % BATCH == 0:
                        progress("rows", count, 0)
            else:
                handle.write(
                    f'{{"format": "{FORMAT_NAME}", "version": {FORMAT_VERSION}, '
                    f'"kind": "{kind}", "records": ['
                )
                for row in rows:
                    record = {name: _plain(row[name]) for name in COLUMNS[kind]}
                    handle.write(("," if count else "") + "\n  ")
                    handle.write(json.dumps(record, ensure_ascii=False))
                    count += 1
                    if count % BATCH == 0:
                        progress("rows", count, 0)
                handle.write("\n]}\n")
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
