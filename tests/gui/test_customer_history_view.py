"""The customer history pane on a real workspace: the card with last contact and recent
contacts on top, every case, one merged timeline streaming in as the rep scrolls (never SQL on
the GUI thread), filters by channel and case, one click or Enter opens an earlier case, and
customer text that stays text whatever it holds."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from deskapp.domain.enums import Channel, Direction
from deskapp.gui.panes.history_pane import PAGE, HistoryPane
from deskapp.services import history
from tests.gui.case_view_helpers import HOSTILE, another_case, contact, customer_with_case


class RunnerSource:
    """What CaseWork gives the pane in the app: reads on the runner, as the rep."""

    def __init__(self, runner, ws) -> None:
        self.runner, self.ws = runner, ws

    def read(self, fn, on_done) -> None:
        self.runner.read(lambda: fn(self.ws), on_done)


@pytest.fixture
def pane(qtbot, runner, gui_workspace):
    widget = HistoryPane()
    widget.source = RunnerSource(runner, gui_workspace)
    widget.resize(600, 800)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_card_cases_and_timeline_tell_the_story_newest_first(db, qtbot, pane):
    ws, rae = db.sign_in("rep")
    old = customer_with_case(ws, rae, subject="Charged twice in March")
    now = another_case(ws, rae, old, "Refund never arrived")
    contact(ws, rae, old, "I was charged twice for order 88123.")
    contact(ws, rae, old, "We refunded the second charge.", direction=Direction.OUTBOUND)
    contact(ws, rae, now, "Where is my refund?", Channel.PHONE)
    pane.show_case(history.case_detail(ws, now.id))
    card = pane.card
    assert pane.profile.text() == "Margaret Okafor"
    assert card.last_contact.text().startswith("Last contact 0m ago")
    assert "3 contacts in the last 30 days" in card.last_contact.text()
    assert "2 open of 2 cases" in card.last_contact.text()
    assert card.contacts.text() == "margaret@example.com  ·  +44 20 7946 0018"
    assert "their time (Europe/London)" in card.where.text()
    assert card.tier.text() == "STANDARD"
    assert pane.cases.count() == 2
    assert pane.cases.item(0).text().startswith(f"THIS CASE  ·  {now.key}  ·  Open")
    lines = [pane.timeline.item(row).text() for row in range(pane.timeline.count())]
    assert [line.rsplit(": ", 1)[1] for line in lines] == [
        "Where is my refund?", "We refunded the second charge.",
        "I was charged twice for order 88123.",
    ]  # fmt: skip
    assert f"{now.key}  Phone in" in lines[0] and f"{old.key}  Email out" in lines[1]
    pane.timeline.setCurrentRow(1)
    assert pane.entry.toPlainText().endswith("\n\nWe refunded the second charge.")
    assert pane.entry.toPlainText().startswith(
        pane.timeline.item(1).data(Qt.ItemDataRole.UserRole + 1)
    )


def test_one_click_or_enter_opens_an_earlier_case(db, qtbot, pane):
    ws, rae = db.sign_in("rep")
    old = customer_with_case(ws, rae, subject="Charged twice in March")
    now = another_case(ws, rae, old, "Refund never arrived")
    pane.show_case(history.case_detail(ws, now.id))
    earlier = pane.cases.item(1)
    with qtbot.waitSignal(pane.case_opened) as opened:
        rect = pane.cases.visualItemRect(earlier)
        qtbot.mouseClick(pane.cases.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [old.id]
    pane.cases.setCurrentRow(1)
    pane.cases.setFocus()
    with qtbot.waitSignal(pane.case_opened) as opened:
        qtbot.keyClick(pane.cases, Qt.Key.Key_Return)
    assert opened.args == [old.id]
    with qtbot.assertNotEmitted(pane.case_opened):  # the case in view is already open
        pane.cases.itemActivated.emit(pane.cases.item(0))


def _long_history(ws, rae, entries: int):
    case = customer_with_case(ws, rae)
    channels = [Channel.EMAIL, Channel.PHONE, Channel.CHAT]
    for number in range(entries):
        contact(ws, rae, case, f"Contact number {number}", channels[number % 3])
    return case


def test_the_timeline_streams_in_as_the_rep_scrolls(db, qtbot, runner, pane):
    ws, rae = db.sign_in("rep")
    case = _long_history(ws, rae, PAGE + 30)
    pane.show_case(history.case_detail(ws, case.id))
    assert pane.timeline.count() == history.FIRST_TIMELINE == PAGE
    assert "scroll down for older ones" in pane.status.text()
    pane.timeline.scrollToBottom()  # the next page is asked for off the GUI thread
    qtbot.waitUntil(lambda: pane.timeline.count() == PAGE + 30, timeout=10_000)
    texts = [pane.timeline.item(r).text().rsplit(": ", 1)[1] for r in range(PAGE + 30)]
    assert texts == [f"Contact number {n}" for n in reversed(range(PAGE + 30))]
    assert pane.status.text() == f"All {PAGE + 30} entries shown"
    assert not pane.fetch_more_timeline()


def test_filters_by_channel_and_by_case(db, qtbot, runner, pane):
    ws, rae = db.sign_in("rep")
    case = _long_history(ws, rae, 9)
    other = another_case(ws, rae, case, "Second problem")
    contact(ws, rae, other, "About the second problem", Channel.SOCIAL)
    pane.show_case(history.case_detail(ws, case.id))
    assert pane.timeline.count() == 10
    pane.channel_filter.setCurrentIndex(pane.channel_filter.findData(Channel.PHONE))
    qtbot.waitUntil(lambda: pane.timeline.count() == 3, timeout=10_000)
    assert all("Phone in" in pane.timeline.item(r).text() for r in range(3))
    pane.channel_filter.setCurrentIndex(0)
    pane.case_filter.setCurrentIndex(pane.case_filter.findData(str(other.id)))
    qtbot.waitUntil(lambda: pane.timeline.count() == 1, timeout=10_000)
    assert pane.timeline.item(0).text().endswith("About the second problem")
    # Moving to another case of the same customer keeps the rep's filter.
    pane.show_case(history.case_detail(ws, other.id))
    qtbot.waitUntil(lambda: pane.timeline.count() == 1, timeout=10_000)
    assert pane.case_filter.currentData() == str(other.id)


def test_customer_text_stays_text_everywhere(db, qtbot, pane):
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae, name=HOSTILE, subject=HOSTILE, email=None, phone=None)
    contact(ws, rae, case, f"{HOSTILE}<script>alert(1)</script><a href='http://x'>x</a>")
    pane.show_case(history.case_detail(ws, case.id))
    labels = pane.findChildren(QLabel)
    hostile = [label for label in labels if HOSTILE in label.text()]
    assert pane.profile in hostile
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in hostile)
    assert HOSTILE in pane.cases.item(0).text() and HOSTILE in pane.timeline.item(0).text()
    pane.timeline.setCurrentRow(0)
    assert "<script>alert(1)</script>" in pane.entry.toPlainText()
    pane.grab()  # painting the delegates' rows fetches nothing and does not fail


def test_a_megabyte_rtl_emoji_and_control_characters_do_not_freeze(db, qtbot, runner, pane):
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae, name="\u202eRTL name \u05e9\u05dc\u05d5\u05dd 😀")
    huge = "x" * 1_000_000
    contact(ws, rae, case, huge)
    contact(ws, rae, case, "bell\x07 escape\x1b \u202eevil\u202c \u05e9\u05dc\u05d5\u05dd 😀" * 50)
    started = time.perf_counter()
    pane.show_case(history.case_detail(ws, case.id))
    pane.grab()
    assert time.perf_counter() - started < 2, "showing the history must not freeze the window"
    strange = pane.timeline.item(0).text()
    assert len(strange) < 250 and "␇" in strange and "␛" in strange
    assert strange.endswith("\u202c\u2069"), "the override stops at the end of the line"
    assert len(pane.timeline.item(1).text()) < 250
    assert pane.width() <= 600, "a long line must not widen the pane"
    pane.timeline.setCurrentRow(1)  # the preview, then the whole text on demand
    assert not pane.full_text.isHidden()
    pane.full_text.click()
    qtbot.waitUntil(lambda: len(pane.entry.toPlainText()) > 1_000_000, timeout=10_000)
    assert pane.full_text.isHidden()
