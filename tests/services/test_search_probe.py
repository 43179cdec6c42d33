"""A common two-letter search on SQLite is looked up case by case (services/queue._probe)
instead of collecting every match first: the rows, their order and the counts must be exactly
those of the collecting search, and a rare two-letter word must not be probed."""

from __future__ import annotations

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
from tests.services.queue_data import SUBJECTS, add_cases, add_customers, mixed_cases


@contextmanager
def sql_sent(ws: Workspace) -> Iterator[list[str]]:
    sent: list[str] = []

    def grab(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    event.listen(ws.engine, "before_cursor_execute", grab)
    try:
        yield sent
    finally:
        event.remove(ws.engine, "before_cursor_execute", grab)


@pytest.mark.dialects("sqlite")
def test_a_common_two_letter_search_probed_case_by_case_finds_what_collecting_finds(db):
    # Of the subjects only "Refund please" has a word starting "re" (customer names have none),
    # so "re" (probed) and "ref" (three letters: collected) must find the same cases.
    assert [s for s in SUBJECTS if any(w.lower().startswith("re") for w in s.split())] == [
        "Refund please"
    ]
    ws, admin = db.sign_in("admin")
    rep_ws, rep = db.sign_in("rep")
    made = mixed_cases(300, db_now(ws), [db.team_id], [rep.user_id, None])
    made = [
        replace(m, subject="Refund please") if n % 3 else m for n, m in enumerate(made)
    ]  # two thirds: common
    add_cases(ws, made, add_customers(ws))
    for who_ws, who, view in ((ws, admin, QueueView.ALL_OPEN), (rep_ws, rep, QueueView.MY_CASES)):
        for sort in (None, SortColumn.CUSTOMER):
            probed = QueueQuery(view, sort, search="re")
            collected = replace(probed, search="ref")
            with sql_sent(who_ws) as sent:
                rows = queue.fetch_page(who_ws, who, probed, None, 1000).rows
                count = queue.count_up_to(who_ws, who, probed)
            assert any("probed" in sql for sql in sent), (view, sort)  # it was probed
            assert rows == queue.fetch_page(who_ws, who, collected, None, 1000).rows
            assert count == queue.count_up_to(who_ws, who, collected)
            assert 0 < count.value == len(rows) < 300
            assert {r.subject for r in rows} == {"Refund please"}
            assert all(m.status.is_open for m in made if m.id in {r.id for r in rows})
    # A two-letter word few cases hold is collected (probing would look at every open case).
    with sql_sent(ws) as sent:
        found = queue.fetch_page(ws, admin, QueueQuery(QueueView.ALL_OPEN, search="lo"), None, 50)
    assert not any("probed" in sql for sql in sent)
    assert found.rows
    assert {r.subject for r in found.rows} <= {"Login fails", "Courier lost parcel"}
    assert CaseStatus.CLOSED not in {r.status for r in found.rows}
