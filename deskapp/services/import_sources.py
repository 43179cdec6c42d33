"""What an import file says, as records of Deskapp's own fields: CSV with a column mapping,
Zendesk's ticket export (JSON) and Freshdesk's ticket export (CSV).

A record is one customer, case or interaction with its cells as text, named by Deskapp's
field names (FIELDS), and where it came from (a CSV line, a JSON ticket). Checking the values
is data_import.py's job; here only the file's shape is judged. Records stream: a million-line
CSV is never held as a million dicts.

Helpdesk exports hold tickets, and a ticket brings its requester (a customer) and its comments
(interactions). Their records are ``derived``: the same requester on a hundred tickets is one
customer, not a hundred duplicates.

Formats, from the vendors' public documentation:

- **Zendesk**: the Tickets API's JSON (``{"tickets": [...], "users": [...]}``, users
  side-loaded), a bare list of tickets, or the account export's NDJSON (one ticket per line).
  A ticket: ``id, subject, description, status`` (new, open, pending, hold, solved, closed),
  ``priority`` (low, normal, high, urgent or null), ``requester_id, assignee_id, created_at,
  updated_at, type, tags, via.channel`` and ``comments`` (``id, author_id, body`` or
  ``plain_body, public, created_at``). ``requester`` / ``assignee`` may also be objects.
- **Freshdesk**: Tickets ▸ Export as CSV: ``Ticket ID, Subject, Description, Status, Priority,
  Source, Type, Agent, Group, Created time, Last update time, Resolved time, Closed time,
  Tags, Full name, Email, Contact ID, Work phone, Mobile phone`` (any subset, any order).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from deskapp.services.tabular_text import restore, sniff_delimiter

Kind = Literal["customers", "cases", "interactions"]
SourceFormat = Literal["csv", "zendesk", "freshdesk"]
KINDS: tuple[Kind, ...] = ("customers", "cases", "interactions")
FORMATS: tuple[SourceFormat, ...] = ("csv", "zendesk", "freshdesk")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()


FIELDS: dict[Kind, tuple[Field, ...]] = {
    "customers": (
        Field("external_id", "Customer id in the old system", True,
              ("id", "customer_id", "contact_id", "customer id", "contact id")),
        Field("name", "Name", True, ("full_name", "full name", "customer", "customer_name")),
        Field("email", "E-mail", False, ("e-mail", "email_address", "mail")),
        Field("phone", "Phone", False, ("telephone", "phone_number", "work_phone", "mobile")),
        Field("time_zone", "Time zone", False, ("timezone", "tz", "zone")),
        Field("tier", "Tier", False, ("level", "segment")),
        Field("tags", "Tags", False, ("labels",)),
        Field("profile_note", "Profile note", False, ("note", "notes", "about")),
        Field("preferred_contact", "Preferred contact", False, ("contact_preference",)),
        Field("created_at", "Created", False, ("created", "created_time", "since")),
    ),
    "cases": (
        Field("external_id", "Case id in the old system", True,
              ("id", "case_id", "ticket_id", "ticket id", "number")),
        Field("customer_external_id", "Customer id in the old system", True,
              ("customer_id", "customer", "requester_id", "contact_id")),
        Field("subject", "Subject", True, ("title", "summary")),
        Field("status", "Status", False, ("state",)),
        Field("priority", "Priority", False, ()),
        Field("channel", "Channel", False, ("source", "via")),
        Field("category", "Category", False, ("type",)),
        Field("team", "Team", False, ("group",)),
        Field("assignee", "Assignee (login, e-mail or name)", False, ("agent", "owner")),
        Field("created_at", "Created", False, ("created", "created_time", "opened")),
        Field("updated_at", "Last updated", False, ("updated", "last_update_time")),
        Field("resolved_at", "Resolved", False, ("resolved", "resolved_time", "solved_at")),
        Field("closed_at", "Closed", False, ("closed", "closed_time")),
    ),
    "interactions": (
        Field("external_id", "Interaction id in the old system", True,
              ("id", "interaction_id", "comment_id", "message_id")),
        Field("case_external_id", "Case id in the old system", True,
              ("case_id", "case", "ticket_id", "ticket")),
        Field("occurred_at", "When", True, ("date", "time", "created_at", "timestamp")),
        Field("channel", "Channel", False, ("source", "via")),
        Field("direction", "Direction", False, ("from", "type")),
        Field("author", "Author (login, e-mail or name)", False, ("agent", "user")),
        Field("body", "Text", False, ("text", "message", "content", "comment")),
        Field("duration_seconds", "Duration (seconds)", False, ("duration", "seconds")),
    ),
}  # fmt: skip


def field_names(kind: Kind) -> tuple[str, ...]:
    return tuple(f.name for f in FIELDS[kind])


@dataclass(slots=True)
class Record:
    kind: Kind
    line: int  # where a person finds it: the CSV line, the JSON ticket (1 up)
    values: dict[str, str]
    derived: bool = False  # from a helpdesk ticket: repeats of one requester are one customer
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, reason): shape


@dataclass
class Source:
    """A file's records, and what was learnt about it on the way."""

    format: SourceFormat
    records: Iterator[Record]
    estimated_rows: int
    columns: tuple[str, ...] = ()  # a CSV's header, for the mapping editor
    mapping: dict[str, str] = field(default_factory=dict)  # field → column, as used
    delimiter: str | None = None
    problems: list[str] = field(default_factory=list)  # the file as a whole: nothing imports
    notes: list[str] = field(default_factory=list)  # worth knowing, not blocking


