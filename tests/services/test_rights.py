"""Who may do what, as the services enforce it on every dialect (issue 8).

On PostgreSQL the database enforces the same again, whatever client a person uses
(tests/db/test_row_security.py). MariaDB has no row-level security: there these checks and the
grants are what holds, so each test runs on MariaDB too. Each shows a thing refused and, beside
it, the allowed counterpart working.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from deskapp.db.models import AuditEvent, HandoffNote
from deskapp.domain.enums import (
    CannedScope,
    CaseStatus,
    Channel,
    Direction,
    HandoffKind,
    Priority,
    Role,
)
from deskapp.domain.errors import InvalidInput, PermissionDenied
from deskapp.services import (
    audit,
    auth,
    canned_library,
    cases,
    customers,
    handoff_followup,
    handoff_templates,
    handoffs,
    interactions,
    queue,
    team_isolation,
    teams,
    users,
)
from deskapp.services.canned_drafts import CannedDraft
from deskapp.services.queue import QueueView
from tests.helpers.databases import PASSWORD, login_of
from tests.services.handoff_requests import (
    Desk,
    Person,
    case_row,
    good_note,
    note_row,
    request,
    sign_in_everyone,
)

pytestmark = pytest.mark.dialects("sqlite", "postgresql", "mariadb")


@pytest.fixture
def desk(db) -> Desk:
    return sign_in_everyone(db)


@pytest.fixture
def billing(desk: Desk) -> uuid.UUID:
    return teams.create_team(desk.admin.ws, desk.admin.actor, "Billing").id


def queued_in(desk: Desk, team_id: uuid.UUID) -> cases.CaseInfo:
    """An unassigned case in ``team_id``'s queue, made by the admin."""
    ws, admin = desk.admin.ws, desk.admin.actor
    customer_id = customers.create_customer(ws, admin, customers.NewCustomer("Jonas Weber"))
    new = cases.NewCase(
        customer_id, team_id, "Direct debit failed", Channel.PHONE, assign_to_me=False
    )
    return cases.create_case(ws, admin, new)


def change(person: Person, case: cases.CaseInfo, priority: Priority) -> cases.CaseState:
    return cases.change_case(
        person.ws, person.actor, case.id, cases.CaseChange(case.version, priority=priority)
    )


# --------------------------------------------------------------------------- cases
def test_a_rep_changes_and_hands_on_their_own_cases_only(desk: Desk):
    rep, rep2 = desk.rep, desk.rep2
    theirs, mine = desk.new_case(rep2), desk.new_case(rep)

    with pytest.raises(PermissionDenied, match="belongs to someone else"):
        change(rep, theirs, Priority.URGENT)
    with pytest.raises(PermissionDenied, match="not yours to hand on"):
        handoffs.hand_off(rep.ws, rep.actor, request(theirs, good_note(rep.ws), to=rep))
    assert case_row(rep.ws, theirs.id).assignee_id == rep2.id
    assert case_row(rep.ws, theirs.id).priority is not Priority.URGENT

    assert change(rep, mine, Priority.URGENT).priority is Priority.URGENT
    mine = cases.get_case(rep.ws, mine.id)
    moved = handoffs.hand_off(rep.ws, rep.actor, request(mine, good_note(rep.ws), to=rep2))
    assert moved.case.assignee_id == rep2.id


def test_a_lead_reassigns_within_their_team_but_does_not_change_another_teams_cases(
    desk: Desk, billing
):
    lead, rep, rep2, admin = desk.lead, desk.rep, desk.rep2, desk.admin
    theirs = desk.new_case(rep2)
    moved = handoffs.hand_off(lead.ws, lead.actor, request(theirs, good_note(lead.ws), to=rep))
    assert moved.case.assignee_id == rep.id
    assert note_row(lead.ws, moved.note_id).author_id == lead.id  # in the lead's own name

    elsewhere = queued_in(desk, billing)
    with pytest.raises(PermissionDenied, match="another team"):
        change(lead, elsewhere, Priority.HIGH)
    with pytest.raises(PermissionDenied, match="another team"):
        handoffs.hand_off(
            lead.ws, lead.actor,
            request(elsewhere, good_note(lead.ws), kind=HandoffKind.TRANSFER,
                    to_team_id=lead.actor.team_id),
        )  # fmt: skip
    assert change(admin, elsewhere, Priority.HIGH).priority is Priority.HIGH


