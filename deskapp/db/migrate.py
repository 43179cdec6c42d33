"""Schema migrations with guard rails (DESIGN.md §4).

- A database written by a newer Deskapp is refused, naming both schema versions.
- An SQLite workspace is copied with the online backup API before it is upgraded.
- Concurrent upgrades of one server are serialized (PostgreSQL advisory lock, MariaDB GET_LOCK).
- On PostgreSQL the tables belong to ``deskapp_owner``, a role no person signs in as.

Alembic (with Mako and Pygments, ~150 ms) is imported only to upgrade or to explain a schema
that is not this Deskapp's newest: opening a workspace that is up to date reads the version
with plain SQL, and the newest revision from the revision scripts' file names.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import Connection, Engine, Table, inspect, select, text
from sqlalchemy.exc import DBAPIError

from deskapp import __version__
from deskapp.db import roles
from deskapp.db.engine import WRITE_OPTIONS
from deskapp.db.models import WorkspaceSetting
from deskapp.domain.errors import (
    DeskappError,
    NotADeskappWorkspace,
    PermissionDenied,
    WorkspaceTooNew,
)

if TYPE_CHECKING:
    from alembic.config import Config

_MIGRATIONS = "deskapp.db:migrations"
# A revision script is named after its revision id: versions/0006_case_view.py is "0006".
_REVISION_SCRIPT = re.compile(r"(\d{4})_\w+\.py")
_WRITTEN_BY_KEY = "schema.written_by"
_LOCK_ID = 0x6465736B  # "desk": one advisory lock id for Deskapp migrations


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    # Config's default stream is sys.stdout as it was when Alembic was first imported, which
    # is no longer the first thing Deskapp does: name the current one.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", _MIGRATIONS)
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision, from the file names in the same place Alembic looks
    (tests/db/test_migrations.py checks that it is Alembic's own single head)."""
    versions = resources.files("deskapp.db") / "migrations" / "versions"
    revisions = [
        match.group(1)
        for entry in versions.iterdir()
        if (match := _REVISION_SCRIPT.fullmatch(entry.name)) is not None
    ]
    if not revisions:
        raise DeskappError(f"This Deskapp is incomplete: no schema revisions in {versions}.")
    return max(revisions)


def known_revisions() -> set[str]:
    """Every revision Alembic knows (imports Alembic: only for a schema that is not the head)."""
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


@dataclass(frozen=True)
class SchemaState:
    current: str | None  # None: no schema yet (an empty database, or one downgraded to base)
    head: str
    written_by: str | None  # the Deskapp version that last upgraded it
    has_tables: bool  # anything at all to lose (and so to back up before upgrading)

    @property
    def is_empty(self) -> bool:
        return not self.has_tables

    @property
    def needs_upgrade(self) -> bool:
        return self.current != self.head


def read_schema_state(connection: Connection) -> SchemaState:
    """What this database holds, or NotADeskappWorkspace / WorkspaceTooNew."""
    head = head_revision()
    tables = set(inspect(connection).get_table_names())
    if not tables:
        return SchemaState(current=None, head=head, written_by=None, has_tables=False)
    if "alembic_version" not in tables:
        raise NotADeskappWorkspace(
            "This database already holds tables of another application, so it is not a Deskapp "
            "workspace. Nothing was changed. Choose an empty database or a Deskapp workspace."
        )
    current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    written_by = None
    if "workspace_settings" in tables:
        written_by = connection.execute(
            select(WorkspaceSetting.value).where(WorkspaceSetting.key == _WRITTEN_BY_KEY)
        ).scalar()
    if current is not None and current != head and current not in known_revisions():
        if written_by is None:
            # Every Deskapp upgrade records its version: this is another Alembic-using app.
            raise NotADeskappWorkspace(
                f"This database holds another application's tables (schema {current}), so it "
                "is not a Deskapp workspace. Nothing was changed. Choose an empty database or "
                "a Deskapp workspace."
            )
        raise WorkspaceTooNew(
            f"This workspace uses database schema {current} (written by Deskapp {written_by}), "
            f"which is newer than this Deskapp {__version__} understands (schema {head}). "
            "Nothing was changed. Update Deskapp to open it."
        )
    if current is None and tables - {"alembic_version"}:
        # Tables but no schema version: an upgrade that died half-way (MariaDB cannot roll DDL
        # back) or someone else's tables. Migrating would fail on "table already exists".
        raise NotADeskappWorkspace(
            "This database holds tables but no Deskapp schema version, so Deskapp cannot tell "
            "what it contains. Nothing was changed. If an upgrade of this workspace was "
            "interrupted, restore it from its backup; otherwise choose an empty database."
        )
    return SchemaState(current=current, head=head, written_by=written_by, has_tables=True)


