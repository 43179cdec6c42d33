"""The SLA clock stands still while a case is pending customer (DESIGN.md §4).

Entering pending customer records when the clock stopped (``cases.sla_paused_at``). Leaving it
moves every due time that had not yet passed when the clock stopped later by the *working* time
the pause lasted, in the team's business hours: a case paused from Friday 16:00 to Monday 10:00
in a 09:00-17:00 team gets two hours more, not sixty-six. A due time already breached before the
pause stays breached. Called inside the caller's transaction with the server's clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from deskapp.db.models import Case, Team
from deskapp.domain.sla_clock import BusinessCalendar, business_deadline, business_time_between


def pause(case: Case, now: datetime) -> None:
    if case.sla_paused_at is None:
        case.sla_paused_at = now


def resume(session: Session, case: Case, now: datetime) -> dict[str, str]:
    """Clear the pause and push the running due times on; returns what moved (for the audit)."""
    paused_at = case.sla_paused_at
    if paused_at is None:
        return {}
    calendar = _calendar(session, case)  # read before changing the case: no early flush
    case.sla_paused_at = None
    try:
        paused = (
            (now - paused_at)
            if calendar is None
            else (business_time_between(paused_at, now, calendar))
        )
    except (ValueError, KeyError):  # an unknown time zone: wall-clock time is the fallback
        calendar, paused = None, now - paused_at
    if paused <= timedelta(0):
        return {}
    moved: dict[str, str] = {}
    fields = ["next_response_due", "resolution_due"]
    if case.first_responded_at is None:
        fields.insert(0, "first_response_due")
    for field in fields:
        due: datetime | None = getattr(case, field)
        if due is None or due <= paused_at:
            continue  # breached before the pause: it stays breached
        later = due + paused if calendar is None else business_deadline(due, paused, calendar)
        setattr(case, field, later)
        moved[field] = later.isoformat()
    return moved


def _calendar(session: Session, case: Case) -> BusinessCalendar | None:
    """The team's working hours, or None (wall-clock time) if they cannot be read."""
    team = session.get(Team, case.team_id)
    if team is None:
        return None
    try:
        calendar = BusinessCalendar.from_team(
            team.time_zone, team.business_hours, team.holidays or ()
        )
    except (ValueError, TypeError, KeyError):
        return None  # a broken set-up must not block a status change; wall time is the fallback
    return calendar
