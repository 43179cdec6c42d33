"""Reading one imported cell into the value Deskapp stores, or a reason a person can act on.

Each reader takes the cell's text and returns the value, or raises ``BadValue`` with the
reason. Written for speed as much as clarity: a million-row import calls them tens of millions
of times, so the common forms (ISO dates, plain words) are tried first and cost one call.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from enum import Enum
from typing import Any

from deskapp.domain.enums import CaseStatus, Channel, Direction, Priority, Tier


class BadValue(Exception):
    """The cell cannot be read; the message says why (without quoting long text)."""


@dataclass(frozen=True)
class DateRules:
    """How to read dates the file writes without saying: ``01/02/2024`` is 2 January when
    ``day_first`` (Europe), 1 February otherwise (the US); times without an offset are in
    ``zone``."""

    day_first: bool = False
    zone: tzinfo = UTC


_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]{2,}$")
_SLASHED = re.compile(
    r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})"  # 01/31/2024, 31.01.2024, 2024/01/31
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"  # 2:05 PM, 14:05:00
)
_EPOCH = re.compile(r"^\d{9,10}(?:\.\d+)?$")
_ZONES: frozenset[str] | None = None


def shown(text: str, limit: int = 40) -> str:
    """A cell as quoted in a report: cut, on one line."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def text_reader(limit: int) -> Callable[[str], str]:
    def read(cell: str) -> str:
        value = cell.strip()
        if len(value) > limit:
            raise BadValue(f"is {len(value):,} characters long; at most {limit:,} fit")
        return value

    return read


def read_email(cell: str) -> str:
    value = cell.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise BadValue(f"“{shown(value)}” is not an e-mail address (like name@example.com)")
    return value.lower()


def read_int(cell: str) -> int:
    value = cell.strip()
    try:
        number = int(float(value)) if "." in value else int(value)
    except ValueError:
        raise BadValue(f"“{shown(value)}” is not a whole number") from None
    if not 0 <= number < 2**31:
        raise BadValue(f"{number} is out of range (0 up to 2,147,483,647)")
    return number


def read_tags(cell: str) -> list[str]:
    tags = [t.strip() for t in re.split(r"[,;]", cell) if t.strip()]
    if any(len(t) > 60 for t in tags):
        raise BadValue("has a tag longer than 60 characters")
    return tags


def read_zone(cell: str) -> str:
    global _ZONES
    value = cell.strip()
    if _ZONES is None:
        _ZONES = frozenset(zoneinfo.available_timezones())
    if value not in _ZONES:
        raise BadValue(f"“{shown(value)}” is not a time zone name (like Europe/Paris or UTC)")
    return value


def datetime_reader(rules: DateRules) -> Callable[[str], datetime]:
    if getattr(rules.zone, "key", None) == "UTC":  # ZoneInfo("UTC"): no offset to work out
        rules = DateRules(rules.day_first, UTC)

    def read(cell: str) -> datetime:
        return read_datetime(cell, rules)

    return read


def read_datetime(cell: str, rules: DateRules) -> datetime:
    """ISO 8601 (``2024-01-02T10:00:00Z``, ``2024-01-02 10:00``), slashed or dotted dates in the
    file's day/month order, RFC 2822 (e-mail headers) and Unix seconds."""
    value = cell.strip()
    try:
        moment = datetime.fromisoformat(value)  # in C: the common forms cost one call
    except ValueError:
        moment = _other_forms(value, rules)
    if moment.tzinfo is None:  # combine, not replace(tzinfo=…): a third of the time on 3.11
        moment = datetime.combine(moment, moment.time(), rules.zone)
    if not 1970 <= moment.year <= 2200:
        raise BadValue(f"“{shown(value)}” is outside the years 1970–2200")
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _other_forms(value: str, rules: DateRules) -> datetime:
    match = _SLASHED.match(value)
    if match:
        return _slashed(value, match, rules)
    if _EPOCH.match(value):
        return datetime.fromtimestamp(float(value), UTC)
    if value[:1].isalpha() or "," in value:
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            pass
    raise BadValue(
        f"“{shown(value)}” is not a date Deskapp reads: write 2024-01-31 14:05 (ISO 8601), "
        "31/01/2024 or 01/31/2024 (with the file's day order chosen), 31.01.2024, an e-mail "
        "date (Wed, 31 Jan 2024 14:05:00 +0000) or Unix seconds"
    )


