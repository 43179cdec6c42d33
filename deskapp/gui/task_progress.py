"""Progress and Cancel for one long task on the task runner (an import, an export).

The services report progress through a plain callback on the worker thread; this turns each
call into a queued signal for the GUI thread, and turns Cancel into an exception raised from
that same callback, inside the service's transaction, so the service rolls back or removes its
temporary file as it does for any error: a cancelled import leaves nothing half-written.
``ProgressControls`` is the busy bar and Cancel button a dialog shows while such a task runs.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QPushButton, QWidget

from deskapp.domain.errors import DeskappError

LAST_STAGE = "done"  # after the commit: too late to cancel, the work is in


class TaskCancelled(DeskappError):
    """The person pressed Cancel; the service undid what it had started."""


class TaskProgress(QObject):
    advanced = Signal(str, int, int)  # stage, done, total (0: not known)

    def __init__(self) -> None:
        # No parent on purpose: the worker may still report after the dialog is gone, and Qt
        # drops the queued signal then instead of touching a deleted object.
        super().__init__()
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def __call__(self, stage: str, done: int, total: int) -> None:
        """The services' ``progress`` callback; runs on the worker thread."""
        if self._cancelled.is_set() and stage != LAST_STAGE:
            raise TaskCancelled("Cancelled: nothing was written.")
        self.advanced.emit(stage, done, total)


class ProgressControls(QObject):
    """A dialog's progress bar and Cancel button around the one task it runs at a time: shown
    while it runs, hidden after, and Cancel pressed at most once."""

    advanced = Signal(str, int, int)  # from the task running now only: an older one's is dropped

    def __init__(self, bar: QProgressBar, cancel: QPushButton, *more: QWidget) -> None:
        super().__init__(cancel)
        self._bar, self._cancel, self._shown = bar, cancel, (bar, *more, cancel)
        self.task: TaskProgress | None = None

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self) -> TaskProgress:
        task = self.task = TaskProgress()
        task.advanced.connect(self._relay)
        self._bar.setRange(0, 0)  # busy until the first figures arrive
        for widget in self._shown:
            widget.setVisible(True)
        self._cancel.setEnabled(True)
        return task

    def end(self) -> None:
        self.task = None
        for widget in self._shown:
            widget.setVisible(False)
        self._cancel.setEnabled(False)

    def cancel(self) -> bool:
        """Cancel pressed: the task stops at its next report. False when nothing runs."""
        if self.task is None:
            return False
        self.task.cancel()
        self._cancel.setEnabled(False)
        return True

    def stop(self) -> None:
        """Drop the running task without a word (its result would be ignored anyway)."""
        if self.task is not None:
            self.task.cancel()

    @Slot(str, int, int)
    def _relay(self, stage: str, done: int, total: int) -> None:
        if self.sender() is self.task:
            self.advanced.emit(stage, done, total)
