"""An erasure request (issues 8 and 10): an admin redacts a customer's personal data in the
customer record, interactions, handoff notes, read-backs, promises and audit details, on every
dialect; search no longer finds it, exports carry only markers, and every audit chain still
verifies. Anyone else is refused, by the service and, on PostgreSQL, by the database itself."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import DBAPIError

from deskapp.db.engine import make_engine
from deskapp.db.models import (
    AuditEvent,
    Case,
    Commitment,
    Customer,
    HandoffAck,
    HandoffDraft,
    HandoffNote,
    Interaction,
)
from deskapp.db.types import utcnow
from deskapp.domain.enums import CaseStatus, Channel, Direction, RiskLevel
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from deskapp.domain.handoff import NextAction, NoteContent, Promise
from deskapp.services import (
    audit,
    audit_verify,
    cases,
    customer_notes,
    customers,
    handoff_drafts,
    handoff_followup,
    handoffs,
    interactions,
)
from deskapp.services.audit_verify import Problem
from deskapp.services.case_search import case_matches
from deskapp.services.cases import CaseChange
from deskapp.services.data_export import export_records
from deskapp.services.redaction import find_customer, redact_customer
from deskapp.services.redaction_marks import MARKER, NAMED_KEY, REDACTION_ACTION
from deskapp.services.redaction_text import blank_text, personal_terms, scrub_detail
from deskapp.services.unit_of_work import read_session, write_session
from tests.db.conftest import owner_url
from tests.services.handoff_requests import Desk, good_note, request, server_now, sign_in_everyone

pytestmark = pytest.mark.dialects("sqlite", "postgresql", "mariadb")

NAME, EMAIL, PHONE = "Zoë Okafor", "zoe.okafor@lantern.example", "+44 20 7946 0321"
# What must be gone afterwards, wherever it was: her name (as typed, and in parts), her
# contacts, and words only her cases held.
SECRETS = ("Zoë", "Okafor", "zoe.okafor", "7946", "Harbour Lane", "doorstep", "misdelivered",
           "second phone", "flat 4B", "wrong door")  # fmt: skip


@dataclass
class Erasure:
    desk: Desk
    customer_id: uuid.UUID
    parcel: uuid.UUID  # her case with the whole story
    refund: uuid.UUID  # her second case
    note_id: uuid.UUID
    other_case: uuid.UUID  # another customer's, which must not change


def log(desk: Desk, case_id: uuid.UUID, body: str) -> None:
    interactions.log_interaction(
        desk.rep.ws, desk.rep.actor,
        interactions.NewInteraction(case_id, Channel.EMAIL, Direction.INBOUND, body),
    )  # fmt: skip


@pytest.fixture
def erasure(db) -> Erasure:
    """Zoë's story through the services: a profile note, two cases, contacts, a status change
    with a reason, a handoff with promises, a question about it, a colleague's draft; and an
    older audit event whose detail quotes her contacts (as imports and earlier versions wrote)."""
    desk = sign_in_everyone(db)
    rep, team = desk.rep, desk.rep.actor.team_id
    assert team is not None
    new = customers.NewCustomer(NAME, email=EMAIL, phone=PHONE, time_zone="Europe/London")
    customer_id = customers.create_customer(rep.ws, rep.actor, new)
    note = customer_notes.profile_note(rep.ws, customer_id)
    customer_notes.set_profile_note(rep.ws, rep.actor, customer_id, note.version,
                                    "Prefers calls after 18:00; lives in flat 4B.")  # fmt: skip
    with write_session(rep.ws) as session:  # imported with the customer
        imported = {"tags": ["okafor-family"], "preferred_contact": "Zoë's mobile"}
        session.execute(update(Customer).where(Customer.id == customer_id).values(**imported))
    parcel = cases.create_case(rep.ws, rep.actor, cases.NewCase(
        customer_id, team, "Parcel to Harbour Lane never arrived", Channel.EMAIL,
        assign_to_me=True))  # fmt: skip
    refund = cases.create_case(rep.ws, rep.actor, cases.NewCase(
        customer_id, team, "Refund for Zoë's order", Channel.PHONE, assign_to_me=True))  # fmt: skip
    log(desk, parcel.id, "Zoë says the courier left the parcel at 12 Harbour Lane, wrong door.")
    log(desk, refund.id, "Wants the refund on the card ending 4242.")
    state = cases.get_case_state(rep.ws, parcel.id)
    cases.change_case(rep.ws, rep.actor, parcel.id, CaseChange(
        state.version, status=CaseStatus.PENDING_CUSTOMER,
        reason="Waiting for Zoë's photo of the doorstep"))  # fmt: skip
    now = server_now(rep.ws)
    content = good_note(
        rep.ws,
        summary="Zoë Okafor's parcel was misdelivered to the wrong door on Harbour Lane; she "
        "wants it found or refunded before Friday.",
        done="Asked the courier for the driver's photo of the doorstep (ticket CR-8812).",
        next_actions=(NextAction("Chase the courier about Harbour Lane", "next owner",
                                 now + timedelta(days=1)),),
        commitments=(Promise("Call Zoë back with the courier's answer", now + timedelta(days=2)),),
        contingencies="If the courier has no photo, refund Zoë in full.",
        contact_preference="Zoë's mobile, evenings",
    )  # fmt: skip
    outcome = handoffs.hand_off(rep.ws, rep.actor, request(cases.get_case(rep.ws, parcel.id),
                                                           content, to=desk.rep2))  # fmt: skip
    handoff_followup.ask_question(desk.rep2.ws, desk.rep2.actor, outcome.note_id,
                                  "Did Zoë give a second phone number?")  # fmt: skip
    draft = NoteContent(RiskLevel.WATCH, summary="Zoë called again, Harbour Lane")
    handoff_drafts.save_draft(desk.rep2.ws, desk.rep2.actor, parcel.id, draft)
    with write_session(desk.admin.ws) as session:
        audit.record_event(
            session, desk.admin.actor, "case.updated", case_id=refund.id,
            detail={"contact": {"from": EMAIL, "to": f"{NAME}, {PHONE}"}, "version": 3,
                    "status": {"from": "open", "to": "open"}},
        )  # fmt: skip
    other = desk.new_case(desk.rep)  # Ines Moreau's
    log(desk, other.id, "Ines asks for the invoice again.")
    return Erasure(desk, customer_id, parcel.id, refund.id, outcome.note_id, other.id)


def erase(e: Erasure, **options: Any) -> Any:
    return redact_customer(e.desk.admin.ws, e.desk.admin.actor, e.customer_id,
                           "Erasure request ER-2291", **options)  # fmt: skip


def rows(e: Erasure, query: Any) -> list[Any]:
    with read_session(e.desk.admin.ws) as session:
        return list(session.execute(query).all())


def her_chains(e: Erasure) -> list[str]:
    return [audit.case_chain(e.parcel), audit.case_chain(e.refund),
            customer_notes.customer_chain(e.customer_id)]  # fmt: skip


def stored_text(e: Erasure) -> str:
    """Every text the workspace still holds about her and her cases, as one string."""
    her_cases = select(Case.id).where(Case.customer_id == e.customer_id)
    queries = [
        select(Customer.name, Customer.email, Customer.phone, Customer.phone_digits,
               Customer.profile_note, Customer.preferred_contact, Customer.tags)
        .where(Customer.id == e.customer_id),
        select(Case.subject, Case.resolution_outcome).where(Case.id.in_(her_cases)),
        select(Interaction.body).where(Interaction.case_id.in_(her_cases)),
        select(HandoffNote.summary, HandoffNote.done, HandoffNote.contingencies,
               HandoffNote.contact_preference, HandoffNote.unbriefed_reason,
               HandoffNote.next_actions, HandoffNote.commitments, HandoffNote.extra)
        .where(HandoffNote.case_id.in_(her_cases)),
        select(HandoffAck.text).join(HandoffNote, HandoffNote.id == HandoffAck.note_id)
        .where(HandoffNote.case_id.in_(her_cases)),
        select(Commitment.promise).where(Commitment.case_id.in_(her_cases)),
        select(HandoffDraft.content).where(HandoffDraft.case_id.in_(her_cases)),
        select(AuditEvent.reason, AuditEvent.detail).where(AuditEvent.chain.in_(her_chains(e))),
    ]  # fmt: skip
    held = [list(row) for query in queries for row in rows(e, query)]
    return json.dumps(held, default=str, ensure_ascii=False)


def found(e: Erasure, typed: str) -> set[uuid.UUID]:
    ws = e.desk.rep.ws
    condition = case_matches(ws.engine.dialect.name, typed)
    assert condition is not None
    with read_session(ws) as session:
        return set(session.scalars(select(Case.id).where(condition)))


# ----------------------------------------------------------------------------- erasing
def test_an_admin_erases_the_customer_everywhere_and_every_chain_still_verifies(
    erasure: Erasure,
):
    e = erasure
    before = stored_text(e)
    assert all(secret in before for secret in SECRETS), "the story holds every secret first"

    report = erase(e)

    after = stored_text(e)
    leaked = [secret for secret in SECRETS if secret.casefold() in after.casefold()]
    assert leaked == []
    assert (report.cases, report.interactions, report.notes, report.read_backs,
            report.promises, report.drafts_deleted) == (2, 2, 1, 1, 1, 1)  # fmt: skip
    [customer] = rows(e, select(Customer).where(Customer.id == e.customer_id))
    customer = customer[0]
    assert (customer.name, customer.email, customer.phone, customer.phone_digits,
            customer.profile_note, customer.preferred_contact, customer.tags) == (
        MARKER, None, None, None, None, None, [])  # fmt: skip
    assert customer.redacted_at is not None and customer.time_zone == "Europe/London"

    # The note keeps its structure: risk, owners and due times; its words are gone.
    [(note,)] = rows(e, select(HandoffNote).where(HandoffNote.id == e.note_id))
    assert (note.summary, note.done, note.contingencies, note.contact_preference) == (
        (MARKER,) * 4)  # fmt: skip
    assert note.risk is RiskLevel.WATCH and note.redacted_at is not None
    [action] = note.next_actions
    assert action["action"] == MARKER and action["owner"] == "next owner" and action["due"]
    assert [p["promise"] for p in note.commitments] == [MARKER] and note.commitments[0]["due"]

    # The audit: free text blanked, keys, ids and states kept; the rest as written.
    events = {ev.id: ev for (ev,) in rows(e, select(AuditEvent)
                                          .where(AuditEvent.chain.in_(her_chains(e))))}  # fmt: skip
    changed = next(ev for ev in events.values() if ev.reason == MARKER)
    assert changed.detail["status"] == {"from": "open", "to": "pending_customer"}
    legacy = next(ev for ev in events.values() if "contact" in ev.detail)
    assert legacy.detail == {"contact": {"from": MARKER, "to": MARKER}, "version": 3,
                             "status": {"from": "open", "to": "open"}}  # fmt: skip
    redacted = {ev.id for ev in events.values() if ev.redacted_at is not None}
    assert len(redacted) == report.audit_events >= 2
    # Each of her chains ends with the redaction, which names exactly what it redacted there.
    for chain in her_chains(e):
        on_chain = sorted((ev for ev in events.values() if ev.chain == chain),
                          key=lambda ev: ev.seq)  # fmt: skip
        last = on_chain[-1]
        assert last.action == REDACTION_ACTION and last.reason == "Erasure request ER-2291"
        assert set(last.detail[NAMED_KEY]) == {ev.id.hex for ev in on_chain if ev.redacted_at}

    verified = audit_verify.verify_workspace(e.desk.admin.ws, e.desk.admin.actor)
    assert verified.whole, verified.broken
    assert verified.redacted_events == report.audit_events

    # Another customer's case is as it was, and can still be found by its words.
    assert rows(e, select(Case.subject).where(Case.id == e.other_case)) == [
        ("Invoice charged twice",)
    ]
    assert found(e, "invoice again") == {e.other_case}


def test_search_no_longer_finds_her_name_contacts_or_what_her_cases_said(erasure: Erasure):
    e = erasure
    hers = {e.parcel, e.refund}
    typed = ["okafor", "zoe", EMAIL, "7946 0321", "harbour lane", "misdelivered",
             "courier left the parcel"]  # fmt: skip
    for words in typed:
        assert found(e, words) & hers, f"{words!r} finds her case before"

    erase(e)

    for words in typed:
        assert found(e, words) == set(), f"{words!r} still finds her case"
    assert found(e, "invoice again") == {e.other_case}


def test_exports_after_an_erasure_carry_only_the_markers(erasure: Erasure, tmp_path):
    e = erasure
    erase(e)
    written = []
    for kind in ("customers", "cases", "interactions"):
        for suffix in ("csv", "json"):
            path = tmp_path / f"{kind}.{suffix}"
            export_records(e.desk.admin.ws, e.desk.admin.actor, kind, path)
            written.append(path.read_text(encoding="utf-8"))
    everything = "\n".join(written)
    assert [s for s in SECRETS if s.casefold() in everything.casefold()] == []
    customers_json = json.loads((tmp_path / "customers.json").read_text())["records"]
    zoe = next(c for c in customers_json if c["external_id"] == str(e.customer_id))
    assert (zoe["name"], zoe["email"], zoe["phone"], zoe["profile_note"]) == (
        MARKER, None, None, None)  # fmt: skip
    interactions_json = json.loads((tmp_path / "interactions.json").read_text())["records"]
    assert sum(1 for i in interactions_json if i["body"] == MARKER) == 2
    assert "Ines asks for the invoice again." in everything  # others are kept


def test_only_an_admin_may_erase_and_nothing_changes_when_refused(erasure: Erasure):
    e = erasure
    before = stored_text(e)
    for person in (e.desk.rep, e.desk.lead):
        with pytest.raises(PermissionDenied, match="Only an admin"):
            redact_customer(person.ws, person.actor, e.customer_id, "ER-1")
        with pytest.raises(PermissionDenied):
            find_customer(person.ws, person.actor, EMAIL)
    with pytest.raises(InvalidInput, match="names the customer"):  # kept on every chain
        redact_customer(e.desk.admin.ws, e.desk.admin.actor, e.customer_id,
                        "Zoë Okafor asked by e-mail")  # fmt: skip
    with pytest.raises(InvalidInput, match="Say why"):
        redact_customer(e.desk.admin.ws, e.desk.admin.actor, e.customer_id, "   ")
    with pytest.raises(NotFound):
        redact_customer(e.desk.admin.ws, e.desk.admin.actor, uuid.uuid4(), "ER-1")
    assert stored_text(e) == before


def test_the_customer_is_found_by_email_or_id_and_a_retry_erases_once(erasure: Erasure):
    e = erasure
    admin = e.desk.admin
    target = find_customer(admin.ws, admin.actor, EMAIL.upper())
    assert (target.customer_id, target.name, target.cases, target.interactions) == (
        e.customer_id, NAME, 2, 2)  # fmt: skip
    assert find_customer(admin.ws, admin.actor, str(e.customer_id)).customer_id == e.customer_id
    with pytest.raises(NotFound, match="No customer"):
        find_customer(admin.ws, admin.actor, "nobody@nowhere.example")

    request_id = uuid.uuid4()
    first = erase(e, request_id=request_id)
    again = erase(e, request_id=request_id)  # the reply was lost; the app tries again

    assert again == first
    redactions = rows(e, select(AuditEvent.id).where(AuditEvent.action == REDACTION_ACTION))
    assert len(redactions) == len(her_chains(e))
    assert find_customer(admin.ws, admin.actor, str(e.customer_id)).redacted_at is not None


def test_a_contact_logged_after_the_erasure_is_caught_by_running_it_again(erasure: Erasure):
    e = erasure
    erase(e)
    log(e.desk, e.parcel, "Zoë rang again from 07946 0321 about Harbour Lane.")

    report = erase(e)

    assert report.interactions == 1 and "Harbour Lane" not in stored_text(e)
    assert audit_verify.verify_workspace(e.desk.admin.ws, e.desk.admin.actor).whole


def test_an_event_blanked_behind_the_app_without_a_redaction_naming_it_is_reported(
    erasure: Erasure, db
):
    """The database lets its owner redact (migration 0011), but only a redaction recorded on
    the chain makes the verifier accept the changed content: anything else is tampering."""
    e = erasure
    chain = audit.case_chain(e.other_case)
    owner = make_engine(owner_url(db.dialect, db.url.database or ""))
    try:
        with owner.begin() as conn:
            first = conn.execute(
                select(AuditEvent.id).where(AuditEvent.chain == chain, AuditEvent.seq == 1)
            ).scalar_one()
            conn.execute(
                update(AuditEvent)
                .where(AuditEvent.id == first)
                .values(detail={"subject_length": 999}, redacted_at=utcnow())
            )
    finally:
        owner.dispose()

    report = audit_verify.verify_chain(e.desk.admin.ws, e.desk.admin.actor, chain)
    [broken] = report.broken
    assert (broken.seq, broken.problem, report.redacted_events) == (1, Problem.CONTENT, 0)


# ----------------------------------------------------------------------------- PostgreSQL
def _raw_redaction(engine: Engine, model: Any, row_id: uuid.UUID, **values: Any) -> None:
    with engine.begin() as conn:
        conn.execute(update(model).where(model.id == row_id).values(**values, redacted_at=utcnow()))


def _refusal(engine: Engine, model: Any, row_id: uuid.UUID, **values: Any) -> str:
    with pytest.raises(DBAPIError) as refused:
        _raw_redaction(engine, model, row_id, **values)
    return f"{type(refused.value.orig).__name__}: {refused.value.orig}"


@pytest.mark.dialects("postgresql")
def test_on_postgresql_only_an_admins_login_can_redact_even_with_raw_sql(erasure: Erasure):
    e = erasure
    [(event_id,)] = rows(e, select(AuditEvent.id).where(
        AuditEvent.chain == audit.case_chain(e.parcel), AuditEvent.seq == 1))  # fmt: skip
    targets = [(HandoffNote, e.note_id, {"summary": MARKER}),
               (AuditEvent, event_id, {"reason": MARKER, "detail": {}})]  # fmt: skip
    for person in (e.desk.rep, e.desk.rep2, e.desk.lead):  # rep2 received the note
        for model, row_id, values in targets:
            assert "InsufficientPrivilege" in _refusal(person.ws.engine, model, row_id, **values)

    admin = e.desk.admin.ws.engine
    # Even an admin redacts only: other text or another column is refused.
    assert "never changes" in _refusal(admin, HandoffNote, e.note_id, summary="Nothing here.")
    assert "InsufficientPrivilege" in _refusal(admin, HandoffNote, e.note_id, risk="stable")
    assert "append-only" in _refusal(admin, AuditEvent, event_id, reason="nothing happened")
    for model, row_id, values in targets:
        _raw_redaction(admin, model, row_id, **values)
    [(summary, when)] = rows(e, select(HandoffNote.summary, HandoffNote.redacted_at)
                             .where(HandoffNote.id == e.note_id))  # fmt: skip
    assert summary == MARKER and when is not None
    # Once redacted, a row never changes again.
    assert "never changes" in _refusal(admin, HandoffNote, e.note_id, summary=MARKER)


# ----------------------------------------------------------------------------- what is personal
def test_audit_details_keep_ids_states_and_times_and_lose_what_could_be_personal():
    terms = personal_terms(NAME, EMAIL, PHONE, None)
    detail = {
        "status": {"from": "open", "to": "pending_customer"},
        "note_id": "ab" * 16,
        "case": "C-000123",
        "at": "2026-11-25T09:00:00+00:00",
        "rules": ["vague_text"],
        "count": 3,
        "unbriefed": True,
        "login": "zoe.okafor",  # an identifier, but it spells her out
        "phone": "07946 0321",  # her number, written another way
        "said": "call me tomorrow please",
        "name": "ZOE OKAFOR",
    }
    assert scrub_detail(detail, terms) == {
        **detail, "login": MARKER, "phone": MARKER, "said": MARKER, "name": MARKER,
    }  # fmt: skip
    note_actions = [{"action": "Ring Zoë", "owner": "Dana Scully", "due": "2026-11-26T15:00"}]
    assert blank_text(note_actions) == [
        {"action": MARKER, "owner": "Dana Scully", "due": "2026-11-26T15:00"}
    ]
