"""A case with a real audit trail (made through the services), and raw SQL to tamper with it.

The tampering is what an intruder with the database owner's rights (or the SQLite file) could
do: the insert-only triggers of migration 0002 are switched off for that connection first
(PostgreSQL: replica mode, superuser only; SQLite and MariaDB: the triggers are dropped in
this test's own database).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, text

from deskapp.domain.enums import CaseStatus, Channel, Direction
from deskapp.services import audit, cases, claiming, handoff_followup, handoffs, interactions
from deskapp.services.cases import CaseChange
from deskapp.services.records import CaseInfo
from tests.helpers.databases import TestDatabase, superuser_engine
from tests.services.handoff_requests import Desk, good_note, request

# The trail ``case_with_trail`` leaves, by seq.
TRAIL = [
    "case.created",
    "case.taken",
    "interaction.logged",
    "case.updated",
    "case.handed_off",
    "handoff.acknowledged",
]


def case_with_trail(desk: Desk) -> CaseInfo:
    """A queued case the rep takes, calls about, parks with a reason and hands to rep2, who
    acknowledges: six events on its chain, in the order of TRAIL."""
    case = desk.new_case(desk.rep2, queued=True)
    claiming.take(desk.rep.ws, desk.rep.actor, case.id)
    interactions.log_interaction(
        desk.rep.ws,
        desk.rep.actor,
        interactions.NewInteraction(
            case.id,
            Channel.PHONE,
            Direction.INBOUND,
            "Customer called about the double charge.",
            duration_seconds=240,
        ),
    )
    state = cases.get_case_state(desk.rep.ws, case.id)
    cases.change_case(
        desk.rep.ws,
        desk.rep.actor,
        case.id,
        CaseChange(
            state.version,
            status=CaseStatus.PENDING_CUSTOMER,
            reason="Waiting for the customer's bank statement",
        ),
    )
    now = cases.get_case(desk.rep.ws, case.id)
    outcome = handoffs.hand_off(
        desk.rep.ws, desk.rep.actor, request(now, good_note(desk.rep.ws), to=desk.rep2)
    )
    handoff_followup.acknowledge(desk.rep2.ws, desk.rep2.actor, outcome.note_id)
    actions = [e.action for e in audit.history(desk.rep.ws, case_id=case.id)]
    assert actions == TRAIL, actions
    return outcome.case


def tamper(db: TestDatabase, statement: str, **values: Any) -> None:
    """Run ``statement`` on the test's database as its owner, the insert-only guards off."""
    if db.dialect == "sqlite":
        engine = create_engine(db.url)
    else:
        engine = superuser_engine(db.dialect, db.url.database)
    try:
        with engine.begin() as conn:
            if db.dialect == "postgresql":
                conn.execute(text("SET session_replication_role = replica"))  # this connection only
            else:
                _drop_audit_guards(conn, db.dialect)
            conn.execute(text(statement), values)
    finally:
        engine.dispose()


def _drop_audit_guards(conn: Any, dialect: str) -> None:
    if dialect == "sqlite":
        names = (
            conn.execute(
                text(
                    "SELECT name FROM sqlite_master "
                    "WHERE type = 'trigger' AND tbl_name = 'audit_events'"
                )
            )
            .scalars()
            .all()
        )
    else:
        names = (
            conn.execute(
                text(
                    "SELECT trigger_name FROM information_schema.triggers "
                    "WHERE event_object_table = 'audit_events' AND trigger_schema = DATABASE()"
                )
            )
            .scalars()
            .all()
        )
    for name in names:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def json_parameter(db: TestDatabase, name: str) -> str:
    """A bound JSON parameter in SQL (PostgreSQL's column is jsonb; pass the text)."""
    return f"CAST(:{name} AS jsonb)" if db.dialect == "postgresql" else f":{name}"
