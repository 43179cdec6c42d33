"""Live refresh: tells the queue that cases changed elsewhere, without the rep reloading.

The truth is the change feed's trailing window (services/queue_live.py), read on the task runner:
an entry not seen before means "something changed". SQLite and MariaDB poll it every
``POLL_MS`` (changes show within about a second, under the 2 s the queue promises). On PostgreSQL
a listener thread waits on LISTEN and asks for a poll the moment a notification arrives (well
under a second), with a slow poll behind it in case a notification is lost while reconnecting
(DESIGN.md §6: every signal is followed by the catch-up read, so a missed one costs latency only).

A poll that fails because the server is away ends quietly; the next one tries again, and the
task runner shows "reconnecting" meanwhile.
"""

from __future__ import annotations

import logging
import threading
import uuid

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from deskapp.db.engine import is_disconnect
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import queue_live
from deskapp.services.queue_live import ChangePoll
from deskapp.services.workspace import Workspace

POLL_MS = 1_000  # SQLite, MariaDB: changes show within about a second
CATCH_UP_MS = 10_000  # PostgreSQL: behind LISTEN/NOTIFY, in case a notification was lost
LISTEN_WAIT_SECONDS = 0.5  # how often the listener thread looks whether it should stop
RELISTEN_SECONDS = 2.0
log = logging.getLogger(__name__)


class LiveRefresh(QObject):
    changed = Signal(object)  # frozenset of case ids changed since the last poll
    _notified = Signal()  # from the listener thread

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._ws: Workspace | None = None
        self._seen: frozenset[uuid.UUID] | None = None  # None: the first poll only learns
        self._polling = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._notified.connect(self.poll, Qt.ConnectionType.QueuedConnection)

    @property
    def listening(self) -> bool:
        return self._thread is not None

    def start(self, ws: Workspace) -> None:
        self.stop()
        self._ws, self._seen = ws, None
        self._stop = threading.Event()
        if ws.dialect == "postgresql":
            self._thread = threading.Thread(
                target=self._listen, args=(ws, self._stop), name="deskapp-listen", daemon=True
            )
            self._thread.start()
            self._timer.start(CATCH_UP_MS)
        else:
            self._timer.start(POLL_MS)
        self.poll()

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(LISTEN_WAIT_SECONDS * 4)
            self._thread = None
        self._ws = None

    @Slot()
    def poll(self) -> None:
        ws = self._ws
        if ws is None:
            return
        if self._polling:  # one at a time; a notification meanwhile asks for one more
            self._again = True
            return
        self._polling = True
        self._runner.read(
            lambda: queue_live.recent_changes(ws),
            lambda result: self._on_polled(ws, result),
            lambda exc: self._on_failed(ws, exc),
            owner=self,
        )

    def _on_polled(self, ws: Workspace, result: ChangePoll) -> None:
        self._polling = False
        if ws is not self._ws:
            return
        new = result.entries - self._seen if self._seen is not None else frozenset()
        self._seen = result.entries
        if new:
            self.changed.emit(frozenset(c for e in new if (c := result.case_ids.get(e))))
        if self._again:
            self._again = False
            self.poll()

    def _on_failed(self, ws: Workspace, exc: Exception) -> None:
        self._polling = False
        if ws is not self._ws:
            return
        if not is_disconnect(exc):
            self._runner.report_error(exc, "checking for changes")
        # A lost server: the next poll tries again (the runner said "reconnecting" meanwhile).

    def _wanted(self, stop: threading.Event) -> bool:
        """Listen on? Not once stopped, nor once this object is gone with its window."""
        return not stop.is_set() and shiboken6.isValid(self)

    def _listen(self, ws: Workspace, stop: threading.Event) -> None:
        """The listener thread: LISTEN, and ask for a poll at each notification."""
        while self._wanted(stop):
            try:
                listener = queue_live.ChangeListener(ws)
            except Exception as exc:  # the server is away: try again shortly
                log.info("live refresh cannot listen yet: %s", type(exc).__name__)
                stop.wait(RELISTEN_SECONDS)
                continue
            self._notified.emit()  # changes while we were not listening: catch up
            try:
                while self._wanted(stop):
                    if listener.wait(LISTEN_WAIT_SECONDS):
                        self._notified.emit()
            except Exception as exc:  # connection lost: listen again
                log.info("live refresh stopped listening: %s", type(exc).__name__)
            finally:
                listener.close()
