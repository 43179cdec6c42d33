"""Logging interactions: what waits for an answer, safe retries, masked card numbers, kudos, and
text of any size and script stored and read back exactly (DESIGN.md §3, §4, §7)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from deskapp.db.models import AuditEvent, Interaction
from deskapp.domain.enums import CaseStatus, Channel, Direction
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from deskapp.services import audit, cases, history, interactions
from deskapp.services.cases import CaseChange
from deskapp.services.interactions import NewInteraction
from deskapp.services.records import Actor
from deskapp.services.timeline import TEXT_PREVIEW_CHARS
from deskapp.services.unit_of_work import read_session
from tests.services.handoff_helpers import db_now, new_case

IN, OUT, INTERNAL = Direction.INBOUND, Direction.OUTBOUND, Direction.INTERNAL


def _log(
    ws, actor, case_id, direction=IN, channel=Channel.EMAIL, body="Where is my refund?", **more
):
    return interactions.log_interaction(
        ws, actor, NewInteraction(case_id, channel, direction, body, **more)
    )


def test_waiting_runs_from_the_first_unanswered_inbound_contact_until_an_outbound_reply(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    now = db_now(ws)
    first = _log(ws, rep, case.id, occurred_at=now - timedelta(hours=2))
    assert first.waiting_since == first.occurred_at
    second = _log(ws, rep, case.id, occurred_at=now - timedelta(hours=1))
    assert second.waiting_since == first.occurred_at, "waiting counts from the oldest"
    assert _log(ws, rep, case.id, INTERNAL, body="Asked billing").waiting_since == first.occurred_at
    courier = _log(ws, rep, case.id, OUT, Channel.THIRD_PARTY, body="Chased the courier")
    assert courier.waiting_since == first.occurred_at, "the courier is not the customer"

    reply = _log(ws, rep, case.id, OUT, body="Your refund left us today.")

    assert reply.waiting_since is None
    detail = history.case_detail(ws, case.id)
    assert detail.waiting_since is None
    assert detail.first_responded_at == reply.occurred_at
    again = _log(ws, rep, case.id, body="Still nothing on my card.")
    assert again.waiting_since == again.occurred_at


def test_logging_a_contact_leaves_a_colleagues_open_edit_valid(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    seen = cases.get_case_state(ws, case.id)
    wsl, lead = db.sign_in("lead")
    logged = _log(wsl, lead, case.id, OUT, Channel.PHONE, body="Called back", duration_seconds=95)
    assert logged.case_version == seen.version
    changed = cases.change_case(ws, rep, case.id, CaseChange(seen.version, mood=cases.Mood.CALM))
    assert changed.mood is cases.Mood.CALM


def test_a_customers_answer_to_a_case_pending_customer_opens_it_again(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    pending = cases.change_case(
        ws, rep, case.id, CaseChange(case.version, status=CaseStatus.PENDING_CUSTOMER)
    )
    assert pending.sla_paused_at is not None
    answer = _log(ws, rep, case.id, body="Here is the photo of the damage.")
    assert answer.case_status is CaseStatus.OPEN
    assert answer.case_version == pending.version + 1, "a status change others must see"
    state = cases.get_case_state(ws, case.id)
    assert state.status is CaseStatus.OPEN and state.sla_paused_at is None


def test_a_retried_log_after_a_lost_reply_is_stored_once(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    new = NewInteraction(case.id, Channel.CHAT, IN, "Hello, my order is late", id=uuid.uuid4())
    first = interactions.log_interaction(ws, rep, new)
    again = interactions.log_interaction(ws, rep, new)
    assert again.id == first.id and again.body == first.body
    with read_session(ws) as session:
        assert session.scalar(select(func.count()).where(Interaction.id == new.id)) == 1
        assert session.scalar(select(func.count()).where(AuditEvent.id == new.id)) == 1


def test_full_card_numbers_are_masked_and_the_rest_kept(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    logged = _log(
        ws,
        rep,
        case.id,
        IN,
        Channel.PHONE,
        body=("Paid with 4111 1111 1111 1111, order 4242424242424242, call +4915112345678901"),
    )
    assert logged.body == (
        "Paid with **** **** **** 1111, order 4242424242424242, call +4915112345678901"
    )
    assert logged.cards_masked == 1
    assert history.entry_text(ws, logged.id) == logged.body
    events = [e for e in audit.history(ws, case_id=case.id) if e.id == logged.id]
    assert events[0].detail["cards_masked"] == 1


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_a_megabyte_of_control_characters_rtl_text_and_emoji_reads_back_intact(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    controls = "".join(chr(c) for c in range(1, 32)) + "\x7f"
    mixed = "שלום, הזמנה 88123 לא הגיעה 😡👍🏽 — مرحبا 👨‍👩‍👧 <b>bold?</b> {{agent.name}} "
    body = (mixed + controls) * (1024 * 1024 // len((mixed + controls).encode()) + 1)
    assert len(body.encode("utf-8")) > 1024 * 1024

    logged = _log(ws, rep, case.id, body=body)

    assert history.entry_text(ws, logged.id) == body
    page = history.timeline_page(ws, case.customer_id, limit=5)
    [entry] = [e for e in page.entries if e.id == logged.id]
    assert entry.truncated and body.startswith(entry.text)
    assert len(entry.text) == TEXT_PREVIEW_CHARS
    nul = _log(ws, rep, case.id, body="before\x00after")
    assert history.entry_text(ws, nul.id) == "before\u2400after", "NUL shown, not dropped"


def test_an_oversized_or_empty_body_is_refused_with_a_reason(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    with pytest.raises(InvalidInput, match="at most 4 MiB"):
        _log(ws, rep, case.id, body="x" * (4 * 1024 * 1024 + 1))
    with pytest.raises(InvalidInput, match="Write what was said"):
        _log(ws, rep, case.id, body=" \n\t")


def test_durations_belong_to_calls_chats_and_meetings(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    call = _log(ws, rep, case.id, OUT, Channel.PHONE, body="Called back", duration_seconds=300)
    assert call.duration_seconds == 300
    with pytest.raises(InvalidInput, match="email contact has no duration"):
        _log(ws, rep, case.id, OUT, Channel.EMAIL, body="Sent the form", duration_seconds=60)
    with pytest.raises(InvalidInput, match="0 to 12 hours"):
        _log(ws, rep, case.id, OUT, Channel.PHONE, body="Called", duration_seconds=-5)


def test_kudos_is_the_customers_praise_for_a_named_rep(db):
    ws, rep = db.sign_in("rep")
    _ws2, rep2 = db.sign_in("rep2")
    case = new_case(ws, rep)
    praise = _log(
        ws,
        rep,
        case.id,
        IN,
        Channel.PHONE,
        body="Ray sorted my refund in minutes!",
        kudos_for_id=rep2.user_id,
    )
    assert praise.kudos_for == "Ray Rep"
    [kudos] = interactions.kudos_received(ws, rep2.user_id)
    assert (kudos.case_key, kudos.customer, kudos.text) == (
        case.key,
        "Noor Haddad",
        "Ray sorted my refund in minutes!",
    )
    entry = history.case_detail(ws, case.id).timeline[0]
    assert entry.kudos_for == "Ray Rep"
    with pytest.raises(InvalidInput, match="log it as an inbound contact"):
        _log(ws, rep, case.id, OUT, body="You are great", kudos_for_id=rep2.user_id)
    with pytest.raises(NotFound, match="not a Deskapp user"):
        _log(ws, rep, case.id, body="Thanks to Bob", kudos_for_id=uuid.uuid4())


def test_contacts_on_a_closed_case_or_in_the_future_are_refused(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)
    with pytest.raises(InvalidInput, match="in the future"):
        _log(ws, rep, case.id, occurred_at=db_now(ws) + timedelta(hours=1))
    with pytest.raises(InvalidInput, match="time zone"):
        _log(ws, rep, case.id, occurred_at=db_now(ws).replace(tzinfo=None))
    resolved = cases.change_case(
        ws,
        rep,
        case.id,
        CaseChange(
            case.version,
            status=CaseStatus.RESOLVED,
            resolution_code="explained",
            outcome="Explained the delivery times for the islands",
        ),
    )
    cases.change_case(ws, rep, case.id, CaseChange(resolved.version, status=CaseStatus.CLOSED))
    with pytest.raises(InvalidInput, match=r"is closed\. Open a new case"):
        _log(ws, rep, case.id)
    setup = Actor("setup", "Setup", rep.role, None, None)
    with pytest.raises(PermissionDenied, match="sign in as a person"):
        _log(ws, setup, case.id)
