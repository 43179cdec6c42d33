"""The SLA countdown in a team's business hours: how much working time is left before a due
time, and whether that is on track, due soon or breached.

Due times are stored as instants (UTC). What a rep needs to know is how much *working* time the
team has left: a case due Monday 10:00 seen on Friday at 16:00, in a team that works 09:00-17:00
on weekdays, has two business hours left, not 66 wall-clock hours — it is due soon. The queue's
"Due soon" view asks the opposite question (``business_deadline``): by which instant will the
team have used up so many working hours?

Business hours come as the teams table holds them: ``{"mon": [["09:00", "17:00"]], ...}`` in the
team's time zone (days absent are closed; "24:00" closes at midnight), plus holidays as ISO dates
in that zone. A team with no hours at all is treated as working around the clock, so a missing
set-up never hides a breach.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

DUE_SOON = timedelta(hours=2)  # as the queue's colours have always meant it
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Looking further than this for working time means the calendar has none: stop, do not loop.
_HORIZON_DAYS = 3 * 366


class SlaState(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    BREACHED = "breached"
    PAUSED = "paused"  # pending customer: the clock stands still (DESIGN.md §4)
    NONE = "none"  # no SLA on this case


@dataclass(frozen=True)
class SlaCountdown:
    state: SlaState
    # Business time left until the due time; negative once breached (business time overdue).
    # None when there is no due time.
    remaining: timedelta | None


@dataclass(frozen=True)
class BusinessCalendar:
    """When a team works: per weekday, (opens, closes) local times; holidays closed all day."""

    time_zone: str
    hours: Mapping[str, Sequence[tuple[time, time | None]]]  # None closes at midnight
    holidays: frozenset[date] = frozenset()

    @classmethod
    def from_team(
        cls,
        time_zone: str,
        business_hours: Mapping[str, Iterable[Sequence[str]]] | None,
        holidays: Iterable[str] = (),
    ) -> BusinessCalendar:
        """Read the team row's JSON. Raises ValueError for a time or date that does not parse."""
        hours = {
            day: tuple(
                sorted(
                    ((_clock(opens), _closing(closes)) for opens, closes in spans or ()),
                    key=lambda span: span[0],
                )
            )
            for day, spans in (business_hours or {}).items()
            if day in _DAYS
        }
        return cls(time_zone, hours, frozenset(date.fromisoformat(d) for d in holidays))

    @property
    def always_open(self) -> bool:
        return not any(self.hours.values())

    def open_spans(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The team's working spans (UTC instants) that overlap [start, end), in order."""
        if self.always_open:
            if start < end:
                yield start, end
            return
        zone = ZoneInfo(self.time_zone)
        day = start.astimezone(zone).date() - timedelta(days=1)  # a span may start yesterday
        last = end.astimezone(zone).date()
        while day <= last:
            for opens, closes in self._spans_on(day, zone):
                lo, hi = max(opens, start), min(closes, end)
                if lo < hi:
                    yield lo, hi
            day += timedelta(days=1)

    def _spans_on(self, day: date, zone: ZoneInfo) -> Iterator[tuple[datetime, datetime]]:
        if day in self.holidays:
            return
        for opens, closes in self.hours.get(_DAYS[day.weekday()], ()):
            start = datetime.combine(day, opens, zone).astimezone(UTC)
            if closes is None:
                end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
            else:
                end = datetime.combine(day, closes, zone).astimezone(UTC)
            if start < end:
                yield start, end


def business_time_between(start: datetime, end: datetime, calendar: BusinessCalendar) -> timedelta:
    """Working time from ``start`` to ``end``; negative when ``end`` comes first."""
    if end < start:
        return -business_time_between(end, start, calendar)
    return sum((hi - lo for lo, hi in calendar.open_spans(start, end)), timedelta(0))


def business_deadline(start: datetime, business: timedelta, calendar: BusinessCalendar) -> datetime:
    """The instant at which ``business`` working time has passed since ``start``."""
    if business <= timedelta(0):
        return start
    if calendar.always_open:
        return start + business
    left = business
    window = timedelta(days=7)
    cursor = start
    while cursor - start < timedelta(days=_HORIZON_DAYS):
        for lo, hi in calendar.open_spans(cursor, cursor + window):
            if hi - lo >= left:
                return lo + left
            left -= hi - lo
        cursor += window
    raise ValueError("The team's business hours never open: set at least one working day.")


def sla_countdown(
    due: datetime | None,
    now: datetime,
    calendar: BusinessCalendar,
    *,
    paused: bool = False,
    due_soon: timedelta = DUE_SOON,
) -> SlaCountdown:
    """The countdown label's facts for one case: state, and business time left (or overdue)."""
    if due is None:
        return SlaCountdown(SlaState.NONE, None)
    remaining = business_time_between(now, due, calendar)
    if paused:
        return SlaCountdown(SlaState.PAUSED, remaining)
    if due <= now:
        return SlaCountdown(SlaState.BREACHED, remaining)
    if remaining <= due_soon:
        return SlaCountdown(SlaState.DUE_SOON, remaining)
    return SlaCountdown(SlaState.ON_TRACK, remaining)


def _clock(text: str) -> time:
    return time.fromisoformat(text)


def _closing(text: str) -> time | None:
    return None if text == "24:00" else time.fromisoformat(text)
