"""Opening a workspace: an SQLite file or a server database, checked and migrated as allowed.

The app migrates an SQLite workspace itself (after a backup). A server is migrated only by an
admin with ``deskapp db upgrade``; anyone else is told what to ask for.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from deskapp.db import migrate
from deskapp.db.engine import (
    CONNECT_TIMEOUT_SECONDS,
    TlsOptions,
    connection_is_encrypted,
    explain_connection_error,
    make_engine,
)
from deskapp.db.urls import describe, is_sqlite
from deskapp.domain.errors import (
    DeskappError,
    NotADeskappWorkspace,
    UpgradeRequired,
    WorkspaceError,
)


@dataclass(frozen=True)
class Workspace:
    """An open database. Services take it as their first argument; it holds no session."""

    engine: Engine
    url: URL
    name: str
    encrypted: bool | None  # None: a local file, no link to encrypt
    backup_made: Path | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_server(self) -> bool:
        return self.dialect != "sqlite"

    def close(self) -> None:
        self.engine.dispose()


def open_workspace(
    url: URL,
    *,
    password: str | None = None,
    tls: TlsOptions | None = None,
    may_upgrade_server: bool = False,
    connect_timeout: int | None = None,
) -> Workspace:
    """Connect, check the schema and migrate where allowed. Raises DeskappError subclasses."""
    if is_sqlite(url):
        _preflight_sqlite_file(Path(url.database or ""))
    engine = make_engine(
        url, password=password, tls=tls, connect_timeout=connect_timeout or CONNECT_TIMEOUT_SECONDS
    )
    try:
        with engine.connect() as conn:
            state = migrate.read_schema_state(conn)
        backup = None
        if state.needs_upgrade:
            if not (is_sqlite(url) or may_upgrade_server):
                raise UpgradeRequired(
                    f"The workspace {describe(url)} uses database schema "
                    f"{state.current or 'none'} and this Deskapp needs schema {state.head}. Ask "
                    "your Deskapp admin to run `deskapp db upgrade` on the server, then sign in "
                    "again."
                )
            backup = migrate.upgrade(engine)
        encrypted = None if is_sqlite(url) else connection_is_encrypted(engine)
    except DBAPIError as exc:
        engine.dispose()
        if is_sqlite(url):
            raise _unreadable_sqlite(Path(url.database or ""), exc) from exc
        raise explain_connection_error(exc, url) from exc
    except DeskappError:
        engine.dispose()
        raise
    return Workspace(engine, url, describe(url), encrypted, backup)


def _preflight_sqlite_file(path: Path) -> None:
    """Look at an existing file read-only first: never touch (not even switch to WAL) a file
    that turns out not to be a Deskapp workspace, or to be one too new for this Deskapp."""
    if not path.exists() or path.stat().st_size == 0:
        if not path.parent.exists():
            raise WorkspaceError(f"The folder {path.parent} does not exist.")
        return
    uri = migrate.read_only_uri(path)
    probe = create_engine(
        "sqlite+pysqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool
    )
    try:
        with probe.connect() as conn:
            names = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
            if names and "alembic_version" not in names:
                raise NotADeskappWorkspace(
                    f"{path.name} is an SQLite database of another application, not a Deskapp "
                    "workspace. It was not changed. Choose a Deskapp workspace or a new file name."
                )
            migrate.read_schema_state(conn)  # NotADeskappWorkspace, WorkspaceTooNew
    except DBAPIError as exc:
        raise _unreadable_sqlite(path, exc) from exc
    finally:
        probe.dispose()


def is_damaged_sqlite(exc: BaseException) -> bool:
    """Is this SQLite telling us the file's pages are garbage (not merely busy or locked)?"""
    orig = getattr(exc, "orig", exc)
    message = str(orig).lower()
    return isinstance(orig, sqlite3.DatabaseError) and (
        "malformed" in message or "not a database" in message
    )


def damaged_workspace(name: str) -> WorkspaceError:
    return WorkspaceError(
        f"The workspace {name} is damaged: SQLite reports that parts of the file are unreadable. "
        "Deskapp stopped without saving anything more to it. Close Deskapp, keep a copy of the "
        "damaged file, and restore the workspace from its latest backup (Deskapp keeps one "
        "beside the workspace before each upgrade), or ask your admin for help."
    )


def _unreadable_sqlite(path: Path, exc: BaseException) -> WorkspaceError:
    message = str(getattr(exc, "orig", exc)).lower()
    if "malformed" in message:
        return damaged_workspace(path.name)
    if "locked" in message or "busy" in message:
        return WorkspaceError(
            f"{path.name} is busy: another program is writing to it. Try again in a moment."
        )
    return NotADeskappWorkspace(
        f"{path.name} is not a Deskapp workspace: it is not an SQLite database, or it is "
        "damaged. The file was not changed. Open another file, or restore it from a backup "
        "(Deskapp keeps one beside the workspace before each upgrade)."
    )
