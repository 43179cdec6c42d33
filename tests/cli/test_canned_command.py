"""``deskapp canned import|export``: the per-row report, exit codes scripts rely on, and the
person acting (the setup account, a local person with --as, or a server login)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deskapp.cli import exit_codes
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Role
from deskapp.services import auth, canned, teams, users
from deskapp.services.workspace import open_workspace
from tests.cli.conftest import Run
from tests.helpers.databases import PASSWORD, login_of

STARTER = str(Path(__file__).parents[2] / "resources" / "starter" / "canned_responses.json")
N = len(json.loads(Path(STARTER).read_text(encoding="utf-8"))["responses"])  # the starter's size


@pytest.fixture
def workspace(tmp_path: Path) -> str:
    """A local workspace with team Support and Rae, a rep."""
    path = str(tmp_path / "team.sqlite")
    ws = open_workspace(parse_db_url(path))
    setup = auth.setup_actor(ws)
    team = teams.create_team(ws, setup, "Support")
    users.add_user(ws, setup, login="rae", display_name="Rae Rep", role=Role.REP, team_id=team.id)
    ws.close()
    return path


def _titles(address: str, login: str = "rae") -> list[str]:
    ws = open_workspace(parse_db_url(address))
    try:
        return sorted(r.title for r in canned.usable_responses(ws, auth.sign_in(ws, login)))
    finally:
        ws.close()


def test_a_dry_run_reports_every_row_and_writes_nothing(deskapp: Run, workspace: str):
    result = deskapp("canned import --dry-run --db", workspace, STARTER)
    assert result.code == exit_codes.OK, result.err
    lines = result.out.splitlines()
    assert lines[0].endswith("canned_responses.json (json):")
    assert "row 1     new        global    Greeting — email" in lines[1]
    assert f"{N} rows: {N} new, 0 updated, 0 unchanged, 0 rejected." in result.out
    assert "Dry run: nothing was written" in result.out
    assert _titles(workspace) == []


def test_an_import_writes_everything_then_finds_it_unchanged(deskapp: Run, workspace: str):
    result = deskapp("canned import --db", workspace, STARTER)
    assert result.code == exit_codes.OK, result.err
    assert result.out.splitlines()[-1] == f"Imported: {N} new, 0 updated, 0 unchanged."
    assert len(_titles(workspace)) == N
    again = deskapp("canned import --db", workspace, STARTER)
    assert again.out.splitlines()[-1] == f"Imported: 0 new, 0 updated, {N} unchanged."


def test_a_rejected_row_exits_1_and_nothing_is_imported(deskapp: Run, workspace: str, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "title,category,body\nFine,closing,Bye\nBad,closing,<b>Bye</b>\n"
        "\x1b[31mEscape,closing,Hi\n",
        encoding="utf-8",
    )
    result = deskapp("canned import --db", workspace, str(path))
    assert result.code == exit_codes.ERROR
    assert "row 3     rejected   global    Bad" in result.out
    assert "body: Responses are plain text: remove the <b> tag." in result.out
    assert "\x1b" not in result.out  # a file cannot drive the terminal
    assert "3 rows: 1 new, 0 updated, 0 unchanged, 2 rejected." in result.out
    assert "Nothing was imported: fix the file and try again." in result.out
    assert _titles(workspace) == []


def test_a_file_that_cannot_be_read_is_explained(deskapp: Run, workspace: str, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"title,category,body\nCaf\xe9,closing,Bye\n")
    result = deskapp("canned import --db", workspace, str(path))
    assert result.code == exit_codes.ERROR and "is not UTF-8 text" in result.out
    missing = deskapp("canned import --db", workspace, str(tmp_path / "nope.json"))
    assert missing.code == exit_codes.ERROR and "no such file" in missing.out
    assert "Traceback" not in result.err + missing.err


def test_as_a_local_rep_rows_go_to_their_own_responses_and_scope_rights_hold(
    deskapp: Run, workspace: str, tmp_path
):
    result = deskapp("canned import --as rae --db", workspace, STARTER)
    assert result.code == exit_codes.OK, result.err
    assert f"{N} rows: {N} new" in result.out and " personal " in result.out
    refused = deskapp("canned import --as rae --scope global --db", workspace, STARTER)
    assert refused.code == exit_codes.ERROR
    assert "Only an admin can write global responses" in refused.out
    nobody = deskapp("canned import --as nobody --db", workspace, STARTER)
    assert nobody.code == exit_codes.ERROR and "is not a Deskapp user" in nobody.err


def test_export_writes_json_or_csv_with_the_chosen_scopes(deskapp: Run, workspace: str, tmp_path):
    deskapp("canned import --db", workspace, STARTER)
    own = tmp_path / "own.csv"
    own.write_text(
        'title,shortcut,category,body\nMy hello,myhi,greeting,"Hi,\nthere"\n'
        "My bye,mybye,closing,=Bye\n",
        encoding="utf-8",
    )
    mine = deskapp("canned import --as rae --db", workspace, str(own))
    assert mine.code == exit_codes.OK, mine.out
    out = tmp_path / "all.json"
    result = deskapp("canned export --as rae --db", workspace, str(out))
    assert (result.code, result.out) == (0, f"Exported {N + 2} canned responses to {out}.\n")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == "deskapp.canned_responses" and len(document["responses"]) == N + 2
    csv_path = tmp_path / "mine.csv"
    result = deskapp("canned export --as rae --scope personal --db", workspace, str(csv_path))
    assert result.out == f"Exported 2 canned responses to {csv_path}.\n"
    assert csv_path.read_text(encoding="utf-8") == (
        "title,shortcut,category,tags,scope,team,body\n"
        'My hello,myhi,greeting,,personal,,"Hi,\nthere"\n'
        "My bye,mybye,closing,,personal,,'=Bye\n"
    )
    back = deskapp("canned import --as rae --db", workspace, str(csv_path))
    assert back.out.splitlines()[-1] == "Imported: 0 new, 0 updated, 2 unchanged."


@pytest.mark.dialects("postgresql")
def test_on_a_server_the_login_decides_and_as_is_refused(deskapp: Run, db, tmp_path):
    address = db.url.set(username=login_of("rep")).render_as_string(hide_password=False)
    env = pytest.MonkeyPatch()
    env.setenv("DESKAPP_DB_PASSWORD", PASSWORD)
    try:
        refused = deskapp("canned import --scope team --db", address, STARTER)
        assert refused.code == exit_codes.ERROR
        assert "Only the team's lead or an admin can write team responses" in refused.out
        mine = deskapp("canned import --db", address, STARTER)
        assert mine.code == exit_codes.OK, mine.err + mine.out
        assert f"{N} rows: {N} new" in mine.out and " personal " in mine.out
        as_other = deskapp("canned export --as admin --db", address, str(tmp_path / "x.json"))
        assert as_other.code == exit_codes.ERROR and "--as is for local workspaces" in as_other.err
    finally:
        env.undo()
