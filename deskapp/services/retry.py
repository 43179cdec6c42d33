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
from deskapp.domain.errors import ConnectionLost

T = TypeVar("T")

RETRY_DELAYS_SECONDS = (0.2, 0.5, 1, 2, 3, 5, 5, 5, 5, 5, 10, 10, 10)  # about a minute in all
GAVE_UP = (
    "The connection to the database server was lost and did not come back while Deskapp kept "
    "trying. Check your network, or ask your admin whether the server is running, then try "
    "again: nothing is done twice."
)


def run_with_reconnect(
    work: Callable[[], T],
    *,
    on_reconnecting: Callable[[bool], None] | None = None,
    delays: tuple[float, ...] = RETRY_DELAYS_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``work``; while it fails with a lost connection, say so, wait and run it again.

    ``on_reconnecting(True)`` is called at the first disconnect, ``(False)`` once work succeeds
    after one. Any other error is raised as it is; a disconnect after the last delay becomes
    ConnectionLost, a message for the person (the driver's error is its cause, for the log).
    """
    reconnecting = False
    for attempt in range(len(delays) + 1):
        try:
            result = work()
        except Exception as exc:
            if not is_disconnect(exc) or attempt == len(delays):
                if reconnecting and on_reconnecting:
                    on_reconnecting(False)
                if is_disconnect(exc) and not isinstance(exc, ConnectionLost):
                    raise ConnectionLost(GAVE_UP) from exc
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
