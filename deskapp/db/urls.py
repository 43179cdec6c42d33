"""Turning what a user types (a path, ``postgresql://dana@db.example/deskapp``) into a URL.

This is the one place that knows which driver serves which database, and the one place that
refuses a password inside the address: it would land in shell history, the process list and logs.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from deskapp.domain.errors import ConfigurationError

_DRIVERS = {
    "sqlite": "sqlite+pysqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mariadb": "mariadb+pymysql",
    "mysql": "mariadb+pymysql",
}
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", ""})

CREDENTIALS_IN_ADDRESS = (
    "Please leave the password out of the database address: it would be kept in your shell "
    "history and be visible to other programs. Deskapp asks for it when it connects (and can "
    "remember it in your system keychain); scripts can set DESKAPP_DB_PASSWORD instead."
)


def parse_db_url(text: str | Path) -> URL:
    """A SQLAlchemy URL with our driver for the database named, or a ConfigurationError."""
    raw = str(text).strip()
    if not raw:
        raise ConfigurationError("No database given. Use a file path or a server address.")
    if "://" not in raw:
        return URL.create("sqlite+pysqlite", database=str(Path(raw).expanduser().resolve()))
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise ConfigurationError(f"“{redact_url(raw)}” is not a database address.") from exc
    if url.password is not None:
        raise ConfigurationError(CREDENTIALS_IN_ADDRESS)
    backend = url.get_backend_name()
    driver = _DRIVERS.get(backend)
    if driver is None:
        raise ConfigurationError(
            f"Deskapp works with SQLite, PostgreSQL and MariaDB, not “{backend}”."
        )
    url = url.set(drivername=driver)
    if backend == "sqlite" and url.database and url.database != ":memory:":
        url = url.set(database=str(Path(url.database).expanduser().resolve()))
    return url


def redact_url(text: str | URL) -> str:
    """The address with any password replaced, safe for messages and logs."""
    try:
        url = text if isinstance(text, URL) else make_url(text)
    except ArgumentError:
        return "<unreadable address>"
    return url.render_as_string(hide_password=True)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def is_local_host(url: URL) -> bool:
    return (url.host or "") in LOCAL_HOSTS or (url.host or "").startswith("/")


def describe(url: URL) -> str:
    """How the status bar names a workspace: a file name, or ``database on host``."""
    if is_sqlite(url):
        return Path(url.database or "").name or "in-memory workspace"
    return f"{url.database} on {url.host or 'localhost'}"
