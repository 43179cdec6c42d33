"""The database itself enforces handoff notes (DESIGN.md §5, migration 0002), on every dialect.

Everything here goes behind the app's back: statements sent straight to the database on a rep's
own login (or the owner's, where even full rights must not help). A change of owner needs a note
written for exactly that change; a claim from the queue needs none; submitted notes, read-backs
and audit events never change.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from deskapp.db import migrate
from deskapp.db.models import AuditEvent, Case, HandoffAck, HandoffNote
from deskapp.domain.enums import AckKind, Channel, HandoffKind, Mood, RiskLevel
from deskapp.services import cases, customers, teams
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

pytestmark = pytest.mark.dialects("sqlite", "postgresql", "mariadb")
REFUSED = "a change of owner needs a handoff note written for it"


def new_case(ws: Workspace, actor: Actor, *, mine: bool = True) -> uuid.UUID:
    assert actor.team_id is not None
    customer_id = customers.create_customer(ws, actor, customers.NewCustomer("Ines Moreau"))
    return cases.create_case(
        ws,
        actor,
        cases.NewCase(
            customer_id, actor.team_id, "Invoice charged twice", Channel.EMAIL, assign_to_me=mine
        ),
    ).id


def note_values(case_id: uuid.UUID, author: Actor, /, **changes: Any) -> dict[str, Any]:
    """A complete note handing ``case_id`` from ``author`` to nobody in particular (override
    from/to with ``changes``)."""
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "case_id": case_id,
        "kind": HandoffKind.REASSIGN,
        "author_id": author.user_id,
        "from_user_id": author.user_id,
        "to_user_id": None,
        "from_team_id": author.team_id,
        "to_team_id": author.team_id,
        "risk": RiskLevel.WATCH,
        "summary": "Charged twice for the October invoice; refund requested by email.",
        "done": "Checked the ledger: two captures of 49.00 on 3 October.",
        "next_actions": [],
        "commitments": [],
        "no_commitments": True,
        "contingencies": "If the bank already reversed one, close with a note.",
        "mood": Mood.FRUSTRATED,
        "contact_preference": "",
        "unbriefed": False,
        "template_version": 1,
    }
    values.update(changes)
    return values


def insert_note(engine: Engine, values: dict[str, Any]) -> uuid.UUID:
    with engine.begin() as conn:
        conn.execute(insert(HandoffNote).values(**values))
    return uuid.UUID(str(values["id"]))


def move_case(engine: Engine, case_id: uuid.UUID, **values: Any) -> None:
    with engine.begin() as conn:
        conn.execute(update(Case).where(Case.id == case_id).values(**values))


def owner_of(engine: Engine, case_id: uuid.UUID) -> tuple[Any, ...]:
    with engine.connect() as conn:
        row = conn.execute(
            select(Case.assignee_id, Case.team_id, Case.current_handoff_id).where(
                Case.id == case_id
            )
        ).one()
    return tuple(row)


def refusal(exc: pytest.ExceptionInfo[DBAPIError]) -> str:
    return str(exc.value.orig)


@pytest.fixture
def people(db):
    rep_ws, rep = db.sign_in("rep")
    _, rep2 = db.sign_in("rep2")
    return rep_ws, rep, rep2


# ------------------------------------------------------------------------- change of owner
def test_a_change_of_owner_without_a_note_is_refused_by_the_database(people):
    ws, rep, rep2 = people
    case_id = new_case(ws, rep)
    before = owner_of(ws.engine, case_id)

    with pytest.raises(DBAPIError) as refused:
        move_case(ws.engine, case_id, assignee_id=rep2.user_id)
    assert REFUSED in refusal(refused)

    with pytest.raises(DBAPIError) as refused:  # to the queue is a change of owner too
        move_case(ws.engine, case_id, assignee_id=None)
    assert REFUSED in refusal(refused)
    assert owner_of(ws.engine, case_id) == before


def test_a_change_of_team_without_a_note_is_refused_even_for_the_owner_account(
    db, people, owner_engine
):
    ws, rep, _ = people
    _, admin = db.sign_in("admin")
    billing = teams.create_team(db.open("admin"), admin, "Billing")
    case_id = new_case(ws, rep)

    with pytest.raises(DBAPIError) as refused:
        move_case(owner_engine, case_id, team_id=billing.id, assignee_id=None)

    assert REFUSED in refusal(refused)
    assert owner_of(owner_engine, case_id)[1] == rep.team_id


def test_a_claim_from_the_team_queue_needs_no_note(people):
    ws, rep, _ = people
    case_id = new_case(ws, rep, mine=False)

    move_case(ws.engine, case_id, assignee_id=rep.user_id)

    assert owner_of(ws.engine, case_id)[0] == rep.user_id


def test_a_note_written_for_exactly_this_change_lets_it_through(people):
    ws, rep, rep2 = people
    case_id = new_case(ws, rep)
    note_id = insert_note(ws.engine, note_values(case_id, rep, to_user_id=rep2.user_id))

    move_case(ws.engine, case_id, assignee_id=rep2.user_id, current_handoff_id=note_id)

    assert owner_of(ws.engine, case_id) == (rep2.user_id, rep.team_id, note_id)


@pytest.mark.parametrize(
    "mismatch",
    [
        "another case",
        "another sender",
        "another receiver",
        "another receiving team",
        "blank summary",
        "white-space done",
        "an addendum",
        "unbriefed without a reason",
    ],
)
def test_a_note_for_another_change_does_not_unlock_it(db, people, mismatch):
    ws, rep, rep2 = people
    case_id = new_case(ws, rep)
    other_case = new_case(ws, rep)
    earlier = insert_note(ws.engine, note_values(other_case, rep, to_user_id=rep2.user_id))
    _, lead = db.sign_in("lead")
    wrong: dict[str, dict[str, Any]] = {
        "another case": {"case_id": other_case},
        "another sender": {"from_user_id": lead.user_id},
        "another receiver": {"to_user_id": lead.user_id},
        "another receiving team": {"to_team_id": None},  # filled in below
        "blank summary": {"summary": ""},
        "white-space done": {"done": " \n\t "},
        "an addendum": {"addendum_to_id": earlier},
        "unbriefed without a reason": {
            "summary": "",
            "done": "",
            "unbriefed": True,
            "unbriefed_reason": "  ",
        },
    }
    if mismatch == "another receiving team":
        wrong[mismatch]["to_team_id"] = _second_team(db)
    note_id = insert_note(
        ws.engine, note_values(case_id, rep, **{"to_user_id": rep2.user_id, **wrong[mismatch]})
    )

    with pytest.raises(DBAPIError) as refused:
        move_case(ws.engine, case_id, assignee_id=rep2.user_id, current_handoff_id=note_id)

    assert REFUSED in refusal(refused)
    assert owner_of(ws.engine, case_id) == (rep.user_id, rep.team_id, None)


def _second_team(db) -> uuid.UUID:
    admin_ws, admin = db.sign_in("admin")
    return teams.create_team(admin_ws, admin, f"Team {uuid.uuid4().hex[:6]}").id


def test_a_note_already_current_does_not_unlock_a_second_change(db, people):
    """The pointer must move to a new note: the last handoff's note cannot be reused."""
    ws, rep, _ = people
    case_id = new_case(ws, rep)
    note_id = insert_note(ws.engine, note_values(case_id, rep, to_user_id=None))
    move_case(ws.engine, case_id, assignee_id=None, current_handoff_id=note_id)  # released
    move_case(ws.engine, case_id, assignee_id=rep.user_id)  # claimed back: no note needed

    with pytest.raises(DBAPIError) as refused:  # released again on the strength of the old note
        move_case(ws.engine, case_id, assignee_id=None, current_handoff_id=note_id)

    assert REFUSED in refusal(refused)
    assert owner_of(ws.engine, case_id) == (rep.user_id, rep.team_id, note_id)


