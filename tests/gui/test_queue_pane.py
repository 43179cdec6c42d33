"""The case queue as a rep uses it, on real databases: pages fetched as the table scrolls, sort
and filters in SQL, live counts, Take and Get next, keys, remembered views, hostile searches."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from deskapp.domain.enums import Priority
from deskapp.gui.panes.queue_cells import COLUMNS, SLA_COLUMN, look
from deskapp.gui.panes.queue_model import PAGE
from deskapp.gui.panes.queue_pane import view_key
from deskapp.services import claiming, queue
from deskapp.services.queue import QueueQuery, QueueView, SortColumn
from deskapp.settings import Settings
from tests.gui.queue_gui_helpers import open_queue, seed_mine, seed_queue


@pytest.mark.dialects("sqlite")
def test_the_table_fetches_pages_as_it_scrolls_with_placeholders_meanwhile(db, runner, qtbot):
    seed_mine(db, 4 * PAGE + 30)
    desk = open_queue(qtbot, runner, db)
    model = desk.model
    assert model.rowCount() == 4 * PAGE + 30  # the count, though one page was fetched
    assert model.loaded_pages() == [0]
    far = 3 * PAGE + 5
    assert model.index(far, COLUMNS.index("Subject")).data() == "Loading…"  # at once
    assert model.index(far, 0).data(Qt.ItemDataRole.AccessibleTextRole) == "Loading"
    qtbot.waitUntil(lambda: model.is_loaded(far), timeout=5_000)
    assert model.index(far, 0).data().startswith("C-")
    # The page after it was fetched too (by keyset, continuing where page 3 ended).
    qtbot.waitUntil(lambda: 4 in model.loaded_pages(), timeout=5_000)
    keys = [model.index(r, 0).data() for r in range(3 * PAGE, 4 * PAGE + 30)]
    assert len(set(keys)) == len(keys)  # no row twice across the page boundary
    assert desk.problems == []


def test_a_header_click_sorts_in_sql_and_a_filter_narrows_in_sql(db, runner, qtbot):
    made = seed_mine(db, 60)
    desk = open_queue(qtbot, runner, db)
    header = desk.pane.table.horizontalHeader()
    with qtbot.waitSignal(desk.model.modelReset, timeout=5_000):
        header.setSortIndicator(COLUMNS.index("Customer"), Qt.SortOrder.DescendingOrder)
    query = desk.controller.current_query
    assert query is not None and (query.sort, query.descending) == (SortColumn.CUSTOMER, True)
    names = desk.texts("Customer")
    assert names == sorted(names, reverse=True) and len(names) == 60
    # Filter: urgent only, through the Filter menu's ticks.
    urgent = [a for a, v in desk.pane.filter_menu._actions["priorities"] if v is Priority.URGENT]
    with qtbot.waitSignal(desk.model.modelReset, timeout=5_000):
        urgent[0].setChecked(True)
    wanted = sum(1 for m in made if m.priority is Priority.URGENT)
    assert desk.model.rowCount() == wanted
    assert set(desk.texts("Priority")) == {"Urgent"}
    assert "Priority: Urgent" in desk.pane.filter_summary.text()
    assert desk.pane.filter_button.text() == "Filter · 1"


def test_views_show_live_counts_and_remember_sort_and_filters(db, runner, qtbot, tmp_path):
    seed_mine(db, 12)
    seed_queue(db, 5, first_number=100)
    settings = Settings.load(tmp_path / "settings.json")
    desk = open_queue(qtbot, runner, db, settings=settings)
    key = view_key(QueueView.TEAM_UNASSIGNED)
    qtbot.waitUntil(lambda: desk.pane.count_of(key) == 5, timeout=5_000)
    team_tab = desk.pane._keys.index(key)
    assert desk.pane.tabs.tabText(team_tab).endswith("5")
    header = desk.pane.table.horizontalHeader()
    with qtbot.waitSignal(desk.model.modelReset, timeout=5_000):
        header.setSortIndicator(COLUMNS.index("Key"), Qt.SortOrder.DescendingOrder)
    desk.controller.stop()  # saves
    again = open_queue(qtbot, runner, db, settings=Settings.load(tmp_path / "settings.json"))
    query = again.controller.current_query
    assert query is not None and (query.sort, query.descending) == (SortColumn.KEY, True)
    assert header is not again.pane.table.horizontalHeader()
    assert again.pane.table.horizontalHeader().sortIndicatorSection() == COLUMNS.index("Key")


def test_take_and_get_next_from_the_queue_and_the_race_loser_is_offered_the_next(db, runner, qtbot):
    seed_queue(db, 4, priority=Priority.NORMAL)
    desk = open_queue(qtbot, runner, db, answer=lambda _text: True)
    claimed: list[object] = []
    desk.controller.case_claimed.connect(claimed.append)
    desk.pane.select_view(view_key(QueueView.TEAM_UNASSIGNED))
    qtbot.waitUntil(lambda: desk.model.rowCount() == 4, timeout=5_000)
    desk.pane.table.selectRow(0)
    first = desk.pane.selected_row()
    assert first is not None and desk.pane.action_take.isEnabled()
    # Ray takes it first, from his own workstation.
    other_ws, ray = db.sign_in("rep2")
    claiming.take(other_ws, ray, first.id)
    desk.pane.action_take.trigger()
    qtbot.waitUntil(lambda: len(claimed) == 1, timeout=10_000)
    assert desk.asked and "was just taken by Ray Rep" in desk.asked[0]
    assert "Next in line is" in desk.asked[0]
    assert claimed[0] != first.id  # the offered case, taken instead
    mine = queue.list_queue(other_ws, desk.actor, QueueView.MY_CASES)
    assert [r.id for r in mine] == claimed
    desk.pane.action_get_next.trigger()
    qtbot.waitUntil(lambda: len(claimed) == 2, timeout=10_000)
    assert "is yours now" in desk.pane.notice.text()
    assert desk.problems == []


@pytest.mark.dialects("sqlite")
def test_keys_j_k_enter_and_find(db, runner, qtbot):
    seed_mine(db, 10)
    desk = open_queue(qtbot, runner, db)
    table = desk.pane.table
    desk.pane.window().activateWindow()
    table.setFocus()
    desk.pane.select_first()
    QTest.keyClick(table, Qt.Key.Key_J)
    QTest.keyClick(table, Qt.Key.Key_J)
    QTest.keyClick(table, Qt.Key.Key_K)
    assert table.currentIndex().row() == 1
    with qtbot.waitSignal(desk.pane.case_opened) as opened:
        QTest.keyClick(table, Qt.Key.Key_Return)
    assert opened.args[0] == desk.model.row_at(1).id
    assert QKeySequence.keyBindings(QKeySequence.StandardKey.Find)  # Ctrl+F here
    desk.pane.action_find.trigger()
    assert desk.pane.search.hasFocus()
    QTest.keyClick(desk.pane.search, Qt.Key.Key_Escape)
    assert table.hasFocus()


def test_a_refresh_keeps_the_selection_on_its_case_and_the_typing_untouched(db, runner, qtbot):
    seed_mine(db, 20)
    desk = open_queue(qtbot, runner, db)
    reply = QLineEdit(desk.pane.window())  # what the rep is typing elsewhere in the window
    reply.show()
    desk.pane.table.selectRow(5)
    chosen = desk.pane.selected_case()
    reply.setFocus()
    reply.setText("Dear customer, I am sorry that")
    reply.setCursorPosition(10)
    # A case that sorts first arrives (written by someone else): rows move down by one.
    seed_mine(db, 1, first_number=500, resolution_due=None)
    lead_ws, lead = db.sign_in("lead")
    target = desk.model.row_at(5)
    from deskapp.services import cases

    with qtbot.assertNotEmitted(desk.pane.case_selected):
        cases.change_case(lead_ws, lead, target.id,
                          cases.CaseChange(target.version, priority=Priority.URGENT))  # fmt: skip
        qtbot.waitUntil(
            lambda: (
                desk.model.row_at(5) is not None
                and desk.model.row_at(5).priority is Priority.URGENT
            ),
            timeout=5_000,
        )
    assert desk.pane.selected_case() == chosen
    assert desk.model.index(5, COLUMNS.index("Priority")).data() == "Urgent"
    assert reply.text() == "Dear customer, I am sorry that" and reply.cursorPosition() == 10
    assert reply.hasFocus()


@pytest.mark.parametrize(
    "typed",
    ['"refund', "refund AND OR NOT (x*", "😀🔥 ✨", "x" * 10_000, "C-", "'; DROP TABLE cases;--",
     "NEAR(a b) ^c: -d +e", "\u202eevil\x00"],
)  # fmt: skip
@pytest.mark.dialects("sqlite")
def test_any_search_gives_results_or_nothing_never_an_error(db, runner, qtbot, typed):
    seed_mine(db, 15)
    desk = open_queue(qtbot, runner, db)
    with qtbot.waitSignal(desk.model.modelReset, timeout=5_000):
        desk.pane.search.setText(typed)
        desk.pane._on_search_settled()
    qtbot.waitUntil(lambda: runner.is_idle, timeout=5_000)
    assert desk.problems == []
    if desk.model.rowCount() == 0:
        assert "match your search" in desk.pane.empty.text()


@pytest.mark.dialects("sqlite")
def test_searching_finds_in_the_database_as_the_rep_types(db, runner, qtbot):
    seed_mine(db, 30)
    desk = open_queue(qtbot, runner, db)
    with qtbot.waitSignal(desk.model.modelReset, timeout=5_000):
        QTest.keyClicks(desk.pane.search, "refu")  # debounced: one search for four keys
    query = desk.controller.current_query
    assert query is not None and query.search == "refu"
    expected = queue.count(db.open("rep"), desk.actor, QueueQuery(QueueView.MY_CASES,
                                                                  search="refu"))  # fmt: skip
    assert desk.model.rowCount() == expected > 0
    assert set(desk.texts("Subject")) == {"Refund please"}


@pytest.mark.dialects("sqlite")
def test_cells_speak_and_dark_mode_uses_the_lighter_colours(db, runner, qtbot):
    seed_mine(db, 5)
    desk = open_queue(qtbot, runner, db)
    sla = desk.model.index(0, SLA_COLUMN)
    assert sla.data(Qt.ItemDataRole.AccessibleTextRole).startswith("SLA ")
    label = sla.data()
    assert label.startswith(("On track", "Due soon", "Breached", "Paused", "No SLA"))
    desk.model.set_dark(True)
    colour = sla.data(Qt.ItemDataRole.ForegroundRole).color().name()
    assert colour in {b.color().name() for b in look(True).brushes.values()}
    assert colour not in {b.color().name() for b in look(False).brushes.values()}
