"""Migration 0011 on every dialect: a handoff note, a read-back or an audit event changes only by
a redaction (personal text replaced by the marker, ``redacted_at`` set, nothing else touched),
once, and never goes away; a redacted note leaves the search index.

Everything goes through the owner's account, which has every right, so what stops a change is
the trigger itself (the grants that keep reps out are tested in tests/services/test_redaction.py
and tests/db/test_row_security.py).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import DBAPIError

from deskapp.db import migrate
from deskapp.db.models import AuditEvent, Case, HandoffAck, HandoffNote
from deskapp.db.types import utcnow
from deskapp.domain.enums import AckKind, RiskLevel
from deskapp.services.case_search import case_matches
from deskapp.services.redaction_marks import MARKER
from tests.db.test_handoff_enforcement import insert_note, move_case, new_case, note_values
from tests.services.test_case_search import assert_index_matches_the_text

pytestmark = pytest.mark.dialects("sqlite", "postgresql", "mariadb")
REDACTED = {"redacted_at": utcnow()}


def written(db: Any) -> dict[str, tuple[Any, uuid.UUID, dict[str, Any], dict[str, Any]]]:
    """A note handed to rep2, rep2's read-back and an audit event: (model, id, a redaction of
    it, a change of a column a redaction must leave alone)."""
    ws, rep = db.sign_in("rep")
    rep2_ws, rep2 = db.sign_in("rep2")
    case_id = new_case(ws, rep)
    note_id = insert_note(
        ws.engine,
        note_values(case_id, rep, to_user_id=rep2.user_id,
                    summary="Marguerite Duval was double charged; her IBAN ends 4471."),
    )  # fmt: skip
    move_case(ws.engine, case_id, assignee_id=rep2.user_id, current_handoff_id=note_id)
    ack_id = uuid.uuid4()
    with rep2_ws.engine.begin() as conn:
        question = {"kind": AckKind.QUESTION, "text": "Her IBAN?"}
        conn.execute(
            insert(HandoffAck).values(id=ack_id, note_id=note_id, user_id=rep2.user_id, **question)
        )
    with ws.engine.connect() as conn:
        event_id = conn.execute(
            select(AuditEvent.id).where(AuditEvent.case_id == case_id)
        ).scalar_one()
    return {
        "note": (HandoffNote, note_id,
                 {"summary": MARKER, "done": MARKER, "next_actions": [{"action": MARKER}]},
                 {"risk": RiskLevel.STABLE}),
        "ack": (HandoffAck, ack_id, {"text": MARKER}, {"kind": AckKind.ACCEPTED}),
        "event": (AuditEvent, event_id, {"reason": MARKER, "detail": {"subject_length": 0}},
                  {"action": "case.nothing"}),
    }  # fmt: skip


def change(engine: Engine, model: Any, row_id: uuid.UUID, values: dict[str, Any]) -> None:
    with engine.begin() as conn:
        conn.execute(update(model).where(model.id == row_id).values(**values))


def refused(engine: Engine, model: Any, row_id: uuid.UUID, values: dict[str, Any]) -> None:
    with pytest.raises(DBAPIError) as caught:
        change(engine, model, row_id, values)
    assert "Deskapp:" in str(caught.value.orig) and "never" in str(caught.value.orig)


def row(engine: Engine, model: Any, row_id: uuid.UUID) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(model).where(model.id == row_id)).one()


@pytest.mark.parametrize("what", ["note", "ack", "event"])
def test_only_a_redaction_changes_an_insert_only_row_and_only_once(db, owner_engine, what):
    model, row_id, redaction, other = written(db)[what]
    text_column = next(iter(redaction))
    as_written = row(owner_engine, model, row_id)

    refused(owner_engine, model, row_id, redaction)  # no redacted_at: an edit, not a redaction
    refused(owner_engine, model, row_id, {**redaction, text_column: "Rewritten.", **REDACTED})
    refused(owner_engine, model, row_id, {**redaction, **other, **REDACTED})
    refused(owner_engine, model, row_id, other)
    assert row(owner_engine, model, row_id) == as_written

    change(owner_engine, model, row_id, {**redaction, **REDACTED})

    redacted = row(owner_engine, model, row_id)
    assert getattr(redacted, text_column) == MARKER and redacted.redacted_at is not None
    refused(owner_engine, model, row_id, {"redacted_at": None})  # redacted stays redacted
    refused(owner_engine, model, row_id, {**redaction, **REDACTED})  # and is redacted once
    with pytest.raises(DBAPIError), owner_engine.begin() as conn:
        conn.execute(delete(model).where(model.id == row_id))
    assert row(owner_engine, model, row_id) == redacted


def test_a_redacted_note_leaves_the_search_index(db, owner_engine):
    ws = db.open("rep")
    model, note_id, redaction, _ = written(db)["note"]

    def found(typed: str) -> list[Any]:
        condition = case_matches(ws.engine.dialect.name, typed)
        with ws.engine.connect() as conn:
            return list(conn.execute(select(Case.id).where(condition)).scalars())

    assert len(found("marguerite duval")) == 1  # words only the note holds

    change(owner_engine, model, note_id, {**redaction, **REDACTED})

    assert found("marguerite duval") == [] and found("4471") == []
    assert_index_matches_the_text(owner_engine)


def _triggers(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        elif engine.dialect.name == "postgresql":
            sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        else:
            sql = "SELECT trigger_name FROM information_schema.triggers "
            sql += "WHERE trigger_schema = DATABASE()"
        return set(conn.exec_driver_sql(sql).scalars())


def test_downgrading_restores_the_plain_insert_only_triggers(db, owner_engine):
    model, row_id, redaction, _ = written(db)["note"]
    at_head = _triggers(owner_engine)
    assert "trg_handoff_notes_redaction_only" in at_head

    with owner_engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0010")

    triggers = _triggers(owner_engine)
    assert {"trg_handoff_notes_no_update", "trg_audit_events_no_update"} <= triggers
    assert not any("redaction" in name for name in triggers)
    with pytest.raises(DBAPIError), owner_engine.begin() as conn:  # no redaction in 0010
        conn.execute(update(model).where(model.id == row_id).values(summary=MARKER))

    migrate.upgrade(owner_engine)

    assert _triggers(owner_engine) == at_head
    change(owner_engine, model, row_id, {**redaction, **REDACTED})
