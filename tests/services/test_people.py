"""Managing people: nobody is deactivated while holding open cases, temporary passwords that
really sign in (and appear in no audit event or log), and the people list a lead and an admin
see. Every dialect, signed in as real people; logins made here are dropped at the end."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import logging
import re
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from deskapp.cli import exit_codes
from deskapp.cli.connect import PASSWORD_ENV
from deskapp.cli.main import main
from deskapp.domain.enums import CaseStatus, Channel, Role
from deskapp.domain.errors import ConnectionFailed, InvalidInput, PermissionDenied
from deskapp.services import audit, auth, cases, customers, people, presence, teams, users
from deskapp.services.audit_wording import describe
from deskapp.services.reassignment import order_from_plan, reassign
from deskapp.services.reassignment_plan import plan_absence
from deskapp.services.unit_of_work import read_session
from deskapp.services.users import StillHoldsCases
from deskapp.services.workspace import open_workspace
from tests.helpers.databases import PASSWORD, login_of, superuser_engine
from tests.helpers.throwaway_postgres import ThrowawayPostgres

ALL = pytest.mark.dialects("sqlite", "postgresql", "mariadb")
SERVERS = pytest.mark.dialects("postgresql", "mariadb")
TEMPORARY = re.compile(r"^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$")


@pytest.fixture
def newcomer(db) -> Iterator[str]:
    """A rep of this test's own: logins are server-wide, so deactivating or re-passwording the
    shared test people would leak into every later test."""
    yield from _person(db, "Nia Newcomer", db.team_id)


def _person(db, name: str, team_id: uuid.UUID | None) -> Iterator[str]:
    ws, admin = db.sign_in("admin")
    login = f"new{uuid.uuid4().hex[:10]}"
    users.add_user(ws, admin, login=login, display_name=name, role=Role.REP, team_id=team_id,
                   password=PASSWORD if ws.is_server else None)  # fmt: skip
    yield login
    if db.dialect != "sqlite":
        engine = superuser_engine(db.dialect)
        with engine.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"' if db.dialect == "postgresql"
                              else f"DROP USER IF EXISTS '{login}'@'%'"))  # fmt: skip
        engine.dispose()


def _open_cases_for(db, login: str, count: int) -> list[uuid.UUID]:
    """``count`` open cases the person took on themselves."""
    ws, person = db.sign_in(login)
    assert person.team_id is not None
    customer = customers.create_customer(ws, person, customers.NewCustomer("Ines Moreau"))
    return [
        cases.create_case(
            ws,
            person,
            cases.NewCase(
                customer, person.team_id, f"Parcel {number} lost", Channel.EMAIL, assign_to_me=True
            ),
        ).id
        for number in range(count)
    ]


def _sign_in_with(db, login: str, password: str):
    ws = open_workspace(db.url.set(username=login), password=password)
    try:
        return auth.sign_in(ws)
    finally:
        ws.close()


# ------------------------------------------------------------------ deactivating
@ALL
def test_a_person_holding_open_cases_is_deactivated_only_once_they_are_moved(db, newcomer):
    _open_cases_for(db, newcomer, 2)
    ws, admin = db.sign_in("admin")

    with pytest.raises(StillHoldsCases) as refused:
        users.set_active(ws, admin, newcomer, False)
    assert str(refused.value) == (
        "Nia Newcomer still holds 2 open cases. Move their 2 open cases first: Team ▸ Rep is "
        "out… hands them to the team queue or to colleagues; then deactivate Nia Newcomer."
    )
    assert refused.value.open_cases == 2
    assert isinstance(refused.value, InvalidInput)  # the CLI prints it and exits 1
    still = {u.login: u for u in users.list_users(ws)}[newcomer]
    assert still.active and refused.value.user_id == still.id
    if ws.is_server:  # the login still works
        assert _sign_in_with(db, newcomer, PASSWORD).login == newcomer

    lead_ws, lead = db.sign_in("lead")
    plan = plan_absence(lead_ws, lead, still.id)  # Team ▸ Rep is out…, to the team queue
    report = reassign(lead_ws, lead, [order_from_plan(m) for m in plan.moves], "Nia has left")
    assert len(report.moved) == 2

    gone = users.set_active(ws, admin, newcomer, False)
    assert not gone.active
    assert [e.action for e in audit.history(ws, chain=audit.PEOPLE_CHAIN)][-1] == (
        "user.deactivated"
    )


def test_resolved_cases_do_not_count_and_one_open_case_is_said_so(db, newcomer):
    case_id, _other = _open_cases_for(db, newcomer, 2)
    ws, person = db.sign_in(newcomer)
    state = cases.get_case_state(ws, case_id)
    cases.change_case(ws, person, state.id, cases.CaseChange(
        state.version, status=CaseStatus.RESOLVED, resolution_code="explained",
        outcome="Explained the parcel's new delivery date",
    ))  # fmt: skip
    admin_ws, admin = db.sign_in("admin")
    with pytest.raises(StillHoldsCases, match=r"holds 1 open case\. Move their 1 open case first"):
        users.set_active(admin_ws, admin, newcomer, False)


@SERVERS
def test_a_login_another_workspace_on_the_server_uses_is_refused_in_words(db):
    login = f"taken{uuid.uuid4().hex[:10]}"
    engine = superuser_engine(db.dialect)
    elsewhere = (
        f'CREATE ROLE "{login}" LOGIN'
        if db.dialect == "postgresql"
        else f"CREATE USER '{login}'@'%' IDENTIFIED BY 'elsewhere-123'"
    )
    with engine.connect() as conn:
        conn.execute(text(elsewhere))
    try:
        ws, admin = db.sign_in("admin")
        with pytest.raises(InvalidInput, match=f"The server already has a login “{login}”"):
            users.add_user(ws, admin, login=login, display_name="Tess Taken", password=PASSWORD)
        assert login not in {u.login for u in users.list_users(ws, include_inactive=True)}
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"' if db.dialect == "postgresql"
                              else f"DROP USER IF EXISTS '{login}'@'%'"))  # fmt: skip
        engine.dispose()


# ------------------------------------------------------------------ temporary passwords
def test_temporary_passwords_are_readable_and_never_the_same():
    issued = {people.generate_temporary_password() for _ in range(500)}
    assert len(issued) == 500
    assert all(TEMPORARY.match(password) for password in issued)


@pytest.mark.dialects("mariadb")
def test_a_temporary_password_signs_the_person_in_and_the_old_one_stops_working(db, newcomer):
    ws, admin = db.sign_in("admin")

    temporary = people.issue_temporary_password(ws, admin, newcomer)

    assert TEMPORARY.match(temporary)
    _signs_in_then_chooses_their_own(
        lambda pw: open_workspace(db.url.set(username=newcomer), password=pw), newcomer, temporary
    )


@pytest.mark.slow
@pytest.mark.server
def test_on_postgresql_a_temporary_password_signs_in_where_passwords_are_checked():
    """The shared test server trusts 127.0.0.1; a throwaway one checks every password."""
    with ThrowawayPostgres.start() as server:
        team = [("ada", "Ada Admin", Role.ADMIN), ("nia", "Nia Newcomer", Role.REP)]
        server.create_workspace("deskapp", "Support", team, PASSWORD)
        admin_ws = open_workspace(server.url("ada", "deskapp"), password=PASSWORD)
        try:
            temporary = people.issue_temporary_password(admin_ws, auth.sign_in(admin_ws), "nia")
        finally:
            admin_ws.close()
        _signs_in_then_chooses_their_own(
            lambda pw: open_workspace(server.url("nia", "deskapp"), password=pw), "nia", temporary
        )


def _signs_in_then_chooses_their_own(open_as, login: str, temporary: str) -> None:
    ws = open_as(temporary)
    try:
        assert auth.sign_in(ws).login == login
        # …and they choose their own straight away (File ▸ Change password…).
        auth.change_own_password(ws, auth.sign_in(ws), "my-own-secret-42")
    finally:
        ws.close()
    for refused in (PASSWORD, temporary):
        with pytest.raises(ConnectionFailed, match="did not accept the password"):
            open_as(refused)
    open_as("my-own-secret-42").close()


@pytest.mark.dialects("postgresql")
def test_on_postgresql_the_server_keeps_a_verifier_of_the_temporary_password(db, newcomer):
    ws, admin = db.sign_in("admin")
    temporary = people.issue_temporary_password(ws, admin, newcomer)
    assert scram_verifier_matches(db, newcomer, temporary)
    assert not scram_verifier_matches(db, newcomer, PASSWORD)


def scram_verifier_matches(db, login: str, password: str) -> bool:
    """Does PostgreSQL's stored SCRAM-SHA-256 verifier of ``login`` belong to ``password``?
    (RFC 5802: StoredKey = H(HMAC(PBKDF2(password, salt, i), "Client Key")).)"""
    engine = superuser_engine("postgresql", db.url.database)
    with engine.connect() as conn:
        verifier = conn.execute(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = :login"), {"login": login}
        ).scalar_one()
    engine.dispose()
    method, rest = verifier.split("$", 1)
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key = keys.split(":")[0]
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt),
                                 int(iterations))  # fmt: skip
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    mine = base64.b64encode(hashlib.sha256(client_key).digest()).decode()
    return method == "SCRAM-SHA-256" and hmac.compare_digest(mine, stored_key)


@SERVERS
def test_no_temporary_password_reaches_the_audit_trail_or_a_log(db, newcomer, caplog):
    caplog.set_level(logging.DEBUG)
    ws, admin = db.sign_in("admin")

    temporary = people.issue_temporary_password(ws, admin, newcomer)

    event = audit.history(ws, chain=audit.PEOPLE_CHAIN)[-1]
    assert (event.action, event.detail) == (people.ISSUED_ACTION, {"login": newcomer})
    assert describe(event.action, event.detail, str) == (
        f"issued a temporary password for {newcomer}"
    )
    with read_session(ws) as session:
        everything = " ".join(
            str(row) for row in session.execute(text("SELECT * FROM audit_events"))
        )
    assert temporary not in everything
    assert temporary not in caplog.text
    assert audit.first_broken_link(ws, audit.PEOPLE_CHAIN) is None


@pytest.mark.dialects("sqlite")
def test_a_local_workspace_has_no_passwords_to_issue(db, newcomer):
    ws, admin = db.sign_in("admin")
    with pytest.raises(InvalidInput, match="A local workspace has no passwords"):
        people.issue_temporary_password(ws, admin, newcomer)


@ALL
@pytest.mark.parametrize("who", ["lead", "rep"])
def test_only_an_admin_issues_temporary_passwords(db, newcomer, who):
    ws, actor = db.sign_in(who)
    with pytest.raises(PermissionDenied, match="Only an admin can issue temporary passwords"):
        people.issue_temporary_password(ws, actor, newcomer)
    if ws.is_server:
        assert _sign_in_with(db, newcomer, PASSWORD).login == newcomer  # nothing changed


@SERVERS
def test_the_server_itself_refuses_a_lead_who_sets_a_password_by_hand(db, newcomer):
    ws, _lead = db.sign_in("lead")
    statement = (
        f"ALTER ROLE \"{newcomer}\" PASSWORD 'stolen-password-1'"
        if db.dialect == "postgresql"
        else f"ALTER USER '{newcomer}'@'%%' IDENTIFIED BY 'stolen-password-1'"
    )
    with pytest.raises(DBAPIError), ws.engine.connect() as conn:
        conn.exec_driver_sql(statement)
    assert _sign_in_with(db, newcomer, PASSWORD).login == newcomer


@SERVERS
def test_yourself_and_deactivated_people_get_no_temporary_password(db, newcomer):
    ws, admin = db.sign_in("admin")
    with pytest.raises(InvalidInput, match="change your own password with File ▸ Change"):
        people.issue_temporary_password(ws, admin, admin.login)
    users.set_active(ws, admin, newcomer, False)
    with pytest.raises(InvalidInput, match=r"Nia Newcomer is deactivated.*reactivate them first"):
        people.issue_temporary_password(ws, admin, newcomer)


# ------------------------------------------------------------------ the people list
@ALL
def test_an_admin_sees_everyone_with_open_cases_and_who_is_signed_in(db, newcomer):
    _open_cases_for(db, newcomer, 3)
    nia_ws, nia = db.sign_in(newcomer)
    presence.heartbeat(nia_ws, nia, "Deskapp test", None, False)
    ws, admin = db.sign_in("admin")

    listed = people.list_people(ws, admin)

    assert listed.may_manage and listed.has_passwords is ws.is_server
    by_login = {p.login: p for p in listed.people}
    assert set(by_login) >= {login_of(w) for w in ("admin", "lead", "rep", "rep2")} | {newcomer}
    nia_row = by_login[newcomer]
    assert (nia_row.display_name, nia_row.role, nia_row.team_name) == (
        "Nia Newcomer",
        Role.REP,
        "Support",
    )
    assert (nia_row.open_cases, nia_row.signed_in, nia_row.active) == (3, True, True)
    assert by_login[login_of("rep2")].open_cases == 0
    assert not by_login[login_of("rep2")].signed_in
    assert [t.name for t in listed.teams] == ["Support"]


@ALL
def test_a_lead_sees_their_own_team_only_and_a_rep_no_list(db):
    ws, admin = db.sign_in("admin")
    billing = teams.create_team(ws, admin, "Billing", time_zone="Europe/Paris")
    outsider = _person(db, "Otto Outsider", billing.id)
    otto = next(outsider)
    try:
        lead_ws, lead = db.sign_in("lead")
        listed = people.list_people(lead_ws, lead)
        assert not listed.may_manage
        assert {p.team_name for p in listed.people} == {"Support"}
        assert otto not in {p.login for p in listed.people}
        assert [t.name for t in listed.teams] == ["Support"]
        assert otto in {p.login for p in people.list_people(ws, admin).people}
        rep_ws, rep = db.sign_in("rep")
        with pytest.raises(PermissionDenied, match="see the people list"):
            people.list_people(rep_ws, rep)
    finally:
        next(outsider, None)


def test_a_login_is_suggested_from_the_name():
    assert people.suggest_login("Dana  Scully", []) == "dana.scully"
    assert people.suggest_login("Dana Scully", ["dana.scully"]) == "dana.scully2"
    assert people.suggest_login("Zoë Ångström", []) == "zoe.angstrom"
    assert people.suggest_login(" ", []) == ""


# ------------------------------------------------------------------ the command line
@pytest.mark.dialects("sqlite", "mariadb")
def test_the_command_line_refuses_the_same_and_prints_a_temporary_password_once(
    db, newcomer, capsys, monkeypatch
):
    _open_cases_for(db, newcomer, 1)
    address = db.url.render_as_string(hide_password=False)
    if db.dialect != "sqlite":
        address = db.url.set(username=login_of("admin")).render_as_string(hide_password=False)
        monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    assert main(["admin", "user", "disable", newcomer, "--db", address]) == exit_codes.ERROR
    assert "Move their 1 open case first: Team ▸ Rep is out…" in capsys.readouterr().err

    code = main(["admin", "user", "temp-password", newcomer, "--db", address])
    out, err = capsys.readouterr()
    if db.dialect == "sqlite":
        assert code == exit_codes.ERROR and "A local workspace has no passwords" in err
        return
    assert code == exit_codes.OK
    [temporary] = re.findall(r"Temporary password for \S+: (\S+)", out)
    assert TEMPORARY.match(temporary) and "Hand it over privately" in out
    open_workspace(db.url.set(username=newcomer), password=temporary).close()
