"""Writing an import's chunks on a second thread while the next rows are checked.

The database drivers let go of the GIL while the database works (SQLite's inserts and index
updates, a server's round trips), so checking the next chunk in Python and inserting the last
one overlap instead of taking turns. Only one thread ever uses the connection at a time: the
importer hands every statement to this thread from the moment it starts until ``close``.

Jobs run one at a time in the order they were given (parents before children). The first
error stops the remaining jobs and is raised again in the importer's thread, by the next
``submit`` or by ``close``.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

QUEUED_JOBS = 2  # chunks waiting at most: bounds memory, keeps the database busy


class ChunkWriter:
    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Callable[..., Any], tuple[Any, ...]] | None] = queue.Queue(
            QUEUED_JOBS
        )
        self._error: BaseException | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._work, name="import-writer", daemon=True)
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
