"""``deskapp db upgrade`` and ``deskapp db current`` on real SQLite files and real servers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from deskapp import __version__
from deskapp.cli import exit_codes
from deskapp.cli.connect import PASSWORD_ENV
from deskapp.db.migrate import head_revision
from tests.cli.conftest import Run, ServerDatabase
from tests.helpers.databases import PASSWORD, login_of


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}


# ------------------------------------------------------------------------------ SQLite
def test_upgrade_creates_a_local_workspace_and_current_then_reports_it_up_to_date(
    deskapp: Run, tmp_path: Path
):
    path = tmp_path / "team.sqlite"
    upgraded = deskapp("db upgrade --db", str(path))
    assert upgraded.code == exit_codes.OK, upgraded.err
    assert f"team.sqlite: schema none → {head_revision()}" in upgraded.out
    assert "alembic_version" in _tables(path)

    # The connection options may come before the command as well.
    current = deskapp("--db", str(path), "db", "current")
    assert current.code == exit_codes.OK, current.err
    assert f"Schema:           {head_revision()}" in current.out
    assert f"Last written by:  Deskapp {__version__}" in current.out
    assert "Up to date." in current.out


def test_without_db_the_commands_use_this_computers_own_workspace(deskapp: Run, isolated_app_dirs):
    assert deskapp("db upgrade").code == exit_codes.OK
    assert (isolated_app_dirs / "data" / "workspace.sqlite").is_file()
    assert deskapp("db current").code == exit_codes.OK


def test_upgrading_an_up_to_date_workspace_changes_nothing(deskapp: Run, tmp_path: Path):
    path = tmp_path / "team.sqlite"
    deskapp("db upgrade --db", str(path))
    before = sorted(p.name for p in tmp_path.iterdir())
    again = deskapp("db upgrade --db", str(path))
    assert again.code == exit_codes.OK
    assert "already up to date" in again.out
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no backup of an unchanged file


def test_current_on_a_missing_file_says_so_and_creates_nothing(deskapp: Run, tmp_path: Path):
    path = tmp_path / "typo.sqlite"
    result = deskapp("db current --db", str(path))
    assert result.code == exit_codes.ERROR
    assert f"There is no workspace at {path}" in result.err
    assert not path.exists()


def test_current_on_an_empty_file_reports_an_upgrade_needed_and_migrates_nothing(
    deskapp: Run, tmp_path: Path
):
    path = tmp_path / "new.sqlite"
    path.touch()
    result = deskapp("db current --db", str(path))
    assert result.code == exit_codes.UPGRADE_NEEDED
    assert "none (an empty database)" in result.out
    assert "deskapp db upgrade" in result.out
    assert _tables(path) == set()


def test_current_refuses_another_applications_file_without_touching_it(
    deskapp: Run, tmp_path: Path
):
    path = tmp_path / "accounts.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY)")
    conn.close()
    content = path.read_bytes()
    for command in ("current", "upgrade"):
        result = deskapp(f"db {command} --db", str(path))
        assert result.code == exit_codes.ERROR
        assert "not a Deskapp workspace" in result.err
    assert path.read_bytes() == content


def test_current_on_a_workspace_from_a_newer_deskapp_explains_and_exits_1(
    deskapp: Run, tmp_path: Path
):
    path = tmp_path / "team.sqlite"
    deskapp("db upgrade --db", str(path))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    for command in ("current", "upgrade"):
        result = deskapp(f"db {command} --db", str(path))
        assert result.code == exit_codes.ERROR
        assert "newer than this Deskapp" in result.err
        assert "Traceback" not in result.err


# ------------------------------------------------------------------------------ servers
@pytest.mark.server
def test_on_a_server_current_changes_nothing_and_the_owner_upgrades(
    deskapp: Run, server_database: ServerDatabase
):
    address = server_database.address()
    before = deskapp("db current --db", address)
    assert before.code == exit_codes.UPGRADE_NEEDED, before.err
    assert server_database.table_names() == set()  # looking never migrates

    upgraded = deskapp("db upgrade --db", address)
    assert upgraded.code == exit_codes.OK, upgraded.err
    assert f"{server_database.name} on " in upgraded.out
    assert f"schema none → {head_revision()}" in upgraded.out
    assert "copy of the workspace" not in upgraded.out  # backups are for SQLite files

    after = deskapp("db current --db", address)
    assert after.code == exit_codes.OK
    assert f"Deskapp {__version__}" in after.out


@pytest.mark.server
@pytest.mark.dialects("postgresql")
def test_a_person_who_is_not_the_owner_cannot_upgrade_and_is_told_who_can(
    deskapp: Run, db, postgresql_database: ServerDatabase, monkeypatch: pytest.MonkeyPatch
):
    # The rep's login exists server-wide (made for db's workspace); the new database is empty.
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    result = deskapp("db upgrade --db", postgresql_database.address(login_of("rep")))
    assert result.code == exit_codes.ERROR
    assert "needs the database's owner or superuser account" in result.err
    assert postgresql_database.table_names() == set()
