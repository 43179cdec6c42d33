"""The queue's views: who sees which cases, every sort order with ties broken by id, keyset pages
that never repeat or skip a row, jumps, filters, search and counts that match the rows.

The expected answers are computed here in Python from the cases as written (queue_data.py), so
the SQL is checked against an independent statement of the rules.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import CaseStatus, Channel, Mood, Priority, Role
from deskapp.domain.errors import InvalidInput, PermissionDenied
from deskapp.services import queue, teams
from deskapp.services.queue import (
    Keyset,
    QueueFilters,
    QueueQuery,
    QueueRow,
    QueueView,
    SortColumn,
)
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace
from tests.services.handoff_helpers import db_now
from tests.services.queue_data import (
    ALWAYS_OPEN,
    Made,
    add_cases,
    add_customers,
    mixed_cases,
    set_hours,
)

OPEN = {s for s in CaseStatus if s.is_open}
DUE_SOON = timedelta(hours=2)
SORTABLE = [c for c in SortColumn if c is not SortColumn.PROMISE]


@dataclass
class World:
    people: dict[str, tuple[Workspace, Actor]]
    made: list[Made]
    now: datetime
    other_team: uuid.UUID

    def ws(self, who: str) -> Workspace:
        return self.people[who][0]

    def actor(self, who: str) -> Actor:
        return self.people[who][1]

    def name_of(self, user_id: uuid.UUID | None) -> str | None:
        names = {a.user_id: a.display_name for _, a in self.people.values()}
        return names.get(user_id) if user_id is not None else None


@pytest.fixture
def world(db) -> World:
    people = {who: db.sign_in(who) for who in ("admin", "lead", "rep", "rep2")}
    ws, admin = people["admin"]
    other = teams.create_team(ws, admin, "Escalations", time_zone="UTC")
    for team_id in (db.team_id, other.id):
        set_hours(ws, team_id, ALWAYS_OPEN)  # "due soon" is then two wall-clock hours
    now = db_now(ws)
    ids = [people[who][1].user_id for who in ("rep", "rep2", "lead")]
    made = mixed_cases(160, now, [db.team_id, other.id], [*ids, None, None])
    add_cases(ws, made, add_customers(ws))
    return World(people, made, now, other.id)


# --------------------------------------------------------------------------- the rules, in Python
def expected_members(world: World, who: str, query: QueueQuery) -> list[Made]:
    actor = world.actor(who)
    mine = [m for m in world.made if m.assignee_id == actor.user_id]
    is_lead = actor.role is Role.LEAD
    view = query.view
    if view is QueueView.MY_CASES:
        found = [m for m in mine if m.status in OPEN]
    elif view is QueueView.TEAM_UNASSIGNED:
        found = [m for m in world.made if m.team_id == actor.team_id and m.assignee_id is None
                 and m.status in OPEN]  # fmt: skip
    elif view is QueueView.WAITING_ON_CUSTOMER:
        found = [m for m in mine if m.status is CaseStatus.PENDING_CUSTOMER]
    elif view is QueueView.DUE_SOON:
        scope = (
            world.made if actor.role is Role.ADMIN
            else [m for m in world.made if m.team_id == actor.team_id] if is_lead else mine
        )  # fmt: skip
        found = [m for m in scope if m.status in OPEN and not m.status.pauses_sla and _due_soon(
            m, world.now)]  # fmt: skip
    elif view is QueueView.REP:
        found = [m for m in world.made if m.assignee_id == query.rep_id and m.status in OPEN
                 and (not is_lead or m.team_id == actor.team_id)]  # fmt: skip
    else:
        found = [m for m in world.made if m.status in OPEN
                 and (not is_lead or m.team_id == actor.team_id)]  # fmt: skip
    return [m for m in found if _passes(m, query.filters)]


def _due_soon(m: Made, now: datetime) -> bool:
    horizon = now + DUE_SOON
    first = m.first_response_due if m.first_responded_at is None else None
    return any(due is not None and due <= horizon for due in (m.resolution_due, first))


def _passes(m: Made, f: QueueFilters) -> bool:
    return all(
        not wanted or value in wanted
        for value, wanted in (
            (m.status, f.statuses), (m.priority, f.priorities), (m.channel, f.channels),
            (m.category, f.categories), (m.team_id, f.team_ids), (m.assignee_id, f.assignee_ids),
        )
    )  # fmt: skip


def _rank(value: Any) -> int:
    return list(type(value)).index(value)


def _parts(world: World, m: Made, column: SortColumn, down: bool) -> list[tuple[Any, bool]]:
    """(value, descending) per sort column, as the queue promises to order them."""
    if column is SortColumn.WAITING:  # a longer wait first when ascending by waiting time
        return [(m.waiting_since, not down)]
    if column is SortColumn.RISK:
        return [(_rank(m.priority), not down), (m.resolution_due, down), (m.created_at, down)]
    value = {
        SortColumn.KEY: m.number, SortColumn.SLA: m.resolution_due,
        SortColumn.PRIORITY: _rank(m.priority), SortColumn.CUSTOMER: m.customer_name,
        SortColumn.SUBJECT: m.subject, SortColumn.STATUS: _rank(m.status),
        SortColumn.MOOD: _rank(m.mood), SortColumn.CHANNEL: m.channel.value,
        SortColumn.ASSIGNEE: world.name_of(m.assignee_id), SortColumn.TRANSFERS: m.transfer_count,
        SortColumn.CATEGORY: m.category, SortColumn.CREATED: m.created_at,
    }[column]  # fmt: skip
    return [(value, down)]


def expected_order(world: World, made: list[Made], column: SortColumn, down: bool) -> list[str]:
    def compare(a: Made, b: Made) -> int:
        for (x, part_down), (y, _) in zip(
            _parts(world, a, column, down), _parts(world, b, column, down), strict=True
        ):
            if x == y:
                continue
            if x is None or y is None:  # empty values last, whichever the direction
                return 1 if x is None else -1
            return (-1 if x < y else 1) * (-1 if part_down else 1)
        return (-1 if a.id.int < b.id.int else 1) * (-1 if down else 1)

    return [key(m) for m in sorted(made, key=functools.cmp_to_key(compare))]


def key(m: Made) -> str:
    return format_case_key(m.number)


def keys(rows: tuple[QueueRow, ...] | list[QueueRow]) -> list[str]:
    return [r.key for r in rows]


def page_through(world: World, who: str, query: QueueQuery, limit: int) -> list[str]:
    ws, actor = world.people[who]
    seen: list[str] = []
    after: Keyset | None = None
    while True:
        page = queue.fetch_page(ws, actor, query, after, limit)
        seen += keys(page.rows)
        assert len(page.rows) <= limit
        if not page.has_more:
            return seen
        after = page.last


# --------------------------------------------------------------------------- membership
VIEWS_OF = {
    "rep": [QueueView.MY_CASES, QueueView.TEAM_UNASSIGNED, QueueView.WAITING_ON_CUSTOMER,
            QueueView.DUE_SOON],
    "lead": [QueueView.TEAM_UNASSIGNED, QueueView.DUE_SOON, QueueView.ALL_OPEN],
    "admin": [QueueView.DUE_SOON, QueueView.ALL_OPEN],
}  # fmt: skip


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_each_view_holds_exactly_its_cases_and_counts_them(world):
    for who, views in VIEWS_OF.items():
        ws, actor = world.people[who]
        counts = queue.view_counts(ws, actor)
        assert set(counts) == set(queue.available_views(actor))
        for view in views:
            query = QueueQuery(view)
            want = expected_members(world, who, query)
            got = page_through(world, who, query, 500)
            assert sorted(got) == sorted(key(m) for m in want), (who, view)
            assert got == expected_order(world, want, queue.default_sort(view), False), (who, view)
            assert queue.count(ws, actor, query) == counts[view] == len(want), (who, view)
    rep = world.actor("rep")
    assert any(expected_members(world, "rep", QueueQuery(v)) for v in VIEWS_OF["rep"])
    lead_ws, lead = world.people["lead"]
    per_rep = QueueQuery(QueueView.REP, rep_id=rep.user_id)
    want = expected_members(world, "lead", per_rep)
    assert sorted(page_through(world, "lead", per_rep, 50)) == sorted(key(m) for m in want)
    assert queue.count(lead_ws, lead, per_rep) == len(want) > 0


def test_the_first_versions_calls_still_answer(world):
    ws, rep = world.people["rep"]
    first_version = [QueueView.MY_CASES, QueueView.TEAM_UNASSIGNED,
                     QueueView.WAITING_ON_CUSTOMER, QueueView.COMMITMENTS_DUE]  # fmt: skip
    assert queue.views_for(rep) == first_version
    assert QueueView.DUE_SOON in queue.available_views(rep)
    rows = queue.list_queue(ws, rep, QueueView.MY_CASES, limit=3)
    want = expected_members(world, "rep", QueueQuery(QueueView.MY_CASES))
    assert keys(rows) == expected_order(world, want, SortColumn.SLA, False)[:3]


# --------------------------------------------------------------------------- sorting and paging
@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_every_column_sorts_both_ways_with_ties_broken_by_id_and_pages_neither_repeat_nor_skip(
    world,
):
    want = expected_members(world, "admin", QueueQuery(QueueView.ALL_OPEN))
    assert len(want) > 60
    for column in SORTABLE:
        for down in (False, True):
            query = QueueQuery(QueueView.ALL_OPEN, column, down)
            order = expected_order(world, want, column, down)
            assert page_through(world, "admin", query, 7) == order, (column, down)


def test_rows_carry_what_the_queue_shows(world):
    ws, admin = world.people["admin"]
    rows = queue.fetch_page(ws, admin, QueueQuery(QueueView.ALL_OPEN), None, 500).rows
    made = {key(m): m for m in world.made}
    for row in rows:
        m = made[row.key]
        assert (row.id, row.customer_name, row.subject, row.priority, row.status, row.channel,
                row.mood, row.category, row.team_id, row.assignee_id, row.transfer_count) == (
            m.id, m.customer_name, m.subject, m.priority, m.status, m.channel, m.mood,
            m.category, m.team_id, m.assignee_id, m.transfer_count)  # fmt: skip
        assert row.assignee_name == world.name_of(m.assignee_id)
        assert row.resolution_due == m.resolution_due and row.waiting_since == m.waiting_since
        pending = m.first_response_due if m.first_responded_at is None else None
        assert row.first_response_due == pending


def test_pages_do_not_repeat_or_skip_rows_that_stay_put_while_others_change(world):
    ws, admin = world.people["admin"]
    query = QueueQuery(QueueView.ALL_OPEN, SortColumn.CUSTOMER)
    before = expected_order(world, expected_members(world, "admin", query), SortColumn.CUSTOMER,
                            False)  # fmt: skip
    first = queue.fetch_page(ws, admin, query, None, 20)
    assert keys(first.rows) == before[:20]
    # A new case that sorts first arrives while the rep reads page one.
    newcomer = replace(world.made[0], id=uuid.UUID(int=1), number=9000, customer_name="Anna Berg",
                       status=CaseStatus.OPEN)  # fmt: skip
    add_cases(ws, [newcomer], add_customers(ws, ["Anna Berg"]))
    rest: list[str] = []
    page = first
    while page.has_more:
        page = queue.fetch_page(ws, admin, query, page.last, 20)
        rest += keys(page.rows)
    assert rest == before[20:], "no row of page one again, none of the others missing"


def test_a_jump_shows_the_rows_at_that_position_and_paging_goes_on_from_there(world):
    ws, admin = world.people["admin"]
    query = QueueQuery(QueueView.ALL_OPEN, SortColumn.SUBJECT, descending=True)
    order = expected_order(world, expected_members(world, "admin", query), SortColumn.SUBJECT,
                           True)  # fmt: skip
    middle = len(order) // 2
    window = queue.fetch_window(ws, admin, query, middle, 10)
    assert keys(window.rows) == order[middle : middle + 10]
    assert window.offset == middle and window.has_more
    following = queue.fetch_page(ws, admin, query, window.last, 10)
    assert keys(following.rows) == order[middle + 10 : middle + 20]
    end = queue.fetch_window(ws, admin, query, len(order) - 3, 10)
    assert keys(end.rows) == order[-3:] and not end.has_more
    assert queue.fetch_window(ws, admin, query, len(order) + 5, 10).rows == ()


# --------------------------------------------------------------------------- filters and search
FILTERS = [
    QueueFilters(statuses=frozenset({CaseStatus.NEW, CaseStatus.ESCALATED})),
    QueueFilters(priorities=frozenset({Priority.URGENT})),
    QueueFilters(channels=frozenset({Channel.PHONE, Channel.CHAT})),
    QueueFilters(categories=frozenset({"billing"})),
    QueueFilters(priorities=frozenset({Priority.HIGH, Priority.URGENT}),
                 channels=frozenset({Channel.EMAIL, Channel.SOCIAL, Channel.PHONE})),
]  # fmt: skip


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_filters_narrow_a_view_and_counts_equal_the_rows(world):
    ws, admin = world.people["admin"]
    rep, lead = world.actor("rep"), world.actor("lead")
    filters = [
        *FILTERS,
        QueueFilters(team_ids=frozenset({world.other_team})),
        QueueFilters(assignee_ids=frozenset({rep.user_id})),
        QueueFilters(assignee_ids=frozenset({None, lead.user_id})),
    ]
    for f in filters:
        query = QueueQuery(QueueView.ALL_OPEN, SortColumn.PRIORITY, filters=f)
        want = expected_members(world, "admin", query)
        assert want, f"the data should hold rows for {f}"
        got = page_through(world, "admin", query, 9)
        assert got == expected_order(world, want, SortColumn.PRIORITY, False), f
        assert queue.count(ws, admin, query) == len(want), f


def test_search_narrows_a_view_in_the_database(world):
    ws, admin = world.people["admin"]
    query = QueueQuery(QueueView.ALL_OPEN, SortColumn.KEY, search="courier")
    want = [m for m in expected_members(world, "admin", query) if m.subject.startswith("Courier")]
    assert want
    assert page_through(world, "admin", query, 10) == expected_order(world, want, SortColumn.KEY,
                                                                     False)  # fmt: skip
    assert queue.count(ws, admin, query) == len(want)
    blank = replace(query, search="   ")
    assert queue.count(ws, admin, blank) == len(expected_members(world, "admin", blank))


# --------------------------------------------------------------------------- rights and mistakes
def test_reps_cannot_open_lead_views_and_bad_requests_are_explained(world):
    ws, rep = world.people["rep"]
    with pytest.raises(PermissionDenied):
        queue.fetch_page(ws, rep, QueueQuery(QueueView.ALL_OPEN), None, 10)
    with pytest.raises(PermissionDenied):
        queue.count(ws, rep, QueueQuery(QueueView.REP, rep_id=world.actor("rep2").user_id))
    with pytest.raises(PermissionDenied):
        queue.rep_loads(ws, rep)
    lead_ws, lead = world.people["lead"]
    with pytest.raises(InvalidInput, match="whose cases"):
        queue.fetch_page(lead_ws, lead, QueueQuery(QueueView.REP), None, 10)
    with pytest.raises(InvalidInput, match="promise only"):
        queue.fetch_page(ws, rep, QueueQuery(QueueView.MY_CASES, SortColumn.PROMISE), None, 10)
    with pytest.raises(InvalidInput, match="between 1 and"):
        queue.fetch_page(ws, rep, QueueQuery(QueueView.MY_CASES), None, 0)
    with pytest.raises(InvalidInput, match="negative"):
        queue.fetch_window(ws, rep, QueueQuery(QueueView.MY_CASES), -1, 10)
    page = queue.fetch_page(ws, rep, QueueQuery(QueueView.MY_CASES), None, 1)
    assert page.last is not None
    with pytest.raises(InvalidInput, match="another order"):
        queue.fetch_page(ws, rep, QueueQuery(QueueView.MY_CASES, SortColumn.KEY), page.last, 1)


def test_a_lead_sees_the_load_of_each_person_in_the_team(world):
    ws, lead = world.people["lead"]
    loads = {load.user_id: load.open_cases for load in queue.rep_loads(ws, lead)}
    for who in ("rep", "rep2", "lead"):
        person = world.actor(who)
        assert loads[person.user_id] == len(
            [m for m in world.made if m.assignee_id == person.user_id and m.status in OPEN
             and m.team_id == lead.team_id]
        )  # fmt: skip
    assert world.actor("admin").user_id in loads, "everyone of the team is listed, even idle"


# --------------------------------------------------------------------------- due soon, in hours
def test_due_soon_counts_the_teams_business_hours_not_the_wall_clock(db):
    ws, lead = db.sign_in("lead")
    admin_ws, _ = db.sign_in("admin")
    now = db_now(ws)
    # The team works one whole day a week, three days from now: nothing of its clock runs
    # before then, so a case due in two days has no working time left — it is due soon.
    open_day = (now + timedelta(days=3)).strftime("%a").lower()
    set_hours(admin_ws, db.team_id, {open_day: [["00:00", "24:00"]]})
    made = mixed_cases(3, now, [db.team_id], [None])
    made = [
        replace(m, status=CaseStatus.OPEN, first_response_due=None, resolution_due=due)
        for m, due in zip(made, (now + timedelta(days=2), now + timedelta(days=3, hours=12),
                                 now + timedelta(hours=1)), strict=True)
    ]  # fmt: skip
    add_cases(admin_ws, made, add_customers(admin_ws))
    rows = queue.fetch_page(ws, lead, QueueQuery(QueueView.DUE_SOON), None, 10).rows
    assert keys(rows) == [key(made[2]), key(made[0])], "due soon in working time, soonest first"


def test_a_team_with_no_hours_counts_wall_clock_time(db):
    ws, lead = db.sign_in("lead")
    admin_ws, _ = db.sign_in("admin")
    set_hours(admin_ws, db.team_id, {})
    now = db_now(ws)
    dues = (now + timedelta(hours=1), now + timedelta(hours=3))
    made = [
        replace(m, status=CaseStatus.OPEN, first_response_due=None, resolution_due=due)
        for m, due in zip(mixed_cases(2, now, [db.team_id], [None]), dues, strict=True)
    ]
    add_cases(admin_ws, made, add_customers(admin_ws))
    assert queue.count(ws, lead, QueueQuery(QueueView.DUE_SOON)) == 1


def test_waiting_on_customer_and_mood_are_plain_values(world):
    """Guards the enums the GUI formats: every row's values are the domain's enums."""
    ws, admin = world.people["admin"]
    for row in queue.fetch_page(ws, admin, QueueQuery(QueueView.ALL_OPEN), None, 50).rows:
        assert isinstance(row.mood, Mood) and isinstance(row.priority, Priority)
        assert isinstance(row.status, CaseStatus) and isinstance(row.channel, Channel)
