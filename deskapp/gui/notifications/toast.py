"""A short notice at the bottom right of the window: the newest notification (and how many
more came with it), gone after TOAST_MS. A click opens its case; the centre keeps it anyway."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from deskapp.gui.panes.plain import plain_label, preview_line
from deskapp.services.notifications import Notification

TOAST_MS = 6_000
WIDTH = 380
MARGIN = 16


class Toast(QFrame):
    clicked = Signal(object)  # the case id shown

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("notificationToast")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setFixedWidth(WIDTH)
        # Customer and colleague text: plain labels, never rich text (panes/plain.py).
        self.headline = plain_label(name="toastHeadline", wrap=True, selectable=False)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.detail = plain_label(name="toastDetail", wrap=True, selectable=False)
        self.more = plain_label(name="toastMore", selectable=False)
        layout = QVBoxLayout(self)
        for label in (self.headline, self.detail, self.more):
            layout.addWidget(label)
        self._case_id: uuid.UUID | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_notifications(self, notifications: list[Notification]) -> None:
        """Show the newest of ``notifications`` (oldest first, as they came)."""
        if not notifications:
            return
        newest = notifications[-1]
        self._case_id = newest.case_id
        self.headline.setText(preview_line(newest.headline, 160))
        self.detail.setText(preview_line(newest.detail, 160))
        others = len(notifications) - 1
        self.more.setText(f"and {others} more in the notification centre" if others else "")
        self.more.setVisible(bool(others))
        self.setAccessibleName(f"Notification: {self.headline.text()}")
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self._timer.start(TOAST_MS)

    def _place(self) -> None:
        window = self.parentWidget()
        if window is None:
            return
        bottom = window.height() - MARGIN
        status = getattr(window, "statusBar", None)
        if callable(status):
            bottom -= status().height()
        self.move(window.width() - self.width() - MARGIN, bottom - self.height())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.hide()
        if self._case_id is not None:
            self.clicked.emit(self._case_id)
        event.accept()
