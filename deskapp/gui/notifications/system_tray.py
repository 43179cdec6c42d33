"""The system's own notifications, where the platform offers them (Windows' toasts, macOS's
Notification Centre, a Linux desktop's notification server via the tray): Qt's
QSystemTrayIcon, no extra dependency. Where there is no tray (a bare X server, a test's
offscreen platform), ``available`` is False and the centre is in-app only."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from deskapp import APP_NAME

SHOW_MS = 8_000
# Linux notification servers may read the body as markup (the freedesktop "body-markup"
# capability), and Qt's own balloon guesses rich text: a customer's ``<img src=…>`` must not
# load. Escaping would show "&lt;" where markup is not read, so the three characters that
# start markup become look-alikes there. Windows and macOS show the body as plain text.
_LOOKALIKES = str.maketrans({"<": "\u2039", ">": "\u203a", "&": "\uff06"})


def safe_body(text: str, platform: str = sys.platform) -> str:
    if platform in ("win32", "darwin"):
        return text
    return text.translate(_LOOKALIKES)


class SystemNotifier(QObject):
    clicked = Signal()  # the person clicked the system's notification

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            self._tray = QSystemTrayIcon(icon, self)
            self._tray.setToolTip(APP_NAME)
            self._tray.messageClicked.connect(self.clicked)

    @property
    def available(self) -> bool:
        return self._tray is not None

    def notify(self, title: str, body: str) -> None:
        if self._tray is None:
            return
        self._tray.show()  # a message needs the icon in the tray
        self._tray.showMessage(
            safe_body(title), safe_body(body), QSystemTrayIcon.MessageIcon.Information, SHOW_MS
        )

    def hide(self) -> None:
        if self._tray is not None:
            self._tray.hide()
