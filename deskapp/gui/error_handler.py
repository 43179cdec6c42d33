"""One handler for errors nobody expected (bugs): log the traceback, tell the person in plain
words, keep the app running.

Errors a person can act on (DeskappError) never come here: the task runner shows their message.
What arrives here is a bug, from a slot (PySide6 hands those to ``sys.excepthook``), from a task
(the runner does the same) or from a plain thread (``threading.excepthook``).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)

DIALOG_TITLE = "Deskapp hit a problem"


def explain_unexpected(exc_type: type[BaseException], log_path: Path) -> str:
    return (
        f"Something went wrong inside Deskapp ({exc_type.__name__}). It is not something you "
        "did wrong.\n\n"
        "Your typed text is kept: nothing you entered was thrown away, and Deskapp is still "
        "running.\n\n"
        "What to do: try once more. If it happens again, restart Deskapp and send the log file "
        f"to your support contact. It is here:\n{log_path}"
    )


def show_error_dialog(text: str, log_path: Path) -> None:
    """The real dialog (tests inject their own). The path is selectable, the folder one click."""
    box = QMessageBox(QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(DIALOG_TITLE)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    open_folder = box.addButton("Open log folder", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.exec()
    if box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_path.parent)))


class UnexpectedErrorHandler(QObject):
    # Dialogs are shown on the GUI thread, after the failing code has unwound (queued).
    _dialog_requested = Signal(str)

    def __init__(
        self,
        log_path: Path,
        show_dialog: Callable[[str, Path], None] = show_error_dialog,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._log_path = log_path
        self._show_dialog = show_dialog
        self._dialog_open = False
        self._previous_hooks: tuple[Any, Any] | None = None
        self._dialog_requested.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks
            self._previous_hooks = None

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in the terminal that started us
            sys.__excepthook__(exc_type, exc or exc_type(), tb)
            return
        details = (exc_type, exc, tb) if exc is not None else None
        log.error("Unexpected error: %s", exc_type.__name__, exc_info=details)
        self._dialog_requested.emit(explain_unexpected(exc_type, self._log_path))

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):
            return
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(str)
    def _show(self, text: str) -> None:
        # One dialog at a time: an error repeating on every repaint would otherwise stack up
        # dialogs faster than anyone can close them. The repeats are in the log.
        if self._dialog_open:
            return
        self._dialog_open = True
        try:
            self._show_dialog(text, self._log_path)
        finally:
            self._dialog_open = False
