"""The receiving side in real widgets over a real workspace: the "To acknowledge" list, the
banner on the case, acknowledging and asking a question."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskapp.domain.enums import RiskLevel
from deskapp.gui.handoff.banner import HandoffBanner
from deskapp.gui.handoff.receiving import HandoffInbox
from deskapp.gui.handoff.to_acknowledge import NOTHING_WAITING, ToAcknowledgeList
from deskapp.services import handoff_followup, history
from tests.services.handoff_helpers import hand_over, new_case


@pytest.fixture
def inbox(qtbot, runner):
    banner, pending = HandoffBanner(), ToAcknowledgeList()
    qtbot.addWidget(banner)
    qtbot.addWidget(pending)
    return HandoffInbox(runner, banner, pending)


def _received(db, *, unbriefed: bool = False):
    """Rae hands a case to Ray two hours ago; Ray is signed in."""
    ws, rae = db.sign_in("rep")
    case = new_case(ws, rae)
    ray_ws, ray = db.sign_in("rep2")
    note_id = hand_over(ws, rae, case.id, ray.user_id, age=timedelta(hours=2, minutes=5),
                        risk=RiskLevel.WATCH, unbriefed=unbriefed)  # fmt: skip
    return ray_ws, ray, history.case_detail(ws, case.id), note_id


def test_a_received_handoff_is_listed_and_bannered_on_its_case(db, inbox, qtbot):
    _ray_ws, ray, case, _note = _received(db)
    inbox.start(db.open("rep2"), ray)
    qtbot.waitUntil(lambda: inbox.list.items.count() == 1, timeout=10_000)
    assert inbox.list.heading.text() == "To acknowledge (1)"
    assert case.key in inbox.list.items.item(0).text()
    assert inbox.banner.isHidden(), "no banner until its case is in view"
    with qtbot.waitSignal(inbox.list.case_requested) as requested:
        inbox.list.items.itemActivated.emit(inbox.list.items.item(0))
    assert requested.args == [case.id]
    inbox.case_shown(case)
    assert not inbox.banner.isHidden()
    assert inbox.banner.message.text() == (
        "Handed over to you by Rae Rep, 2h 05m ago — risk: watch."
    )
    assert inbox.banner.unbriefed.isHidden()


def test_an_unbriefed_handoff_is_flagged(db, inbox, qtbot):
    _ws, ray, case, _note = _received(db, unbriefed=True)
    inbox.start(db.open("rep2"), ray)
    qtbot.waitUntil(lambda: inbox.list.items.count() == 1, timeout=10_000)
    inbox.case_shown(case)
    assert not inbox.banner.unbriefed.isHidden()
    assert "UNBRIEFED" in inbox.banner.unbriefed.text()
    assert "UNBRIEFED" in inbox.list.items.item(0).text()


def test_acknowledging_with_a_read_back_clears_the_list_and_the_banner(db, inbox, qtbot):
    ray_ws, ray, case, _note_id = _received(db)
    inbox.start(db.open("rep2"), ray)
    qtbot.waitUntil(lambda: inbox.list.items.count() == 1, timeout=10_000)
    inbox.case_shown(case)
    inbox.banner.read_back.setText("Check R-88 tomorrow, call her after 17:00")
    with qtbot.waitSignal(inbox.acknowledged, timeout=10_000):
        inbox.banner.acknowledge.click()
    qtbot.waitUntil(lambda: inbox.list.heading.text() == NOTHING_WAITING, timeout=10_000)
    assert inbox.banner.pending is None
    assert handoff_followup.to_acknowledge(ray_ws, ray) == []


def test_a_question_needs_text_and_then_waits_on_the_banner(db, inbox, qtbot):
    _ray_ws, ray, case, _note_id = _received(db)
    inbox.start(db.open("rep2"), ray)
    qtbot.waitUntil(lambda: inbox.list.items.count() == 1, timeout=10_000)
    inbox.case_shown(case)
    assert not inbox.banner.ask.isEnabled(), "a question needs words"
    inbox.banner.read_back.setText("Which card did the refund go to?")
    with qtbot.waitSignal(inbox.question_sent, timeout=10_000):
        inbox.banner.ask.click()
    qtbot.waitUntil(lambda: not inbox.banner.question.isHidden(), timeout=10_000)
    assert "Which card did the refund go to?" in inbox.banner.question.text()
    assert "question asked" in inbox.list.items.item(0).text()