def test_anyone_may_log_a_contact_on_a_case_but_only_its_owner_reopens_it(desk: Desk):
    rep, rep2 = desk.rep, desk.rep2
    case = desk.new_case(rep2)
    pending = change_status(rep2, case, CaseStatus.PENDING_CUSTOMER)
    reply = interactions.NewInteraction(case.id, Channel.EMAIL, Direction.INBOUND, "Any news?")

    logged = interactions.log_interaction(rep.ws, rep.actor, reply)  # the customer wrote to rep
    assert logged.id == reply.id
    state = cases.get_case_state(rep.ws, case.id)
    assert state.status is CaseStatus.PENDING_CUSTOMER  # not rep's case to reopen
    assert state.waiting_since is not None  # but the reply is waiting for an answer

    again = interactions.NewInteraction(case.id, Channel.EMAIL, Direction.INBOUND, "Hello?")
    interactions.log_interaction(rep2.ws, rep2.actor, again)
    assert cases.get_case_state(rep2.ws, case.id).status is CaseStatus.OPEN
    assert pending.version < cases.get_case_state(rep2.ws, case.id).version


def change_status(person: Person, case: cases.CaseInfo, status: CaseStatus) -> cases.CaseState:
    return cases.change_case(
        person.ws, person.actor, case.id, cases.CaseChange(case.version, status=status)
    )


# --------------------------------------------------------------------------- roles
@pytest.mark.parametrize("who", ["rep", "lead"])
def test_only_an_admin_changes_roles(desk: Desk, who, db):
    person: Person = getattr(desk, who)
    # Logins are server-wide: the role that changes is a newcomer's, made for this test only.
    newcomer = users.add_user(
        desk.admin.ws, desk.admin.actor, login=login_of(f"new{uuid.uuid4().hex[:8]}"),
        display_name="Nia Newcomer", role=Role.REP, team_id=db.team_id,
        password=PASSWORD if db.dialect != "sqlite" else None,
    )  # fmt: skip
    for login in (person.actor.login, newcomer.login):
        with pytest.raises(PermissionDenied):
            users.set_role(person.ws, person.actor, login, Role.ADMIN)
    roles = {u.login: u.role for u in users.list_users(person.ws)}
    assert (roles[person.actor.login], roles[newcomer.login]) == (Role(who), Role.REP)

    users.set_role(desk.admin.ws, desk.admin.actor, newcomer.login, Role.LEAD)
    assert {u.login: u.role for u in users.list_users(person.ws)}[newcomer.login] is Role.LEAD
    if db.dialect != "sqlite":  # the newcomer's own login now carries a lead's rights
        lead_ws, lead = db.sign_in(newcomer.login)
        assert lead.role is Role.LEAD
        template = handoff_templates.template_as_dict(handoff_templates.default_template())
        handoff_templates.set_team_template(lead_ws, lead, db.team_id, template)


# --------------------------------------------------------------------------- records
def test_audit_events_carry_the_signed_in_person_whoever_one_claims_to_be(desk: Desk, db):
    rep = desk.rep
    claimed = auth.sign_in(db.open("rep"), login_of("rep2"))
    if db.dialect == "sqlite":  # a local file has no logins: whoever is picked is signed in
        assert claimed.login == login_of("rep2")
        return
    assert claimed.login == rep.actor.login  # the server's login, not the claim
    case = desk.new_case(Person(rep.ws, claimed))
    assert [e.actor_login for e in audit.history(rep.ws, case_id=case.id)] == [rep.actor.login]
    assert audit.first_broken_link(rep.ws, audit.case_chain(case.id)) is None


@pytest.mark.dialects("sqlite", "mariadb")  # PostgreSQL: tests/db/test_row_security.py
def test_nobody_edits_or_deletes_audit_events_or_handoff_notes(desk: Desk):
    rep = desk.rep
    case = desk.new_case(rep)
    note_id = handoffs.hand_off(
        rep.ws, rep.actor, request(case, good_note(rep.ws), to=desk.rep2)
    ).note_id
    with rep.ws.engine.connect() as conn:
        event_id = conn.execute(select(AuditEvent.id).where(AuditEvent.case_id == case.id)).first()
    assert event_id is not None
    for person in (rep, desk.lead, desk.admin):
        for model, row_id in ((AuditEvent, event_id[0]), (HandoffNote, note_id)):
            for statement in (
                update(model).where(model.id == row_id).values(id=uuid.uuid4()),
                text(f"DELETE FROM {model.__tablename__}"),
            ):
                with pytest.raises(DBAPIError), person.ws.engine.begin() as conn:
                    conn.execute(statement)
    assert note_row(rep.ws, note_id).id == note_id


