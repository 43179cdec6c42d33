"""Live refresh of the case in view: what a colleague at another workstation logs, hands off or
changes on the open case (or on another case of the same customer) shows in the header and the
customer history without the rep reloading — within the promised time (PostgreSQL by
LISTEN/NOTIFY within a second, SQLite and MariaDB by polling within two) — while the rep's half
written reply, the history they scrolled to, the entry they are reading and a header edit in
progress all stay exactly as they were."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QListWidgetItem

from deskapp.domain.enums import Channel, Priority
from deskapp.services import cases, handoffs
from tests.gui.case_view_helpers import another_case, contact, customer_with_case, wait_for_case
from tests.gui.two_clients import Client, clients
from tests.services.handoff_requests import good_note, request, sign_in_everyone

PROMISED_SECONDS = {"postgresql": 1.0, "sqlite": 2.0, "mariadb": 2.0}
SLACK = 0.5  # the test's own waiting and a busy shared machine
HISTORY = 40  # enough entries that the timeline scrolls


@pytest.fixture
def make(db, qtbot, tmp_path, runner):
    yield from clients(db, qtbot, tmp_path, runner)


def _settled(qtbot, client: Client) -> None:
    """The first poll has learnt the change feed as it is (only later entries are news)."""
    client.idle()
    qtbot.wait(1_300)
    client.idle()


def _top_item(client: Client) -> QListWidgetItem | None:
    timeline = client.window.desk.history_pane.timeline
    return timeline.itemAt(QPoint(1, 1))


def _texts(client: Client) -> list[str]:
    timeline = client.window.desk.history_pane.timeline
    return [timeline.item(r).text() for r in range(timeline.count())]


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_a_colleagues_contact_shows_without_touching_my_reply_scroll_or_reading(db, qtbot,
                                                                                make):  # fmt: skip
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    older = another_case(ws, rae, case, "Old address on the invoice")
    for number in range(HISTORY):
        contact(ws, rae, case, f"Contact number {number}")
    mine = make("rep")
    mine.window.desk.open_case(case.id)
    wait_for_case(qtbot, mine.window, case.id)
    mine.idle()
    pane = mine.window.desk.history_pane
    qtbot.waitUntil(lambda: pane.timeline.count() == HISTORY, timeout=10_000)
    # The rep is half-way through a reply, and reading an older entry further down.
    editor = mine.window.desk.case_pane.composer.editor
    editor.setPlainText("Dear Margaret, I have checked with our payments team and")
    cursor = editor.textCursor()
    cursor.setPosition(14)
    editor.setTextCursor(cursor)
    pane.timeline.setCurrentRow(25)
    reading = pane.timeline.currentItem()
    pane.timeline.scrollToItem(pane.timeline.item(20), QAbstractItemView.ScrollHint.PositionAtTop)
    bar = pane.timeline.verticalScrollBar()
    assert bar.value() > 0, "the timeline must scroll for this test to mean anything"
    top = _top_item(mine)
    assert top is not None
    top_text, reading_text = top.text(), reading.text()
    shown_entry = pane.entry.toPlainText()
    _settled(qtbot, mine)

    other_ws, lee = db.sign_in("lead")  # Lee, at another workstation
    contact(other_ws, lee, case, "Called back: the refund is approved", Channel.PHONE)
    started = time.monotonic()
    qtbot.waitUntil(lambda: pane.timeline.count() == HISTORY + 1, timeout=10_000)
    took = time.monotonic() - started
    assert took <= PROMISED_SECONDS[db.dialect] + SLACK, f"{took:.2f} s"
    assert pane.timeline.item(0).text().endswith("Called back: the refund is approved")
    assert "Lee Lead" in pane.timeline.item(0).data(Qt.ItemDataRole.UserRole + 1)
    # Nothing the rep typed, scrolled to or is reading moved.
    assert editor.toPlainText() == "Dear Margaret, I have checked with our payments team and"
    assert editor.textCursor().position() == 14
    now_top = _top_item(mine)
    assert now_top is not None and now_top.text() == top_text
    assert pane.timeline.currentItem().text() == reading_text
    assert pane.entry.toPlainText() == shown_entry
    # The header follows too: the customer is now waiting on nothing (Lee's call was inbound,
    # so "waiting" is still shown) and the card counts the new contact.
    assert f"{HISTORY + 1} contacts in the last 30 days" in pane.card.last_contact.text()

    # A contact on another case of the same customer shows in the merged timeline as well.
    contact(other_ws, lee, older, "Asked about the old address as well")
    qtbot.waitUntil(lambda: pane.timeline.count() == HISTORY + 2, timeout=10_000)
    assert pane.timeline.item(0).text().endswith("Asked about the old address as well")
    assert _top_item(mine) is not None and _top_item(mine).text() == top_text
    assert editor.toPlainText().startswith("Dear Margaret")
    assert mine.problems == []


@pytest.mark.dialects("sqlite", "postgresql")
def test_a_colleagues_header_change_shows_but_my_category_edit_is_kept(db, qtbot, make):
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    mine = make("rep")
    mine.window.desk.open_case(case.id)
    wait_for_case(qtbot, mine.window, case.id)
    mine.idle()
    header = mine.window.desk.case_pane
    version = header.version
    header.category.insert("Refun")  # the rep is typing, not finished yet
    assert header.category.text() == "Refun" and header.editing_header()
    _settled(qtbot, mine)

    other_ws, lee = db.sign_in("lead")
    cases.change_case(other_ws, lee, case.id, cases.CaseChange(version, priority=Priority.URGENT))
    qtbot.waitUntil(lambda: "Urgent priority" in header.fields["SLA"].text(), timeout=10_000)
    assert header.category.text() == "Refun"  # the rep's typing is untouched
    assert header.version == version  # their edit is still checked against what they saw
    # Finishing the edit meets the colleague's change: the rep chooses, nothing is lost.
    editing = mine.window.case_work.editing
    header.category.editingFinished.emit()
    qtbot.waitUntil(lambda: editing.conflict_dialog is not None, timeout=10_000)
    editing.conflict_dialog.take.click()  # "Take theirs": the case as it is now
    qtbot.waitUntil(lambda: header.version > version, timeout=10_000)
    qtbot.waitUntil(lambda: header.priority.currentData() == Priority.URGENT, timeout=10_000)
    assert mine.problems == []


@pytest.mark.dialects("sqlite")
def test_a_colleagues_handoff_of_my_open_case_shows_in_header_and_timeline(db, qtbot, make):
    desk = sign_in_everyone(db)
    case = desk.new_case()
    mine = make("rep")
    mine.window.desk.open_case(case.id)
    wait_for_case(qtbot, mine.window, case.id)
    mine.idle()
    header = mine.window.desk.case_pane
    editor = header.composer.editor
    editor.setPlainText("Still typing this")
    _settled(qtbot, mine)
    before = _texts(mine)

    # The lead moves the case to Ray with a full note (the rep is out of the office, say).
    handoffs.hand_off(desk.lead.ws, desk.lead.actor,
                      request(case, good_note(desk.lead.ws), to=desk.rep2))  # fmt: skip
    qtbot.waitUntil(lambda: len(_texts(mine)) == len(before) + 1, timeout=10_000)
    assert "HANDOFF" in _texts(mine)[0]
    qtbot.waitUntil(lambda: header.fields["Owner"].text().startswith("Ray"), timeout=10_000)
    assert editor.toPlainText() == "Still typing this"
    assert mine.problems == []
