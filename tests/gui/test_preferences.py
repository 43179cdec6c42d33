"""Preferences: the settings they keep, the colour scheme switched live, and the dialog (live
preview, Cancel takes it back, OK writes the file, a failed write says so and keeps the dialog).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from deskapp.gui.appearance import Appearance, ColorScheme, app_icon, is_dark
from deskapp.gui.dialogs.preferences_dialog import PreferencesDialog
from deskapp.gui.main_window import MainWindow
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.settings import (
    COLOR_SCHEME,
    DRAFT_AUTOSAVE_SECONDS,
    NOTIFICATIONS,
    NOTIFY_CASE_ASSIGNED,
    NOTIFY_DEADLINE_AT_RISK,
    NOTIFY_QUESTION_FOR_ME,
    TOUR_SEEN,
    Settings,
)


@pytest.fixture
def look(qapp) -> Iterator[Appearance]:
    """An Appearance of the test's own; the application is handed back to the platform after."""
    appearance = Appearance(qapp)
    yield appearance
    appearance.apply(ColorScheme.SYSTEM)
    appearance.setParent(None)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings.load(tmp_path / "settings.json")


def _window_color(qapp) -> str:
    return qapp.palette().color(QPalette.ColorRole.Window).name()


# ------------------------------------------------------------------ settings
def test_new_settings_start_on_and_light_on_the_eyes_of_nobody_in_particular(settings):
    assert settings.get(COLOR_SCHEME) == "system"
    assert settings.get(TOUR_SEEN) is False
    assert [settings.get(kind) for kind in NOTIFICATIONS] == [True, True, True, True]
    assert {kind.key for kind in NOTIFICATIONS} == {
        "notify_case_assigned",
        "notify_handoff_to_acknowledge",
        "notify_question_for_me",
        "notify_deadline_at_risk",
    }, "the notification centre reads these keys"


def test_a_bad_scheme_or_flag_in_the_file_falls_back_with_a_warning(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"color_scheme": "purple", "notify_case_assigned": "no",
                                "tour_seen": True}), encoding="utf-8")  # fmt: skip
    settings = Settings.load(path)
    assert settings.get(COLOR_SCHEME) == "system"
    assert settings.get(NOTIFY_CASE_ASSIGNED) is True
    assert settings.get(TOUR_SEEN) is True  # one bad value costs only that value
    assert len(settings.warnings) == 2
    assert "Colour scheme" in settings.warnings[0] and "system, light, dark" in settings.warnings[0]


# ------------------------------------------------------------------ the colour scheme, live
def test_dark_and_light_apply_at_once_and_system_gives_the_platform_back(qtbot, qapp, look):
    platform_window = _window_color(qapp)
    label = QLabel("Customer history")
    qtbot.addWidget(label)
    label.show()
    look.apply(ColorScheme.DARK)
    assert look.dark
    qtbot.waitUntil(lambda: is_dark(label.palette()))  # an open window, without a restart
    look.apply(ColorScheme.LIGHT)
    assert not look.dark
    qtbot.waitUntil(lambda: not is_dark(label.palette()))
    look.apply(ColorScheme.SYSTEM)
    assert not look.uses_fallback_palette
    assert _window_color(qapp) == platform_window


def test_a_platform_that_honours_the_request_gets_no_palette_of_ours(qapp, look, monkeypatch):
    """Windows and macOS answer setColorScheme themselves: Deskapp then stays out of the way."""
    hints = qapp.styleHints()
    monkeypatch.setattr(type(hints), "colorScheme", lambda _self: Qt.ColorScheme.Dark)
    look.apply(ColorScheme.DARK)
    assert not look.uses_fallback_palette


# ------------------------------------------------------------------ the dialog
def test_the_dialog_shows_the_current_choices(qtbot, settings, look):
    settings.set(COLOR_SCHEME, "dark")
    settings.set(NOTIFY_QUESTION_FOR_ME, False)
    settings.set(DRAFT_AUTOSAVE_SECONDS, 7)
    dialog = PreferencesDialog(settings, look)
    qtbot.addWidget(dialog)
    assert dialog.ui.colorScheme.currentText() == "Dark"
    assert [dialog.ui.colorScheme.itemText(i) for i in range(3)] == [
        "Follow the system", "Light", "Dark"]  # fmt: skip
    assert not dialog.ui.notifyQuestionForMe.isChecked()
    assert dialog.ui.notifyCaseAssigned.isChecked()
    assert dialog.ui.autosaveSeconds.value() == 7


def test_choosing_dark_previews_it_and_cancel_takes_it_back(qtbot, qapp, settings, look):
    dialog = PreferencesDialog(settings, look)
    qtbot.addWidget(dialog)
    dialog.ui.colorScheme.setCurrentIndex(2)  # Dark
    assert look.dark, "the scheme changes while the dialog is open"
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert not look.dark and look.choice is ColorScheme.SYSTEM
    assert settings.get(COLOR_SCHEME) == "system"
    assert not settings.path.exists(), "Cancel writes nothing"


def test_ok_keeps_every_choice_in_the_settings_file(qtbot, settings, look):
    dialog = PreferencesDialog(settings, look)
    qtbot.addWidget(dialog)
    dialog.ui.colorScheme.setCurrentIndex(2)
    dialog.ui.notifyDeadlineAtRisk.setChecked(False)
    dialog.ui.autosaveSeconds.setValue(5)
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == PreferencesDialog.DialogCode.Accepted
    again = Settings.load(settings.path)
    assert again.get(COLOR_SCHEME) == "dark"
    assert again.get(NOTIFY_DEADLINE_AT_RISK) is False
    assert again.get(NOTIFY_CASE_ASSIGNED) is True
    assert again.get(DRAFT_AUTOSAVE_SECONDS) == 5
    assert look.dark, "OK keeps the scheme it previewed"


def test_a_file_that_cannot_be_written_is_explained_and_the_dialog_stays(qtbot, tmp_path, look):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the settings folder should be", encoding="utf-8")
    settings = Settings.load(blocker / "settings.json")
    dialog = PreferencesDialog(settings, look)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ui.notifyCaseAssigned.setChecked(False)
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert "could not be saved" in dialog.ui.message.text()


# ------------------------------------------------------------------ the main window
def test_tools_preferences_opens_the_dialog_with_the_platforms_keys(
    qtbot, runner, settings, look, monkeypatch
):
    opened: list[PreferencesDialog] = []
    monkeypatch.setattr(PreferencesDialog, "exec", lambda self: opened.append(self) or 0)
    window = MainWindow(runner, WorkspaceController(runner), settings=settings, look=look,
                        ask_identity=None)  # fmt: skip
    qtbot.addWidget(window)
    action = window.actionPreferences
    standard = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
    assert action.shortcuts() == (standard or [QKeySequence("Ctrl+,")])
    assert action in window.menuTools.actions()
    assert window.ui.menuBar.actions().index(window.menuTools.menuAction()) == (
        window.ui.menuBar.actions().index(window.ui.menuHelp.menuAction()) - 1
    ), "Tools sits just before Help"
    action.trigger()
    assert len(opened) == 1 and opened[0].parent() is window


def test_the_window_icon_comes_from_the_shipped_resources(qapp):
    icon = app_icon()
    assert not icon.isNull()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 32, 48, 256} <= sizes, "small sizes are drawn, not scaled down from a big one"
