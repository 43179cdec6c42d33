"""``deskapp audit verify|show|list``: the summary and exit codes a nightly job relies on, the
first broken link when a chain is tampered with, and the history in the window's words."""

from __future__ import annotations

import json

import pytest

from deskapp.cli import exit_codes
from deskapp.services.audit import case_chain
from tests.cli.conftest import Run
from tests.helpers.databases import login_of, require_server
from tests.services.audit_trail import TRAIL, case_with_trail, tamper
from tests.services.handoff_requests import sign_in_everyone


def _address(db) -> str:
    """The --db address of the test's workspace: the file, or the server as its owner (the
    account that sets workspaces up, an admin to Deskapp)."""
    if db.dialect == "sqlite":
        return str(db.url.database)
    url = require_server(db.dialect).set(database=db.url.database)
    return url.render_as_string(hide_password=True)


@pytest.fixture
def trail(db):
    return case_with_trail(sign_in_everyone(db))


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_verify_says_whole_and_exits_0_then_names_the_first_broken_link_and_exits_4(
    deskapp: Run, db, trail
):
    whole = deskapp("audit verify --db", _address(db))
    assert whole.code == exit_codes.OK, whole.err
    assert "Chains checked" in whole.out and "Events checked" in whole.out
    assert whole.out.rstrip().endswith("Every chain is whole.")

    tamper(
        db, "DELETE FROM audit_events WHERE chain = :chain AND seq = 3", chain=case_chain(trail.id)
    )
    broken = deskapp("audit verify --db", _address(db))

    assert broken.code == exit_codes.AUDIT_BROKEN == 4
    assert "Broken chains" in broken.out and "First broken link of each broken chain:" in broken.out
    [row] = [line for line in broken.out.splitlines() if line.strip().startswith(trail.key)]
    assert row.split()[:3] == [trail.key, "3", "gap"]
    assert "event 3 is missing" in row
    assert "The audit trail is NOT whole: 1 chain is broken" in broken.out


@pytest.mark.dialects("sqlite")
def test_verify_one_case_by_its_key(deskapp: Run, db, trail):
    result = deskapp(f"audit verify --case {trail.key.lower()} --db", _address(db))
    assert result.code == exit_codes.OK, result.err
    assert result.out.splitlines()[0] == f"Audit trail of case {trail.key}"
    assert f"Events checked   {len(TRAIL):>12}" in result.out

    tamper(
        db,
        "UPDATE audit_events SET reason = 'nothing to see' WHERE chain = :chain AND seq = 5",
        chain=case_chain(trail.id),
    )
    broken = deskapp(f"audit verify --case {trail.key} --db", _address(db))
    assert broken.code == exit_codes.AUDIT_BROKEN
    assert f"{trail.key}       5  content  its content" in broken.out


@pytest.mark.dialects("sqlite")
def test_only_an_admin_verifies_the_whole_workspace(deskapp: Run, db, trail):
    result = deskapp(f"audit verify --as {login_of('lead')} --db", _address(db))
    assert result.code == exit_codes.ERROR
    assert "Only an admin can check the whole audit trail" in result.err
    missing = deskapp("audit verify --case C-424242 --db", _address(db))
    assert (missing.code, missing.err.strip()) == (exit_codes.ERROR, "There is no case C-424242.")


@pytest.mark.dialects("sqlite")
def test_show_prints_the_history_in_plain_words_newest_first(deskapp: Run, db, trail):
    result = deskapp(f"audit show --case {trail.key} --db", _address(db))
    assert result.code == exit_codes.OK, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"Audit history of {trail.key}, newest first (6 events):"
    assert lines[1].endswith("Ray Rep  acknowledged the handoff note")
    assert lines[3].endswith(
        "Rae Rep  changed status from Open to Pending customer — why: “Waiting for the "
        "customer's bank statement”"
    )
    assert lines[-1].endswith("Ray Rep  opened the case")

    as_json = deskapp(f"audit show --json --case {trail.key} --db", _address(db))
    events = [json.loads(line) for line in as_json.out.splitlines()]
    assert [e["action"] for e in events] == list(reversed(TRAIL))
    assert events[1]["what"] == "reassigned the case to Ray Rep"
    assert events[2]["why"] == "Waiting for the customer's bank statement"


@pytest.mark.dialects("sqlite")
def test_list_is_the_team_log_for_leads_with_filters(deskapp: Run, db, trail):
    lead = login_of("lead")
    result = deskapp(f"audit list --as {lead} --kind claims --kind handoffs --db", _address(db))
    assert result.code == exit_codes.OK, result.err
    lines = result.out.splitlines()
    assert len(lines) == 3 and all(f"  {trail.key} " in line for line in lines)
    assert lines[1].endswith("reassigned the case to Ray Rep")

    mine = deskapp(
        f"audit list --as {lead} --actor {login_of('rep2')} --limit 1 --db", _address(db)
    )
    assert mine.out.splitlines()[0].endswith("acknowledged the handoff note")
    assert "(the newest 1; --limit or --until show more)" in mine.out

    nothing = deskapp(f"audit list --as {lead} --since 2999-01-01 --db", _address(db))
    assert nothing.out.strip() == "No audit events match."


@pytest.mark.dialects("sqlite")
def test_list_refuses_reps_and_explains_bad_input(deskapp: Run, db, trail):
    rep = deskapp(f"audit list --as {login_of('rep')} --db", _address(db))
    assert rep.code == exit_codes.ERROR and "for team leads and admins" in rep.err
    team = deskapp("audit list --team Nowhere --db", _address(db))
    assert team.code == exit_codes.ERROR and "There is no team called “Nowhere”." in team.err
    date = deskapp("audit list --since yesterday --db", _address(db))
    assert date.code == exit_codes.ERROR and "--since “yesterday” is not a date" in date.err
    kind = deskapp("audit list --kind gossip --db", _address(db))
    assert kind.code == exit_codes.USAGE
