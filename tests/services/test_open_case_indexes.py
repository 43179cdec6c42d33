"""An admin's "All open" and "Due soon" read their first page straight off a partial index over
the open cases (migration 0007), instead of sorting every open case: 30,000 at a million cases.

SQLite uses a partial index only when the query's WHERE repeats the index's term for term, the
same statuses in the same order, written into the SQL rather than bound. A status added to
CaseStatus, or a list reordered in the queue's SQL or the migration, would quietly bring the sort
back; these tests read the plan of the very statement the service sends, so they fail instead.
Both directions of the SLA order count: clicking the sorted column's header reverses it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event

from deskapp.domain.enums import CaseStatus
from deskapp.services import queue
from deskapp.services.queue import QueueQuery, QueueView, SortColumn
from deskapp.services.workspace import Workspace
from tests.services.handoff_helpers import db_now
from tests.services.queue_data import add_cases, add_customers, mixed_cases

HISTORY = 1000
INDEX_OF_VIEW = {
    QueueView.ALL_OPEN: "ix_cases_open_due",
    QueueView.DUE_SOON: "ix_cases_ticking_due",
}


@contextmanager
def statements_sent(ws: Workspace) -> Iterator[list[tuple[str, Any]]]:
    """The SQL and values the driver receives while the block runs."""
    sent: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(ws.engine, "before_cursor_execute", grab)
    try:
        yield sent
    finally:
        event.remove(ws.engine, "before_cursor_execute", grab)


def plan_of_first_page(ws: Workspace, actor: Any, query: QueueQuery) -> str:
    """How the database reads the first page of ``view``: the plan of the rows statement the
    service really sent. On PostgreSQL sorting and whole-table scans are priced out first, so
    a few test rows do not hide whether the index *could* serve the view."""
    with statements_sent(ws) as sent:
        page = queue.fetch_page(ws, actor, query, None, 100)
    assert page.rows, "the view shows cases, so its plan is the one a user waits on"
    sql, parameters = next((s, p) for s, p in reversed(sent) if "ORDER BY" in s)
    raw = ws.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if ws.dialect == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, parameters)
            plan = "\n".join(row[3] for row in cursor.fetchall())
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.close()
        raw.rollback()
    finally:
        raw.close()
    return plan


@pytest.fixture
def admin(db) -> tuple[Workspace, Any]:
    """An admin of a workspace shaped like a real one: mostly closed history, a few percent of
    cases open (in every open status), with the statistics a big workspace has."""
    ws, actor = db.sign_in("admin")
    made = mixed_cases(HISTORY, db_now(ws), [db.team_id], [None])
    made = [m if n % 20 == 0 else replace(m, status=CaseStatus.CLOSED) for n, m in enumerate(made)]
    assert {m.status for m in made} >= set(CaseStatus)
    add_cases(ws, made, add_customers(ws))
    if ws.dialect == "sqlite":  # as demo data and imports leave a big workspace (db/bulk.py)
        with ws.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return ws, actor


@pytest.mark.parametrize("view", list(INDEX_OF_VIEW))
@pytest.mark.parametrize("descending", [False, True], ids=["soonest_first", "latest_first"])
def test_an_admins_view_by_sla_reads_its_first_page_off_an_open_case_index_unsorted(
    admin, view, descending
):
    ws, actor = admin
    query = QueueQuery(view, SortColumn.SLA, descending)
    assert queue.default_sort(view) is SortColumn.SLA  # what the view opens with
    plan = plan_of_first_page(ws, actor, query)
    index = INDEX_OF_VIEW[view] + ("_desc" if descending else "")
    assert re.search(rf"\b{index}\b", plan), plan
    if ws.dialect == "sqlite":
        assert "TEMP B-TREE" not in plan  # SQLite's words for sorting the rows it found
    else:
        assert "Sort" not in plan.replace("Sort Key", "")  # no sort step above the scan
