"""The one way the GUI runs database work (DESIGN.md §3; after Anki's QueryOp/CollectionOp and
Picard's run_task).

Reads run on a small pool, writes on a pool of one thread (SQLite has one writer, and a single
writer keeps a rep's saves in the order they were made). Every call is wrapped in
``run_with_reconnect``, so a dropped server costs a "Reconnecting…" in the status bar instead of
an error. Results and errors come back on the GUI thread through queued signals; a callback
whose widget has been deleted meanwhile is not called.

Error policy when the caller gives no ``on_error``: a DeskappError (the message is written for
the person) is emitted as ``failed(str)`` for the main window to show; anything else is a bug and
goes to ``sys.excepthook``, where the unexpected-error handler logs it and tells the person.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, Qt, QThreadPool, QTimer, Signal, Slot

from deskapp.domain.errors import DeskappError
from deskapp.services.retry import RETRY_DELAYS_SECONDS, run_with_reconnect

T = TypeVar("T")
ErrorCallback = Callable[[Exception], None]
log = logging.getLogger(__name__)

READ_THREADS = 3


class RunnerStopped(Exception):
    """Raised inside a task that was waiting to reconnect when the app shut down."""


@dataclass
class _Pending:
    name: str
    on_done: Callable[[Any], None]
    on_error: ErrorCallback | None
    owner: QObject | None

    def owner_alive(self) -> bool:
        return self.owner is None or shiboken6.isValid(self.owner)


def _to_excepthook(exc: BaseException) -> None:
    # Looked up at call time: the unexpected-error handler (or pytest-qt) installs its own hook.
    sys.excepthook(type(exc), exc, exc.__traceback__)


class TaskRunner(QObject):
    reconnecting_changed = Signal(bool)
    failed = Signal(str)  # a DeskappError nobody handled: the message for the person
    became_idle = Signal()

    # From worker threads to the GUI thread (queued: the runner lives on the GUI thread).
    _task_finished = Signal(int, bool, object)  # task id, succeeded, result or exception
    _task_reconnecting = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        unexpected: Callable[[BaseException], None] = _to_excepthook,
        retry_delays: tuple[float, ...] = RETRY_DELAYS_SECONDS,
    ) -> None:
        super().__init__(parent)
        self._read_pool = QThreadPool(self)
        self._read_pool.setMaxThreadCount(READ_THREADS)
        self._write_pool = QThreadPool(self)
        self._write_pool.setMaxThreadCount(1)
        self._unexpected = unexpected
        self._retry_delays = retry_delays
        self._pending: dict[int, _Pending] = {}
        self._ids = itertools.count(1)
        self._tasks_reconnecting = 0
        self._stopping = threading.Event()
        # Queued even if ever emitted on the GUI thread: a callback never runs inside read().
        self._task_finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._task_reconnecting.connect(
            self._track_reconnecting, Qt.ConnectionType.QueuedConnection
        )

    # ------------------------------------------------------------------ API
    def read(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: ErrorCallback | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run ``fn`` (a read) on the read pool; ``on_done(result)`` on the GUI thread.

        ``owner``: the widget the callbacks belong to. A bound method of a QObject is its own
        owner; pass it for lambdas and partials. If the owner is deleted first, nothing is called
        (an error still gets the default handling: it must not vanish with its window).
        """
        self._submit(self._read_pool, "read", fn, on_done, on_error, owner)

    def write(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: ErrorCallback | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Like ``read``, on the single writer thread: writes run one at a time, in order."""
        self._submit(self._write_pool, "write", fn, on_done, on_error, owner)

    def report_error(self, exc: Exception, doing: str = "a task") -> None:
        """The default handling, for an ``on_error`` that does its own part first (resetting a
        busy state, say) and then wants the person told as usual."""
        if isinstance(exc, DeskappError):
            log.info("%s failed: %s", doing, type(exc).__name__)
            self.failed.emit(str(exc))
        else:
            self._unexpected(exc)

    @property
    def is_idle(self) -> bool:
        return not self._pending

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every task's callbacks have run (tests, shutdown)."""
        if not self._pending:
            return True
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        self.became_idle.connect(loop.quit)
        timer.start(timeout_ms)
        loop.exec()
        timer.stop()
        self.became_idle.disconnect(loop.quit)
        return not self._pending

    def shutdown(self, timeout_ms: int = 15_000) -> bool:
        """Drop tasks not started yet, stop reconnect waits, wait for running ones to end.
        Their callbacks are not called: the windows are going away."""
        self._stopping.set()
        for pool in (self._read_pool, self._write_pool):
            pool.clear()
        done = all(pool.waitForDone(timeout_ms) for pool in (self._read_pool, self._write_pool))
        self._pending.clear()
        return done

    # ------------------------------------------------------------------ worker side
    def _submit(self, pool, kind, fn, on_done, on_error, owner) -> None:
        if self._stopping.is_set():
            return
        owner = owner if owner is not None else _bound_qobject(on_done)
        task_id = next(self._ids)
        name = getattr(fn, "__qualname__", type(fn).__name__)
        self._pending[task_id] = _Pending(name, on_done, on_error, owner)
        pool.start(lambda: self._run(task_id, kind, fn))

    def _run(self, task_id: int, kind: str, fn: Callable[[], Any]) -> None:
        threading.current_thread().name = f"deskapp-{kind}"
        reconnecting = False

        def on_reconnecting(state: bool) -> None:
            nonlocal reconnecting
            reconnecting = state
            self._task_reconnecting.emit(state)

        try:
            result = run_with_reconnect(
                fn, on_reconnecting=on_reconnecting, delays=self._retry_delays, sleep=self._sleep
            )
        except Exception as exc:
            self._task_finished.emit(task_id, False, exc)
        else:
            self._task_finished.emit(task_id, True, result)
        finally:
            if reconnecting:  # given up or stopped while reconnecting: the bar must not stay on
                self._task_reconnecting.emit(False)

    def _sleep(self, seconds: float) -> None:
        if self._stopping.wait(seconds):
            raise RunnerStopped

    # ------------------------------------------------------------------ GUI thread side
    @Slot(int, bool, object)
    def _deliver(self, task_id: int, succeeded: bool, payload: object) -> None:
        task = self._pending.pop(task_id, None)
        try:
            if task is None or isinstance(payload, RunnerStopped):
                return
            if succeeded:
                if task.owner_alive():
                    task.on_done(payload)
            else:
                assert isinstance(payload, Exception)
                self._handle_error(task, payload)
        finally:
            if not self._pending:
                self.became_idle.emit()

    def _handle_error(self, task: _Pending, exc: Exception) -> None:
        if task.on_error is not None and task.owner_alive():
            task.on_error(exc)
        else:
            self.report_error(exc, task.name)

    @Slot(bool)
    def _track_reconnecting(self, state: bool) -> None:
        before = self._tasks_reconnecting > 0
        self._tasks_reconnecting = max(0, self._tasks_reconnecting + (1 if state else -1))
        after = self._tasks_reconnecting > 0
        if after != before:
            log.warning("database connection %s", "lost, reconnecting" if after else "back")
            self.reconnecting_changed.emit(after)


def _bound_qobject(callback: Callable[..., Any]) -> QObject | None:
    bound = getattr(callback, "__self__", None)
    return bound if isinstance(bound, QObject) else None
