"""The customer's history as the case view reads it: the first screen in one call, the rest
streamed page by page without gaps or repeats, filters, and the figures on the customer card."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from deskapp.db.models import Case, Customer, HandoffNote, Interaction, SupportPlan
from deskapp.domain.enums import CaseStatus, Channel, Direction, PlanPeriod
from deskapp.domain.errors import InvalidInput, NotFound
from deskapp.services import cases, history, interactions
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.interactions import NewInteraction
from deskapp.services.unit_of_work import read_session, write_session
from tests.services.handoff_helpers import db_now, hand_over, new_case


def _second_case(ws, rep, customer_id, subject="Invoice shows the wrong VAT number"):
    return cases.create_case(
        ws, rep, cases.NewCase(customer_id, rep.team_id, subject, Channel.EMAIL)
    )


def _insert(ws, case, at, channel=Channel.EMAIL, direction=Direction.INBOUND, body="", **more):
    """An interaction at an exact time (several may share it), straight into the table."""
    with write_session(ws) as session:
        row = Interaction(
            case_id=case.id,
            customer_id=case.customer_id,
            channel=channel,
            direction=direction,
            body=body or f"Contact at {at:%H:%M:%S}",
            occurred_at=at,
            **more,
        )
        session.add(row)
        session.flush()
        return row.id


def _story(db):
    """A customer with two cases: 9 interactions (three share one second) and two notes."""
    ws, rep = db.sign_in("rep")
    _ws2, rep2 = db.sign_in("rep2")
    first = new_case(ws, rep)
    second = _second_case(ws, rep, first.customer_id)
    now = db_now(ws)
    for minutes, case, channel in (
        (50, first, Channel.PHONE),
        (40, first, Channel.EMAIL),
        (30, second, Channel.EMAIL),
        (20, second, Channel.CHAT),
        (10, first, Channel.SOCIAL),
        (5, second, Channel.PHONE),
    ):
        _insert(ws, case, now - timedelta(minutes=minutes), channel)
    tie = now - timedelta(minutes=25)
    for _ in range(3):
        _insert(ws, first, tie, Channel.EMAIL)
    hand_over(ws, rep, first.id, rep2.user_id, age=timedelta(minutes=15))
    hand_over(ws, rep, second.id, rep2.user_id, age=timedelta(minutes=45))
    return ws, rep, first, second


def _all_pages(ws, customer_id, limit, **filters):
    entries, before, pages = [], None, 0
    while True:
        page = history.timeline_page(ws, customer_id, before=before, limit=limit, **filters)
        entries += page.entries
        pages += 1
        if page.next_before is None:
            return entries, pages
        before = page.next_before


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")  # keyset order on each id and time type
def test_the_timeline_streams_every_entry_once_newest_first_across_the_customers_cases(db):
    ws, _rep, first, second = _story(db)
    whole = history.timeline_page(ws, first.customer_id, limit=100).entries
    assert len(whole) == 11
    assert [e.cursor for e in whole] == sorted((e.cursor for e in whole), reverse=True)
    assert {e.case_key for e in whole} == {first.key, second.key}
    assert [e.kind for e in whole].count("handoff") == 2

    paged, pages = _all_pages(ws, first.customer_id, 3)

    assert [e.id for e in paged] == [e.id for e in whole], "no gap, no repeat, same order"
    assert pages == 4


def test_the_timeline_filters_by_channel_and_by_case(db):
    ws, _rep, first, second = _story(db)
    emails, _ = _all_pages(ws, first.customer_id, 2, channels=[Channel.EMAIL])
    assert len(emails) == 5 and {e.channel for e in emails} == {Channel.EMAIL}
    assert all(e.kind == "interaction" for e in emails), "a note has no channel"
    calls_and_chats, _ = _all_pages(
        ws, first.customer_id, 2, channels={Channel.PHONE, Channel.CHAT}
    )
    assert len(calls_and_chats) == 3
    only_second, _ = _all_pages(ws, first.customer_id, 2, case_id=second.id)
    assert {e.case_key for e in only_second} == {second.key}
    assert len(only_second) == 4 and only_second[-1].kind == "handoff"
    emails_of_first = history.timeline_page(
        ws, first.customer_id, channels=[Channel.EMAIL], case_id=first.id, handoffs=True
    ).entries
    assert len(emails_of_first) == 5 and emails_of_first[0].kind == "handoff"
    assert history.timeline_page(ws, first.customer_id, channels=[]).entries == ()
    with pytest.raises(InvalidInput, match="1 to 1000"):
        history.timeline_page(ws, first.customer_id, limit=0)
    with pytest.raises(NotFound):
        history.timeline_page(ws, uuid.uuid4())


def test_the_customer_card_counts_contacts_and_what_the_plan_has_used_this_period(db):
    ws, rep = db.sign_in("rep")
    first = new_case(ws, rep)
    _second_case(ws, rep, first.customer_id)
    wsa, _admin = db.sign_in("admin")
    plan_id = uuid.uuid4()
    with write_session(wsa) as session:
        session.add(
            SupportPlan(
                id=plan_id,
                name="Gold",
                period=PlanPeriod.MONTH,
                included_cases=1,
                included_hours=Decimal("2.00"),
            )
        )
        session.flush()
        session.execute(
            update(Customer)
            .where(Customer.id == first.customer_id)
            .values(support_plan_id=plan_id, time_zone="Pacific/Auckland")
        )
    now = db_now(ws)
    _insert(ws, first, now - timedelta(days=40), Channel.PHONE, duration_seconds=3600)
    _insert(ws, first, now - timedelta(days=20), Channel.EMAIL)
    call = interactions.log_interaction(
        ws,
        rep,
        NewInteraction(
            first.id, Channel.PHONE, Direction.OUTBOUND, "Called back", duration_seconds=1800
        ),
    )
    interactions.log_interaction(
        ws,
        rep,
        NewInteraction(first.id, Channel.EMAIL, Direction.INTERNAL, "Asked billing to check"),
    )
    interactions.log_interaction(
        ws,
        rep,
        NewInteraction(first.id, Channel.THIRD_PARTY, Direction.OUTBOUND, "Chased the courier"),
    )

    card = history.customer_profile(ws, first.customer_id)

    assert card.last_contact_at == call.occurred_at, "internal notes and couriers do not count"
    assert card.contacts_last_30_days == 2
    assert (card.case_count, card.open_case_count) == (2, 2)
    assert card.local_time is not None and card.local_time.tzinfo is not None
    assert card.local_time.utcoffset() in (timedelta(hours=12), timedelta(hours=13))
    plan = card.plan
    assert plan is not None and plan.name == card.support_plan == "Gold"
    assert plan.period_start <= now < plan.period_end
    assert plan.period_start.astimezone(card.local_time.tzinfo).day == 1
    assert plan.used_cases == 2 and plan.cases_left == -1
    assert plan.used_hours == Decimal("0.50") and plan.hours_left == Decimal("1.50")
    assert plan.exceeded


def test_the_first_screen_has_the_header_the_card_and_where_each_list_goes_on(db):
    ws, rep, first, second = _story(db)
    interactions.log_interaction(
        ws, rep, NewInteraction(first.id, Channel.EMAIL, Direction.INBOUND, "Any news?")
    )

    detail = history.case_detail(ws, first.id, cases_limit=1, timeline_limit=4)

    assert detail.key == first.key and detail.status is CaseStatus.OPEN
    assert detail.team == "Support" and detail.team_id == db.team_id
    assert detail.assignee == "Ray Rep" and detail.transfer_count == 1
    assert detail.next_statuses and CaseStatus.RESOLVED in detail.next_statuses
    of_first = history.timeline_page(ws, first.customer_id, case_id=first.id).entries
    oldest_unanswered = min(e.at for e in of_first if e.direction is Direction.INBOUND)
    assert detail.waiting_since == oldest_unanswered, "nobody has answered on this case yet"
    assert detail.read_at is not None and detail.created_at is not None
    assert detail.customer.case_count == 2 and detail.customer.last_contact_at is not None
    assert [c.id for c in detail.cases] == [second.id]
    assert len(detail.timeline) == 4
    rest = history.cases_page(ws, first.customer_id, before=detail.cases_next)
    assert [c.id for c in rest.rows] == [first.id] and rest.next_before is None
    older = history.timeline_page(ws, first.customer_id, before=detail.timeline_next)
    assert len(older.entries) == 8 and older.entries[0].at <= detail.timeline[-1].at

    alone = history.customer_history(ws, first.customer_id, cases_limit=5, timeline_limit=50)
    assert alone.customer == replace_local_time(detail.customer, alone.customer)
    assert [c.id for c in alone.cases] == [second.id, first.id] and alone.cases_next is None
    assert len(alone.timeline) == 12 and alone.timeline_next is None


def replace_local_time(profile, like):
    """Two reads of a card differ only in the customer's wall clock at the time of reading."""
    from dataclasses import replace

    return replace(profile, local_time=like.local_time)


