"""Test databases: one migrated template per dialect per run, copied for every test.

Server URLs come from the environment (``.ci/run`` sets them):
  DESKAPP_TEST_POSTGRES_URL  a superuser URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres
  DESKAPP_TEST_MARIADB_URL   e.g. mariadb://root@127.0.0.1:3306/test
Without them server tests skip, unless DESKAPP_REQUIRE_SERVERS=1 (CI), where they fail.

Every test that talks to a server signs in as one of PEOPLE: real logins with the rights of
their group role, never the superuser, so rights enforced by the database are always in force.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from deskapp.db import migrate
from deskapp.db.models import Base
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Role
from deskapp.services import auth, teams, users
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace, open_workspace

PASSWORD = "correct-horse-battery"
# Logins and databases are server-wide: everything a run creates carries its process id, so
# two runs (a developer's and a helper's) never trip over each other, and leftovers of a run
# that died are recognised and removed by the next one.
RUN = f"dkt{os.getpid()}"
# who (as tests name them), display name, role
PEOPLE = [
    ("admin", "Ada Admin", Role.ADMIN),
    ("lead", "Lee Lead", Role.LEAD),
    ("rep", "Rae Rep", Role.REP),
    ("rep2", "Ray Rep", Role.REP),
]
TEAM_NAME = "Support"
TEMPLATE = f"deskapp_tpl_{os.getpid()}"
PREFIX = f"deskapp_t_{os.getpid()}_"
_counter = itertools.count(1)


def login_of(who: str) -> str:
    """The real login of a test person: ``login_of("rep")`` → ``dkt1234_rep``."""
    return f"{RUN}_{who}"


def _dead_run(name: str, marker: str) -> bool:
    """Is ``name`` (deskapp_t_<pid>_..., dkt<pid>_...) left over by a process that is gone?"""
    match = re.match(rf"^{marker}(\d+)", name)
    if not match:
        return False
    pid = int(match.group(1))
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def server_url(dialect: str) -> URL | None:
    raw = os.environ.get(f"DESKAPP_TEST_{'POSTGRES' if dialect == 'postgresql' else 'MARIADB'}_URL")
    return make_url(raw) if raw else None


def require_server(dialect: str) -> URL:
    url = server_url(dialect)
    if url is None:
        reason = f"no {dialect} server configured (set DESKAPP_TEST_*_URL, see tests/helpers)"
        if os.environ.get("DESKAPP_REQUIRE_SERVERS") == "1":
            pytest.fail(f"server tests must run here: {reason}")
        pytest.skip(reason)
    return url


def superuser_engine(dialect: str, database: str | None = None):  # type: ignore[no-untyped-def]
    url = require_server(dialect)
    if database:
        url = url.set(database=database)
    return create_engine(
        parse_db_url(url.render_as_string(hide_password=False)),
        isolation_level="AUTOCOMMIT",
        poolclass=None,
    )


@dataclass
class TestDatabase:
    """One test's own workspace. ``open(login)`` signs in as that person."""

    dialect: str
    url: URL  # without a user: open() adds the person's login
    team_id: uuid.UUID
    _opened: list[Workspace] = field(default_factory=list)

    __test__ = False  # not a test class, whatever its name says

    def open(self, who: str = "rep") -> Workspace:
        """Open the workspace as ``who`` ("admin", "lead", "rep", "rep2" or a login)."""
        login = login_of(who) if who in WHO else who
        if self.dialect == "sqlite":
            ws = open_workspace(self.url)
        else:
            ws = open_workspace(self.url.set(username=login), password=PASSWORD)
        self._opened.append(ws)
        return ws

    def sign_in(self, who: str = "rep") -> tuple[Workspace, Actor]:
        ws = self.open(who)
        return ws, auth.sign_in(ws, login_of(who) if who in WHO else who)

    def close(self) -> None:
        for ws in self._opened:
            ws.close()


WHO = {who for who, _, _ in PEOPLE}


# ----------------------------------------------------------------------- templates
def _seed(ws: Workspace) -> uuid.UUID:
    setup = auth.setup_actor(ws)
    team = teams.create_team(ws, setup, TEAM_NAME, time_zone="Europe/Amsterdam")
    for who, name, role in PEOPLE:
        users.add_user(
            ws, setup, login=login_of(who), display_name=name, role=role, team_id=team.id,
            password=PASSWORD if ws.is_server else None,
        )  # fmt: skip
    return team.id


def build_sqlite_template(folder: Path) -> tuple[Path, uuid.UUID]:
    path = folder / "template.sqlite"
    ws = open_workspace(parse_db_url(str(path)))
    team_id = _seed(ws)
    ws.close()
    return path, team_id


