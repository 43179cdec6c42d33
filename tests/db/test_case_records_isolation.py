"""Team isolation reaches everything hanging off a case (migration 0012), on PostgreSQL.

Raw SQL on a person's own login, as a rep with their own SQL client would send it: with the
workspace's ``cases.team_isolation`` on, another team's contacts, notes, read-backs,
commitments, drafts, audit events, presence rows and search documents are as invisible as the
case itself; with it off everyone reads them; their own team's always. Each table is checked
on its own, with the same rows on the rep's team's case beside them, so a policy that hid
everything (or nothing) would fail.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import Engine, insert, select, text

from deskapp.db.models import (
    Case,
    Commitment,
    HandoffAck,
    HandoffDraft,
    HandoffNote,
    Interaction,
    Presence,
)
from deskapp.domain.enums import AckKind, Channel, Direction, HandoffKind, PresenceState, Role
from deskapp.services import handoff_followup, handoffs, team_isolation, teams, users
from deskapp.services.records import CaseInfo
from tests.db.test_handoff_enforcement import note_values
from tests.db.test_row_security import queued_case_of
from tests.helpers.databases import PASSWORD, login_of
from tests.services.handoff_helpers import db_now
from tests.services.handoff_requests import Desk, good_note, request, sign_in_everyone

pytestmark = pytest.mark.dialects("postgresql")

# table: the column that says which case (or note) a row belongs to
TABLES = {
    "interactions": "case_id",
    "handoff_notes": "case_id",
    "handoff_acks": "note_id",
    "handoff_drafts": "case_id",
    "commitments": "case_id",
    "audit_events": "case_id",
    "presence": "case_id",
    "case_search_fts": "case_id",
}


@dataclass(frozen=True)
class CaseRecords:
    case_id: uuid.UUID
    note_id: uuid.UUID

    def key(self, column: str) -> uuid.UUID:
        return self.note_id if column == "note_id" else self.case_id


def add_records(owner: Engine, desk: Desk, case_id: uuid.UUID) -> CaseRecords:
    """One row of every kind on ``case_id``, all by the admin (so nothing is the rep's own),
    written as the owner behind the app's back. The case's audit events and search document
    are there already: the service that made the case wrote them."""
    admin = desk.admin.actor
    now = db_now(desk.admin.ws)
    with owner.begin() as conn:
        case = conn.execute(select(Case.customer_id, Case.team_id).where(Case.id == case_id)).one()
        note_id = uuid.uuid4()
        conn.execute(
            insert(HandoffNote).values(
                **note_values(
                    case_id, admin, id=note_id, from_team_id=case.team_id, to_team_id=case.team_id
                )
            )
        )
        conn.execute(
            insert(Interaction).values(
                id=uuid.uuid4(), case_id=case_id, customer_id=case.customer_id,
                channel=Channel.PHONE, direction=Direction.INBOUND, author_id=admin.user_id,
                body="Customer called about the double charge.",
            )
        )  # fmt: skip
        conn.execute(
            insert(HandoffAck).values(
                id=uuid.uuid4(), note_id=note_id, user_id=admin.user_id, kind=AckKind.ACCEPTED
            )
        )
        conn.execute(
            insert(HandoffDraft).values(
                id=uuid.uuid4(), case_id=case_id, author_id=admin.user_id,
                content={"summary": "half written"},
            )
        )  # fmt: skip
        conn.execute(
            insert(Commitment).values(
                id=uuid.uuid4(), case_id=case_id, promise="Call back with the refund number",
                due_at=now + timedelta(days=1),
            )
        )  # fmt: skip
        conn.execute(
            insert(Presence).values(
                user_id=admin.user_id, case_id=case_id, state=PresenceState.VIEWING
            )
        )
    return CaseRecords(case_id, note_id)


def seen(engine: Engine, table: str, column: str, keys: set[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``keys`` this login finds in ``table``: plain SQL, no app in between."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(f"SELECT DISTINCT {column} FROM {table} WHERE {column} = ANY(:keys)"),
            {"keys": list(keys)},
        )
        return {uuid.UUID(str(key)) for key in rows.scalars()}


def handed_out_of_the_team(desk: Desk) -> tuple[uuid.UUID, CaseInfo, uuid.UUID]:
    """With isolation on, the rep hands a case of theirs to a new team, Billing, with a note:
    (Billing's id, the case, the note's id)."""
    rep, admin = desk.rep, desk.admin
    billing = teams.create_team(admin.ws, admin.actor, "Billing").id  # an event of no case
    team_isolation.set_team_isolation(admin.ws, admin.actor, True)
    case = desk.new_case(rep)
    out = handoffs.hand_off(
        rep.ws, rep.actor,
        request(case, good_note(rep.ws), kind=HandoffKind.TRANSFER, to_team_id=billing),
    )  # fmt: skip
    assert out.case.team_id == billing
    return billing, case, out.note_id


@pytest.fixture
def desk(db) -> Desk:
    return sign_in_everyone(db)


@pytest.mark.parametrize("table", TABLES)
def test_another_teams_case_records_are_hidden_with_isolation_on_and_only_then(
    desk: Desk, owner_engine, table
):
    column = TABLES[table]
    # The admin makes the other team and its case: nobody of the test's people is in it.
    billing_team = teams.create_team(desk.admin.ws, desk.admin.actor, "Billing").id
    ours = add_records(owner_engine, desk, desk.new_case(desk.rep2).id)
    theirs = add_records(owner_engine, desk, queued_case_of(desk, billing_team))
    both = {ours.key(column), theirs.key(column)}
    rep, lead, admin = desk.rep.ws.engine, desk.lead.ws.engine, desk.admin.ws.engine

    assert seen(rep, table, column, both) == both  # isolation is off by default

    team_isolation.set_team_isolation(desk.admin.ws, desk.admin.actor, True)
    assert seen(rep, table, column, both) == {ours.key(column)}
    assert seen(lead, table, column, both) == {ours.key(column)}
    assert seen(admin, table, column, both) == both

    team_isolation.set_team_isolation(desk.admin.ws, desk.admin.actor, False)
    assert seen(rep, table, column, both) == both


def test_with_isolation_on_a_person_still_reads_their_own_notes_and_events_of_no_case(
    desk: Desk, owner_engine
):
    """Their own words stay theirs: a note a rep wrote on a case they handed to another team
    (and that moved on since), and workspace events that belong to no case."""
    rep, admin = desk.rep, desk.admin
    _billing, case, note_id = handed_out_of_the_team(desk)
    with owner_engine.begin() as conn:  # Billing takes it: the rep's note is no longer current
        conn.execute(
            text("UPDATE cases SET assignee_id = :admin WHERE id = :case"),
            {"admin": admin.id, "case": case.id},
        )
        conn.execute(
            text("UPDATE cases SET current_handoff_id = NULL WHERE id = :case"), {"case": case.id}
        )
    engine = rep.ws.engine
    assert seen(engine, "cases", "id", {case.id}) == set()
    assert seen(engine, "handoff_notes", "id", {note_id}) == {note_id}
    assert seen(owner_engine, "audit_events", "case_id", {case.id}) == {case.id}
    assert seen(engine, "audit_events", "case_id", {case.id}) == set()  # the case's own
    with engine.connect() as conn:  # making the team, switching isolation on: no case's
        workspace_events = conn.execute(
            text("SELECT count(*) FROM audit_events WHERE case_id IS NULL")
        ).scalar()
    assert workspace_events and workspace_events > 0


def test_with_isolation_on_a_handoff_out_of_the_team_and_its_read_back_still_work(
    desk: Desk, db, owner_engine
):
    """The services' own writes on the child tables under the new policies: the rep hands
    their case to another team with a note (notes, commitments, audit events and the draft's
    removal all written while the case leaves the team); that team's rep reads it all and
    acknowledges it; the rep who wrote it sees the read-back; a bystander sees none of it."""
    rep, admin = desk.rep, desk.admin
    billing, case, note_id = handed_out_of_the_team(desk)
    users.add_user(
        admin.ws, admin.actor, login=login_of("bill"), display_name="Bea Billing",
        role=Role.REP, team_id=billing, password=PASSWORD,
    )  # fmt: skip
    bea_ws, bea = db.sign_in(login_of("bill"))
    # The rep still reads the case and every record of it (their note is its current one),
    # and so does Billing, whose case it is now.
    written = set()
    for table, column in TABLES.items():
        key = note_id if column == "note_id" else case.id
        there = seen(owner_engine, table, column, {key})
        assert seen(rep.ws.engine, table, column, {key}) == there, table
        assert seen(bea_ws.engine, table, column, {key}) == there, table
        written |= {table} if there else set()
    assert {"handoff_notes", "audit_events", "case_search_fts"} <= written

    handoff_followup.acknowledge(bea_ws, bea, note_id, "Refund, then email Ines")
    assert seen(rep.ws.engine, "handoff_acks", "note_id", {note_id}) == {note_id}
    # rep2, still in Support and not involved, sees none of it.
    assert seen(desk.rep2.ws.engine, "handoff_notes", "case_id", {case.id}) == set()
    assert seen(desk.rep2.ws.engine, "handoff_acks", "note_id", {note_id}) == set()
