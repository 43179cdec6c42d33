"""Opening a workspace: an SQLite file or a server database, checked and migrated as allowed.

The app migrates an SQLite workspace itself (after a backup). A server is migrated only by an
admin with ``deskapp db upgrade``; anyone else is told what to ask for.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from deskapp.db import migrate
from deskapp.db.engine import (
    CONNECT_TIMEOUT_SECONDS,
    TlsOptions,
    connection_is_encrypted,
    explain_connection_error,
    make_engine,
)
from deskapp.db.urls import describe, is_sqlite
from deskapp.domain.errors import NotADeskappWorkspace, UpgradeRequired, WorkspaceError


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
    except DBAPIError as exc:
        engine.dispose()
        if is_sqlite(url):
            raise _not_a_workspace(Path(url.database or "")) from exc
        raise explain_connection_error(exc, url) from exc
    except WorkspaceError:
        engine.dispose()
        raise
    backup = None
    if state.needs_upgrade:
        if is_sqlite(url) or may_upgrade_server:
            backup = migrate.upgrade(engine)
        else:
            engine.dispose()
            raise UpgradeRequired(
                f"The workspace {describe(url)} uses database schema {state.current or 'none'} "
                f"and this Deskapp needs schema {state.head}. Ask your Deskapp admin to run "
                "`deskapp db upgrade` on the server, then sign in again."
            )
    encrypted = None if is_sqlite(url) else connection_is_encrypted(engine)
    return Workspace(engine, url, describe(url), encrypted, backup)


def _preflight_sqlite_file(path: Path) -> None:
    """Look at an existing file read-only first: never touch (not even switch to WAL) a file
    that turns out not to be a Deskapp workspace."""
    if not path.exists() or path.stat().st_size == 0:
        if not path.parent.exists():
            raise WorkspaceError(f"The folder {path.parent} does not exist.")
        return
    try:
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = {row[0] for row in probe.execute("SELECT name FROM sqlite_master")}
        finally:
            probe.close()
    except sqlite3.DatabaseError as exc:
        raise _not_a_workspace(path) from exc
    if names and "alembic_version" not in names:
        raise NotADeskappWorkspace(
            f"{path.name} is an SQLite database of another application, not a Deskapp "
            "workspace. It was not changed. Choose a Deskapp workspace or a new file name."
        )


def _not_a_workspace(path: Path) -> NotADeskappWorkspace:
    return NotADeskappWorkspace(
        f"{path.name} is not a Deskapp workspace: it is not an SQLite database, or it is "
        "damaged. The file was not changed. Open another file, or restore it from a backup "
        "(Deskapp keeps one beside the workspace before each upgrade)."
    )
