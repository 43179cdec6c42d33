"""Case ▸ Hand off… (Ctrl+Shift+H) in the main window: enabled once a case is in view, opens the
handoff dialog for that case, and the receiving side shows in the case view and handoff pane."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtGui import QKeySequence

from deskapp.gui.handoff.dialog import HandoffDialog
from deskapp.gui.main_window import MainWindow
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.settings import Settings
from tests.services.handoff_helpers import hand_over, new_case


@pytest.fixture
def workspaces(runner):
    controller = WorkspaceController(runner)
    yield controller
    runner.wait_idle()
    runner.shutdown()
    controller.close()


@pytest.mark.dialects("sqlite")
def test_hand_off_opens_for_the_case_in_view(db, qtbot, runner, workspaces, tmp_path):
    ws, rae = db.sign_in("rep")
    case = new_case(ws, rae, "Refund bounced twice")
    _ray_ws, ray = db.sign_in("rep2")
    received = new_case(ws, rae, "Parcel lost by the carrier")
    hand_over(ws, rae, received.id, ray.user_id, age=timedelta(minutes=30))
    problems: list[str] = []
    window = MainWindow(runner, workspaces, settings=Settings.load(tmp_path / "settings.json"),
                        show_problem=lambda _p, text: problems.append(text),
                        ask_identity=lambda *_: rae)  # fmt: skip
    qtbot.addWidget(window)
    action = window.ui.actionHandOff
    assert action.shortcut() == QKeySequence("Ctrl+Shift+H")
    assert not action.isEnabled(), "nothing to hand off before a case is in view"
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url)
    qtbot.waitUntil(lambda: window.desk.current_case is not None, timeout=15_000)
    assert window.desk.current_case.id == case.id
    assert action.isEnabled()
    action.trigger()
    dialog = window.handoffs.dialog
    assert isinstance(dialog, HandoffDialog) and dialog.isVisible()
    assert case.key in dialog.heading.text()
    dialog.reject()
    assert runner.wait_idle()
    assert problems == []


@pytest.mark.dialects("sqlite")
def test_a_received_case_shows_its_banner_and_is_listed(db, qtbot, runner, workspaces, tmp_path):
    ws, rae = db.sign_in("rep")
    _ray_ws, ray = db.sign_in("rep2")
    received = new_case(ws, rae, "Parcel lost by the carrier")
    hand_over(ws, rae, received.id, ray.user_id, age=timedelta(minutes=30))
    window = MainWindow(runner, workspaces, settings=Settings.load(tmp_path / "settings.json"),
                        show_problem=lambda _p, _t: None, ask_identity=lambda *_: ray)  # fmt: skip
    qtbot.addWidget(window)
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url)
    pending = window.ui.handoffEditorContent.to_acknowledge
    qtbot.waitUntil(lambda: pending.items.count() == 1, timeout=15_000)
    qtbot.waitUntil(lambda: window.desk.current_case is not None, timeout=15_000)
    banner = window.desk.handoff_banner
    qtbot.waitUntil(lambda: not banner.isHidden(), timeout=15_000)
    assert banner.message.text().startswith("Handed over to you by Rae Rep, 30m ago")
    assert runner.wait_idle()
