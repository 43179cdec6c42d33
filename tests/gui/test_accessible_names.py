"""Every control a person can reach has an object name (tests, automation) and an accessible
name (screen readers), in the main window and in every dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)

from deskapp.gui.dialogs.connect_dialog import ConnectDialog
from deskapp.gui.dialogs.identity_dialog import IdentityDialog
from deskapp.gui.dialogs.welcome_dialog import WelcomeDialog
from deskapp.gui.main_window import MainWindow
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.settings import Settings

CONTROLS = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit,
            QPlainTextEdit, QTabBar)  # fmt: skip


def _unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.objectName().startswith("qt_"):
            continue
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue  # not reachable: Qt's internal scroll buttons and the like
        if _inside(widget, (QComboBox, QAbstractSpinBox)):
            continue  # a combo's popup list or a spin box's editor speaks for its owner
        spoken = widget.accessibleName() or (
            widget.text() if isinstance(widget, QAbstractButton) else ""  # read out by its text
        )
        if not widget.objectName() or not spoken:
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def _inside(widget: QWidget, kinds: tuple[type, ...]) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parentWidget()
    return False


def test_main_window_controls_are_named(qtbot, runner, tmp_path):
    window = MainWindow(runner, WorkspaceController(runner),
                        settings=Settings.load(tmp_path / "s.json"))  # fmt: skip
    qtbot.addWidget(window)
    for name in ("caseQueue", "caseView", "customerHistory", "cannedResponses", "handoffEditor"):
        found = window.findChild(QWidget, name)
        assert found is not None and found.accessibleName(), name
    assert _unnamed_controls(window) == []


@pytest.mark.dialects("sqlite")
def test_dialog_controls_are_named(qtbot, runner, tmp_path, db):
    ws = db.open("admin")
    dialogs = [ConnectDialog(runner, Settings.load(tmp_path / "s.json")),
               IdentityDialog(runner, ws), WelcomeDialog(runner)]  # fmt: skip
    for dialog in dialogs:
        qtbot.addWidget(dialog)
    assert runner.wait_idle()
    assert {type(d).__name__: _unnamed_controls(d) for d in dialogs} == {
        "ConnectDialog": [],
        "IdentityDialog": [],
        "WelcomeDialog": [],
    }
