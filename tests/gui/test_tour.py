"""The first-run tour: each pane lit in turn with a plain-text explanation, the keys named as the
platform writes them, skippable with Esc or "Skip tour", shown once after the first sign-in and
again from Help ▸ Tour."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from deskapp.gui.main_window import MainWindow
from deskapp.gui.tour import TOUR_STEPS, Tour
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.settings import TOUR_SEEN, Settings

PANES_IN_ORDER = ["caseQueuePane", "caseView", "customerHistory", "cannedResponses",
                  "handoffEditor", None]  # fmt: skip


@pytest.fixture
def workspaces(runner):
    controller = WorkspaceController(runner)
    yield controller
    runner.wait_idle()
    runner.shutdown()
    controller.close()


@pytest.fixture
def make_window(qtbot, runner, workspaces, tmp_path):
    def make(*, shown: bool = True, actor=None) -> MainWindow:
        window = MainWindow(runner, workspaces, settings=Settings.load(tmp_path / "settings.json"),
                            show_problem=lambda _parent, _text: None,
                            ask_identity=lambda *_: actor)  # fmt: skip
        qtbot.addWidget(window)
        if shown:
            window.resize(1200, 800)
            window.show()
            qtbot.waitExposed(window)
            window.activateWindow()
            qtbot.waitUntil(window.isActiveWindow)
        return window

    return make


def _start(window: MainWindow) -> Tour:
    window.actionTour.trigger()
    assert isinstance(window.tour, Tour) and window.tour.isVisible()
    return window.tour


def test_each_step_lights_its_pane_and_explains_it_in_plain_text(make_window, qtbot):
    window = make_window()
    tour = _start(window)
    lit, titles = [], []
    for index in range(tour.step_count):
        assert tour.step == index
        pane = tour.highlighted()
        lit.append(pane.objectName() if pane is not None else None)
        titles.append(tour.title.text())
        assert tour.text.textFormat() == Qt.TextFormat.PlainText
        assert tour.counter.text() == f"Step {index + 1} of {len(TOUR_STEPS)}"
        assert QApplication.focusWidget() is tour.next_button, "Enter or Space goes on"
        if pane is not None:  # the callout sits beside the pane, not over it
            assert not tour.callout.geometry().intersects(tour._lit)
        tour.next_button.click()
    assert lit == PANES_IN_ORDER
    assert titles[0] == "Your case queue" and titles[-1] == "Keys worth knowing"
    assert window.tour is None and not tour.isVisible()


def test_the_keys_step_names_the_windows_own_shortcuts(make_window):
    window = make_window()
    tour = _start(window)
    for _ in range(tour.step_count - 1):
        tour.next()
    native = QKeySequence.SequenceFormat.NativeText
    text = tour.text.text()
    assert window.ui.actionHandOff.shortcut().toString(native) in text
    assert window.actionPreferences.shortcut().toString(native) in text
    assert "{" not in text, "every placeholder was filled"
    assert tour.next_button.text() == "Done" and not tour.skip_button.isVisible()


def test_escape_skips_the_tour_at_any_step_and_gives_the_focus_back(make_window, qtbot):
    window = make_window()
    window.ui.queuePane.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.ui.queuePane.table)
    tour = _start(window)
    tour.next()
    with qtbot.waitSignal(tour.finished) as finished:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert finished.args == [False]
    assert window.tour is None
    assert QApplication.focusWidget() is window.ui.queuePane.table


def test_skip_tour_button_ends_it(make_window, qtbot):
    window = make_window()
    tour = _start(window)
    with qtbot.waitSignal(tour.finished) as finished:
        tour.skip_button.click()
    assert finished.args == [False]


def test_tab_stays_among_the_tours_buttons(make_window, qtbot):
    window = make_window()
    tour = _start(window)
    tour.next()  # Back is enabled from the second step
    reached = []
    for _ in range(6):
        focused = QApplication.focusWidget()
        reached.append(focused.objectName())
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert reached == ["tourNext", "tourSkip", "tourBack"] * 2
    for button in (tour.skip_button, tour.back_button, tour.next_button):
        assert button.accessibleName()


def test_clicks_on_the_dimmed_window_do_nothing(make_window, qtbot):
    window = make_window()
    tour = _start(window)
    before = window.ui.queuePane.table.currentIndex()
    qtbot.mouseClick(tour, Qt.MouseButton.LeftButton, pos=tour.rect().bottomLeft())
    assert window.tour is tour and tour.step == 0
    assert window.ui.queuePane.table.currentIndex() == before


def test_the_tour_follows_the_window_when_it_is_resized(make_window, qtbot):
    window = make_window()
    tour = _start(window)
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: tour.size() == window.size())
    assert window.rect().contains(tour.callout.geometry())


@pytest.mark.dialects("sqlite")
def test_shown_once_after_the_first_sign_in_and_remembered(make_window, workspaces, db, qtbot,
                                                           tmp_path):  # fmt: skip
    _ws, rep = db.sign_in("rep")
    window = make_window(actor=rep)
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url)
    qtbot.waitUntil(lambda: window.tour is not None and window.tour.isVisible())
    assert Settings.load(tmp_path / "settings.json").get(TOUR_SEEN) is True
    window.tour.skip()
    # Signing in again (another workspace, the next day) shows no tour.
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url)
    qtbot.wait(50)
    assert window.tour is None
    window.actionTour.trigger()  # but Help ▸ Tour always does
    assert window.tour is not None


@pytest.mark.dialects("sqlite")
def test_a_hidden_window_keeps_the_offer_for_later(make_window, workspaces, db, qtbot, tmp_path):
    _ws, rep = db.sign_in("rep")
    window = make_window(shown=False, actor=rep)
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url)
    qtbot.wait(50)
    assert window.tour is None
    assert Settings.load(tmp_path / "settings.json").get(TOUR_SEEN) is False