def test_an_unbriefed_note_with_its_reason_unlocks_the_change(db, people):
    ws, rep, rep2 = people
    lead_ws, lead = db.sign_in("lead")
    case_id = new_case(ws, rep)
    note_id = insert_note(
        lead_ws.engine,
        note_values(
            case_id,
            lead,
            from_user_id=rep.user_id,
            to_user_id=rep2.user_id,
            summary="",
            done="",
            unbriefed=True,
            unbriefed_reason="Rae is off sick this week",
        ),
    )

    move_case(lead_ws.engine, case_id, assignee_id=rep2.user_id, current_handoff_id=note_id)

    assert owner_of(ws.engine, case_id)[0] == rep2.user_id


@pytest.mark.dialects("postgresql")
def test_a_temporary_table_cannot_stand_in_for_the_notes(people):
    """Any login may create temporary tables, which PostgreSQL searches first by default: the
    trigger reads the real notes table all the same."""
    ws, rep, rep2 = people
    case_id = new_case(ws, rep)
    forged = uuid.uuid4()
    with pytest.raises(DBAPIError) as refused, ws.engine.begin() as conn:
        conn.execute(
            text("CREATE TEMPORARY TABLE handoff_notes AS SELECT * FROM public.handoff_notes")
        )
        conn.execute(
            insert(HandoffNote).values(
                **note_values(case_id, rep, id=forged, to_user_id=rep2.user_id)
            )
        )
        conn.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(assignee_id=rep2.user_id, current_handoff_id=forged)
        )
    assert REFUSED in refusal(refused)
    assert owner_of(ws.engine, case_id)[0] == rep.user_id


