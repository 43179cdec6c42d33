"""Pages are ordered and limited over narrow rows (ids and sort values) and only then read whole
(queue_query.Statement.page): on every dialect, keyset pages and jumps must still be exact
slices of the one long list, for orders read off a joined table (customer, assignee) too."""

from __future__ import annotations

from dataclasses import replace

import pytest

from deskapp.domain.enums import CaseStatus
from deskapp.services import queue
from deskapp.services.queue import QueueQuery, QueueView, SortColumn
from deskapp.services.unit_of_work import read_session
from tests.services.handoff_helpers import db_now
from tests.services.queue_data import add_cases, add_customers, mixed_cases


def queue_statement(ws, actor, query):
    with read_session(ws) as session:
        return queue.page_statement(session, actor, query)


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
@pytest.mark.parametrize("sort", [SortColumn.CUSTOMER, SortColumn.ASSIGNEE, None])
def test_keyset_pages_and_jumps_are_slices_of_the_whole_list(db, sort):
    ws, admin = db.sign_in("admin")
    _, rep = db.sign_in("rep")
    made = [
        replace(m, status=CaseStatus.OPEN if m.status.is_open else m.status)
        for m in mixed_cases(90, db_now(ws), [db.team_id], [rep.user_id, None])
    ]
    add_cases(ws, made, add_customers(ws))
    for descending in (False, True):
        query = QueueQuery(QueueView.ALL_OPEN, sort, descending if sort else False)
        whole = queue.fetch_page(ws, admin, query, None, 1000)
        assert not whole.has_more
        ids = [row.id for row in whole.rows]
        assert len(ids) == len(set(ids)) == sum(1 for m in made if m.status.is_open)
        paged: list[object] = []
        page = queue.fetch_page(ws, admin, query, None, 7)
        paged += [row.id for row in page.rows]
        while page.has_more:
            page = queue.fetch_page(ws, admin, query, page.last, 7)
            paged += [row.id for row in page.rows]
        assert paged == ids, (sort, descending)
        window = queue.fetch_window(ws, admin, query, 13, 9)
        assert [row.id for row in window.rows] == ids[13:22]
        assert window.last is not None
        after = queue.fetch_page(ws, admin, query, window.last, 5)
        assert [row.id for row in after.rows] == ids[22:27]


@pytest.mark.dialects("sqlite")
def test_sqlite_sorts_a_big_view_by_customer_from_the_open_cases_covering_index(db):
    """Migration 0013's index holds the statuses and columns the queue's narrow statement
    asks for: a status list that drifted from models/cases.py would leave it unused."""
    ws, admin = db.sign_in("admin")
    made = mixed_cases(400, db_now(ws), [db.team_id], [None])
    made = [m if n % 20 == 0 else replace(m, status=CaseStatus.CLOSED) for n, m in enumerate(made)]
    add_cases(ws, made, add_customers(ws))
    with ws.engine.begin() as conn:  # as demo data and imports leave a big workspace
        conn.exec_driver_sql("ANALYZE")
    built = queue_statement(ws, admin, QueueQuery(QueueView.ALL_OPEN, SortColumn.CUSTOMER))
    compiled = built.page(None, 0, 101).compile(
        dialect=ws.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    with ws.engine.connect() as conn:
        plan = " ".join(row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
    assert "COVERING INDEX ix_cases_open_sorting" in plan, plan
    assert "COVERING INDEX ix_customers_id_name" in plan, plan
