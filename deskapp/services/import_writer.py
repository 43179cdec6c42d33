"""Writing an import's chunks on a second thread while the next rows are checked.

The database drivers let go of the GIL while the database works (SQLite's inserts and index
updates, a server's round trips), so checking the next chunk in Python and inserting the last
one overlap instead of taking turns. Only one thread ever uses the connection at a time: the
importer hands every statement to this thread from the moment it starts until ``close``.

Jobs run one at a time in the order they were given (parents before children). The first
error stops the remaining jobs and is raised again in the importer's thread, by the next
``submit`` or by ``close``.

While a writer runs, two settings of the interpreter change, for the whole process (the first
writer changes them, the last one to close puts them back):

- The GIL is handed over every 0.5 ms instead of every 5 ms. The writer lets go of it for
  every statement SQLite runs and needs it back to bind the next one; with the default it
  waited up to 5 ms each time the checking thread held it.
- The cyclic garbage collector pauses. A big import keeps millions of small objects alive
  (the ids of every customer and case, the rows in flight); each full collection walked all
  of them, about 5 s of a million-case import, to find nothing: the import makes no cycles.
  Cycles other code makes meanwhile wait for the collector to run again.
"""

from __future__ import annotations

import gc
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

QUEUED_JOBS = 2  # chunks waiting at most: bounds memory, keeps the database busy
WRITER_SWITCH_INTERVAL = 0.0005  # seconds; Python's default is 0.005

_tuning = threading.Lock()
_writers_running = 0
_saved_interval = 0.0
_collector_was_on = False


def _writer_started() -> None:
    global _writers_running, _saved_interval, _collector_was_on
    with _tuning:
        if _writers_running == 0:
            _saved_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_saved_interval, WRITER_SWITCH_INTERVAL))
            _collector_was_on = gc.isenabled()
            gc.disable()
        _writers_running += 1


def _writer_stopped() -> None:
    global _writers_running
    with _tuning:
        _writers_running -= 1
        if _writers_running == 0:
            sys.setswitchinterval(_saved_interval)
            if _collector_was_on:
                gc.enable()


class ChunkWriter:
    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Callable[..., Any], tuple[Any, ...]] | None] = queue.Queue(
            QUEUED_JOBS
        )
        self._error: BaseException | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._work, name="import-writer", daemon=True)
        self._closed = False
        _writer_started()
        self._thread.start()

    def submit(self, job: Callable[..., Any], *args: Any) -> None:
        self._raise_error()
        self._jobs.put((job, args))

    def close(self, cancel: bool = False) -> None:
        """Wait until every job has run (``cancel``: until the running one has), then raise
        the first error, if any."""
        self._cancelled = self._cancelled or cancel
        self._jobs.put(None)
        self._thread.join()
        if not self._closed:
            self._closed = True
            _writer_stopped()
        if not cancel:
            self._raise_error()

    def _raise_error(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            self._cancelled = True
            raise error

    def _work(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            if self._cancelled or self._error is not None:
                continue  # drain: the transaction will be rolled back
            job, args = item
            try:
                job(*args)
            except BaseException as exc:  # handed to the importer's thread
                self._error = exc
