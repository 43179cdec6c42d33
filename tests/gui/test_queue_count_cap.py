"""A search or view past the counting cap shows "N+" in its tab and footer, as mail clients do,
and the list grows as the rep scrolls to its end until the real end is found. The caps are the
controller's arguments: small ones stand in for 10,000 and 100,000 here."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from deskapp.gui.panes.queue_pane import QueuePane, view_key
from deskapp.gui.queue_controller import QueueController
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.services import queue
from deskapp.services.queue import QueueView
from tests.gui.queue_gui_helpers import seed_mine

SEARCH_CAP = 120
VIEW_CAP = 200


def open_capped_queue(
    qtbot: Any, runner: Any, db: Any
) -> tuple[QWidget, QueuePane, QueueController]:
    """The queue pane signed in as the rep, its controller counting up to the small caps."""
    ws, actor = db.sign_in("rep")
    guard_gui_thread(ws.engine)
    host = QWidget()
    qtbot.addWidget(host)
    pane = QueuePane(host)
    host.resize(1200, 700)
    pane.resize(1200, 700)
    controller = QueueController(runner, pane, host, count_cap=SEARCH_CAP,
                                 view_count_cap=VIEW_CAP)  # fmt: skip
    host.show()
    qtbot.waitExposed(host)
    controller.start(ws, actor)
    qtbot.waitUntil(lambda: runner.is_idle, timeout=15_000)
    return host, pane, controller  # the host keeps the pane alive


@pytest.mark.dialects("sqlite", "postgresql")
def test_counts_past_the_cap_show_n_plus_and_the_list_grows_to_its_real_end(db, runner, qtbot):
    seed_mine(db, 250, subject="Courier lost parcel")
    seed_mine(db, 30, subject="Refund please", first_number=1000)
    _host, pane, controller = open_capped_queue(qtbot, runner, db)
    problems: list[str] = []
    runner.failed.connect(problems.append)
    mine = view_key(QueueView.MY_CASES)
    qtbot.waitUntil(lambda: pane.count_label(mine) == "200+", timeout=5_000)
    assert pane.tabs.tabText(pane._keys.index(mine)).endswith("200+")
    assert pane.count_of(mine) == VIEW_CAP
    assert pane.footer.text().startswith("200+ cases · ")
    waiting = view_key(QueueView.WAITING_ON_CUSTOMER)
    exact = queue.view_counts(*db.sign_in("rep"))[QueueView.WAITING_ON_CUSTOMER]
    assert 0 < exact < VIEW_CAP
    assert pane.count_label(waiting) == str(exact)  # under the cap: exact, no "+"

    with qtbot.waitSignal(pane.model.modelReset, timeout=5_000):
        QTest.keyClicks(pane.search, "courier")
    qtbot.waitUntil(lambda: pane.footer.text().startswith("120+ cases · "), timeout=5_000)
    assert pane.model.rowCount() == SEARCH_CAP
    assert pane.count_label(mine) == "200+"  # a search leaves the tab's count alone

    # Scrolling to the end fetches the last rows, finds more, and grows until the real end.
    grown: list[int] = []  # the list's length each time it changed: it never overshoots

    def at_the_end() -> bool:
        pane.table.scrollToBottom()
        if not grown or grown[-1] != pane.model.rowCount():
            grown.append(pane.model.rowCount())
        return pane.footer.text().startswith("250 cases · ")

    qtbot.waitUntil(at_the_end, timeout=15_000)
    assert grown == sorted(grown) and max(grown) == 250, grown
    assert pane.model.rowCount() == 250
    qtbot.waitUntil(lambda: pane.model.is_loaded(249), timeout=5_000)
    keys = [pane.model.row_at(r).key for r in range(200, 250) if pane.model.is_loaded(r)]
    assert len(set(keys)) == len(keys)

    # A search under the cap is counted exactly.
    with qtbot.waitSignal(pane.model.modelReset, timeout=5_000):
        pane.search.clear()
        QTest.keyClicks(pane.search, "refund")
    qtbot.waitUntil(lambda: pane.footer.text().startswith("30 cases · "), timeout=5_000)
    assert pane.model.rowCount() == 30
    qtbot.waitUntil(lambda: runner.is_idle, timeout=5_000)
    controller.stop()
    assert problems == []
