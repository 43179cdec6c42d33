"""The SLA countdown in a team's business hours: what the queue's SLA column and "Due soon" say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from deskapp.domain.sla_clock import (
    BusinessCalendar,
    SlaState,
    business_deadline,
    business_time_between,
    sla_countdown,
)

WEEKDAYS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
AMSTERDAM = BusinessCalendar.from_team("Europe/Amsterdam", WEEKDAYS, ["2026-12-25"])
# Friday 4 December 2026, 16:00 in Amsterdam (15:00 UTC in winter).
FRIDAY_4PM = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def test_a_case_due_monday_morning_seen_friday_afternoon_is_due_soon():
    monday_10am = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    countdown = sla_countdown(monday_10am, FRIDAY_4PM, AMSTERDAM)
    assert countdown.state is SlaState.DUE_SOON
    assert countdown.remaining == timedelta(hours=2), "Friday 16-17 and Monday 9-10"


def test_on_track_when_more_than_two_working_hours_are_left():
    tuesday_noon = datetime(2026, 12, 8, 11, 0, tzinfo=UTC)
    countdown = sla_countdown(tuesday_noon, FRIDAY_4PM, AMSTERDAM)
    assert countdown.state is SlaState.ON_TRACK
    assert countdown.remaining == timedelta(hours=1 + 8 + 3)


def test_breached_counts_the_working_time_overdue():
    thursday_4pm = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    countdown = sla_countdown(thursday_4pm, FRIDAY_4PM, AMSTERDAM)
    assert countdown.state is SlaState.BREACHED
    assert countdown.remaining == -timedelta(hours=8)


def test_a_breach_outside_working_hours_is_still_a_breach():
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    countdown = sla_countdown(saturday, saturday + timedelta(hours=3), AMSTERDAM)
    assert countdown.state is SlaState.BREACHED
    assert countdown.remaining == timedelta(0), "no working time passed since"


def test_holidays_and_weekends_do_not_count():
    christmas_eve_4pm = datetime(2026, 12, 24, 15, 0, tzinfo=UTC)  # a Thursday
    monday_10am = datetime(2026, 12, 28, 9, 0, tzinfo=UTC)
    # Thursday 16-17, then Christmas Friday closed, the weekend closed, Monday 9-10.
    assert business_time_between(christmas_eve_4pm, monday_10am, AMSTERDAM) == timedelta(hours=2)


def test_paused_and_no_sla_are_their_own_states():
    due = FRIDAY_4PM + timedelta(hours=1)
    assert sla_countdown(due, FRIDAY_4PM, AMSTERDAM, paused=True).state is SlaState.PAUSED
    none = sla_countdown(None, FRIDAY_4PM, AMSTERDAM)
    assert (none.state, none.remaining) == (SlaState.NONE, None)


def test_business_deadline_is_the_inverse_of_business_time():
    deadline = business_deadline(FRIDAY_4PM, timedelta(hours=2), AMSTERDAM)
    assert deadline == datetime(2026, 12, 7, 9, 0, tzinfo=UTC), "Monday 10:00 in Amsterdam"
    for hours in (0.5, 1, 7.75, 8, 30):
        span = timedelta(hours=hours)
        end = business_deadline(FRIDAY_4PM, span, AMSTERDAM)
        assert business_time_between(FRIDAY_4PM, end, AMSTERDAM) == span


def test_hours_follow_the_teams_zone_across_a_clock_change():
    # Sunday 29 March 2026 Europe clocks go forward: Monday 09:00 is 07:00 UTC, not 08:00.
    friday = datetime(2026, 3, 27, 15, 0, tzinfo=UTC)  # 16:00 in Amsterdam (winter time)
    deadline = business_deadline(friday, timedelta(hours=2), AMSTERDAM)
    assert deadline == datetime(2026, 3, 30, 8, 0, tzinfo=UTC), "Monday 10:00 summer time"


def test_a_team_without_hours_works_around_the_clock():
    calendar = BusinessCalendar.from_team("UTC", {}, [])
    due = FRIDAY_4PM + timedelta(hours=30)
    assert sla_countdown(due, FRIDAY_4PM, calendar).remaining == timedelta(hours=30)
    assert business_deadline(FRIDAY_4PM, timedelta(hours=2), calendar) == FRIDAY_4PM + timedelta(
        hours=2
    )


def test_midnight_closing_and_split_shifts():
    calendar = BusinessCalendar.from_team(
        "UTC", {"fri": [["18:00", "24:00"], ["08:00", "12:00"]]}, []
    )
    friday = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
    saturday = friday + timedelta(days=1)
    assert business_time_between(friday, saturday, calendar) == timedelta(hours=10)


def test_a_calendar_that_never_opens_is_refused_when_a_deadline_is_asked():
    calendar = BusinessCalendar.from_team("UTC", {"mon": []}, [])
    assert calendar.always_open, "no working span at all: counted as around the clock"
    holidays_only = BusinessCalendar.from_team(
        "UTC", {"mon": [["09:00", "10:00"]]},
        [f"{d:%Y-%m-%d}" for d in (FRIDAY_4PM.date() + timedelta(days=n) for n in range(1200))],
    )  # fmt: skip
    with pytest.raises(ValueError, match="never open"):
        business_deadline(FRIDAY_4PM, timedelta(hours=1), holidays_only)


def test_bad_hours_are_reported():
    with pytest.raises(ValueError):
        BusinessCalendar.from_team("UTC", {"mon": [["nine", "17:00"]]}, [])
