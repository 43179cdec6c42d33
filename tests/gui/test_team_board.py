"""The team board from the real main window: a lead opens it from Team ▸ Team board, sees one row
per person, clicks a number and gets exactly those cases in the queue (and back), drops cases
from the queue on a rep, and the board follows other people's changes by itself. A rep has no
such menu item."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMenu

from deskapp.domain.enums import CaseStatus
from deskapp.gui.main_window import MainWindow
from deskapp.gui.panes.case_drag import case_ids_from
from deskapp.gui.queue_controller import BOARD_LIST
from deskapp.gui.team_board.board_model import COLUMNS, MEASURE_COLUMNS
from deskapp.gui.team_board.board_window import TeamBoardWindow
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import claiming
from deskapp.services.team_board_records import BoardMeasure
from deskapp.settings import Settings
from tests.gui.test_accessible_names import _unnamed_controls
from tests.services.handoff_helpers import db_now
from tests.services.queue_data import ALWAYS_OPEN, add_cases, add_customers, set_hours
from tests.services.test_team_board import _made

pytestmark = pytest.mark.dialects("sqlite")
HOUR = timedelta(hours=1)


@dataclass
class Seeded:
    rae_breached: set[uuid.UUID]
    queue_case: uuid.UUID


@pytest.fixture
def seeded(db) -> Seeded:
    """Rae holds two breached cases and one due soon, Ray one on track, the queue one case."""
    ws = db.open("admin")
    set_hours(ws, db.team_id, ALWAYS_OPEN)
    now = db_now(ws)
    rep, rep2 = (db.sign_in(who)[1].user_id for who in ("rep", "rep2"))
    team, S = db.team_id, CaseStatus  # noqa: N806 - reads as a table
    made = [
        _made(1, team, rep, S.OPEN, now, due=-HOUR),
        _made(2, team, rep, S.NEW, now, due=-2 * HOUR),
        _made(3, team, rep, S.OPEN, now, due=HOUR),
        _made(4, team, rep2, S.OPEN, now, due=30 * HOUR),
        _made(5, team, None, S.NEW, now, due=30 * HOUR),
    ]
    add_cases(ws, made, add_customers(ws))
    return Seeded({made[0].id, made[1].id}, made[4].id)


@dataclass
class Desk:
    window: MainWindow
    problems: list[str]

    @property
    def pane(self):
        return self.window.desk.queue_pane

    def queue_ids(self) -> set[uuid.UUID]:
        model = self.pane.model
        return {model.row_at(r).id for r in range(model.rowCount()) if model.row_at(r)}


@pytest.fixture
def desk_as(db, qtbot, runner, tmp_path) -> Iterator:
    def make(who: str) -> Desk:
        _ws, actor = db.sign_in(who)
        problems: list[str] = []
        controller = WorkspaceController(runner)
        window = MainWindow(runner, controller, settings=Settings.load(tmp_path / f"{who}.json"),
                            show_problem=lambda _parent, text: problems.append(text),
                            ask_identity=lambda *_: actor)  # fmt: skip
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        with qtbot.waitSignal(controller.signed_in, timeout=15_000):
            controller.open(db.url)
        qtbot.waitUntil(lambda: window.desk.actor is not None, timeout=15_000)
        assert runner.wait_idle(15_000)
        return Desk(window, problems)

    yield make
    runner.wait_idle()


def team_menu_actions(window: MainWindow) -> list[QAction]:
    menus = [a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)]
    found = [m for m in menus if m.objectName() == "menuTeam"]
    return found[0].actions() if found else []


def open_board(qtbot, desk: Desk) -> TeamBoardWindow:
    board = desk.window.team_board.open_board()
    assert board is not None
    qtbot.waitUntil(lambda: board.view.model.rowCount() > 0, timeout=15_000)
    return board


def names(board: TeamBoardWindow) -> list[str]:
    model = board.view.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def cell(board: TeamBoardWindow, name: str, measure: BoardMeasure):
    model = board.view.model
    return model.index(names(board).index(name), MEASURE_COLUMNS[measure])


# ----------------------------------------------------------------------------- the board
def test_a_lead_opens_the_board_from_the_team_menu(qtbot, qtmodeltester, desk_as, seeded):
    desk = desk_as("lead")
    [action] = [a for a in team_menu_actions(desk.window) if a.objectName() == "actionTeamBoard"]
    assert action.isVisible() and action.isEnabled()
    assert action.shortcut().toString() == "Ctrl+Shift+B"
    action.trigger()
    board = desk.window.team_board.board_window
    assert board is not None and board.isVisible()
    qtbot.waitUntil(lambda: board.view.model.rowCount() == 6, timeout=15_000)
    assert names(board) == ["Ada Admin (admin)", "Lee Lead (lead)", "Rae Rep", "Ray Rep",
                            "Team queue (unassigned)", "Support (team total)"]  # fmt: skip
    model = board.view.model

    def text(name: str, measure: BoardMeasure) -> str:
        return cell(board, name, measure).data()

    assert [text("Rae Rep", m) for m in (BoardMeasure.OPEN, BoardMeasure.DUE_SOON,
                                         BoardMeasure.BREACHED)] == ["3", "1", "2"]  # fmt: skip
    assert text("Support (team total)", BoardMeasure.OPEN) == "5"
    breached = cell(board, "Rae Rep", BoardMeasure.BREACHED)
    assert breached.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    red = breached.data(Qt.ItemDataRole.ForegroundRole).color().name()
    assert red in ("#b3261e", "#f28b82")  # the scheme's red
    assert breached.data(Qt.ItemDataRole.AccessibleTextRole) == "2 breached"
    # The lead's own client is running: signed in; the reps' are not.
    signed_in = [model.index(r, 1).data() for r in range(4)]
    assert signed_in[1] == "Now" and signed_in[2:] == ["—", "—"]
    assert board.view.tiles["breached"].value.text() == "2"
    # Kudos and handoff quality (the slow half) follow the first quick read by themselves.
    qtbot.waitUntil(lambda: model.board.history_read_at is not None, timeout=15_000)
    assert text("Rae Rep", BoardMeasure.KUDOS) == "0"
    assert board.view.quality.text() == "No handoff notes written yet"
    assert board.windowTitle().startswith("Support — Team board")
    assert not board.view.team_picker.isVisible()  # a lead sees their own team
    assert _unnamed_controls(board) == []
    qtmodeltester.check(model)
    assert desk.problems == []


def test_clicking_a_number_shows_those_cases_in_the_queue_and_closing_goes_back(
    qtbot, desk_as, seeded
):
    desk = desk_as("lead")
    board = open_board(qtbot, desk)
    before = desk.pane.current_key()
    index = cell(board, "Rae Rep", BoardMeasure.BREACHED)
    table = board.view.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(index).center())  # fmt: skip
    qtbot.waitUntil(lambda: desk.pane.current_key() == BOARD_LIST, timeout=15_000)
    qtbot.waitUntil(lambda: desk.queue_ids() == seeded.rae_breached, timeout=15_000)
    tabs = desk.pane.tabs
    assert tabs.tabText(tabs.currentIndex()) == "Rae Rep — breached (2)"
    assert desk.pane.footer.text() == "2 cases from the team board · live"
    assert not desk.pane.search.isEnabled()  # search and filters belong to the views
    # A zero is not a link: clicking it changes nothing.
    zero = cell(board, "Ray Rep", BoardMeasure.BREACHED)
    assert zero.data() == "0" and board.view.model.number_at(zero) is None
    # The queue's own number for the team, by keyboard this time.
    table.setCurrentIndex(cell(board, "Team queue (unassigned)", BoardMeasure.OPEN))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.queue_ids() == {seeded.queue_case}, timeout=15_000)
    assert tabs.tabText(tabs.currentIndex()) == "Support queue — open (1)"
    assert tabs.count() == len(set(desk.pane._keys))  # one list tab, reused
    close = tabs.tabButton(tabs.currentIndex(), tabs.ButtonPosition.RightSide)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.pane.current_key() == before, timeout=15_000)
    assert BOARD_LIST not in desk.pane._keys
    assert desk.pane.search.isEnabled()
    assert desk.problems == []


def test_cases_dragged_from_the_queue_and_dropped_on_a_rep_ask_for_a_reassignment(
    qtbot, desk_as, db, seeded
):
    desk = desk_as("lead")
    # The queue is the drag source: the lead's "All open" rows carry their case ids.
    desk.pane.select_view("all_open")
    qtbot.waitUntil(lambda: desk.pane.model.rowCount() == 5, timeout=15_000)
    model = desk.pane.model
    rows = [r for r in range(model.rowCount()) if model.row_at(r).id in seeded.rae_breached]
    mime = model.mimeData([model.index(r, c) for r in rows for c in (0, 3)])
    assert set(case_ids_from(mime)) == seeded.rae_breached and len(case_ids_from(mime)) == 2
    assert model.flags(model.index(rows[0], 0)) & Qt.ItemFlag.ItemIsDragEnabled

    board = open_board(qtbot, desk)
    table = board.view.table
    ray = db.sign_in("rep2")[1].user_id

    def drop_on(name: str, payload: QMimeData) -> bool:
        point = table.visualRect(cell(board, name, BoardMeasure.OPEN)).center()
        return _drop(table.viewport(), point, payload)

    with qtbot.waitSignal(desk.window.team_board.cases_dropped, timeout=5_000) as dropped:
        assert drop_on("Ray Rep", mime)
    assert set(dropped.args[0]) == seeded.rae_breached and dropped.args[1] == ray
    # The main window answers with the reassign dialog: those cases, bound for Ray.
    qtbot.waitUntil(lambda: desk.window.reassign.dialog is not None, timeout=5_000)
    reassigning = desk.window.reassign.dialog.moves
    qtbot.waitUntil(lambda: len(reassigning.rows) == 2, timeout=15_000)
    assert {row.case_id for row in reassigning.rows} == seeded.rae_breached
    assert {row.to_user_id for row in reassigning.rows} == {ray}
    desk.window.reassign.dialog.reject()
    # Not on the queue's row nor the totals, and nothing but case ids.
    with qtbot.assertNotEmitted(desk.window.team_board.cases_dropped, wait=200):
        assert not drop_on("Team queue (unassigned)", mime)
        assert not drop_on("Support (team total)", mime)
        text = QMimeData()
        text.setText("C-000001")
        assert not drop_on("Ray Rep", text)
    assert board.view.model.drop_target(names(board).index("Ray Rep")) is not None
    assert board.view.model.drop_target(names(board).index("Team queue (unassigned)")) is None


def _drop(viewport, point: QPoint, mime: QMimeData) -> bool:
    """Drag ``mime`` over ``point`` and drop it there, as Qt delivers a real drag."""
    where = QPointF(point)
    copy, left = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(viewport, _drag_event(QDragEnterEvent, point, copy, mime, left, none))
    move = _drag_event(QDragMoveEvent, point, copy, mime, left, none)
    QApplication.sendEvent(viewport, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(where, copy, mime, left, none)
    QApplication.sendEvent(viewport, drop)
    return drop.isAccepted()


def _drag_event(kind: type[QDragMoveEvent], point: QPoint, *rest: object) -> QDragMoveEvent:
    """Qt 6.12 takes a drag's position as a QPointF and deprecates the QPoint form; earlier
    versions (kept on Python 3.11, pyproject.toml) take only the QPoint."""
    try:
        return kind(QPointF(point), *rest)
    except TypeError:
        return kind(point, *rest)


def test_the_board_follows_changes_by_itself_and_on_f5(qtbot, desk_as, db, seeded):
    desk = desk_as("lead")
    board = open_board(qtbot, desk)
    assert cell(board, "Team queue (unassigned)", BoardMeasure.OPEN).data() == "1"
    ws2, ray = db.sign_in("rep2")
    claiming.take(ws2, ray, seeded.queue_case, None)  # another client takes the queue's case
    qtbot.waitUntil(lambda: cell(board, "Ray Rep", BoardMeasure.OPEN).data() == "2", timeout=15_000)
    assert cell(board, "Team queue (unassigned)", BoardMeasure.OPEN).data() == "0"
    # F5 reads it again on demand.
    with qtbot.waitSignal(desk.window.team_board.controller.board_shown, timeout=10_000):
        board.view.action_refresh.trigger()
    assert desk.problems == []


def test_an_admin_picks_the_team(qtbot, desk_as, db, seeded):
    from deskapp.services import teams

    ws, admin = db.sign_in("admin")
    teams.create_team(ws, admin, "Escalations")
    desk = desk_as("admin")
    board = open_board(qtbot, desk)
    picker = board.view.team_picker
    assert picker.isVisible()
    assert [picker.itemText(i) for i in range(picker.count())] == ["Escalations", "Support"]
    assert picker.currentText() == "Support"  # the admin's own team first
    picker.setCurrentIndex(0)
    picker.activated.emit(0)
    qtbot.waitUntil(lambda: names(board)[-1] == "Escalations (team total)", timeout=15_000)
    assert names(board) == ["Team queue (unassigned)", "Escalations (team total)"]


def test_a_rep_has_no_team_board(qtbot, desk_as, seeded):
    desk = desk_as("rep")
    actions = [a for a in team_menu_actions(desk.window) if a.objectName() == "actionTeamBoard"]
    assert actions and not actions[0].isVisible() and not actions[0].isEnabled()
    menus = [a for a in desk.window.menuBar().actions() if a.text() == "&Team"]
    assert menus and not any(m.isVisible() for m in menus)  # no empty Team menu either
    assert desk.window.team_board.open_board() is None
    assert desk.window.team_board.board_window is None


def test_column_tips_say_what_each_number_counts(qapp):
    from deskapp.gui.team_board.board_model import TeamBoardModel

    model = TeamBoardModel()
    tips = {
        model.headerData(n, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole):
        model.headerData(n, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        for n in range(len(COLUMNS))
    }  # fmt: skip
    assert "last 30 days" in tips["Kudos (30 days)"]
    assert "read-back" in tips["Unacknowledged"]
    assert "not yet breached" in tips["Due soon"]
