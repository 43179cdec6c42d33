"""On PostgreSQL the database itself enforces who may do what (migration 0009, DESIGN.md §7).

Everything here goes behind the app's back: SQL sent straight to the server on a person's own
login, as a rep with their own SQL client would. Each test shows a thing a rep (or a lead) must
not be able to do, refused by the database, and beside it the allowed counterpart working, so a
refusal can never pass by refusing everything.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import Engine, delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from deskapp.db.models import (
    AuditEvent,
    CannedResponse,
    Case,
    HandoffAck,
    HandoffNote,
    Presence,
    SignIn,
    Team,
    User,
    WorkspaceSetting,
)
from deskapp.db.roles import GROUP_ROLES
from deskapp.domain.enums import (
    AckKind,
    CannedScope,
    CaseStatus,
    Channel,
    HandoffKind,
    PresenceState,
    Role,
)
from deskapp.domain.errors import PermissionDenied
from deskapp.services import (
    audit,
    canned_library,
    cases,
    claiming,
    customers,
    handoff_followup,
    handoffs,
    presence,
    queue,
    team_isolation,
    teams,
)
from deskapp.services.canned_drafts import CannedDraft
from deskapp.services.queue import QueueQuery, QueueView
from deskapp.services.records import Actor
from deskapp.services.team_isolation import KEY
from tests.db.test_handoff_enforcement import insert_note, note_values
from tests.helpers.databases import login_of
from tests.services.handoff_helpers import db_now
from tests.services.handoff_requests import Desk, Person, good_note, request, sign_in_everyone
from tests.services.queue_data import add_cases, add_customers, mixed_cases
from tests.services.test_open_case_indexes import statements_sent

pytestmark = pytest.mark.dialects("postgresql")

CASE_REFUSED = "you may not change this case"
TEAM_REFUSED = "only an admin may change a team"
NOTE_REFUSED = "written in its author's own name"
ACK_REFUSED = "only a note's receiver acknowledges it"
ACTOR_REFUSED = "names the signed-in login as its actor"
CANNED_REFUSED = "you may not write this canned response"


# --------------------------------------------------------------------------- helpers
def refused(engine: Engine, statement: Any, reason: str | None = None) -> str:
    """Run ``statement`` on ``engine`` expecting the server to refuse it; returns why. Every
    refusal here is PostgreSQL's "insufficient privilege": a grant missing or a rule of 0009."""
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.execute(statement)
    assert type(caught.value.orig).__name__ == "InsufficientPrivilege", caught.value.orig
    message = str(caught.value.orig)
    if reason is not None:
        assert reason in message, message
    return message


def run(engine: Engine, statement: Any) -> int:
    with engine.begin() as conn:
        return conn.execute(statement).rowcount


def case_row(owner: Engine, case_id: uuid.UUID) -> tuple[Any, ...]:
    with owner.connect() as conn:
        return tuple(
            conn.execute(
                select(Case.subject, Case.assignee_id, Case.team_id, Case.version).where(
                    Case.id == case_id
                )
            ).one()
        )