def build_postgresql_template() -> uuid.UUID:
    engine = superuser_engine("postgresql")
    with engine.connect() as conn:
        _remove_postgresql_runs(conn, lambda name: _dead_run(name, "deskapp_t(?:pl)?_"),
                                lambda name: _dead_run(name, "dkt"))  # fmt: skip
        conn.execute(text(f'CREATE DATABASE "{TEMPLATE}"'))
    engine.dispose()
    admin_url = require_server("postgresql").set(database=TEMPLATE)
    ws = open_workspace(parse_db_url(admin_url.render_as_string(False)), may_upgrade_server=True)
    team_id = _seed(ws)
    ws.close()
    return team_id


def build_mariadb_template() -> uuid.UUID:
    engine = superuser_engine("mariadb")
    with engine.connect() as conn:
        _remove_mariadb_runs(conn, lambda name: _dead_run(name, "deskapp_t(?:pl)?_"),
                             lambda name: _dead_run(name, "dkt"))  # fmt: skip
        conn.execute(text(f"CREATE DATABASE `{TEMPLATE}`"))
    engine.dispose()
    admin_url = require_server("mariadb").set(database=TEMPLATE)
    ws = open_workspace(parse_db_url(admin_url.render_as_string(False)), may_upgrade_server=True)
    team_id = _seed(ws)
    ws.close()
    return team_id


# ----------------------------------------------------------------------- per-test copies
def new_sqlite_database(template: Path, folder: Path, team_id: uuid.UUID) -> TestDatabase:
    path = folder / f"workspace-{next(_counter)}.sqlite"
    shutil.copyfile(template, path)
    return TestDatabase("sqlite", parse_db_url(str(path)), team_id)


def new_postgresql_database(team_id: uuid.UUID) -> Iterator[TestDatabase]:
    name = f"{PREFIX}{os.getpid()}_{next(_counter)}"
    engine = superuser_engine("postgresql")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"'))
    url = parse_db_url(require_server("postgresql").set(database=name, username=None)
                       .render_as_string(False))  # fmt: skip
    database = TestDatabase("postgresql", url, team_id)
    try:
        yield database
    finally:
        database.close()
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def new_mariadb_database(team_id: uuid.UUID) -> Iterator[TestDatabase]:
    """MariaDB has no template databases: migrate a fresh one and copy the seed rows."""
    name = f"{PREFIX}{os.getpid()}_{next(_counter)}"
    engine = superuser_engine("mariadb")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}`"))
    root_url = parse_db_url(require_server("mariadb").set(database=name).render_as_string(False))
    migrated = create_engine(root_url)
    migrate.upgrade(migrated)
    migrated.dispose()
    with engine.connect() as conn:
        for table in ("teams", "users", "audit_events"):
            assert table in Base.metadata.tables
            conn.execute(text(f"INSERT INTO `{name}`.{table} SELECT * FROM `{TEMPLATE}`.{table}"))
    database = TestDatabase("mariadb", root_url.set(username=None), team_id)
    try:
        yield database
    finally:
        database.close()
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        engine.dispose()


# ----------------------------------------------------------------------- clean-up
def _remove_postgresql_runs(conn, database_gone, login_gone) -> None:  # type: ignore[no-untyped-def]
    names = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'deskapp_t%'"))
    for name in [n for n in names.scalars() if database_gone(n)]:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    logins = conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname LIKE 'dkt%'"))
    for login in [n for n in logins.scalars() if login_gone(n)]:
        conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))


def _remove_mariadb_runs(conn, database_gone, login_gone) -> None:  # type: ignore[no-untyped-def]
    for name in [n for n in conn.execute(text("SHOW DATABASES")).scalars() if database_gone(n)]:
        conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    logins = conn.execute(text("SELECT User FROM mysql.user WHERE User LIKE 'dkt%'")).scalars()
    for login in [n for n in logins if login_gone(n)]:
        conn.execute(text(f"DROP USER IF EXISTS '{login}'@'%'"))


def remove_this_run(dialect: str) -> None:
    """Drop the template, test databases and logins this process made (end of the session)."""
    mine = f"{os.getpid()}"
    engine = superuser_engine(dialect)
    with engine.connect() as conn:
        ours_db = lambda name: name.startswith((f"deskapp_t_{mine}_", f"deskapp_tpl_{mine}"))  # noqa: E731
        ours_login = lambda name: name.startswith(f"{RUN}_")  # noqa: E731
        if dialect == "postgresql":
            _remove_postgresql_runs(conn, ours_db, ours_login)
        else:
            _remove_mariadb_runs(conn, ours_db, ours_login)
    engine.dispose()