# ------------------------------------------------------------------------- insert-only tables
def _submitted_note_ack_and_event(
    ws: Workspace, rep: Actor, rep2_ws: Workspace, rep2: Actor
) -> dict[str, Any]:
    case_id = new_case(ws, rep)
    note_id = insert_note(ws.engine, note_values(case_id, rep, to_user_id=rep2.user_id))
    move_case(ws.engine, case_id, assignee_id=rep2.user_id, current_handoff_id=note_id)
    ack_id = uuid.uuid4()
    with rep2_ws.engine.begin() as conn:  # the receiver's own read-back (migration 0009)
        conn.execute(
            insert(HandoffAck).values(
                id=ack_id, note_id=note_id, user_id=rep2.user_id, kind=AckKind.ACCEPTED, text=""
            )
        )
    return {
        "note": (HandoffNote, note_id, {"summary": "Nothing to see here."}),
        "ack": (HandoffAck, ack_id, {"text": "never read it"}),
        "event": (AuditEvent, _any_event(ws, case_id), {"reason": "nothing happened"}),
    }


def _any_event(ws: Workspace, case_id: uuid.UUID) -> uuid.UUID:
    with ws.engine.connect() as conn:
        return conn.execute(select(AuditEvent.id).where(AuditEvent.case_id == case_id)).scalar_one()


@pytest.mark.parametrize("what", ["note", "ack", "event"])
@pytest.mark.parametrize("login", ["rep", "owner"])
def test_submitted_notes_read_backs_and_audit_events_never_change(
    db, people, owner_engine, what, login
):
    """A rep is stopped by the grants (servers) or the trigger (SQLite); the owner account,
    which has every right, by the trigger."""
    ws, rep, rep2 = people
    written = _submitted_note_ack_and_event(ws, rep, db.open("rep2"), rep2)
    model, row_id, changes = written[what]
    engine = ws.engine if login == "rep" else owner_engine
    with engine.connect() as conn:
        before = conn.execute(select(model).where(model.id == row_id)).one()

    for statement in (
        update(model).where(model.id == row_id).values(**changes),
        delete(model).where(model.id == row_id),
    ):
        with pytest.raises(DBAPIError) as refused, engine.begin() as conn:
            conn.execute(statement)
        if login == "owner" or ws.dialect == "sqlite":
            assert "Deskapp:" in refusal(refused) and "never" in refusal(refused)

    with engine.connect() as conn:
        assert conn.execute(select(model).where(model.id == row_id)).one() == before


# ------------------------------------------------------------------------- the migration
def _triggers(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        elif engine.dialect.name == "postgresql":
            sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        else:
            sql = (
                "SELECT trigger_name FROM information_schema.triggers "
                "WHERE trigger_schema = DATABASE()"
            )
        return set(conn.exec_driver_sql(sql).scalars())


def test_the_migration_downgrades_to_0001_and_upgrades_again(people, owner_engine):
    ws, rep, rep2 = people
    case_id = new_case(ws, rep)
    before = _triggers(owner_engine)
    assert "trg_cases_owner_change_needs_note" in before

    with owner_engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0001")
    assert _triggers(owner_engine) == set()
    move_case(owner_engine, case_id, assignee_id=rep2.user_id)  # 0001 did not enforce notes

    migrate.upgrade(owner_engine)

    assert _triggers(owner_engine) == before
    with pytest.raises(DBAPIError) as refused:
        move_case(ws.engine, case_id, assignee_id=rep.user_id)
    assert REFUSED in refusal(refused)
    with owner_engine.connect() as conn:
        assert migrate.read_schema_state(conn).current == migrate.head_revision()


@pytest.mark.dialects("postgresql")
def test_the_trigger_functions_belong_to_the_owner_and_only_search_upkeep_runs_as_owner(
    db, owner_engine
):
    """The handoff rules run with the caller's rights; only the search index upkeep runs with
    the owner's (reps may read but not write the index), and the row-security policies' lookups
    (migrations 0009 and 0012, read-only: STABLE), each with a pinned search_path. The one
    function not the owner's is choosing one's own password (0012), owned by the password
    keeper role, the only role that may lift a login's expiry."""
    with owner_engine.connect() as conn:
        functions = conn.execute(
            text(
                "SELECT proname, pg_get_userbyid(proowner), prosecdef, proconfig, provolatile "
                "FROM pg_proc WHERE proname LIKE 'deskapp%'"
            )
        ).all()
    owners = {name: owner for name, owner, _, _, _ in functions}
    assert owners.pop("deskapp_choose_own_password") == "deskapp_password_keeper"
    assert set(owners.values()) == {"deskapp_owner"}
    invoker = {name for name, _, definer, _, _ in functions if not definer}
    assert {"deskapp_owner_change_needs_note", "deskapp_refuse_change"} <= invoker
    for name, _, definer, config, volatility in functions:
        if definer:
            policy_lookup = name.startswith(
                ("deskapp_person_", "deskapp_cases_isolated", "deskapp_note_author")
            )
            assert (
                name.startswith("deskapp_case_search_")
                or name == "deskapp_choose_own_password"
                or (policy_lookup and volatility == "s")
            ), name
            assert any(setting.startswith("search_path=") for setting in config or ()), name