def normalized(header: str) -> str:
    return " ".join(header.replace("_", " ").replace("-", " ").split()).lower()


def guess_format(name: str, text: str) -> SourceFormat:
    """From the file: JSON is Zendesk's; a CSV whose header has Freshdesk's "Ticket ID" and
    "Subject" is Freshdesk's; any other CSV is a plain CSV with a mapping."""
    start = text.lstrip()[:1]
    if start in ("{", "[") or name.lower().endswith((".json", ".ndjson", ".jsonl")):
        return "zendesk"
    first_line = text[:4000].splitlines()[0] if text.strip() else ""
    header = {normalized(h) for h in next(csv.reader([first_line]), [])}
    for delimiter in ";\t|":
        header |= {normalized(h) for h in first_line.split(delimiter)}
    return "freshdesk" if {"ticket id", "subject"} <= header else "csv"


# ------------------------------------------------------------------------ plain CSV
def auto_mapping(kind: Kind, header: list[str]) -> dict[str, str]:
    """Field → column, for columns named like a field (or one of its usual other names)."""
    by_name = {normalized(h): h for h in header if h.strip()}
    mapping: dict[str, str] = {}
    for f in FIELDS[kind]:
        for candidate in (f.name, *f.aliases):
            column = by_name.get(normalized(candidate))
            if column is not None and column not in mapping.values():
                mapping[f.name] = column
                break
    return mapping