def visible(engine: Engine, case_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    with engine.connect() as conn:
        return set(conn.execute(select(Case.id).where(Case.id.in_(case_ids))).scalars())


@pytest.fixture
def desk(db) -> Desk:
    return sign_in_everyone(db)


@pytest.fixture
def billing(desk: Desk) -> uuid.UUID:
    """A second team, with nobody of the test's people in it."""
    return teams.create_team(desk.admin.ws, desk.admin.actor, "Billing").id


def queued_case_of(desk: Desk, team_id: uuid.UUID) -> uuid.UUID:
    """An unassigned case in ``team_id``'s queue (made by the admin, who may)."""
    ws, admin = desk.admin.ws, desk.admin.actor
    customer_id = customers.create_customer(ws, admin, customers.NewCustomer("Jonas Weber"))
    new = cases.NewCase(
        customer_id, team_id, "Direct debit failed", Channel.PHONE, assign_to_me=False
    )
    return cases.create_case(ws, admin, new).id


# --------------------------------------------------------------------------- cases
def test_a_rep_cannot_edit_or_take_over_another_reps_case_but_works_their_own(
    desk: Desk, owner_engine
):
    rep, rep2 = desk.rep, desk.rep2
    theirs = desk.new_case(rep2).id
    mine = desk.new_case(rep).id
    before = case_row(owner_engine, theirs)

    refused(
        rep.ws.engine,
        update(Case).where(Case.id == theirs).values(subject="Mine now"),
        CASE_REFUSED,
    )
    # Even with a proper note written for the change (in the rep's own name), the case stays.
    note = insert_note(
        rep.ws.engine, note_values(theirs, rep.actor, from_user_id=rep2.id, to_user_id=rep.id)
    )
    refused(
        rep.ws.engine,
        update(Case).where(Case.id == theirs).values(assignee_id=rep.id, current_handoff_id=note),
        CASE_REFUSED,
    )
    assert case_row(owner_engine, theirs) == before

    mine_now = update(Case).where(Case.id == mine).values(subject="Refund sent")
    assert run(rep.ws.engine, mine_now) == 1
    assert case_row(owner_engine, mine)[0] == "Refund sent"


def test_a_rep_claims_a_queued_case_of_their_team_for_themself_only(desk: Desk, owner_engine):
    rep, rep2 = desk.rep, desk.rep2
    queued = desk.new_case(rep, queued=True).id

    refused(
        rep.ws.engine,
        update(Case).where(Case.id == queued).values(assignee_id=rep2.id),
        CASE_REFUSED,
    )
    assert case_row(owner_engine, queued)[1] is None

    assert run(rep.ws.engine, update(Case).where(Case.id == queued).values(assignee_id=rep.id)) == 1
    assert case_row(owner_engine, queued)[1] == rep.id


def test_a_lead_reassigns_within_their_team_with_a_note_but_not_another_teams_case(
    desk: Desk, billing, owner_engine
):
    lead, rep, rep2 = desk.lead, desk.rep, desk.rep2
    case_id = desk.new_case(rep2).id
    note = insert_note(
        lead.ws.engine, note_values(case_id, lead.actor, from_user_id=rep2.id, to_user_id=rep.id)
    )
    moved = update(Case).where(Case.id == case_id)
    assert run(lead.ws.engine, moved.values(assignee_id=rep.id, current_handoff_id=note)) == 1
    assert case_row(owner_engine, case_id)[1] == rep.id

    elsewhere = queued_case_of(desk, billing)
    refused(
        lead.ws.engine,
        update(Case).where(Case.id == elsewhere).values(subject="Ours"),
        CASE_REFUSED,
    )
    # An admin may change any case.
    stamp = update(Case).where(Case.id == elsewhere).values(subject="Checked by admin")
    assert run(desk.admin.ws.engine, stamp) == 1


# --------------------------------------------------------------------------- roles
@pytest.mark.parametrize("who", ["rep", "lead"])
def test_nobody_but_an_admin_changes_a_role(desk: Desk, owner_engine, who):
    person: Person = getattr(desk, who)
    login = login_of(who)
    for target in (login, login_of("rep2")):
        promote = update(User).where(User.login == target).values(role=Role.ADMIN)
        refused(person.ws.engine, promote)
    # Nor by the server's roles: a person holds no admin option on the group roles.
    for statement in (
        text(f'GRANT {GROUP_ROLES[Role.ADMIN]} TO "{login}"'),
        text(f"SET ROLE {GROUP_ROLES[Role.ADMIN]}"),
    ):
        refused(person.ws.engine, statement)
    with owner_engine.connect() as conn:
        assert conn.execute(select(User.role).where(User.login == login)).scalar() == Role(who)

    # An admin may.
    demote = update(User).where(User.login == login_of("rep2")).values(role=Role.LEAD)
    assert run(desk.admin.ws.engine, demote) == 1


# --------------------------------------------------------------------------- insert-only records
def test_presence_is_read_by_all_but_written_by_each_person_for_themself(desk: Desk):
    rep, rep2 = desk.rep, desk.rep2
    case_id = desk.new_case(rep2).id
    presence.heartbeat(rep2.ws, rep2.actor, "desk-2", case_id, editing=True)
    presence.heartbeat(rep.ws, rep.actor, "desk-1", case_id, editing=False)

    # Nobody fakes a colleague at work, nor hides them: their rows match nothing for others.
    assert run(rep.ws.engine, delete(Presence).where(Presence.user_id == rep2.id)) == 0
    assert run(rep.ws.engine, delete(SignIn).where(SignIn.user_id == rep2.id)) == 0
    assert run(rep.ws.engine, update(SignIn).values(client="faked")) == 1  # their own row only
    with pytest.raises(DBAPIError), rep.ws.engine.begin() as conn:
        conn.execute(insert(SignIn).values(user_id=desk.lead.id, client="faked"))

    on_case = presence.who_is_on(rep.ws, rep.actor, [case_id])[case_id]
    assert [p.state for p in on_case] == [PresenceState.EDITING]  # rep2 still seen, editing
    presence.sign_out(rep.ws, rep.actor)
    assert set(presence.signed_in(rep2.ws, [rep.id, rep2.id])) == {rep2.id}


def test_audit_events_and_handoff_notes_are_added_to_never_edited_or_deleted(desk: Desk):
    rep = desk.rep
    case_id = desk.new_case(rep).id
    note_id = insert_note(rep.ws.engine, note_values(case_id, rep.actor))  # adding works
    for person in (rep, desk.lead, desk.admin):
        engine = person.ws.engine
        for model, row_id in ((AuditEvent, _event_of(engine, case_id)), (HandoffNote, note_id)):
            refused(engine, update(model).where(model.id == row_id).values(id=uuid.uuid4()))
            refused(engine, text(f"DELETE FROM {model.__tablename__} WHERE id = '{row_id}'"))


def _event_of(engine: Engine, case_id: uuid.UUID) -> uuid.UUID:
    with engine.connect() as conn:
        found = conn.execute(select(AuditEvent.id).where(AuditEvent.case_id == case_id)).first()
    assert found is not None
    return uuid.UUID(str(found[0]))


def test_an_audit_event_is_written_in_the_signed_in_logins_name_only(desk: Desk):
    rep, rep2 = desk.rep, desk.rep2
    case_id = desk.new_case(rep).id
    chain = audit.case_chain(case_id)

    def record(as_: Actor) -> None:
        with Session(rep.ws.engine) as session, session.begin():  # rep's own login
            audit.record_event(session, as_, "case.noted", case_id=case_id, detail={"n": 1})

    with pytest.raises(DBAPIError) as forged:
        record(rep2.actor)  # another rep's login and person
    assert ACTOR_REFUSED in str(forged.value.orig)
    with pytest.raises(DBAPIError) as forged:
        record(Actor(rep.actor.login, "Rae", Role.REP, rep2.id, rep.actor.team_id))  # their id
    assert ACTOR_REFUSED in str(forged.value.orig)

    record(rep.actor)  # an honest write: the actor the database checks is the one hashed
    events = audit.history(rep.ws, case_id=case_id)
    assert [e.actor_login for e in events] == [rep.actor.login, rep.actor.login]
    assert audit.first_broken_link(rep.ws, chain) is None


# --------------------------------------------------------------------------- handoffs
def test_a_handoff_note_is_written_in_its_authors_own_name(desk: Desk):
    rep, rep2 = desk.rep, desk.rep2
    case_id = desk.new_case(rep).id
    forged = note_values(case_id, rep.actor, author_id=rep2.id)
    refused(rep.ws.engine, insert(HandoffNote).values(**forged), NOTE_REFUSED)

    insert_note(rep.ws.engine, note_values(case_id, rep.actor))  # in the rep's own name


def test_only_the_receiver_acknowledges_a_handoff_and_only_its_author_answers(desk: Desk):
    rep, rep2, lead = desk.rep, desk.rep2, desk.lead
    case = desk.new_case(rep)
    note_id = handoffs.hand_off(
        rep.ws, rep.actor, request(case, good_note(rep.ws), to=rep2)
    ).note_id

    def ack(person: Person, kind: AckKind, user_id: uuid.UUID | None = None) -> Any:
        return insert(HandoffAck).values(
            id=uuid.uuid4(), note_id=note_id, user_id=user_id or person.id, kind=kind, text=""
        )

    refused(rep.ws.engine, ack(rep, AckKind.ACCEPTED, rep2.id), ACK_REFUSED)  # in rep2's name
    refused(rep.ws.engine, ack(rep, AckKind.ACCEPTED), ACK_REFUSED)  # the author
    refused(lead.ws.engine, ack(lead, AckKind.ACCEPTED), ACK_REFUSED)  # not for the lead
    refused(rep2.ws.engine, ack(rep2, AckKind.ANSWER), ACK_REFUSED)  # answers are the author's

    run(rep2.ws.engine, ack(rep2, AckKind.QUESTION))  # the addressee asks
    run(rep.ws.engine, ack(rep, AckKind.ANSWER))  # the author answers
    run(rep2.ws.engine, ack(rep2, AckKind.ACCEPTED))  # and the addressee accepts
    with rep.ws.engine.connect() as conn:
        written = conn.execute(
            select(HandoffAck.user_id, HandoffAck.kind).where(HandoffAck.note_id == note_id)
        ).all()
    assert sorted(written, key=lambda row: row[1].value) == [
        (rep2.id, AckKind.ACCEPTED),
        (rep.id, AckKind.ANSWER),
        (rep2.id, AckKind.QUESTION),
    ]


# --------------------------------------------------------------------------- team rights
def test_only_the_teams_lead_or_an_admin_edits_its_template(desk: Desk, billing, db):
    rep, lead, admin = desk.rep, desk.lead, desk.admin
    template = {"fields": [], "version": 7}
    ours = update(Team).where(Team.id == db.team_id)

    refused(rep.ws.engine, ours.values(handoff_template=template))  # no grant at all
    refused(lead.ws.engine, ours.values(name="Lee's crew"), TEAM_REFUSED)  # not the team itself
    refused(lead.ws.engine, ours.values(business_hours={}), TEAM_REFUSED)
    refused(
        lead.ws.engine,
        update(Team).where(Team.id == billing).values(handoff_template=template),
        TEAM_REFUSED,
    )

    assert run(lead.ws.engine, ours.values(handoff_template=template)) == 1
    assert run(admin.ws.engine, update(Team).where(Team.id == billing).values(name="Payments")) == 1


def test_only_the_teams_lead_or_an_admin_edits_its_canned_responses(desk: Desk, owner_engine):
    rep, lead = desk.rep, desk.lead
    draft = CannedDraft(
        CannedScope.TEAM, "Team hello", "teamhi", "greeting", (), "Hello {{customer.first_name}}"
    )
    hello = canned_library.create_response(lead.ws, lead.actor, draft)
    edit = update(CannedResponse).where(CannedResponse.id == hello.id)

    refused(rep.ws.engine, edit.values(body="Yo"), CANNED_REFUSED)
    assert run(lead.ws.engine, edit.values(body="Good morning {{customer.first_name}}")) == 1
    with owner_engine.connect() as conn:
        body = conn.execute(select(CannedResponse.body).where(CannedResponse.id == hello.id))
        assert body.scalar() == "Good morning {{customer.first_name}}"


# --------------------------------------------------------------------------- team isolation
def test_with_team_isolation_leads_and_reps_read_only_their_teams_and_their_own_cases(
    desk: Desk, billing, owner_engine
):
    rep, rep2, lead, admin = desk.rep, desk.rep2, desk.lead, desk.admin
    ours = desk.new_case(rep2).id
    theirs = queued_case_of(desk, billing)
    given_to_rep = queued_case_of(desk, billing)
    with owner_engine.begin() as conn:  # a claim on the rep's behalf: no note needed
        conn.execute(update(Case).where(Case.id == given_to_rep).values(assignee_id=rep.id))
    everything = [ours, theirs, given_to_rep]
    assert visible(rep.ws.engine, everything) == set(everything)  # isolation is off by default

    # A rep (or a lead) cannot switch it: workspace settings are for admins.
    setting = {"key": KEY, "value": False}
    refused(rep.ws.engine, insert(WorkspaceSetting).values(**setting))
    refused(lead.ws.engine, insert(WorkspaceSetting).values(**setting))
    team_isolation.set_team_isolation(admin.ws, admin.actor, True)

    assert visible(rep.ws.engine, everything) == {ours, given_to_rep}
    assert visible(rep2.ws.engine, everything) == {ours}
    assert visible(lead.ws.engine, everything) == {ours}
    assert visible(admin.ws.engine, everything) == set(everything)
    with owner_engine.connect() as conn:
        counted = conn.execute(select(func.count()).select_from(Case)).scalar()
    with rep.ws.engine.connect() as conn:  # whatever the query: a count sees no more
        assert conn.execute(select(func.count()).select_from(Case)).scalar() == counted - 1
    # A case one cannot read cannot be changed either: no row matches.
    assert run(rep.ws.engine, update(Case).where(Case.id == theirs).values(subject="x")) == 0
    switch = WorkspaceSetting.key == KEY
    refused(rep.ws.engine, update(WorkspaceSetting).where(switch).values(value=False))
    refused(rep.ws.engine, text(f"DELETE FROM workspace_settings WHERE key = '{KEY}'"))

    team_isolation.set_team_isolation(admin.ws, admin.actor, False)
    assert visible(rep2.ws.engine, everything) == set(everything)


def test_with_team_isolation_a_reps_day_still_works(desk: Desk, billing):
    """Claiming, Get next, handing on (within the team and out of it) and acknowledging, as the
    services do them, all under row-level security."""
    rep, rep2, admin = desk.rep, desk.rep2, desk.admin
    queued = [desk.new_case(rep, queued=True) for _ in range(3)]
    team_isolation.set_team_isolation(admin.ws, admin.actor, True)

    taken = claiming.take(rep.ws, rep.actor, queued[0].id)
    assert taken.assignee_id == rep.id
    got = claiming.get_next(rep.ws, rep.actor)
    assert got is not None and got.assignee_id == rep.id

    handed = handoffs.hand_off(rep.ws, rep.actor, request(taken, good_note(rep.ws), to=rep2))
    assert handed.case.assignee_id == rep2.id
    handoff_followup.acknowledge(rep2.ws, rep2.actor, handed.note_id, "Refund, then email Ines")

    # Out of the team: the rep hands their case to Billing's queue, and still sees it (their
    # note is its current one) until someone there hands it on.
    out = handoffs.hand_off(
        rep.ws,
        rep.actor,
        request(got, good_note(rep.ws), kind=HandoffKind.TRANSFER, to_team_id=billing),
    )
    assert out.case.team_id == billing and out.case.assignee_id is None
    assert visible(rep.ws.engine, [got.id]) == {got.id}
    assert visible(rep2.ws.engine, [got.id]) == set()


def test_team_isolation_is_switched_by_admins_only(desk: Desk):
    with pytest.raises(PermissionDenied):
        team_isolation.set_team_isolation(desk.lead.ws, desk.lead.actor, True)
    assert team_isolation.team_isolation_on(desk.admin.ws) is False
    assert team_isolation.set_team_isolation(desk.admin.ws, desk.admin.actor, True) is False
    assert team_isolation.set_team_isolation(desk.admin.ws, desk.admin.actor, True) is True
    assert team_isolation.team_isolation_on(desk.rep.ws) is True


# --------------------------------------------------------------------------- speed
QUEUE_CASES = 4000


def _plans_of_every_view(person: Person) -> dict[str, str]:
    """The plan of each of ``person``'s views' first page and count, as the service sends them
    (their own login, so under the row-level security their real queries meet)."""
    plans = {}
    for view in queue.available_views(person.actor):
        query = QueueQuery(view)
        if view is QueueView.REP:
            query = QueueQuery(view, rep_id=person.id)
        with statements_sent(person.ws) as sent:
            queue.fetch_page(person.ws, person.actor, query, None, 100)
            queue.count(person.ws, person.actor, query)
        rows = next((s, p) for s, p in reversed(sent) if "ORDER BY" in s)
        counted = next((s, p) for s, p in reversed(sent) if "count(*)" in s)
        for kind, (sql, parameters) in (("rows", rows), ("count", counted)):
            raw = person.ws.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("EXPLAIN " + sql, parameters)
                plans[f"{view.value} {kind}"] = "\n".join(row[0] for row in cursor.fetchall())
                cursor.close()
                raw.rollback()
            finally:
                raw.close()
    return plans


@pytest.mark.parametrize("isolated", [False, True], ids=["shared", "isolated"])
def test_the_queues_views_still_read_their_indexes_under_row_security(
    desk: Desk, billing, db, owner_engine, isolated
):
    """A few thousand cases over two teams, mostly closed history, with fresh statistics: every
    view of a rep and a lead reaches the cases through an index, never a whole-table scan, with
    the policies in place (team isolation on or off)."""
    now = db_now(desk.admin.ws)
    people = [desk.rep.id, desk.rep2.id, desk.lead.id, None, None]
    made = mixed_cases(QUEUE_CASES, now, [db.team_id, billing], people)
    made = [m if n % 20 == 0 else replace(m, status=CaseStatus.CLOSED) for n, m in enumerate(made)]
    add_cases(desk.admin.ws, made, add_customers(desk.admin.ws))
    with owner_engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    if isolated:
        team_isolation.set_team_isolation(desk.admin.ws, desk.admin.actor, True)

    for person in (desk.rep, desk.lead):
        for name, plan in _plans_of_every_view(person).items():
            print(f"--- {person.actor.role.value} {name}\n{plan}")
            assert "Seq Scan on cases" not in plan, f"{name}:\n{plan}"
            assert re.search(
                r"Index (Only )?Scan.* on cases|Bitmap Index Scan on ix_cases", plan
            ), f"{name}:\n{plan}"
