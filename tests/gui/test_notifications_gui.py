"""The notification centre in the main window (issue 9): the bell counts what is new, the list
opens the case, customer text stays text, and a kind turned off in Preferences stops."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from deskapp.gui.appearance import appearance
from deskapp.gui.dialogs.preferences_dialog import PreferencesDialog
from deskapp.gui.main_window import MainWindow
from deskapp.gui.notifications.model import NotificationListModel
from deskapp.gui.notifications.system_tray import safe_body
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services.handoff_followup import ask_question
from deskapp.services.notifications import Notification, NotificationKind
from deskapp.settings import NOTIFY_QUESTION_FOR_ME, Settings
from tests.services.handoff_helpers import hand_over, new_case

MARKUP = "<b>x</b><img src=http://example.invalid/x.png>"
FEED = {"first_submit_clean": True}  # hand_over writes the audit event (and the change feed)


@pytest.fixture
def workspaces(runner):
    controller = WorkspaceController(runner)
    yield controller
    runner.wait_idle()
    runner.shutdown()
    controller.close()


def _window(qtbot, runner, workspaces, db, actor, settings: Settings) -> MainWindow:
    problems: list[str] = []
    window = MainWindow(runner, workspaces, settings=settings,
                        show_problem=lambda _p, text: problems.append(text),
                        ask_identity=lambda *_: actor)  # fmt: skip
    window.problems = problems  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url)
    qtbot.waitUntil(lambda: window.notifications.has_polled, timeout=15_000)
    return window


@pytest.mark.dialects("sqlite")
def test_a_case_handed_to_me_rings_the_bell_and_opens(db, qtbot, runner, workspaces, tmp_path):
    ws, rae = db.sign_in("rep")
    _ray_ws, ray = db.sign_in("rep2")
    case = new_case(ws, rae, MARKUP)
    window = _window(qtbot, runner, workspaces, db, ray, Settings.load(tmp_path / "s.json"))
    center = window.notifications
    assert center.bell.text() == "" and center.bell.accessibleName() == (
        "Notifications, nothing unread"
    )
    assert not center.system.available  # offscreen: no tray, the centre is in-app only

    hand_over(ws, rae, case.id, ray.user_id, lint_record=FEED)

    # No reload and no poll asked for: live refresh's change signal brings it.
    qtbot.waitUntil(lambda: center.model.rowCount() == 1, timeout=10_000)
    assert center.bell.text() == "1"
    assert center.bell.accessibleName() == "Notifications, 1 unread"
    assert center.toast.isVisible()
    assert center.toast.headline.text() == f"Rae Rep handed {case.key} to you"
    assert center.toast.detail.textFormat() == Qt.TextFormat.PlainText
    assert center.toast.detail.text() == MARKUP  # the characters, never rendered markup
    text = center.model.data(center.model.index(0))
    assert text.endswith(f"Rae Rep handed {case.key} to you\n{MARKUP}")

    center.bell.click()
    assert center.panel.isVisible() and not center.toast.isVisible()
    assert center.panel.list.currentIndex().row() == 0
    qtbot.keyClick(center.panel.list, Qt.Key.Key_Return)
    assert not center.panel.isVisible()
    qtbot.waitUntil(lambda: window.desk.current_case is not None
                    and window.desk.current_case.id == case.id, timeout=10_000)  # fmt: skip
    assert center.bell.text() == "" and center.model.is_read(0)

    center.open_panel()
    center.panel.clear.click()
    assert center.model.rowCount() == 0 and center.panel.empty.isVisible()
    center.panel.hide()
    assert runner.wait_idle()
    assert window.problems == []  # type: ignore[attr-defined]


@pytest.mark.dialects("sqlite")
def test_a_kind_turned_off_in_preferences_stops(db, qtbot, runner, workspaces, tmp_path):
    ws, rae = db.sign_in("rep")
    ray_ws, ray = db.sign_in("rep2")
    case = new_case(ws, rae)
    note_id = hand_over(ws, rae, case.id, ray.user_id, lint_record=FEED)
    settings = Settings.load(tmp_path / "s.json")
    window = _window(qtbot, runner, workspaces, db, rae, settings)
    center = window.notifications

    def prefer(question_notices: bool) -> None:
        dialog = PreferencesDialog(settings, appearance(), window)
        qtbot.addWidget(dialog)
        dialog.notification_boxes[NOTIFY_QUESTION_FOR_ME].setChecked(question_notices)
        dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert settings.get(NOTIFY_QUESTION_FOR_ME) is question_notices

    prefer(False)
    ask_question(ray_ws, ray, note_id, "Which router model?")
    for _ in range(2):  # whatever the change signal brings, and one more poll of our own
        center.poll_now()
        assert runner.wait_idle()
    assert center.model.rowCount() == 0 and center.bell.text() == ""

    prefer(True)
    ask_question(ray_ws, ray, note_id, f"And the serial? {MARKUP}")
    qtbot.waitUntil(lambda: center.model.rowCount() == 1, timeout=10_000)
    told = center.model.notification_at(0)
    assert told.kind is NotificationKind.QUESTION_FOR_ME
    assert told.detail == f"And the serial? {MARKUP}"
    assert center.bell.text() == "1"
    assert runner.wait_idle()


def _notification(n: int) -> Notification:
    return Notification(f"k{n}", NotificationKind.DEADLINE_AT_RISK, uuid.uuid4(), f"C-{n:06d}",
                        f"C-{n:06d}: resolution due in 5 min", f"Subject {n}",
                        datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=n))  # fmt: skip


def test_the_list_is_newest_first_and_a_sound_model(qtmodeltester, qapp):
    model = NotificationListModel()
    model.add([_notification(1), _notification(2)], datetime(2025, 1, 1, 9, 30))
    model.add([_notification(3)], datetime(2025, 1, 1, 9, 31))
    qtmodeltester.check(model)
    assert [model.notification_at(r).key for r in range(3)] == ["k3", "k2", "k1"]
    assert model.data(model.index(0)) == "09:31  C-000003: resolution due in 5 min\nSubject 3"
    assert model.unread_count == 3
    model.mark_read(1)
    assert model.unread_count == 2 and model.data(model.index(1), Qt.ItemDataRole.FontRole) is None
    model.mark_all_read()
    assert model.unread_count == 0


def test_system_notifications_never_carry_markup_where_it_could_be_read():
    assert safe_body(MARKUP, "linux") == "‹b›x‹/b›‹img src=http://example.invalid/x.png›"
    assert safe_body("Fish & chips", "linux") == "Fish ＆ chips"
    assert safe_body(MARKUP, "win32") == MARKUP and safe_body(MARKUP, "darwin") == MARKUP
