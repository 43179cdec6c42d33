"""A small TCP proxy on 127.0.0.1 that can lose a reply on purpose.

It forwards bytes both ways between a client and a database server. Armed with
``cut_after_commit()``, it forwards the next client message that contains ``COMMIT`` to the
server, then cuts both connections: the server commits, the client never hears back. That is
the lost reply a write retry must survive without applying twice (DESIGN.md §3).

Every connection is a pair of pump threads; everything stops on ``close()``, and on its own
after ``max_seconds`` whatever the test does, so a failing test never leaves threads behind.
The database must speak plain text through it (the shared test server has no TLS).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

_POLL_SECONDS = 0.1


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int, *, max_seconds: float = 120,
                 port: int = 0) -> None:  # fmt: skip
        """``port``: listen there (a server "coming back" where it was); 0 picks a free one."""
        self._upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", port))
        self._listener.settimeout(_POLL_SECONDS)
        self.port: int = self._listener.getsockname()[1]
        self._deadline = time.monotonic() + max_seconds
        self._stopping = threading.Event()
        self._armed = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self.cuts = 0  # how many times a COMMIT was forwarded and the reply thrown away
        self.connections = 0
        self._spawn(self._accept_loop)

    # ------------------------------------------------------------------ control
    def cut_after_commit(self) -> None:
        """Arm: the next client message containing COMMIT reaches the server, its reply never
        reaches the client."""
        self._armed.set()

    def close(self) -> None:
        self._stopping.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in [self._listener, *sockets]:
            _close(sock)
        for thread in list(self._threads):
            if thread is not threading.current_thread():
                thread.join(timeout=5)

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ internals
    def _running(self) -> bool:
        return not self._stopping.is_set() and time.monotonic() < self._deadline

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while self._running():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            try:
                upstream = socket.create_connection(self._upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            for sock in (client, upstream):
                sock.settimeout(_POLL_SECONDS)
            with self._lock:
                self._sockets += [client, upstream]
                self.connections += 1
            self._spawn(self._pump, client, upstream, True)
            self._spawn(self._pump, upstream, client, False)
        self._stopping.set()  # past the deadline: every pump stops too
        _close(self._listener)

    def _pump(self, source: socket.socket, target: socket.socket, from_client: bool) -> None:
        while self._running():
            try:
                data = source.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                break
            try:
                target.sendall(data)
            except OSError:
                break
            if from_client and b"COMMIT" in data.upper() and self._armed.is_set():
                self._armed.clear()
                self.cuts += 1
                self._lose_reply(client=source, server=target)
                return
        _close(source)
        _close(target)

    def _lose_reply(self, *, client: socket.socket, server: socket.socket) -> None:
        # The client hears nothing more. The server gets an orderly end of stream after the
        # COMMIT (never a reset, which could discard the COMMIT before the server read it), so
        # it commits, answers into the void, and ends the session.
        _close(client)
        with contextlib.suppress(OSError):
            server.shutdown(socket.SHUT_WR)
        end = time.monotonic() + 2
        while time.monotonic() < end:
            try:
                if not server.recv(65536):
                    break
            except TimeoutError:
                continue
            except OSError:
                break
        _close(server)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
