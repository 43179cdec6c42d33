"""The customer history pane updated in place (what live refresh does when a colleague changes
the customer's cases): a changed case is rewritten where it is, a new case or contact goes in
on top, and the row the rep selected and the rows they scrolled to stay put. And the first
paint of a long history formats only the rows on screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractItemView

from deskapp.domain.enums import CaseStatus
from deskapp.gui.panes import history_pane
from deskapp.gui.panes.history_pane import HistoryPane
from deskapp.services import cases, history
from tests.gui.case_view_helpers import another_case, contact, customer_with_case


class RunnerSource:
    def __init__(self, runner, ws) -> None:
        self.runner, self.ws = runner, ws

    def read(self, fn, on_done) -> None:
        self.runner.read(lambda: fn(self.ws), on_done)


@pytest.fixture
def pane(qtbot, runner, gui_workspace):
    widget = HistoryPane()
    widget.source = RunnerSource(runner, gui_workspace)
    widget.resize(600, 700)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _top(view) -> str:
    item = view.itemAt(QPoint(1, 1))
    assert item is not None
    return item.text()


def test_a_changed_or_new_case_updates_the_list_in_place_keeping_the_selection(db, pane):
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    older = another_case(ws, rae, case, "Old address on the invoice")
    pane.show_case(history.case_detail(ws, case.id))
    assert pane.cases.item(0).text().startswith(older.key)  # newest first
    assert pane.cases.item(1).text().startswith(f"THIS CASE  ·  {case.key}")
    pane.cases.setCurrentRow(1)  # the rep selected this case's row
    state = cases.get_case_state(ws, older.id)
    pending = cases.CaseChange(state.version, status=CaseStatus.PENDING_CUSTOMER)
    cases.change_case(ws, rae, older.id, pending)
    pane.refresh_case(history.case_detail(ws, case.id))
    assert "Pending customer" in pane.cases.item(0).text()
    assert pane.cases.currentRow() == 1
    newest = another_case(ws, rae, case, "Card declined at the till")
    pane.refresh_case(history.case_detail(ws, case.id))
    assert pane.cases.count() == 3
    assert newest.key in pane.cases.item(0).text()
    assert case.key in pane.cases.currentItem().text()  # still the row the rep selected
    assert pane.case_filter.findData(str(newest.id)) > 0  # and the filter offers it


def test_new_contacts_go_on_top_and_the_scrolled_view_stays(db, qtbot, pane):
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    for number in range(60):
        contact(ws, rae, case, f"Contact number {number}")
    pane.show_case(history.case_detail(ws, case.id))
    timeline = pane.timeline
    timeline.setCurrentRow(30)
    timeline.scrollToItem(timeline.item(25), QAbstractItemView.ScrollHint.PositionAtTop)
    top, reading = _top(timeline), timeline.currentItem().text()
    reading_box = pane.entry.toPlainText()
    contact(ws, rae, case, "Newest one")
    contact(ws, rae, case, "And another")
    pane.refresh_case(history.case_detail(ws, case.id))
    assert timeline.count() == 62
    assert timeline.item(0).text().endswith("And another")
    assert timeline.item(1).text().endswith("Newest one")
    assert _top(timeline) == top
    assert timeline.currentItem().text() == reading and pane.entry.toPlainText() == reading_box
    assert pane.status.text() == "All 62 entries shown"
    # Scrolled back to the top, the rep sees what comes in next at once.
    timeline.scrollToTop()
    contact(ws, rae, case, "Third new")
    pane.refresh_case(history.case_detail(ws, case.id))
    assert _top(timeline).endswith("Third new")


def test_the_first_paint_formats_only_the_rows_on_screen(db, qtbot, pane):
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    for number in range(history.FIRST_TIMELINE + 20):
        contact(ws, rae, case, f"Contact number {number}")
    pane.show_case(history.case_detail(ws, case.id))
    pane.repaint()

    def formatted() -> int:
        rows = (pane.timeline.item(r) for r in range(pane.timeline.count()))
        return sum(1 for item in rows if item._texts is not None)

    assert pane.timeline.count() == history.FIRST_TIMELINE
    assert 0 < formatted() < history.FIRST_TIMELINE // 2
    pane.timeline.scrollToBottom()
    pane.repaint()
    assert pane.timeline.item(history.FIRST_TIMELINE - 1).text().endswith("Contact number 20")
    assert isinstance(pane.timeline.item(0), history_pane._LazyRow)
