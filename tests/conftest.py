"""Shared fixtures: Qt offscreen, an in-memory keychain, and a database per test per dialect.

``db`` runs a test on SQLite and PostgreSQL; ``@pytest.mark.dialects("sqlite", "postgresql",
"mariadb")`` chooses others (the dialect-sensitive tests add MariaDB).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from tests.helpers import databases

DEFAULT_DIALECTS = ("sqlite", "postgresql")


class MemoryKeyring(KeyringBackend):
    """A real keyring backend class that keeps secrets in memory, for tests only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_app_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Settings, logs and drafts go to a temporary home, never the developer's own."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DESKAPP_HOME", str(home))
    return home


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "dialects(*names): run the db fixture on these dialects")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("dialects")
        dialects = marker.args if marker else DEFAULT_DIALECTS
        metafunc.parametrize("db", dialects, indirect=True)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory):
    return databases.build_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgresql_template():
    databases.require_server("postgresql")
    yield databases.build_postgresql_template()
    databases.remove_this_run("postgresql")


@pytest.fixture(scope="session")
def mariadb_template():
    databases.require_server("mariadb")
    yield databases.build_mariadb_template()
    databases.remove_this_run("mariadb")


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[databases.TestDatabase]:
    """A fresh workspace for this test, seeded with team "Support" and the PEOPLE logins."""
    dialect = request.param
    if dialect == "sqlite":
        template, team_id = request.getfixturevalue("sqlite_template")
        database = databases.new_sqlite_database(template, tmp_path, team_id)
        yield database
        database.close()
    elif dialect == "postgresql":
        yield from databases.new_postgresql_database(request.getfixturevalue("postgresql_template"))
    else:
        yield from databases.new_mariadb_database(request.getfixturevalue("mariadb_template"))
