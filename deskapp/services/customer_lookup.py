"""Finding the customer on the line by name, email or phone, as the rep types.

What was typed decides the search: an address with “@” searches emails, digits (spaces,
brackets, dashes and a leading + allowed) search phone numbers, anything else names. Each is
first an indexed range on the column's own index (the ``name >= 'Marg' AND name < 'Marh'`` form
works on every dialect and collation, where ``ILIKE 'marg%'`` cannot use a plain index), tried
in the spellings people write names in ("marg", "Marg", "MARG"); only when that finds fewer than
asked for does a scan look further: a later word of the name ("okafor" in "Margaret Okafor"), or
the digits anywhere in the number (a national number typed without its country code). Results
are ranked exact, then starts-with, then contains, and come with each customer's open cases.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import InstrumentedAttribute, Session

from deskapp.db.models import Case, Customer, Organization
from deskapp.domain.enums import CaseStatus, Tier
from deskapp.domain.errors import InvalidInput
from deskapp.services.customers import phone_digits
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

MAX_TEXT = 200
MAX_RESULTS = 100
MIN_DIGITS = 3
MIN_SCAN_CHARS = 2  # a one-letter word search would scan for everyone
OPEN_STATUSES = tuple(s for s in CaseStatus if s.is_open)
_PHONE_TEXT = re.compile(r"^\+?[\d\s().\-/]+$")

MatchKind = Literal["name", "email", "phone"]


@dataclass(frozen=True)
class CustomerMatch:
    id: uuid.UUID
    name: str
    email: str | None
    phone: str | None
    organization: str | None
    tier: Tier
    time_zone: str
    matched_on: MatchKind
    open_cases: int = 0
    last_case_at: datetime | None = None  # when their newest case was opened


def find_customers(ws: Workspace, text: str, *, limit: int = 20) -> list[CustomerMatch]:
    """The customers matching ``text``, best first; [] for an empty search."""
    if not 1 <= limit <= MAX_RESULTS:
        raise InvalidInput(f"A customer search returns 1 to {MAX_RESULTS} customers.")
    query = " ".join((text or "")[:MAX_TEXT].split())
    if not query:
        return []
    with read_session(ws) as session:
        if "@" in query:
            kind: MatchKind = "email"
            found = _search_email(session, query, limit)
        elif _PHONE_TEXT.match(query) and len(phone_digits(query) or "") >= MIN_DIGITS:
            kind = "phone"
            found = _search_phone(session, phone_digits(query) or "", limit)
        else:
            kind = "name"
            found = _search_name(session, query, limit)
        return _with_cases(session, found[:limit], kind)


# ----------------------------------------------------------------------------- searches
_COLUMNS = (
    Customer.id,
    Customer.name,
    Customer.email,
    Customer.phone,
    Organization.name,
    Customer.tier,
    Customer.time_zone,
    Customer.phone_digits,
)


def _select(condition: ColumnElement[bool], limit: int) -> Any:
    return (
        select(*_COLUMNS)
        .outerjoin(Organization, Organization.id == Customer.organization_id)
        .where(condition, Customer.redacted_at.is_(None))
        .limit(limit)
    )


def _search_name(session: Session, query: str, limit: int) -> list[Any]:
    folded = query.casefold()
    rows = _prefix_rows(session, Customer.name, _spellings(query), limit * 3)
    rows = [r for r in rows if r[1].casefold().startswith(folded)]
    if len(rows) < limit and len(query) >= MIN_SCAN_CHARS:
        later_word = Customer.name.ilike(f"% {_escaped(query)}%", escape="\\")
        rows += _scan(session, later_word, limit * 3, {r[0] for r in rows})
    rows = [r for r in rows if folded in r[1].casefold()]
    return _ranked(rows, lambda r: r[1], folded)


def _search_email(session: Session, query: str, limit: int) -> list[Any]:
    folded = query.casefold()
    rows = _prefix_rows(session, Customer.email, _spellings(query), limit * 3)
    rows = [r for r in rows if (r[2] or "").casefold().startswith(folded)]
    if len(rows) < limit:  # an address stored in mixed case ("Ann.Lee@Example.com")
        typed_start = Customer.email.ilike(f"{_escaped(query)}%", escape="\\")
        rows += _scan(session, typed_start, limit * 3, {r[0] for r in rows})
    return _ranked(rows, lambda r: r[2] or "", folded)


def _search_phone(session: Session, digits: str, limit: int) -> list[Any]:
    rows = _prefix_rows(session, Customer.phone_digits, {digits}, limit * 3)
    if len(rows) < limit:
        anywhere = Customer.phone_digits.contains(digits, autoescape=True)
        rows += _scan(session, anywhere, limit * 3, {r[0] for r in rows})
    return _ranked(rows, lambda r: r[7] or "", digits)


def _prefix_rows(
    session: Session, column: InstrumentedAttribute[Any], spellings: Iterable[str], limit: int
) -> list[Any]:
    ranges = [
        and_(column >= spelling, column < _after(spelling)) for spelling in sorted(set(spellings))
    ]
    if not ranges:
        return []
    found: dict[uuid.UUID, Any] = {}
    for row in session.execute(_select(or_(*ranges), limit).order_by(column)):
        found.setdefault(row[0], row)
    return list(found.values())


def _scan(
    session: Session, condition: ColumnElement[bool], limit: int, seen: set[uuid.UUID]
) -> list[Any]:
    rows = session.execute(_select(condition, limit + len(seen))).all()
    return [r for r in rows if r[0] not in seen][:limit]


def _ranked(rows: list[Any], value: Any, wanted: str) -> list[Any]:
    def rank(row: Any) -> tuple[int, str]:
        text = value(row).casefold()
        return (0 if text == wanted else 1 if text.startswith(wanted) else 2, text)

    return sorted(rows, key=rank)


def _spellings(query: str) -> set[str]:
    """How a name may start in the table: as typed, lower, Title Case, UPPER, first capital."""
    return {query, query.lower(), query.title(), query.upper(), query[:1].upper() + query[1:]}


def _after(prefix: str) -> str:
    """The smallest string above every string starting with ``prefix``."""
    last = prefix[-1]
    if ord(last) >= 0x10FFFF:
        return prefix + "\U0010ffff"
    return prefix[:-1] + chr(ord(last) + 1)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _with_cases(session: Session, rows: list[Any], kind: MatchKind) -> list[CustomerMatch]:
    """Each match with their open case count and newest case: one grouped, indexed read."""
    ids = [r[0] for r in rows]
    figures: dict[uuid.UUID, tuple[int, datetime | None]] = {}
    if ids:
        open_count = func.sum(func.coalesce(_is_open(), 0))
        for customer_id, opened, newest in session.execute(
            select(Case.customer_id, open_count, func.max(Case.created_at))
            .where(Case.customer_id.in_(ids))
            .group_by(Case.customer_id)
        ):
            figures[customer_id] = (int(opened or 0), newest)
    return [
        CustomerMatch(r[0], r[1], r[2], r[3], r[4], r[5], r[6], kind, *figures.get(r[0], (0, None)))
        for r in rows
    ]


def _is_open() -> Any:
    return sql_case((Case.status.in_(OPEN_STATUSES), 1), else_=0)
