"""``deskapp admin isolation [on|off]``: an admin's switch, PostgreSQL workspaces only."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from deskapp.cli import exit_codes
from deskapp.cli.connect import PASSWORD_ENV
from tests.cli.conftest import Run, ServerDatabase
from tests.helpers.databases import PASSWORD


def test_a_local_workspace_says_isolation_needs_postgresql(deskapp: Run, tmp_path: Path):
    workspace = str(tmp_path / "desk.sqlite")
    assert deskapp("admin team add Support --db", workspace).code == exit_codes.OK

    refused = deskapp("admin isolation on --db", workspace)
    assert refused.code == exit_codes.ERROR
    assert "needs a PostgreSQL workspace" in refused.err

    shown = deskapp("admin isolation --db", workspace)
    assert shown.code == exit_codes.OK, shown.err
    assert "Team isolation is off" in shown.out


def test_an_admin_switches_isolation_on_a_server_and_a_rep_cannot(
    deskapp: Run, postgresql_database: ServerDatabase, monkeypatch: pytest.MonkeyPatch
):
    owner = postgresql_database.address()
    assert deskapp("db upgrade --db", owner).code == exit_codes.OK
    assert deskapp("admin team add Support --db", owner).code == exit_codes.OK
    rep = postgresql_database.new_login("rep")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    added = deskapp(
        f"admin user add {rep} --name Rae --role rep --team Support --password-stdin --db", owner
    )
    assert added.code == exit_codes.OK, added.err

    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    refused = deskapp("admin isolation on --db", postgresql_database.address(rep))
    assert refused.code == exit_codes.ERROR
    assert "Only an admin" in refused.err
    monkeypatch.delenv(PASSWORD_ENV)

    switched = deskapp("admin isolation on --db", owner)
    assert switched.code == exit_codes.OK, switched.err
    assert "Team isolation is on" in switched.out
    assert "already on" in deskapp("admin isolation on --db", owner).out
    assert "Team isolation is on" in deskapp("admin isolation --db", owner).out
    assert "Team isolation is off" in deskapp("admin isolation off --db", owner).out