def upgrade(engine: Engine, *, backup_dir: Path | None = None) -> Path | None:
    """Bring the database to the newest schema. Returns the SQLite backup made, if any."""
    if engine.dialect.name == "sqlite":
        return _upgrade_sqlite(engine, backup_dir)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
            if read_schema_state(conn).needs_upgrade:
                _as_owner(conn)
                _run_alembic(conn)
        return None
    with engine.connect() as conn:  # MariaDB: DDL commits by itself, the lock is per session
        locked = conn.execute(text("SELECT GET_LOCK('deskapp.migrate', 120)")).scalar()
        if locked != 1:
            raise DeskappError(
                "Another Deskapp has been upgrading this server's workspaces for two minutes. "
                "Wait until it has finished, then try again."
            )
        try:
            needs_upgrade = read_schema_state(conn).needs_upgrade
            conn.commit()
            if needs_upgrade:
                with conn.begin():
                    _run_alembic(conn)
        finally:
            conn.execute(text("SELECT RELEASE_LOCK('deskapp.migrate')"))
            conn.commit()
    return None


def _upgrade_sqlite(engine: Engine, backup_dir: Path | None) -> Path | None:
    with engine.connect() as probe:
        state = read_schema_state(probe)
    if not state.needs_upgrade:
        return None
    backup = None
    if state.has_tables:
        backup = backup_sqlite(Path(engine.url.database or ""), state, backup_dir)
    with engine.execution_options(**WRITE_OPTIONS).begin() as conn:
        if read_schema_state(conn).needs_upgrade:  # another process may have done it meanwhile
            _run_alembic(conn)
    return backup


def backup_sqlite(database: Path, state: SchemaState, backup_dir: Path | None = None) -> Path:
    """A consistent copy taken with SQLite's online backup API (safe while others read)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = backup_dir or database.parent
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{database.stem}.before-schema-{state.head}.{stamp}.backup.sqlite"
    source = sqlite3.connect(read_only_uri(database), uri=True)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()
    return target


def read_only_uri(database: Path) -> str:
    """An SQLite URI that opens ``database`` read-only, whatever characters its name holds
    (a "#" or "?" in a plain ``file:`` URI would cut the path short)."""
    return f"file:{quote(str(database.resolve()))}?mode=ro"


def _as_owner(conn: Connection) -> None:
    """Create the group roles if needed, then act as the owner role for the DDL that follows."""
    try:
        roles.ensure_postgresql_group_roles(conn)
        conn.execute(text(f"SET LOCAL ROLE {roles.OWNER_ROLE}"))
    except DBAPIError as exc:
        raise PermissionDenied(
            "Upgrading the workspace needs the database's owner or superuser account. Run "
            "`deskapp db upgrade --db postgresql://ADMIN@HOST/DATABASE` with such an account."
        ) from exc


def _run_alembic(conn: Connection) -> None:
    from alembic import command

    command.upgrade(alembic_config(conn), "head")
    _record_written_by(conn)


def _record_written_by(conn: Connection) -> None:
    table = WorkspaceSetting.__table__
    assert isinstance(table, Table)
    updated = conn.execute(
        table.update().where(table.c.key == _WRITTEN_BY_KEY).values(value=__version__)
    )
    if updated.rowcount == 0:
        conn.execute(table.insert().values(key=_WRITTEN_BY_KEY, value=__version__))
