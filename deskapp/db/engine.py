"""``make_engine``: the only place that branches on the database dialect for connecting.

SQLite: WAL, foreign keys, a busy timeout, BEGIN IMMEDIATE for writes, no network shares.
Servers: a small pool with pre-ping (a restarted server costs nothing), a connect timeout so an
unreachable host fails fast, TLS verified by default for any host that is not this machine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from deskapp.db.network_share import network_filesystem_of
from deskapp.db.roles import TEMPORARY_PASSWORD_HOURS, activate_mariadb_role
from deskapp.db.urls import is_local_host, is_sqlite, redact_url
from deskapp.domain.errors import ConnectionFailed, ConnectionLost, NetworkShareRefused

CONNECT_TIMEOUT_SECONDS = 5
SQLITE_BUSY_TIMEOUT_MS = 5000
WRITE_OPTIONS = {"deskapp_write": True}  # engine.execution_options(**WRITE_OPTIONS) for writes


@dataclass(frozen=True)
class TlsOptions:
    """``mode``: "disable", "prefer" or "verify" (certificate and host name checked).
    ``None`` fields mean "the sensible default for this host"."""

    mode: str | None = None
    ca_file: str | None = None

    def effective_mode(self, url: URL) -> str:
        if self.mode:
            return self.mode
        # A CA file given means "check the certificate against it", on this machine too (as
        # `--tls-ca` alone does): "Automatic" must not quietly ignore it for localhost.
        if self.ca_file:
            return "verify"
        return "prefer" if is_local_host(url) else "verify"


def make_engine(
    url: URL,
    *,
    password: str | None = None,
    tls: TlsOptions | None = None,
    connect_timeout: int = CONNECT_TIMEOUT_SECONDS,
    allow_network_share: bool = False,
    pool_size: int = 3,
) -> Engine:
    if is_sqlite(url):
        return _sqlite_engine(url, allow_network_share)
    if password is not None:
        url = url.set(password=password)
    tls = tls or TlsOptions()
    if url.get_backend_name() == "postgresql":
        connect_args = _postgresql_args(url, tls, connect_timeout)
    else:
        connect_args = _mariadb_args(url, tls, connect_timeout)
    database = url.database
    if url.get_backend_name() != "postgresql":
        # MariaDB checks database rights at the handshake, before a role can be active: connect
        # without a database, activate the person's role, then USE the workspace's database.
        url = URL.create(
            url.drivername, url.username, url.password, url.host, url.port, query=url.query
        )
    engine = create_engine(
        url,
        connect_args=connect_args,
        pool_size=pool_size,
        max_overflow=2,
        pool_pre_ping=True,
        pool_recycle=1800,
        pool_timeout=connect_timeout * 2,
    )
    if url.get_backend_name() != "postgresql":
        # insert=True: before SQLAlchemy's own first-connect setup asks for the current database.
        event.listen(
            engine,
            "connect",
            lambda dbapi_conn, _rec: _enter_mariadb(dbapi_conn, database),
            insert=True,
        )
    return engine


def _enter_mariadb(dbapi_connection: Any, database: str | None) -> None:
    # The handshake is done: queries may take as long as they need (see _mariadb_args).
    dbapi_connection._read_timeout = None
    dbapi_connection._write_timeout = None
    activate_mariadb_role(dbapi_connection)
    if database:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"USE `{database.replace('`', '``')}`")
        finally:
            cursor.close()


def _postgresql_args(url: URL, tls: TlsOptions, connect_timeout: int) -> dict[str, Any]:
    mode = tls.effective_mode(url)
    args: dict[str, Any] = {
        "connect_timeout": connect_timeout,
        "application_name": "deskapp",
        "sslmode": {"disable": "disable", "prefer": "prefer", "verify": "verify-full"}[mode],
    }
    if mode == "verify":
        # Without a CA file, trust the operating system's certificate store.
        args["sslrootcert"] = tls.ca_file or "system"
    return args


def _mariadb_args(url: URL, tls: TlsOptions, connect_timeout: int) -> dict[str, Any]:
    mode = tls.effective_mode(url)
    args: dict[str, Any] = {
        "connect_timeout": connect_timeout,
        # PyMySQL's connect_timeout covers only the TCP connect: a server that accepts and never
        # greets would hang the handshake for ever. Bound the handshake too (lifted once
        # connected, in _enter_mariadb: a long report query must not time out).
        "read_timeout": connect_timeout,
        "write_timeout": connect_timeout,
        "charset": "utf8mb4",
        # Stored times are UTC (db/types.py); so is every session's clock.
        "init_command": "SET time_zone = '+00:00'",
    }
    if mode == "verify":
        args["ssl"] = {"ca": tls.ca_file} if tls.ca_file else {}
        args["ssl_verify_cert"] = True
        args["ssl_verify_identity"] = True
    return args


def _sqlite_engine(url: URL, allow_network_share: bool) -> Engine:
    database = url.database or ""
    if database and database != ":memory:" and not allow_network_share:
        fs_type = network_filesystem_of(Path(database))
        if fs_type:
            raise NetworkShareRefused(
                f"The workspace {Path(database).name} is on a network share ({fs_type}). "
                "SQLite cannot lock files reliably there and the workspace would get corrupted. "
                "Keep the file on this computer, or use a PostgreSQL server for a shared team."
            )
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below): pysqlite's implicit transactions defer locking.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if database not in ("", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the write lock up front, so two writers queue on busy_timeout instead
        # of failing with "database is locked" when a read lock cannot be upgraded.
        write = connection.get_execution_options().get("deskapp_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


# ----------------------------------------------------------------- link facts for the status bar
def connection_is_encrypted(engine: Engine) -> bool | None:
    """True/False for a server link; None for a local file (no link to encrypt)."""
    dialect = engine.dialect.name
    if dialect == "sqlite":
        return None
    with engine.connect() as conn:
        if dialect == "postgresql":
            row = conn.execute(text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"))
            return bool(row.scalar())
        cipher = conn.execute(text("SHOW SESSION STATUS LIKE 'Ssl_cipher'")).first()
        return bool(cipher and cipher[1])


# ----------------------------------------------------------------- errors people can act on
def explain_connection_error(exc: BaseException, url: URL) -> ConnectionFailed:
    """Translate a driver error into a message that says what happened and what to do."""
    message = str(getattr(exc, "orig", exc) or exc).lower()
    where = f"{url.host or 'localhost'}:{url.port or _default_port(url)}"
    who = url.username or "you"
    if "access denied" in message and "to database" in message:
        text_ = (
            f"{who} signed in at {where}, but has no rights on the database “{url.database}”. "
            "Ask your Deskapp admin to add you to this workspace."
        )
    elif "password authentication failed" in message or "access denied" in message:
        # PostgreSQL words an expired password (VALID UNTIL) exactly like a wrong one.
        text_ = (
            f"The server at {where} did not accept the password for {who}. Check it and try "
            f"again. A temporary password from your admin works for {TEMPORARY_PASSWORD_HOURS} "
            "hours only: if yours is older, ask them for a new one."
        )
    elif "timeout" in message or "timed out" in message:
        text_ = (
            f"The server at {where} did not answer within the connect timeout. Check the host "
            "name and port, and that you are on the right network (VPN?)."
        )
    elif "refused" in message or "can't connect" in message or "could not connect" in message:
        text_ = (
            f"Nothing is accepting connections at {where}. Check the host name and port, or ask "
            "your admin whether the database server is running."
        )
    elif "does not exist" in message or "unknown database" in message:
        text_ = f"The server at {where} has no database “{url.database}”. Check its name."
    elif "certificate" in message or "ssl" in message or "tls" in message:
        text_ = (
            f"The secure connection to {where} could not be verified ({_first_line(exc)}). "
            "Ask your admin for the server's certificate authority file (the CA file), or "
            "choose another Security setting (--tls-mode) if you trust this network."
        )
    elif "name or service not known" in message or "could not translate host" in message:
        text_ = f"The host name “{url.host}” could not be found. Check its spelling."
    else:
        text_ = f"Could not connect to {redact_url(url)}: {_first_line(exc)}"
    return ConnectionFailed(text_)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def _default_port(url: URL) -> int:
    return 5432 if url.get_backend_name() == "postgresql" else 3306


def is_disconnect(exc: BaseException) -> bool:
    """Did this error come from a lost connection (worth reconnecting and retrying)?"""
    if isinstance(exc, ConnectionLost):  # the retries gave up: still a lost connection
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        text_ = str(exc.orig).lower()
        return any(
            marker in text_
            for marker in (
                "server closed the connection",
                "connection refused",
                "terminating connection",
                "consuming input failed",
                "lost connection",
                "server has gone away",
                "connection is lost",
                "the connection is closed",
                "timeout expired",
                "could not receive data",
                "ssl syscall error",
                "connection reset",
                "broken pipe",
                "the database system is starting up",
                "the database system is shutting down",
            )
        )
    return isinstance(exc, ConnectionError)


# ----------------------------------------------------------------- SQL-on-GUI-thread guard
class SqlOnForbiddenThread(RuntimeError):
    pass


def forbid_sql_on_thread(
    engine: Engine, thread: threading.Thread, report: Callable[[str], None] | None = None
) -> None:
    """Make any statement executed on ``thread`` (the GUI thread) an error, or report it."""

    @event.listens_for(engine, "before_cursor_execute")
    def _guard(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.current_thread() is thread:
            first = statement.strip().split("\n", 1)[0][:80]
            if report is not None:
                report(first)
                return
            raise SqlOnForbiddenThread(f"SQL ran on the GUI thread: {first}")