def test_a_resolved_case_shows_its_outcome_in_the_customers_case_list(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    cases.change_case(
        ws,
        rep,
        case.id,
        cases.CaseChange(
            case.version,
            status=CaseStatus.RESOLVED,
            resolution_code="replaced",
            outcome="Sent a new router, tracking 1Z999AA1",
        ),
    )
    [row] = history.cases_page(ws, case.customer_id).rows
    assert row.status is CaseStatus.RESOLVED and row.resolution_code == "replaced"
    assert row.resolution_outcome == "Sent a new router, tracking 1Z999AA1"
    assert row.resolved_at is not None and row.assignee == "Rae Rep"


def test_the_long_standing_demo_customers_whole_history_streams_to_the_end(db):
    ws, _ = db.sign_in("admin")
    summary = build_demo(ws, DemoSpec(cases=400, seed=5))
    heavy = summary.heavy_customer_id
    with read_session(ws) as session:
        interactions_count = session.scalar(
            select(func.count()).where(Interaction.customer_id == heavy)
        )
        notes = session.scalar(
            select(func.count())
            .select_from(HandoffNote)
            .join(Case, Case.id == HandoffNote.case_id)
            .where(Case.customer_id == heavy)
        )
        case_count = session.scalar(select(func.count()).where(Case.customer_id == heavy))
    entries, _ = _all_pages(ws, heavy, 25)
    assert len(entries) == len({e.id for e in entries}) == interactions_count + notes
    assert [e.cursor for e in entries] == sorted((e.cursor for e in entries), reverse=True)
    listed, before = [], None
    while True:
        page = history.cases_page(ws, heavy, before=before, limit=3)
        listed += page.rows
        if page.next_before is None:
            break
        before = page.next_before
    assert len({c.id for c in listed}) == len(listed) == case_count
