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
# login, display name, role
PEOPLE = [
    ("dkt_admin", "Ada Admin", Role.ADMIN),
    ("dkt_lead", "Lee Lead", Role.LEAD),
    ("dkt_rep", "Rae Rep", Role.REP),
    ("dkt_rep2", "Ray Rep", Role.REP),
]
TEAM_NAME = "Support"
TEMPLATE = "deskapp_tpl"
PREFIX = "deskapp_t_"
_counter = itertools.count(1)


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

    def open(self, login: str = "dkt_rep") -> Workspace:
        if self.dialect == "sqlite":
            ws = open_workspace(self.url)
        else:
            ws = open_workspace(self.url.set(username=login), password=PASSWORD)
        self._opened.append(ws)
        return ws

    def sign_in(self, login: str = "dkt_rep") -> tuple[Workspace, Actor]:
        ws = self.open(login)
        return ws, auth.sign_in(ws, login)

    def close(self) -> None:
        for ws in self._opened:
            ws.close()


# ----------------------------------------------------------------------- templates
def _seed(ws: Workspace) -> uuid.UUID:
    setup = auth.setup_actor(ws)
    team = teams.create_team(ws, setup, TEAM_NAME, time_zone="Europe/Amsterdam")
    for login, name, role in PEOPLE:
        users.add_user(
            ws, setup, login=login, display_name=name, role=role, team_id=team.id,
            password=PASSWORD if ws.is_server else None,
        )  # fmt: skip
    return team.id


def build_sqlite_template(folder: Path) -> tuple[Path, uuid.UUID]:
    path = folder / "template.sqlite"
    ws = open_workspace(parse_db_url(str(path)))
    team_id = _seed(ws)
    ws.close()
    return path, team_id


def _drop_test_people_postgresql(conn) -> None:  # type: ignore[no-untyped-def]
    for login, _, _ in PEOPLE:
        conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))


def build_postgresql_template() -> uuid.UUID:
    engine = superuser_engine("postgresql")
    with engine.connect() as conn:
        stale = conn.execute(
            text("SELECT datname FROM pg_database WHERE datname LIKE 'deskapp\\_t%'")
        ).scalars()
        for name in list(stale):
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        _drop_test_people_postgresql(conn)
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
        for name in conn.execute(text("SHOW DATABASES LIKE 'deskapp\\_t%'")).scalars().all():
            conn.execute(text(f"DROP DATABASE `{name}`"))
        for login, _, _ in PEOPLE:
            conn.execute(text(f"DROP USER IF EXISTS '{login}'@'%'"))
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