# --------------------------------------------------------------------------- handoffs
def test_only_the_receiver_acknowledges_a_handoff(desk: Desk):
    rep, rep2, lead = desk.rep, desk.rep2, desk.lead
    case = desk.new_case(rep)
    note_id = handoffs.hand_off(
        rep.ws, rep.actor, request(case, good_note(rep.ws), to=rep2)
    ).note_id

    for person in (rep, lead):
        with pytest.raises(PermissionDenied, match="written for someone else"):
            handoff_followup.acknowledge(person.ws, person.actor, note_id)
    with pytest.raises(PermissionDenied):
        handoff_followup.answer_question(rep2.ws, rep2.actor, note_id, "I know the answer")

    handoff_followup.acknowledge(rep2.ws, rep2.actor, note_id, "Refund, then email Ines")
    assert handoff_followup.to_acknowledge(rep2.ws, rep2.actor) == []


# --------------------------------------------------------------------------- team rights
def test_only_the_teams_lead_or_an_admin_edits_its_template(desk: Desk, billing, db):
    template = handoff_templates.template_as_dict(handoff_templates.default_template())
    for person, team_id in ((desk.rep, db.team_id), (desk.lead, billing)):
        with pytest.raises(PermissionDenied):
            handoff_templates.set_team_template(person.ws, person.actor, team_id, template)
    before = handoff_templates.template_for(desk.lead.ws, db.team_id).version

    saved = handoff_templates.set_team_template(desk.lead.ws, desk.lead.actor, db.team_id, template)
    assert saved.version == before + 1
    admin = desk.admin
    assert handoff_templates.set_team_template(admin.ws, admin.actor, billing, template).version


def test_only_the_teams_lead_or_an_admin_edits_its_canned_responses(desk: Desk):
    rep, lead = desk.rep, desk.lead
    draft = CannedDraft(CannedScope.TEAM, "Team hello", "teamhi", "greeting", (), "Hello!")
    hello = canned_library.create_response(lead.ws, lead.actor, draft)
    with pytest.raises(PermissionDenied):
        canned_library.create_response(rep.ws, rep.actor, draft)
    edited = CannedDraft(CannedScope.TEAM, "Team hello", "teamhi", "greeting", (), "Yo")
    with pytest.raises(PermissionDenied):
        canned_library.update_response(rep.ws, rep.actor, hello.id, hello.version, edited)

    updated = canned_library.update_response(lead.ws, lead.actor, hello.id, hello.version, edited)
    assert updated.body == "Yo"


# --------------------------------------------------------------------------- isolation
def test_leads_and_reps_views_never_hold_another_teams_cases(desk: Desk, billing):
    theirs = queued_in(desk, billing)
    for person in (desk.rep, desk.lead):
        for view in queue.available_views(person.actor):
            if view is QueueView.REP:
                continue
            shown = {row.id for row in queue.list_queue(person.ws, person.actor, view)}
            assert theirs.id not in shown, view
    everything = queue.list_queue(desk.admin.ws, desk.admin.actor, QueueView.ALL_OPEN)
    assert theirs.id in {row.id for row in everything}


def test_team_isolation_is_an_admins_switch_and_needs_postgresql(desk: Desk, db):
    with pytest.raises(PermissionDenied):
        team_isolation.set_team_isolation(desk.lead.ws, desk.lead.actor, True)
    if db.dialect != "postgresql":
        with pytest.raises(InvalidInput, match="needs a PostgreSQL workspace"):
            team_isolation.set_team_isolation(desk.admin.ws, desk.admin.actor, True)
        assert team_isolation.team_isolation_on(desk.admin.ws) is False
        return
    assert team_isolation.set_team_isolation(desk.admin.ws, desk.admin.actor, True) is False
    assert team_isolation.team_isolation_on(desk.rep.ws) is True
    changed = audit.history(desk.admin.ws, chain=team_isolation.SETTINGS_CHAIN)
    assert [(e.action, e.detail) for e in changed] == [
        (team_isolation.CHANGED, {"team_isolation": True})
    ]
