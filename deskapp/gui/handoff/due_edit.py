"""A due date-time picker that can say "not set yet".

A QDateTimeEdit always holds some time; a note whose due time silently defaulted to "now" would
pass for a real plan. So the picker starts at a sentinel shown as "Set a due time", and the
first click or key press puts it on the next full hour, ready to adjust. Times are read and
written in a given time zone (the customer's for promises, the rep's own otherwise).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDateTimeEdit, QWidget

UNSET_TEXT = "Set a due time"
_SENTINEL = QDateTime(QDate(2000, 1, 1), QTime(0, 0))
_PASSIVE_KEYS = {Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape, Qt.Key.Key_Shift,
                 Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta}  # fmt: skip
_STEP_KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}


def local_zone() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


class DueEdit(QDateTimeEdit):
    due_changed = Signal()

    def __init__(self, zone: tzinfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = zone or local_zone()
        self.setCalendarPopup(True)
        self.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.setMinimumDateTime(_SENTINEL)
        self.setSpecialValueText(UNSET_TEXT)
        self.setDateTime(_SENTINEL)
        # Wide enough for the whole date and time: a clipped "10:5" is a wrong appointment.
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("Wed 30 Sep 2026  23:59") + 56)
        self.dateTimeChanged.connect(lambda _value: self.due_changed.emit())

    # ------------------------------------------------------------------ values
    def due(self) -> datetime | None:
        value = self.dateTime()
        if value == _SENTINEL:
            return None
        date, time = value.date(), value.time()
        return datetime(date.year(), date.month(), date.day(), time.hour(), time.minute(),
                        tzinfo=self._zone)  # fmt: skip

    def set_due(self, moment: datetime | None) -> None:
        if moment is None:
            self.setDateTime(_SENTINEL)
            return
        here = moment.astimezone(self._zone)
        self.setDateTime(QDateTime(QDate(here.year, here.month, here.day),
                                   QTime(here.hour, here.minute)))  # fmt: skip

    def is_set(self) -> bool:
        return self.dateTime() != _SENTINEL

    # ------------------------------------------------------------------ first touch
    def _suggest_if_unset(self) -> None:
        if not self.is_set():
            start = datetime.now(self._zone).replace(minute=0, second=0, microsecond=0)
            self.set_due(start + timedelta(hours=1))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._suggest_if_unset()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not self.is_set():
            # QDateTimeEdit keeps Tab on its "special value" text: move on as everywhere else.
            QWidget.focusNextPrevChild(self, key == Qt.Key.Key_Tab)
            return
        if key not in _PASSIVE_KEYS and not self.is_set():
            self._suggest_if_unset()
            if key in _STEP_KEYS:  # show the suggestion itself, not the day after it
                return
        super().keyPressEvent(event)
