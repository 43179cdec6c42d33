"""Live refresh of the queue: another workstation's change shows without a reload (PostgreSQL by
LISTEN/NOTIFY within a second, SQLite and MariaDB by polling the change feed within two), and a
server that goes away shows "reconnecting" with the last rows kept, then recovers by itself."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QKeySequence

from deskapp.db.urls import parse_db_url
from deskapp.gui.panes.queue_pane import QueuePane, view_key
from deskapp.gui.queue_controller import RECONNECTING, QueueController
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.services import auth, claiming
from deskapp.services.queue import QueueView
from deskapp.services.workspace import open_workspace
from tests.gui.queue_gui_helpers import open_queue, seed_queue
from tests.helpers.databases import PASSWORD, login_of, require_server
from tests.helpers.tcp_proxy import TcpProxy

PROMISED_SECONDS = {"postgresql": 1.0, "sqlite": 2.0, "mariadb": 2.0}


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_a_case_taken_on_another_workstation_leaves_my_queue_without_a_reload(db, runner,
                                                                             qtbot):  # fmt: skip
    made = seed_queue(db, 6)
    desk = open_queue(qtbot, runner, db)
    key = view_key(QueueView.TEAM_UNASSIGNED)
    desk.pane.select_view(key)
    qtbot.waitUntil(lambda: desk.model.rowCount() == 6 and desk.pane.count_of(key) == 6,
                    timeout=5_000)  # fmt: skip
    time.sleep(0.3)  # let the first poll learn the feed as it is
    qtbot.wait(1_200)
    other_ws, ray = db.sign_in("rep2")
    claiming.take(other_ws, ray, made[0].id)
    started = time.monotonic()
    qtbot.waitUntil(lambda: desk.model.rowCount() == 5 and desk.pane.count_of(key) == 5,
                    timeout=5_000)  # fmt: skip
    took = time.monotonic() - started
    assert made[0].id not in {desk.model.row_at(r).id for r in range(5)}
    assert took <= PROMISED_SECONDS[db.dialect] + 0.3, f"{took:.2f} s"
    if db.dialect == "postgresql":
        assert desk.controller.live.listening
    assert desk.problems == []


@pytest.mark.dialects("postgresql")
def test_a_server_gone_shows_reconnecting_keeps_the_rows_and_recovers(db, runner, qtbot):
    seed_queue(db, 8)
    server = require_server("postgresql")
    proxy = TcpProxy(server.host or "127.0.0.1", server.port or 5432)
    port = proxy.port
    url = db.url.set(host="127.0.0.1", port=port, username=login_of("rep"))
    ws = open_workspace(parse_db_url(url.render_as_string(False)), password=PASSWORD)
    try:
        actor = auth.sign_in(ws, login_of("rep"))
        guard_gui_thread(ws.engine)
        pane = QueuePane()
        qtbot.addWidget(pane)
        pane.show()
        controller = QueueController(runner, pane, pane)
        controller.start(ws, actor)
        pane.select_view(view_key(QueueView.TEAM_UNASSIGNED))
        qtbot.waitUntil(lambda: pane.model.rowCount() == 8, timeout=5_000)
        before = [pane.model.row_at(r).id for r in range(8)]
        proxy.close()  # the server goes away
        controller.refresh_now()
        qtbot.waitUntil(lambda: pane.connection.isVisible(), timeout=10_000)
        assert pane.connection.text() == RECONNECTING
        assert [pane.model.row_at(r).id for r in range(8)] == before  # the last rows stay
        proxy = TcpProxy(server.host or "127.0.0.1", server.port or 5432, port=port)
        qtbot.waitUntil(lambda: not pane.connection.isVisible(), timeout=20_000)
        assert [pane.model.row_at(r).id for r in range(8)] == before
        controller.stop()
        runner.wait_idle()
    finally:
        proxy.close()
        ws.close()


def test_help_has_a_keyboard_sheet_beside_the_tour_and_hand_off_names_no_keys(qtbot, runner):
    from deskapp.gui.main_window import MainWindow
    from deskapp.gui.workspace_controller import WorkspaceController

    workspaces = WorkspaceController(runner)
    window = MainWindow(runner, workspaces, ask_identity=None)
    qtbot.addWidget(window)
    sheet_action = window.queue_menu.action_shortcuts
    assert sheet_action.shortcut() == QKeySequence("Ctrl+/")
    assert window.actionTour.shortcut() != sheet_action.shortcut()  # F1 stays the tour
    window.queue_menu.show_sheet()
    rows = window.queue_menu.sheet.rows
    assert any(what == "Get next" for _s, what, _k in rows)
    assert any("j / k" in keys for _s, _w, keys in rows)
    assert "Ctrl" not in window.ui.actionHandOff.toolTip()
    window.queue_menu.sheet.close()
    workspaces.close()
