"""Counts up to a cap: a search matching most of the workspace says "at least N" instead of
reading every match, and below the cap every count stays exact (services/queue.count_up_to,
view_counts_up_to). The cap is an argument, so a small one stands in for 10,000 here."""

from __future__ import annotations

from dataclasses import replace

import pytest

from deskapp.domain.enums import CaseStatus
from deskapp.domain.errors import InvalidInput
from deskapp.services import queue
from deskapp.services.queue import Count, QueueQuery, QueueView
from tests.services.handoff_helpers import db_now
from tests.services.queue_data import add_cases, add_customers, mixed_cases

pytestmark = pytest.mark.dialects("sqlite", "postgresql", "mariadb")


@pytest.fixture
def seeded(db):
    """40 cases, all open and assigned to the rep; 10 of them about a refund."""
    ws, _admin = db.sign_in("admin")
    _, rep = db.sign_in("rep")
    made = [
        replace(m, status=CaseStatus.OPEN, assignee_id=rep.user_id,
                subject="Refund please" if n < 10 else "Courier lost parcel")
        for n, m in enumerate(mixed_cases(40, db_now(ws), [db.team_id], [rep.user_id]))
    ]  # fmt: skip
    add_cases(ws, made, add_customers(ws))
    return db


def test_a_search_past_the_cap_is_counted_as_at_least_the_cap(seeded):
    ws, rep = seeded.sign_in("rep")
    courier = QueueQuery(QueueView.MY_CASES, search="courier")
    assert queue.count(ws, rep, courier) == 30
    assert queue.count_up_to(ws, rep, courier, cap=12) == Count(12, at_least=True)
    assert queue.count_up_to(ws, rep, courier, cap=29) == Count(29, at_least=True)
    assert queue.count_up_to(ws, rep, courier, cap=12).label() == "12+"
    # At or under the cap the count is exact, and says so.
    assert queue.count_up_to(ws, rep, courier, cap=30) == Count(30)
    assert queue.count_up_to(ws, rep, courier) == Count(30)  # the default cap: 10,000
    refund = QueueQuery(QueueView.MY_CASES, search="refu")
    assert queue.count_up_to(ws, rep, refund, cap=12) == Count(10)
    assert queue.count_up_to(ws, rep, refund, cap=12).label() == "10"
    nothing = QueueQuery(QueueView.MY_CASES, search="zebra")
    assert queue.count_up_to(ws, rep, nothing, cap=1) == Count(0)


def test_view_counts_are_capped_the_same_way_and_exact_below_the_cap(seeded):
    ws, rep = seeded.sign_in("rep")
    exact = queue.view_counts(ws, rep)
    assert exact[QueueView.MY_CASES] == 40
    capped = queue.view_counts_up_to(ws, rep, cap=25)
    assert capped[QueueView.MY_CASES] == Count(25, at_least=True)
    for view, n in exact.items():
        if n <= 25:
            assert capped[view] == Count(n), view
    assert queue.view_counts_up_to(ws, rep)[QueueView.MY_CASES] == Count(40)


def test_a_cap_below_one_is_refused_with_a_message(seeded):
    ws, rep = seeded.sign_in("rep")
    with pytest.raises(InvalidInput, match="at least one"):
        queue.count_up_to(ws, rep, QueueQuery(QueueView.MY_CASES), cap=0)
    with pytest.raises(InvalidInput, match="at least one"):
        queue.view_counts_up_to(ws, rep, cap=0)