def read_csv(
    kind: Kind, text: str, mapping: dict[str, str] | None, saved: dict[str, str] | None = None
) -> Source:
    """Records of ``kind`` from a CSV. ``mapping`` (field → column) wins, then the ``saved``
    mapping's entries whose columns this file has, then columns named like the fields."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    source = Source("csv", iter(()), max(0, text.count("\n") - 1), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        source.problems.append(f"the first line is not valid CSV: {exc}.")
        return source
    header = [h.strip().lstrip("\ufeff") for h in header]
    source.columns = tuple(header)
    if not any(header):
        source.problems.append(
            "the first line must name the columns (it is empty). Columns Deskapp reads for "
            f"{kind}: {', '.join(field_names(kind))}."
        )
        return source
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        source.problems.append(f"the column(s) {', '.join(repeated)} appear more than once.")
    chosen = auto_mapping(kind, header)
    for name, column in (saved or {}).items():
        if column in header and name in field_names(kind):
            chosen[name] = column
    if mapping is not None:
        chosen = {}
        for name, column in mapping.items():
            if name not in field_names(kind):
                source.problems.append(
                    f"the mapping names “{name}”, which is not a field of {kind}: the fields are "
                    f"{', '.join(field_names(kind))}."
                )
            elif column not in header:
                source.problems.append(
                    f"the mapping reads {name} from a column “{column}” this file does not have."
                )
            elif column:
                chosen[name] = column
    source.mapping = chosen
    missing = [f for f in FIELDS[kind] if f.required and f.name not in chosen]
    for f in missing:
        source.problems.append(
            f"no column gives the {f.label.lower()} ({f.name}): map one of "
            f"{', '.join(h for h in header if h) or 'the columns'} to it."
        )
    unused = [h for h in header if h and h not in chosen.values()]
    if unused:
        source.notes.append(f"Columns not imported: {', '.join(unused)}.")
    if source.problems:
        return source
    # Deskapp's own export (its columns, the case key besides): formulas were guarded.
    ours = set(header) <= {*field_names(kind), "key"} and len(header) > 2
    source.records = _csv_records(kind, reader, header, chosen, ours)
    return source


def _csv_records(
    kind: Kind, reader: Any, header: list[str], mapping: dict[str, str], ours: bool
) -> Iterator[Record]:
    index = {h: i for i, h in enumerate(header)}
    picks = [(name, index[column]) for name, column in mapping.items()]
    width = len(header)
    line = reader.line_num + 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            count = len(cells)
            if count == width > 1 and not ours:  # the common case: one dict, nothing to say
                yield Record(kind, start, {name: cells[i] for name, i in picks})
                continue
            if not cells or (count == 1 and not cells[0].strip()):
                continue  # a blank line is no row
            if ours:
                cells = [restore(c) for c in cells]
            values = {name: cells[i] for name, i in picks if i < count}
            record = Record(kind, start, values)
            if count > width:
                record.problems.append(
                    ("", f"has {count} cells but the header names {width} columns")
                )
            elif count < width:
                short = [name for name, i in picks if i >= count]
                if short:
                    record.problems.append(
                        (mapping[short[0]], f"has {count} cells; the header names {width}")
                    )
            yield record
    except csv.Error as exc:
        # The csv module cannot resume after a broken quote: the rest is this one problem.
        yield Record(kind, line, {}, problems=[("", f"is not valid CSV ({exc})")])


# ------------------------------------------------------------------------ Freshdesk
_FRESHDESK_STATUS = {"2": "open", "3": "pending", "4": "resolved", "5": "closed"}
_FRESHDESK_PRIORITY = {"1": "low", "2": "normal", "3": "high", "4": "urgent"}
_FRESHDESK_SOURCE = {"1": "email", "2": "portal", "3": "phone", "7": "chat", "9": "web",
                     "10": "email"}  # fmt: skip


def read_freshdesk(kind: Kind, text: str) -> Source:
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    source = Source("freshdesk", iter(()), max(0, text.count("\n") - 1), delimiter=delimiter)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    except csv.Error as exc:
        source.problems.append(f"the first line is not valid CSV: {exc}.")
        return source
    source.columns = tuple(header)
    by_name = {normalized(h): i for i, h in enumerate(header)}
    needed = ["ticket id", "subject"] if kind != "customers" else []
    if "contact id" not in by_name and "email" not in by_name:
        needed.append("email")
    for name in needed:
        if name not in by_name:
            source.problems.append(
                f"this is not a Freshdesk ticket export: it has no “{name.title()}” column."
            )
    if source.problems:
        return source
    source.records = _freshdesk_records(kind, reader, by_name)
    return source


def _freshdesk_records(kind: Kind, reader: Any, by_name: dict[str, int]) -> Iterator[Record]:
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Record("cases", line, {}, problems=[("", f"is not valid CSV ({exc})")])
            return
        start, line = line, reader.line_num + 1
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = by_name.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        contact = cell("contact id") or cell("email")
        yield Record(
            "customers",
            start,
            {
                "external_id": contact,
                "name": cell("full name") or cell("email") or f"Freshdesk contact {contact}",
                "email": cell("email"),
                "phone": cell("work phone") or cell("mobile phone") or cell("phone"),
            },
            derived=True,
        )
        if kind == "customers":
            continue
        ticket = cell("ticket id")
        status = cell("status")
        yield Record(
            "cases",
            start,
            {
                "external_id": ticket,
                "customer_external_id": contact,
                "subject": cell("subject"),
                "status": _FRESHDESK_STATUS.get(status, status),
                "priority": _FRESHDESK_PRIORITY.get(cell("priority"), cell("priority")),
                "channel": _FRESHDESK_SOURCE.get(cell("source"), cell("source")),
                "category": cell("type"),
                "group": cell("group"),
                "assignee": cell("agent"),
                "created_at": cell("created time"),
                "updated_at": cell("last update time"),
                "resolved_at": cell("resolved time"),
                "closed_at": cell("closed time"),
            },
            derived=True,
        )
        description = cell("description")
        if description:
            yield Record(
                "interactions",
                start,
                {
                    "external_id": f"{ticket}:description",
                    "case_external_id": ticket,
                    "occurred_at": cell("created time"),
                    "direction": "inbound",
                    "body": description,
                },
                derived=True,
            )


# ------------------------------------------------------------------------ Zendesk
def read_zendesk(kind: Kind, text: str) -> Source:
    source = Source("zendesk", iter(()), 0)
    tickets, users, problem = _zendesk_document(text)
    if problem:
        source.problems.append(problem)
        return source
    source.estimated_rows = len(tickets)
    source.records = _zendesk_records(kind, tickets, users)
    return source


def _zendesk_document(text: str) -> tuple[list[Any], dict[str, dict[str, Any]], str | None]:
    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        document = None
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1 and lines[0].lstrip().startswith("{"):
            try:  # the account export: one ticket per line
                document = [json.loads(line) for line in lines]
            except json.JSONDecodeError as line_exc:
                return [], {}, f"it is not valid JSON ({line_exc.msg}, line {line_exc.lineno})."
        if document is None:
            return (
                [],
                {},
                (f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."),
            )
    users: dict[str, dict[str, Any]] = {}
    if isinstance(document, dict):
        for user in document.get("users") or []:
            if isinstance(user, dict) and user.get("id") is not None:
                users[str(user["id"])] = user
        if "tickets" in document:
            document = document["tickets"]
        elif "ticket" in document:
            document = [document["ticket"]]
    if not isinstance(document, list):
        return (
            [],
            {},
            (
                'it is not a Zendesk ticket export: expected {"tickets": [...]} (with "users" '
                "side-loaded), a list of tickets, or one ticket per line."
            ),
        )
    if not document:
        return [], {}, "it holds no tickets."
    return document, users, None


def _zendesk_records(
    kind: Kind, tickets: list[Any], users: dict[str, dict[str, Any]]
) -> Iterator[Record]:
    for number, ticket in enumerate(tickets, start=1):
        if not isinstance(ticket, dict) or ticket.get("id") is None:
            yield Record(
                "cases", number, {}, problems=[("", "is not a ticket (an object with an id)")]
            )
            continue
        ticket_id = _text(ticket.get("id"))
        requester = ticket.get("requester")
        requester_id = _text(ticket.get("requester_id"))
        if isinstance(requester, dict):
            requester_id = requester_id or _text(requester.get("id"))
            users.setdefault(requester_id, requester)
        person = users.get(requester_id, {})
        yield Record(
            "customers",
            number,
            {
                "external_id": requester_id,
                "name": _text(person.get("name"))
                or _text(person.get("email"))
                or f"Zendesk requester {requester_id}",
                "email": _text(person.get("email")),
                "phone": _text(person.get("phone")),
                "time_zone": _text(person.get("iana_time_zone")),
                "created_at": _text(person.get("created_at")),
            },
            derived=True,
        )
        if kind == "customers":
            continue
        via = ticket.get("via")
        channel = _text(via.get("channel")) if isinstance(via, dict) else ""
        assignee = ticket.get("assignee")
        assignee_id = _text(ticket.get("assignee_id"))
        tags = ticket.get("tags")
        yield Record(
            "cases",
            number,
            {
                "external_id": ticket_id,
                "customer_external_id": requester_id,
                "subject": _text(ticket.get("subject")) or _text(ticket.get("raw_subject")),
                "status": _text(ticket.get("status")),
                "priority": _text(ticket.get("priority")),
                "channel": channel,
                "category": _text(ticket.get("type")),
                "assignee": _person(assignee if isinstance(assignee, dict) else None)
                or _person(users.get(assignee_id)),
                "created_at": _text(ticket.get("created_at")),
                "updated_at": _text(ticket.get("updated_at")),
                "tags": ",".join(str(t) for t in tags) if isinstance(tags, list) else "",
            },
            derived=True,
        )
        yield from _zendesk_comments(number, ticket, ticket_id, requester_id, channel, users)


def _zendesk_comments(
    number: int,
    ticket: dict[str, Any],
    ticket_id: str,
    requester_id: str,
    channel: str,
    users: dict[str, dict[str, Any]],
) -> Iterator[Record]:
    comments = ticket.get("comments")
    if not isinstance(comments, list) or not comments:
        description = _text(ticket.get("description"))
        if description:
            comments = [{"id": f"{ticket_id}:description", "author_id": requester_id,
                         "body": description, "created_at": ticket.get("created_at")}]  # fmt: skip
        else:
            return
    for position, comment in enumerate(comments, start=1):
        if not isinstance(comment, dict):
            yield Record(
                "interactions",
                number,
                {},
                problems=[(f"comments[{position}]", "is not a comment object")],
            )
            continue
        author_id = _text(comment.get("author_id"))
        if comment.get("public") is False:
            direction = "internal"
        else:
            direction = "inbound" if author_id and author_id == requester_id else "outbound"
        comment_via = comment.get("via")
        yield Record(
            "interactions",
            number,
            {
                "external_id": _text(comment.get("id")) or f"{ticket_id}:{position}",
                "case_external_id": ticket_id,
                "occurred_at": _text(comment.get("created_at")),
                "channel": (
                    _text(comment_via.get("channel")) if isinstance(comment_via, dict) else ""
                )
                or channel,
                "direction": direction,
                "author": "" if direction == "inbound" else _person(users.get(author_id)),
                "body": _text(comment.get("plain_body")) or _text(comment.get("body")),
            },
            derived=True,
        )


def _person(user: dict[str, Any] | None) -> str:
    if not user:
        return ""
    return _text(user.get("email")) or _text(user.get("name"))


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()
