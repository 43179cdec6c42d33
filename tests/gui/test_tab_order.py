"""Every dialog is usable from the keyboard: Tab reaches each control once, in reading order
(top to bottom, left to right on a row), and a screen reader has a name for each.

The walk presses the real Tab key and follows the focus, so a control that swallows Tab (a text
box without tabChangesFocus), one left out of the chain, or a chain that jumps back up the form
all fail here.
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from deskapp.gui.appearance import Appearance
from deskapp.gui.dialogs.connect_dialog import KIND_POSTGRESQL, ConnectDialog
from deskapp.gui.dialogs.identity_dialog import IdentityDialog
from deskapp.gui.dialogs.password_dialog import PasswordDialog
from deskapp.gui.dialogs.preferences_dialog import PreferencesDialog
from deskapp.gui.dialogs.welcome_dialog import WelcomeDialog
from deskapp.gui.handoff.dialog import HandoffDialog
from deskapp.services import history
from deskapp.settings import Settings
from tests.services.handoff_helpers import new_case

MAX_STEPS = 200


def control_of(widget: QWidget) -> QWidget:
    """The control a person perceives: a spin box, not the line edit inside it."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            widget = parent
        parent = parent.parentWidget()
    return widget


def focusable_controls(dialog: QDialog) -> list[QWidget]:
    found = []
    for widget in dialog.findChildren(QWidget):
        if not (widget.isVisibleTo(dialog) and widget.isEnabled()):
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if control_of(widget) is not widget or widget.focusProxy() is not None:
            continue  # the spin box's own editor, or a widget handing its focus on
        found.append(widget)
    return found


def walk_tab_order(qtbot, dialog: QDialog) -> list[QWidget]:
    """Press Tab until the focus comes back round; the controls in the order reached."""
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    if QApplication.focusWidget() is None:
        dialog.focusNextChild()
    reached: list[QWidget] = []
    for _ in range(MAX_STEPS):
        focused = QApplication.focusWidget()
        assert focused is not None and dialog.isAncestorOf(focused), "Tab left the dialog"
        control = control_of(focused)
        if reached and control is reached[-1]:
            pass  # Tab steps through a date-time edit's sections before leaving it
        elif control in reached:
            assert control is reached[0], (
                f"Tab came back to {name_of(control)} before reaching "
                f"{name_of(reached[0])} again: a loop inside the dialog"
            )
            return reached
        else:
            reached.append(control)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never came back round in {MAX_STEPS} presses")


def name_of(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.objectName()!r}"