def _slashed(value: str, match: re.Match[str], rules: DateRules) -> datetime:
    first, second, third, hour, minute, sec, half = match.groups()
    if len(first) == 4:  # 2024/01/31
        year, month, day = int(first), int(second), int(third)
    elif len(third) == 4:
        dotted = "." in value[: len(first) + 1]  # 31.01.2024 is day-first everywhere
        day_first = rules.day_first or dotted
        day, month = (int(first), int(second)) if day_first else (int(second), int(first))
        year = int(third)
    else:
        raise BadValue(f"“{shown(value)}” has no four-digit year")
    hours = int(hour or 0)
    if half:
        if not 1 <= hours <= 12:
            raise BadValue(f"“{shown(value)}” has an hour that is not 1–12 before AM/PM")
        hours = hours % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return datetime(year, month, day, hours, int(minute or 0), int(sec or 0))
    except ValueError:
        order = "day/month/year" if rules.day_first else "month/day/year"
        raise BadValue(
            f"“{shown(value)}” is not a real date read as {order}"
            + ("" if rules.day_first else " (if the file writes day/month/year, say so)")
        ) from None


# ------------------------------------------------------------------------ words → enums
def _words(enum: type[Enum], extra: dict[str, Any]) -> dict[str, Any]:
    known: dict[str, Any] = {member.value: member for member in enum}
    known.update({name.lower(): member for name, member in extra.items()})
    return known


STATUS_WORDS = _words(
    CaseStatus,
    {
        "pending": CaseStatus.PENDING_CUSTOMER,
        "pending customer": CaseStatus.PENDING_CUSTOMER,
        "waiting on customer": CaseStatus.PENDING_CUSTOMER,
        "hold": CaseStatus.PENDING_INTERNAL,
        "on-hold": CaseStatus.PENDING_INTERNAL,
        "on hold": CaseStatus.PENDING_INTERNAL,
        "pending internal": CaseStatus.PENDING_INTERNAL,
        "waiting on third party": CaseStatus.PENDING_THIRD_PARTY,
        "pending third party": CaseStatus.PENDING_THIRD_PARTY,
        "solved": CaseStatus.RESOLVED,
        "in progress": CaseStatus.OPEN,
    },
)
PRIORITY_WORDS = _words(
    Priority, {"medium": Priority.NORMAL, "normal": Priority.NORMAL, "critical": Priority.URGENT}
)
CHANNEL_WORDS = _words(
    Channel,
    {
        "mail": Channel.EMAIL,
        "e-mail": Channel.EMAIL,
        "web": Channel.EMAIL,
        "portal": Channel.EMAIL,
        "web form": Channel.EMAIL,
        "web_form": Channel.EMAIL,
        "api": Channel.EMAIL,
        "feedback widget": Channel.EMAIL,
        "outbound email": Channel.EMAIL,
        "voice": Channel.PHONE,
        "call": Channel.PHONE,
        "telephone": Channel.PHONE,
        "chat": Channel.CHAT,
        "web chat": Channel.CHAT,
        "native_messaging": Channel.CHAT,
        "sms": Channel.CHAT,
        "whatsapp": Channel.CHAT,
        "twitter": Channel.SOCIAL,
        "facebook": Channel.SOCIAL,
        "instagram": Channel.SOCIAL,
        "in person": Channel.IN_PERSON,
        "walk-in": Channel.IN_PERSON,
        "third party": Channel.THIRD_PARTY,
    },
)
DIRECTION_WORDS = _words(
    Direction,
    {
        "in": Direction.INBOUND,
        "customer": Direction.INBOUND,
        "incoming": Direction.INBOUND,
        "out": Direction.OUTBOUND,
        "agent": Direction.OUTBOUND,
        "outgoing": Direction.OUTBOUND,
        "note": Direction.INTERNAL,
        "private": Direction.INTERNAL,
    },
)
TIER_WORDS = _words(Tier, {"normal": Tier.STANDARD, "gold": Tier.PRIORITY, "premium": Tier.VIP})


def word_reader(words: dict[str, Any], what: str) -> Callable[[str], Any]:
    choices = ", ".join(sorted({str(v.value) for v in words.values()}))

    def read(cell: str) -> Any:
        found = words.get(cell)  # written as Deskapp writes it: one lookup
        if found is None:
            found = words.get(cell.strip().lower())
        if found is None:
            found = words.get(cell.strip().lower().replace("_", " "))
        if found is None:
            raise BadValue(f"“{shown(cell.strip())}” is not a {what}: write one of {choices}")
        return found

    return read
