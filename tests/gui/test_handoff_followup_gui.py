"""The sender's side of a handoff in real widgets over a real workspace, with two people: the
question a receiver asks reaches the author, who answers it as an addendum (the note never
changes); handoffs nobody has read back show to their author and the lead with their age; and
a case shows what changed since its last handoff."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QMainWindow
from sqlalchemy import select

from deskapp.db.models import HandoffNote
from deskapp.domain.enums import CaseStatus
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.forms.ui_main_window import Ui_MainWindow
from deskapp.gui.handoff.banner import HandoffBanner
from deskapp.gui.handoff.followup_lists import FollowUpLists
from deskapp.gui.handoff.receiving import HandoffInbox
from deskapp.gui.handoff.to_acknowledge import ToAcknowledgeList
from deskapp.gui.panes.handoff_pane import HandoffPane
from deskapp.gui.panes.history_pane import HistoryPane
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.services import cases, handoff_followup, history
from deskapp.services.unit_of_work import read_session
from tests.services.handoff_helpers import db_now, hand_over, log_interaction, new_case


def _gui(db, who: str):
    """A workspace as ``who`` that the GUI uses: SQL on the GUI thread fails the test."""
    ws = db.open(who)
    guard_gui_thread(ws.engine)
    return ws


def _note_row(ws, note_id) -> dict[str, object]:
    with read_session(ws) as session:
        note = session.scalars(select(HandoffNote).where(HandoffNote.id == note_id)).one()
        return {c.key: getattr(note, c.key) for c in HandoffNote.__table__.columns}


@pytest.fixture
def sender_side(qtbot, runner):
    """Lists in a real handoff pane, driven by their own FollowUpLists."""

    def make():
        pane = HandoffPane()
        qtbot.addWidget(pane)
        return pane, FollowUpLists(runner, pane.waiting, pane.questions, pane)

    return make


def test_a_question_reaches_the_author_who_answers_with_an_addendum(db, qtbot, runner,
                                                                    sender_side):  # fmt: skip
    ws, rae = db.sign_in("rep")
    ws2, ray = db.sign_in("rep2")
    case = new_case(ws2, ray, "Refund went to the wrong card")
    note_id = hand_over(ws2, ray, case.id, rae.user_id, age=timedelta(minutes=40))
    note_before = _note_row(ws, note_id)

    # Rae, who received the case, asks from the banner on it.
    banner, to_ack = HandoffBanner(), ToAcknowledgeList()
    qtbot.addWidget(banner)
    qtbot.addWidget(to_ack)
    inbox = HandoffInbox(runner, banner, to_ack)
    inbox.start(_gui(db, "rep"), rae)
    qtbot.waitUntil(lambda: to_ack.items.count() == 1, timeout=10_000)
    inbox.case_shown(history.case_detail(ws, case.id))
    banner.read_back.setText("Which card did the refund go to?")
    with qtbot.waitSignal(inbox.question_sent, timeout=10_000):
        banner.ask.click()

    # Ray, the author, sees the question (and his note still waiting for its read-back).
    pane, lists = sender_side()
    lists.start(_gui(db, "rep2"), ray)
    qtbot.waitUntil(lambda: pane.questions.items.count() == 1, timeout=10_000)
    assert not pane.questions.isHidden()
    assert pane.questions.heading.text() == "Questions for you (1)"
    assert pane.questions.items.item(0).text() == (
        f"{case.key}  Refund went to the wrong card\n"
        "Rae Rep asks: “Which card did the refund go to?”"
    )
    qtbot.waitUntil(lambda: pane.waiting.items.count() == 1, timeout=10_000)
    assert re.fullmatch(r".*\nto Rae Rep, waiting 4\dm  ·  question asked",
                        pane.waiting.items.item(0).text())  # fmt: skip

    # He selects it and answers.
    assert not pane.questions.send.isEnabled(), "nothing selected, nothing written"
    pane.questions.items.setCurrentRow(0)
    assert "Which card did the refund go to?" in pane.questions.answering.text()
    assert not pane.questions.send.isEnabled(), "an answer needs words"
    pane.questions.answer.setPlainText("The Visa ending 4242, on Monday.")
    with qtbot.waitSignal(lists.answered, timeout=10_000) as answered:
        pane.questions.send.click()
    assert answered.args == [note_id, case.id]
    qtbot.waitUntil(lambda: pane.questions.isHidden(), timeout=10_000)
    assert pane.questions.answer.toPlainText() == ""

    # The note is exactly as it was; the answer is an addendum, in the timeline and under it.
    assert _note_row(ws, note_id) == note_before
    detail = history.case_detail(ws, case.id)
    timeline = HistoryPane()
    qtbot.addWidget(timeline)
    timeline.show_case(detail)
    lines = [timeline.timeline.item(i).text() for i in range(timeline.timeline.count())]
    [answer_line] = [line for line in lines if "HANDOFF ADDENDUM" in line]
    assert answer_line.endswith("The Visa ending 4242, on Monday.")
    pane.show_case(detail)
    since_then = pane.fields["Since then"].text().splitlines()
    assert since_then[0].startswith("Rae Rep asked") and since_then[0].endswith(
        ": Which card did the refund go to?"
    )
    assert since_then[1].startswith("Ray Rep added")
    # Rae's banner no longer says her question waits.
    inbox.refresh()
    qtbot.waitUntil(lambda: banner.question.isHidden(), timeout=10_000)
    assert handoff_followup.questions_for(ws2, ray) == []


def test_an_answer_refused_by_the_service_is_explained_and_kept(db, qtbot, runner,
                                                                sender_side):  # fmt: skip
    ws, rae = db.sign_in("rep")
    ws2, ray = db.sign_in("rep2")
    case = new_case(ws2, ray)
    note_id = hand_over(ws2, ray, case.id, rae.user_id)
    handoff_followup.ask_question(ws, rae, note_id, "Is the engineer booked?")
    pane, lists = sender_side()
    lists.start(_gui(db, "rep2"), ray)
    qtbot.waitUntil(lambda: pane.questions.items.count() == 1, timeout=10_000)
    pane.questions.items.setCurrentRow(0)
    pane.questions.answer.setPlainText("Yes, Thursday morning.")
    handoff_followup.answer_question(ws2, ray, note_id, "Yes, booked.")  # from another window
    with qtbot.waitSignal(runner.failed, timeout=10_000) as failed:
        pane.questions.send.click()
    assert "There is no open question" in failed.args[0]
    assert "addendum" in failed.args[0], "says what to do instead"
    qtbot.waitUntil(lambda: pane.questions.isHidden(), timeout=10_000)


def test_unread_handoffs_show_to_their_author_and_the_lead_with_their_age(db, qtbot,
                                                                        sender_side):  # fmt: skip
    ws, rae = db.sign_in("rep")
    ws2, ray = db.sign_in("rep2")
    _wsl, lead = db.sign_in("lead")
    case = new_case(ws, rae, "Parcel lost by the carrier")
    note_id = hand_over(ws, rae, case.id, ray.user_id, age=timedelta(hours=2, minutes=5))

    rae_pane, rae_lists = sender_side()
    rae_lists.start(_gui(db, "rep"), rae)
    lead_pane, lead_lists = sender_side()
    lead_lists.start(_gui(db, "lead"), lead)
    for pane in (rae_pane, lead_pane):
        qtbot.waitUntil(lambda pane=pane: pane.waiting.items.count() == 1, timeout=10_000)
        assert pane.waiting.heading.text() == "Waiting for read-back (1)"
        assert pane.questions.isHidden(), "no questions, no list"
    assert rae_pane.waiting.items.item(0).text() == (
        f"{case.key}  Parcel lost by the carrier\nto Ray Rep, waiting 2h 05m"
    )
    assert lead_pane.waiting.items.item(0).text().endswith("waiting 2h 05m  ·  by Rae Rep")
    with qtbot.waitSignal(rae_pane.waiting.case_requested) as requested:
        rae_pane.waiting.items.itemActivated.emit(rae_pane.waiting.items.item(0))
    assert requested.args == [case.id]

    handoff_followup.acknowledge(ws2, ray, note_id, "Chase the carrier Friday")
    rae_lists.refresh()
    qtbot.waitUntil(lambda: rae_pane.waiting.isHidden(), timeout=10_000)


# ----------------------------------------------------------------------------- since marker
def test_a_case_shows_what_changed_since_its_last_handoff(db, qtbot, runner):
    ws, rae = db.sign_in("rep")
    ws2, ray = db.sign_in("rep2")
    case = new_case(ws, rae, "Router drops the line at night")
    due = db_now(ws) - timedelta(minutes=30)
    hand_over(ws, rae, case.id, ray.user_id, age=timedelta(hours=3, minutes=2),
              next_actions=[{"action": "Check the line log", "owner": "Ray",
                             "due": due.isoformat()},
                            {"action": "Call the customer", "owner": "Ray",
                             "due": (due + timedelta(hours=2)).isoformat()}])  # fmt: skip
    log_interaction(ws2, ray, case.id, ago=timedelta(hours=1))
    log_interaction(ws2, ray, case.id, ago=timedelta(minutes=10))
    current = cases.get_case(ws2, case.id)
    cases.update_case(ws2, ray, case.id, cases.CaseChanges(
        current.version, status=CaseStatus.PENDING_CUSTOMER))  # fmt: skip

    window = QMainWindow()
    qtbot.addWidget(window)
    ui = Ui_MainWindow()
    ui.setupUi(window)
    desk = CaseDesk(runner, ui, window)
    desk.start(_gui(db, "rep2"), ray)
    desk.open_case(case.id)
    qtbot.waitUntil(lambda: desk.current_case is not None and desk.current_case.id == case.id,
                    timeout=15_000)  # fmt: skip
    marker = desk.handoff_pane.since
    assert not marker.isHidden()
    assert re.fullmatch(
        r"Since Rae Rep's handoff 3h 0\dm ago: status Open → Pending customer, "
        r"2 new interactions, 1 next action overdue",
        marker.text(),
    ), marker.text()
    assert marker.property("late") is True
    # It ticks: two hours on, the second action is late too.
    desk.handoff_pane.show_marker_at(datetime.now(UTC) + timedelta(hours=2))
    assert "5h 0" in marker.text() and marker.text().endswith("2 next actions overdue")
    desk.stop()
    assert runner.wait_idle()


def test_a_case_that_never_changed_hands_has_no_marker(db, qtbot):
    ws, rae = db.sign_in("rep")
    case = new_case(ws, rae)
    pane = HandoffPane()
    qtbot.addWidget(pane)
    pane.show_case(history.case_detail(ws, case.id))
    assert pane.since.isHidden()
    assert pane.heading.text().startswith("No handoff yet")