def spoken_name(widget: QWidget) -> str:
    """What a screen reader announces: the accessible name, else the text or buddy label Qt's
    accessibility layer falls back on."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface else ""


def _rect(widget: QWidget, dialog: QDialog) -> QRect:
    return QRect(widget.mapTo(dialog, widget.rect().topLeft()), widget.size())


def unroll_scroll_areas(dialog: QDialog) -> None:
    """Positions as on a screen tall enough for the whole form: a long form scrolls inside its
    dialog, and its lower fields would otherwise seem to sit beside the buttons."""
    for area in dialog.findChildren(QScrollArea):
        content = area.widget()
        if content is None:
            continue
        hidden = content.sizeHint().height() - area.viewport().height()
        if hidden > 0:
            dialog.setMaximumHeight(16_777_215)
            dialog.resize(dialog.width(), dialog.height() + hidden)
        area.verticalScrollBar().setValue(0)
    QApplication.processEvents()


def reads_before(first: QRect, second: QRect) -> bool:
    """Reading order: a control on the same row comes after the ones to its left; otherwise
    the lower control comes after."""
    overlap = min(first.bottom(), second.bottom()) - max(first.top(), second.top())
    if overlap > min(first.height(), second.height()) / 2:  # one row
        return second.left() > first.left()
    return second.center().y() > first.center().y()


def assert_keyboard_friendly(qtbot, dialog: QDialog) -> list[str]:
    order = walk_tab_order(qtbot, dialog)
    expected = focusable_controls(dialog)
    missed = [name_of(w) for w in expected if w not in order]
    assert missed == [], f"Tab never reaches: {missed}"
    unroll_scroll_areas(dialog)
    # Reading order is a cycle: start from the control a reader meets first.
    rects = {id(w): _rect(w, dialog) for w in order}
    start = min(range(len(order)), key=lambda i: (rects[id(order[i])].top(),
                                                  rects[id(order[i])].left()))  # fmt: skip
    order = order[start:] + order[:start]
    for first, second in itertools.pairwise(order):
        assert reads_before(rects[id(first)], rects[id(second)]), (
            f"Tab goes from {name_of(first)} to {name_of(second)}, against reading order; "
            f"the whole order: {[w.objectName() for w in order]}"
        )
    unnamed = [name_of(w) for w in order if not spoken_name(w)]
    assert unnamed == [], f"no accessible name: {unnamed}"
    return [w.objectName() for w in order]


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.load(tmp_path / "settings.json")


def test_connect_dialog_file_page(qtbot, runner, settings):
    dialog = ConnectDialog(runner, settings)
    qtbot.addWidget(dialog)
    order = assert_keyboard_friendly(qtbot, dialog)
    assert order[:4] == ["profile", "kind", "path", "browse"]
    assert order[-2:] == ["okButton", "cancelButton"] or order[-2:] == ["cancelButton", "okButton"]


def test_connect_dialog_server_page(qtbot, runner, settings):
    dialog = ConnectDialog(runner, settings)
    qtbot.addWidget(dialog)
    dialog.ui.kind.setCurrentIndex(KIND_POSTGRESQL)
    order = assert_keyboard_friendly(qtbot, dialog)
    assert order.index("host") < order.index("password") < order.index("profileName")


@pytest.mark.dialects("sqlite")
def test_identity_dialog(qtbot, runner, db):
    ws = db.open("admin")
    dialog = IdentityDialog(runner, ws)
    qtbot.addWidget(dialog)
    assert runner.wait_idle()
    order = assert_keyboard_friendly(qtbot, dialog)
    assert order[:5] == ["filter", "people", "name", "role", "add"]


def test_welcome_dialog(qtbot, runner):
    dialog = WelcomeDialog(runner)
    qtbot.addWidget(dialog)
    assert assert_keyboard_friendly(qtbot, dialog) == ["demo", "server", "local"]


@pytest.mark.dialects("sqlite")
def test_password_dialog(qtbot, runner, db):
    ws, actor = db.sign_in("rep")
    dialog = PasswordDialog(runner, ws, actor)
    qtbot.addWidget(dialog)
    order = assert_keyboard_friendly(qtbot, dialog)
    assert order[:2] == ["newPassword", "repeatPassword"]


def test_preferences_dialog(qtbot, qapp, settings):
    dialog = PreferencesDialog(settings, Appearance(qapp))
    qtbot.addWidget(dialog)
    order = assert_keyboard_friendly(qtbot, dialog)
    assert order[:6] == [
        "colorScheme",
        "notifyCaseAssigned",
        "notifyHandoffToAcknowledge",
        "notifyQuestionForMe",
        "notifyDeadlineAtRisk",
        "autosaveSeconds",
    ]


@pytest.mark.dialects("sqlite")
def test_handoff_dialog(qtbot, runner, db, gui_workspace):
    ws, rep = db.sign_in("rep")
    detail = history.case_detail(ws, new_case(ws, rep).id)
    dialog = HandoffDialog(runner, gui_workspace, rep, detail, autosave_seconds=60)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.chooser.person.count() > 0, timeout=10_000)
    assert_keyboard_friendly(qtbot, dialog)
    dialog.reject()
    assert runner.wait_idle()


# ------------------------------------------------------------------ the walk itself can fail
def _two_fields(qtbot) -> tuple[QDialog, QLineEdit, QLineEdit]:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    upper, lower = QLineEdit(dialog), QLineEdit(dialog)
    for name, field in (("upper", upper), ("lower", lower)):
        field.setObjectName(name)
        field.setAccessibleName(f"The {name} field")
        layout.addWidget(field)
    return dialog, upper, lower


def test_a_tab_order_against_reading_order_is_caught(qtbot):
    dialog, upper, lower = _two_fields(qtbot)
    bottom = QLineEdit(dialog)
    bottom.setObjectName("bottom")
    bottom.setAccessibleName("The bottom field")
    dialog.layout().addWidget(bottom)
    dialog.setTabOrder(upper, bottom)  # upper → bottom → lower: skips down, then back up
    dialog.setTabOrder(bottom, lower)
    with pytest.raises(AssertionError, match="against reading order"):
        assert_keyboard_friendly(qtbot, dialog)


def test_a_control_without_a_name_is_caught(qtbot):
    dialog, _upper, lower = _two_fields(qtbot)
    lower.setAccessibleName("")
    with pytest.raises(AssertionError, match="no accessible name"):
        assert_keyboard_friendly(qtbot, dialog)


def test_a_control_that_keeps_the_tab_key_is_caught(qtbot):
    dialog, _upper, _lower = _two_fields(qtbot)
    notes = QPlainTextEdit(dialog)  # types a tab character instead of moving on
    notes.setObjectName("notes")
    notes.setAccessibleName("Notes")
    dialog.layout().addWidget(notes)
    with pytest.raises(AssertionError, match="never came back round"):
        assert_keyboard_friendly(qtbot, dialog)
