"""Commitments as timers (issue 7): the promises of the case in hand show in its header, turn
amber within two hours and red when late, and tick without a reload; the queue has a
"Commitments due" view."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from deskapp.domain.enums import Role
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.forms.ui_main_window import Ui_MainWindow
from deskapp.gui.panes.case_pane import PROMISES_SHOWN, CasePane, promise_timer
from deskapp.gui.panes.queue_model import PROMISE_COLUMN
from deskapp.gui.panes.queue_pane import QueuePane, view_key
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.services import history, queue
from deskapp.services.queue import QueueView
from deskapp.services.records import Actor
from tests.services.handoff_helpers import new_case, promise

NOW = datetime(2025, 1, 14, 9, 0, tzinfo=UTC)


def test_a_promise_timer_reads_late_due_soon_or_upcoming():
    assert promise_timer(NOW - timedelta(minutes=80), NOW) == ("Overdue 1h 20m", "overdue")
    assert promise_timer(NOW + timedelta(minutes=45), NOW) == ("Due in 45m", "due_soon")
    assert promise_timer(NOW + timedelta(hours=2), NOW) == ("Due in 2h 00m", "due_soon")
    label, state = promise_timer(NOW + timedelta(hours=5, minutes=10), NOW)
    assert state == "upcoming" and label.endswith("(in 5h 10m)") and label.startswith("Due ")


def _visible_promises(pane: CasePane) -> list[tuple[str, str]]:
    return [(label.text(), label.property("state")) for label in pane.promise_labels
            if not label.isHidden()]  # fmt: skip


def test_the_case_header_shows_its_promises_and_they_tick(db, qtbot):
    ws, rae = db.sign_in("rep")
    case = new_case(ws, rae)
    promise(ws, rae, case.id, "Call back about refund R-88", timedelta(hours=2, minutes=30))
    promise(ws, rae, case.id, "Email the <b>invoice</b>", -timedelta(minutes=20))
    promise(ws, rae, case.id, "Already done", timedelta(hours=1), fulfilled=True)
    pane = CasePane()
    qtbot.addWidget(pane)
    detail = history.case_detail(ws, case.id)
    pane.show_case(detail)
    shown = _visible_promises(pane)
    assert [state for _text, state in shown] == ["overdue", "upcoming"]
    assert shown[0][0].startswith("Overdue 20m — Email the <b>invoice</b>")
    assert shown[1][0].endswith("— Call back about refund R-88")
    assert pane.more_promises.isHidden()
    # An hour later, without reloading: the first stays red, the second has turned amber.
    pane.show_timers_at(datetime.now(UTC) + timedelta(hours=1))
    assert [state for _text, state in _visible_promises(pane)] == ["overdue", "due_soon"]
    assert _visible_promises(pane)[1][0].startswith("Due in 1h 2")
    assert pane.promise_labels[1].styleSheet() != pane.promise_labels[0].styleSheet()
    assert pane.ticker.isActive() and pane.ticker.interval() == 60_000


def test_a_case_without_promises_says_so_and_many_are_summed_up(db, qtbot):
    ws, rae = db.sign_in("rep")
    none_promised, many = new_case(ws, rae, "Nothing promised"), new_case(ws, rae, "Many")
    for hours in range(1, PROMISES_SHOWN + 3):
        promise(ws, rae, many.id, f"Promise {hours}", timedelta(hours=hours))
    pane = CasePane()
    qtbot.addWidget(pane)
    assert pane.more_promises.text() == "", "nothing to say before a case is shown"
    pane.show_case(history.case_detail(ws, many.id))
    assert len(_visible_promises(pane)) == PROMISES_SHOWN
    assert pane.more_promises.text() == "and 2 more"
    pane.show_case(history.case_detail(ws, none_promised.id))
    assert _visible_promises(pane) == []
    assert pane.more_promises.text() == "No open promises"


def test_the_queue_offers_commitments_due_with_a_plain_empty_state(qtbot):
    pane = QueuePane()
    qtbot.addWidget(pane)
    views = queue.views_for(_rep_actor())
    pane.set_views(views)
    labels = [pane.tabs.tabText(i) for i in range(pane.tabs.count())]
    assert "Commitments due" in labels
    pane.show_rows(QueueView.COMMITMENTS_DUE, [])
    assert pane.stack.currentWidget() is pane.empty
    assert "next 24 hours" in pane.empty.text()
    assert not pane.table.isColumnHidden(PROMISE_COLUMN)
    pane.show_rows(QueueView.MY_CASES, [])
    assert pane.table.isColumnHidden(PROMISE_COLUMN), "only promises' own view shows them"


def _rep_actor() -> Actor:
    return Actor("rae", "Rae Rep", Role.REP, uuid.uuid4(), uuid.uuid4())


def test_the_desk_lists_commitments_due_and_opens_the_case_with_its_timers(db, qtbot, runner):
    ws, rae = db.sign_in("rep")
    later = new_case(ws, rae, "Promise due tonight")
    late = new_case(ws, rae, "Promise already late")
    new_case(ws, rae, "Nothing promised")
    promise(ws, rae, later.id, "Ring back before 18:00", timedelta(hours=6))
    promise(ws, rae, late.id, "Send the returns label", -timedelta(hours=1))
    gui_ws = db.open("rep")
    guard_gui_thread(gui_ws.engine)
    window = QMainWindow()
    qtbot.addWidget(window)
    ui = Ui_MainWindow()
    ui.setupUi(window)
    desk = CaseDesk(runner, ui, window)
    desk.start(gui_ws, rae)
    qtbot.waitUntil(lambda: desk.current_case is not None, timeout=15_000)
    desk.queue_pane.select_view(view_key(QueueView.COMMITMENTS_DUE))
    qtbot.waitUntil(lambda: desk.queue_pane.model.rowCount() == 2, timeout=15_000)
    keys = [desk.queue_pane.model.row_at(r).key for r in range(2)]
    assert keys == [late.key, later.key], "soonest promise first"
    # The promise's own timer sits beside the key in this view, red when late.
    table, model = desk.queue_pane.table, desk.queue_pane.model
    assert not table.isColumnHidden(PROMISE_COLUMN)
    assert table.horizontalHeader().visualIndex(PROMISE_COLUMN) == 1
    assert model.index(0, PROMISE_COLUMN).data().startswith("Overdue 1h")
    assert model.index(1, PROMISE_COLUMN).data().startswith("Due ")
    red = model.index(0, PROMISE_COLUMN).data(Qt.ItemDataRole.ForegroundRole)
    assert red is not None and red.color().name() == "#b3261e"
    desk.queue_pane.table.selectRow(0)
    qtbot.waitUntil(lambda: desk.current_case is not None and desk.current_case.id == late.id,
                    timeout=15_000)  # fmt: skip
    assert _visible_promises(desk.case_pane)[0][0].startswith("Overdue 1h")
    desk.stop()
    assert runner.wait_idle()
