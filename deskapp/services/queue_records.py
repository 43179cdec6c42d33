"""What the queue hands out and takes in: views, rows, the query a view is asked with, pages.

Plain frozen values, no SQL: ``queue.py`` answers with them and ``queue_query.py`` builds the SQL
from them. The GUI imports these through ``deskapp.services.queue``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from deskapp.domain.enums import CaseStatus, Channel, Mood, Priority


class QueueView(StrEnum):
    MY_CASES = "my_cases"
    TEAM_UNASSIGNED = "team_unassigned"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    DUE_SOON = "due_soon"
    COMMITMENTS_DUE = "commitments_due"
    ALL_OPEN = "all_open"  # leads and admins
    REP = "rep"  # leads and admins: one person's open cases (QueueQuery.rep_id)

    @property
    def label(self) -> str:
        return {
            "my_cases": "My cases",
            "team_unassigned": "My team — unassigned",
            "waiting_on_customer": "Waiting on customer",
            "due_soon": "Due soon / breaching SLA",
            "commitments_due": "Commitments due",
            "all_open": "All open",
            "rep": "One person's cases",
        }[self.value]


class SortColumn(StrEnum):
    """What a view can be sorted by: the queue's columns, plus age and the Get next order."""

    KEY = "key"
    SLA = "sla"  # resolution due
    PRIORITY = "priority"  # by rank: low < normal < high < urgent
    CUSTOMER = "customer"
    SUBJECT = "subject"
    STATUS = "status"  # by lifecycle: new < open < pending… < escalated < resolved < closed
    MOOD = "mood"  # calm < neutral < frustrated < angry
    WAITING = "waiting"  # by waiting *time*: ascending is the shortest wait first
    CHANNEL = "channel"
    ASSIGNEE = "assignee"
    TRANSFERS = "transfers"
    CATEGORY = "category"
    CREATED = "created"
    PROMISE = "promise"  # the soonest open promise: "Commitments due" only
    RISK = "risk"  # Get next's order: priority band (urgent first), SLA due, then age


@dataclass(frozen=True)
class QueueFilters:
    """Each set narrows the view to rows whose value is in it; an empty set does not filter."""

    statuses: frozenset[CaseStatus] = frozenset()
    priorities: frozenset[Priority] = frozenset()
    channels: frozenset[Channel] = frozenset()
    categories: frozenset[str] = frozenset()
    team_ids: frozenset[uuid.UUID] = frozenset()
    assignee_ids: frozenset[uuid.UUID | None] = frozenset()  # None stands for "unassigned"


@dataclass(frozen=True)
class QueueQuery:
    view: QueueView
    sort: SortColumn | None = None  # None: the view's own order (see queue_query.default_sort)
    descending: bool = False
    filters: QueueFilters = field(default_factory=QueueFilters)
    search: str = ""  # what the rep typed; matched by services/case_search.py
    rep_id: uuid.UUID | None = None  # whose cases, for QueueView.REP


@dataclass(frozen=True)
class Keyset:
    """Where a page ended: the last row's sort values and id. Valid only for the same sort."""

    sort: SortColumn
    descending: bool
    values: tuple[Any, ...]
    case_id: uuid.UUID


@dataclass(frozen=True)
class QueueRow:
    id: uuid.UUID
    key: str
    customer_name: str
    subject: str
    priority: Priority
    status: CaseStatus
    channel: Channel
    mood: Mood
    assignee_name: str | None
    waiting_since: datetime | None
    transfer_count: int
    resolution_due: datetime | None
    version: int
    commitment_due: datetime | None = None  # the soonest open promise ("Commitments due" only)
    category: str | None = None
    team_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    first_response_due: datetime | None = None  # None once the customer had a first answer
    created_at: datetime | None = None


@dataclass(frozen=True)
class Page:
    rows: tuple[QueueRow, ...]
    last: Keyset | None  # the last row's keyset: fetch_page(after=last) continues from there
    has_more: bool  # more rows follow in this order
    offset: int | None = None  # where the rows start, when asked by position (fetch_window)


@dataclass(frozen=True)
class Count:
    """How many rows a view or search holds, counted no further than a cap: a search matching
    most of a million cases must not read them all just to print a number nobody scrolls
    through (mail clients say "10,000+" too)."""

    value: int  # the exact count, or the cap when ``at_least``
    at_least: bool = False  # more rows than ``value`` exist

    def label(self) -> str:
        """ "1,234", or "10,000+" when there are more."""
        return f"{self.value:,}+" if self.at_least else f"{self.value:,}"


@dataclass(frozen=True)
class RepLoad:
    """One person of the team and how many open cases they hold (a lead's per-rep views)."""

    user_id: uuid.UUID
    display_name: str
    open_cases: int
