"""Reconnect and retry when the database connection drops (DESIGN.md §3).

Reads simply run again. Writes are safe to run again too: every insert carries a
client-generated id and every change a request id, which the service checks first
(services/unit_of_work.already_applied), so a write whose reply was lost never applies twice.
The pool's pre-ping replaces dead connections on the next attempt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from deskapp.db.engine import is_disconnect

T = TypeVar("T")

RETRY_DELAYS_SECONDS = (0.2, 0.5, 1, 2, 3, 5, 5, 5, 5, 5, 10, 10, 10)  # about a minute in all


def run_with_reconnect(
    work: Callable[[], T],
    *,
    on_reconnecting: Callable[[bool], None] | None = None,
    delays: tuple[float, ...] = RETRY_DELAYS_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``work``; while it fails with a lost connection, say so, wait and run it again.

    ``on_reconnecting(True)`` is called at the first disconnect, ``(False)`` once work succeeds
    after one. Any other error, or a disconnect after the last delay, is raised as it is.
    """
    reconnecting = False
    for attempt in range(len(delays) + 1):
        try:
            result = work()
        except Exception as exc:
            if not is_disconnect(exc) or attempt == len(delays):
                if reconnecting and on_reconnecting:
                    on_reconnecting(False)
                raise
            if not reconnecting and on_reconnecting:
                on_reconnecting(True)
            reconnecting = True
            sleep(delays[attempt])
            continue
        if reconnecting and on_reconnecting:
            on_reconnecting(False)
        return result
    raise AssertionError("unreachable")  # pragma: no cover
