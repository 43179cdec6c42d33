"""Preferences: colour scheme (applied while the dialog is open, taken back on Cancel), which
notifications to show, and how often handoff drafts are saved.

Every value is a setting declared in deskapp/settings.py; OK writes them to the settings file.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox, QDialog, QWidget

from deskapp.domain.errors import DeskappError
from deskapp.gui.appearance import SCHEME_LABELS, Appearance, ColorScheme, is_dark
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.forms.ui_preferences import Ui_PreferencesDialog
from deskapp.settings import (
    COLOR_SCHEME,
    DRAFT_AUTOSAVE_SECONDS,
    NOTIFY_CASE_ASSIGNED,
    NOTIFY_DEADLINE_AT_RISK,
    NOTIFY_HANDOFF_TO_ACKNOWLEDGE,
    NOTIFY_QUESTION_FOR_ME,
    Setting,
    Settings,
)

_SCHEMES = list(ColorScheme)  # in the order of the combo box


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, appearance: Appearance,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ui = Ui_PreferencesDialog()
        self.ui.setupUi(self)
        name_standard_buttons(self.ui.buttons)
        self._settings = settings
        self._appearance = appearance
        self._scheme_before = ColorScheme(settings.get(COLOR_SCHEME))
        self.ui.colorScheme.addItems([SCHEME_LABELS[scheme] for scheme in _SCHEMES])
        self.ui.colorScheme.setCurrentIndex(_SCHEMES.index(self._scheme_before))
        self.notification_boxes: dict[Setting[bool], QCheckBox] = {
            NOTIFY_CASE_ASSIGNED: self.ui.notifyCaseAssigned,
            NOTIFY_HANDOFF_TO_ACKNOWLEDGE: self.ui.notifyHandoffToAcknowledge,
            NOTIFY_QUESTION_FOR_ME: self.ui.notifyQuestionForMe,
            NOTIFY_DEADLINE_AT_RISK: self.ui.notifyDeadlineAtRisk,
        }
        for setting, box in self.notification_boxes.items():
            box.setChecked(settings.get(setting))
            box.setToolTip(f"Turn off to stop being told that {setting.label[0].lower()}"
                           f"{setting.label[1:]}.")  # fmt: skip
        self.ui.autosaveSeconds.setValue(settings.get(DRAFT_AUTOSAVE_SECONDS))
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.ui.colorScheme.currentIndexChanged.connect(self._preview_scheme)
        self.ui.buttons.accepted.connect(self._save)
        self.ui.buttons.rejected.connect(self.reject)

    @property
    def chosen_scheme(self) -> ColorScheme:
        return _SCHEMES[self.ui.colorScheme.currentIndex()]

    @Slot(int)
    def _preview_scheme(self, _index: int) -> None:
        self._appearance.apply(self.chosen_scheme)  # live: the person sees it before choosing

    @Slot()
    def _save(self) -> None:
        settings = self._settings
        try:
            settings.set(COLOR_SCHEME, self.chosen_scheme.value)
            for setting, box in self.notification_boxes.items():
                settings.set(setting, box.isChecked())
            settings.set(DRAFT_AUTOSAVE_SECONDS, self.ui.autosaveSeconds.value())
            settings.save()
        except DeskappError as exc:
            self._show(str(exc))
            return
        except OSError as exc:
            self._show(f"Your preferences could not be saved ({exc.strerror or exc}). They apply "
                       "until Deskapp closes; check the disk and press OK again.")  # fmt: skip
            return
        self._scheme_before = self.chosen_scheme
        self.accept()

    def reject(self) -> None:
        if self._appearance.choice is not self._scheme_before:
            self._appearance.apply(self._scheme_before)  # Cancel takes the preview back
        super().reject()

    def _show(self, text: str) -> None:
        # Dark red on a light window, light red on a dark one: readable either way (WCAG AA).
        color = "#ff8a80" if is_dark(self.palette()) else "#b3261e"
        self.ui.message.setStyleSheet(f"QLabel {{ color: {color}; }}")
        self.ui.message.setText(text)
