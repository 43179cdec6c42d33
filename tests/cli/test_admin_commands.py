"""``deskapp admin user …`` and ``deskapp admin team …`` on a real SQLite workspace and servers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from deskapp.cli import exit_codes
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Role
from deskapp.services import users
from deskapp.services.workspace import open_workspace
from tests.cli.conftest import Run, ServerDatabase
from tests.helpers.databases import PASSWORD


@pytest.fixture
def workspace(tmp_path: Path) -> str:
    return str(tmp_path / "team.sqlite")


def _people(address: str) -> dict[str, tuple[str, Role, bool]]:
    ws = open_workspace(parse_db_url(address))
    try:
        everyone = users.list_users(ws, include_inactive=True)
    finally:
        ws.close()
    return {u.login: (u.display_name, u.role, u.active) for u in everyone}


def _rows(output: str) -> list[list[str]]:
    """A printed table's cells (columns are separated by two spaces or more)."""
    return [
        [cell.strip() for cell in line.split("  ") if cell.strip()] for line in output.splitlines()
    ]


def test_an_admin_sets_up_teams_and_people_on_a_local_workspace(deskapp: Run, workspace: str):
    team = deskapp("admin team add Support --time-zone Europe/Amsterdam --db", workspace)
    assert team.code == exit_codes.OK, team.err
    assert "Added team Support (Europe/Amsterdam)." in team.out

    added = deskapp(
        "admin user add dana --name 'Dana Scully' --role lead --team support "
        "--email dana@example.com --db",
        workspace,
    )
    assert added.code == exit_codes.OK, added.err
    assert "Added Dana Scully (dana, lead, team Support)." in added.out
    assert _people(workspace) == {"dana": ("Dana Scully", Role.LEAD, True)}

    listing = _rows(deskapp("admin user list --db", workspace).out)
    assert listing == [
        ["LOGIN", "NAME", "ROLE", "TEAM", "STATUS"],
        ["dana", "Dana Scully", "lead", "Support", "active"],
    ]
    teams = _rows(deskapp("admin team list --db", workspace).out)
    assert teams == [["TEAM", "TIME ZONE"], ["Support", "Europe/Amsterdam"]]


def test_roles_change_and_people_are_disabled_and_enabled(deskapp: Run, workspace: str):
    deskapp("admin user add rae --name 'Rae Rep' --role rep --db", workspace)

    assert deskapp("admin user set-role rae lead --db", workspace).code == exit_codes.OK
    assert _people(workspace)["rae"] == ("Rae Rep", Role.LEAD, True)

    disabled = deskapp("admin user disable rae --db", workspace)
    assert "is disabled and can no longer sign in" in disabled.out
    assert _people(workspace)["rae"][2] is False
    assert _rows(deskapp("admin user list --db", workspace).out)[1][-1] == "disabled"

    assert deskapp("admin user enable rae --db", workspace).code == exit_codes.OK
    assert _people(workspace)["rae"][2] is True


def test_an_unknown_team_is_named_with_the_teams_that_exist_and_nobody_is_added(
    deskapp: Run, workspace: str
):
    deskapp("admin team add Billing --db", workspace)
    result = deskapp("admin user add dana --name Dana --role rep --team Sales --db", workspace)
    assert result.code == exit_codes.ERROR
    assert "no team called “Sales” (teams: Billing)" in result.err
    assert _people(workspace) == {}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("user add Dana --name D --role rep", "cannot be a login"),
        ("user add dana --name ' ' --role rep", "Give the person's name"),
        ("user add dana --name D --role rep --email nope", "not an e-mail address"),
        ("user disable nobody", "Nobody has the login “nobody”"),
        ("team add Moon --time-zone Mars/Olympus", "not a time zone name"),
    ],
)
def test_bad_input_gets_a_message_for_a_person_and_exit_1(
    deskapp: Run, workspace: str, line: str, message: str
):
    result = deskapp(f"admin {line} --db", workspace)
    assert result.code == exit_codes.ERROR
    assert message in result.err
    assert "Traceback" not in result.err


def test_a_second_person_with_the_same_login_is_refused(deskapp: Run, workspace: str):
    deskapp("admin user add dana --name Dana --role rep --db", workspace)
    again = deskapp("admin user add dana --name Other --role rep --db", workspace)
    assert again.code == exit_codes.ERROR
    assert "already a person with the login “dana”" in again.err
    assert _people(workspace)["dana"][0] == "Dana"


def test_a_wrong_role_is_a_usage_error(deskapp: Run, workspace: str):
    result = deskapp("admin user add x1 --name X --role boss --db", workspace)
    assert result.code == exit_codes.USAGE
    assert "invalid choice: 'boss'" in result.err


def test_names_cannot_smuggle_terminal_escape_sequences_into_listings(deskapp: Run, workspace: str):
    deskapp("admin user add eve --role rep --db", workspace, "--name", "Eve\x1b[2J")
    listing = deskapp("admin user list --db", workspace).out
    assert "\x1b" not in listing
    assert "Eve?[2J" in listing


# ------------------------------------------------------------------------------ servers
class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.server
def test_on_a_server_the_initial_password_comes_from_stdin_or_is_typed_twice(
    deskapp: Run, server_database: ServerDatabase, monkeypatch: pytest.MonkeyPatch
):
    address = server_database.address()
    assert deskapp("db upgrade --db", address).code == exit_codes.OK

    # No terminal and no --password-stdin: nobody is added and the message says what to do.
    nobody = server_database.new_login("nobody")
    result = deskapp(f"admin user add {nobody} --name N --role rep --db", address)
    assert result.code == exit_codes.ERROR
    assert "--password-stdin" in result.err

    # Scripts: the first line of stdin.
    scripted = server_database.new_login("scripted")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    result = deskapp(
        f"admin user add {scripted} --name S --role rep --password-stdin --db", address
    )
    assert result.code == exit_codes.OK, result.err

    # A person at the terminal types it twice; two different passwords add nobody.
    typed = iter([PASSWORD, PASSWORD + "x", PASSWORD, PASSWORD])
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    person = server_database.new_login("typed")
    mismatch = deskapp(f"admin user add {person} --name T --role rep --db", address)
    assert mismatch.code == exit_codes.ERROR
    assert "The two passwords differ" in mismatch.err
    added = deskapp(f"admin user add {person} --name T --role rep --db", address)
    assert added.code == exit_codes.OK, added.err

    listed = deskapp("admin user list --db", address).out
    assert scripted in listed and person in listed and nobody not in listed
