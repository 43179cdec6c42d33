"""How values read to a rep: short, consistent, computed once per row (never in data())."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from deskapp.domain.enums import CaseStatus, Channel, Mood, Priority

STATUS_LABELS = {
    CaseStatus.NEW: "New",
    CaseStatus.OPEN: "Open",
    CaseStatus.PENDING_CUSTOMER: "Pending customer",
    CaseStatus.PENDING_INTERNAL: "Pending internal",
    CaseStatus.PENDING_THIRD_PARTY: "Pending 3rd party",
    CaseStatus.ESCALATED: "Escalated",
    CaseStatus.RESOLVED: "Resolved",
    CaseStatus.CLOSED: "Closed",
}
CHANNEL_LABELS = {
    Channel.PHONE: "Phone",
    Channel.EMAIL: "Email",
    Channel.CHAT: "Chat",
    Channel.SOCIAL: "Social",
    Channel.IN_PERSON: "In person",
    Channel.THIRD_PARTY: "Third party",
}
PRIORITY_LABELS = {p: p.value.capitalize() for p in Priority}
MOOD_LABELS = {Mood.CALM: "Calm", Mood.NEUTRAL: "Neutral", Mood.FRUSTRATED: "Frustrated",
               Mood.ANGRY: "Angry"}  # fmt: skip
DUE_SOON = timedelta(hours=2)


def span(delta: timedelta) -> str:
    """3d 4h · 2h 15m · 12m — the two largest units, enough to act on."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {mins:02d}m"
    return f"{mins}m"


def sla_text(due: datetime | None, now: datetime) -> tuple[str, str]:
    """(label, state) where state is "breached", "due_soon", "on_track" or "none"."""
    if due is None:
        return "—", "none"
    left = due - now
    if left <= timedelta(0):
        return f"Breached {span(left)}", "breached"
    if left <= DUE_SOON:
        return f"Due in {span(left)}", "due_soon"
    return f"{span(left)} left", "on_track"


def promise_timer(due: datetime, now: datetime) -> tuple[str, str]:
    """A promise to the customer as a timer: (label, state) — "Overdue 1h 20m" / "Due in 45m" /
    "Due Tue 14 Jan 15:00 (in 5h 10m)"; state "overdue", "due_soon" (within two hours, like the
    SLA) or "upcoming"."""
    left = due - now
    if left <= timedelta(0):
        return f"Overdue {span(left)}", "overdue"
    if left <= DUE_SOON:
        return f"Due in {span(left)}", "due_soon"
    return f"Due {due.astimezone():%a %d %b %H:%M} (in {span(left)})", "upcoming"


def waiting_text(since: datetime | None, now: datetime) -> str:
    return "" if since is None else span(now - since)


def local_time(zone: str, now: datetime | None = None) -> str:
    from zoneinfo import ZoneInfo

    try:
        moment = (now or datetime.now(UTC)).astimezone(ZoneInfo(zone))
    except (KeyError, ValueError):
        return ""
    return moment.strftime("%a %H:%M")


def when(moment: datetime, zone: str | None = None) -> str:
    """A moment as the rep reads it, in their local time: 'Tue 14 Jan 2025 09:12'."""
    return moment.astimezone().strftime("%a %d %b %Y %H:%M")


def span_seconds(seconds: int) -> str:
    """A call's length: 45s · 12m 05s · 1h 02m."""
    minutes, secs = divmod(max(0, seconds), 60)
    if minutes >= 60:
        return f"{minutes // 60}h {minutes % 60:02d}m"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"
