"""A server workspace from nothing, and where a person's server password comes from.

PostgreSQL here trusts local connections, so the password sources are proven on MariaDB, which
always checks passwords.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from deskapp import credentials
from deskapp.cli import exit_codes
from deskapp.cli.connect import PASSWORD_ENV
from deskapp.db.migrate import head_revision
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Role
from deskapp.services import auth, users
from deskapp.services.workspace import open_workspace
from tests.cli.conftest import (
    Run,
    ServerDatabase,
    create_server_database,
    drop_server_database,
)
from tests.helpers.databases import PASSWORD

pytestmark = pytest.mark.server


def test_owner_upgrades_a_new_postgresql_database_and_adds_a_person_who_can_then_connect(
    deskapp: Run, postgresql_database: ServerDatabase, monkeypatch: pytest.MonkeyPatch
):
    owner = postgresql_database.address()
    upgraded = deskapp("db upgrade --db", owner)
    assert upgraded.code == exit_codes.OK, upgraded.err
    assert f"schema none → {head_revision()}" in upgraded.out

    assert deskapp("admin team add Support --time-zone Europe/Amsterdam --db", owner).code == 0
    login = postgresql_database.new_login("dana")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    added = deskapp(
        f"admin user add {login} --name 'Dana Scully' --role rep --team Support "
        "--password-stdin --db",
        owner,
    )
    assert added.code == exit_codes.OK, added.err

    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    as_dana = deskapp("db current --db", postgresql_database.address(login))
    assert as_dana.code == exit_codes.OK, as_dana.err
    assert f"Schema:           {head_revision()}" in as_dana.out

    # Dana is a rep: she is refused the admin's work, in plain words.
    refused = deskapp("admin team add Rogue --db", postgresql_database.address(login))
    assert refused.code == exit_codes.ERROR
    assert "Only an admin can create teams" in refused.err


# ------------------------------------------------------------------------------ passwords
@pytest.fixture(scope="module")
def mariadb_person() -> Iterator[tuple[ServerDatabase, str]]:
    """A migrated MariaDB workspace with one rep whose login has PASSWORD."""
    database = create_server_database("mariadb")
    login = database.new_login("pw")
    try:
        ws = open_workspace(parse_db_url(database.address()), may_upgrade_server=True)
        try:
            users.add_user(
                ws,
                auth.setup_actor(ws),
                login=login,
                display_name="Pat Password",
                role=Role.REP,
                password=PASSWORD,
            )
        finally:
            ws.close()
        yield database, login
    finally:
        drop_server_database(database)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_with_no_password_anywhere_a_script_is_told_how_to_give_one(deskapp: Run, mariadb_person):
    database, login = mariadb_person
    result = deskapp("db current --db", database.address(login))
    assert result.code == exit_codes.ERROR
    assert f"wants a password for {login}" in result.err
    assert PASSWORD_ENV in result.err


def test_the_password_remembered_in_the_keychain_is_used_first(
    deskapp: Run, mariadb_person, monkeypatch: pytest.MonkeyPatch, memory_keyring
):
    database, login = mariadb_person
    address = database.address(login)
    assert credentials.remember_password(parse_db_url(address), PASSWORD)
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password")  # the keychain wins over the environment
    result = deskapp("db current --db", address)
    assert result.code == exit_codes.OK, result.err


def test_the_password_from_the_environment_serves_scripts(
    deskapp: Run, mariadb_person, monkeypatch: pytest.MonkeyPatch
):
    database, login = mariadb_person
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    assert deskapp("db current --db", database.address(login)).code == exit_codes.OK


def test_a_wrong_password_is_explained_without_echoing_it(
    deskapp: Run, mariadb_person, monkeypatch: pytest.MonkeyPatch
):
    database, login = mariadb_person
    monkeypatch.setenv(PASSWORD_ENV, "wrong-password-123")
    result = deskapp("db current --db", database.address(login))
    assert result.code == exit_codes.ERROR
    assert f"did not accept the password for {login}" in result.err
    assert "wrong-password-123" not in result.out + result.err


def test_a_person_at_the_terminal_is_asked_once(
    deskapp: Run, mariadb_person, monkeypatch: pytest.MonkeyPatch
):
    database, login = mariadb_person
    prompts: list[str] = []
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": prompts.append(prompt) or PASSWORD)
    result = deskapp("db current --db", database.address(login))
    assert result.code == exit_codes.OK, result.err
    assert prompts == [f"Password for {login} on {database.name} on {database.superuser.host}: "]


def test_an_outdated_keychain_password_is_asked_for_again_at_the_terminal(
    deskapp: Run, mariadb_person, monkeypatch: pytest.MonkeyPatch
):
    database, login = mariadb_person
    address = database.address(login)
    credentials.remember_password(parse_db_url(address), "an-old-password")
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)
    result = deskapp("db current --db", address)
    assert result.code == exit_codes.OK, result.err
    assert "remembered in your keychain was not accepted" in result.err
