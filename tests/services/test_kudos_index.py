"""The team board counts each member's kudos through the partial index of migration 0010, not by
reading every interaction (3.3 million at the demo's million cases)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskapp.services.team_board_queries import kudos_statement
from deskapp.services.unit_of_work import read_session
from tests.services.handoff_helpers import db_now
from tests.services.test_open_case_indexes import statements_sent


@pytest.mark.dialects("sqlite", "postgresql")
def test_counting_kudos_reads_the_kudos_index(db):
    ws, actor = db.sign_in("lead")
    with statements_sent(ws) as sent, read_session(ws) as session:
        session.execute(kudos_statement([actor.user_id], db_now(ws) - timedelta(days=30)))
    sql, parameters = next((s, p) for s, p in sent if "kudos_for_id" in s)
    raw = ws.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if ws.dialect == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, parameters)
            plan = "\n".join(row[3] for row in cursor.fetchall())
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a few test rows: price scans out
            cursor.execute("EXPLAIN " + sql, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    assert "ix_interactions_kudos" in plan, plan
