"""A server that is not there, or that never answers, or refuses the password: a clear
ConnectionFailed within the connect timeout, never a hang (DESIGN.md §4)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from deskapp.db.urls import parse_db_url
from deskapp.domain.errors import ConnectionFailed
from deskapp.services.workspace import open_workspace
from tests.helpers.databases import login_of
from tests.helpers.throwaway_postgres import free_port

CONNECT_TIMEOUT = 2
MARGIN = 1.5  # thread start-up, the driver's own bookkeeping; a hang would be far beyond it
SCHEMES = ("postgresql", "mariadb")


class BlackHole:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte. Lives at most
    ``max_seconds``, so a client that would hang for ever fails the test instead."""

    def __init__(self, max_seconds: float = 20) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._deadline = time.monotonic() + max_seconds
        self._thread = threading.Thread(target=self._swallow, daemon=True)
        self._thread.start()

    def _swallow(self) -> None:
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            self._held.append(client)
        for sock in [self._listener, *self._held]:
            sock.close()

    @property
    def accepted(self) -> int:
        return len(self._held)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    hole = BlackHole()
    yield hole
    hole.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_nothing_listening_fails_at_once_with_what_to_check(scheme):
    port = free_port()  # bound, then released: nothing listens there now
    url = parse_db_url(f"{scheme}://dana@127.0.0.1:{port}/deskapp")
    started = time.monotonic()

    with pytest.raises(ConnectionFailed) as failed:
        open_workspace(url, password="whatever-it-is", connect_timeout=CONNECT_TIMEOUT)

    assert time.monotonic() - started < CONNECT_TIMEOUT
    assert f"Nothing is accepting connections at 127.0.0.1:{port}" in str(failed.value)


@pytest.mark.slow
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_server_that_never_answers_fails_within_the_connect_timeout(scheme, black_hole):
    url = parse_db_url(f"{scheme}://dana@127.0.0.1:{black_hole.port}/deskapp")
    started = time.monotonic()

    with pytest.raises(ConnectionFailed) as failed:
        open_workspace(url, password="whatever-it-is", connect_timeout=CONNECT_TIMEOUT)

    elapsed = time.monotonic() - started
    assert black_hole.accepted >= 1, "the client never reached the silent server"
    assert elapsed < CONNECT_TIMEOUT + MARGIN, f"took {elapsed:.1f} s"
    assert "did not answer within the connect timeout" in str(failed.value)


@pytest.mark.dialects("mariadb")
def test_a_wrong_password_is_named_as_such(db):
    """PostgreSQL's version runs on the private server (the shared one trusts 127.0.0.1):
    tests/faults/test_server_restart.py."""
    url = db.url.set(username=login_of("rep"))
    with pytest.raises(ConnectionFailed) as failed:
        open_workspace(url, password="not-the-password", connect_timeout=CONNECT_TIMEOUT)
    message = str(failed.value)
    assert f"did not accept the password for {login_of('rep')}" in message
    assert "not-the-password" not in message
