"""A temporary password is for one sign-in: the person then chooses their own before anything
else, and it stops working after ``roles.TEMPORARY_PASSWORD_HOURS`` (migration 0012).

Real logins with real password checks: MariaDB here checks passwords; the shared PostgreSQL
trusts 127.0.0.1, so PostgreSQL's own expiry (VALID UNTIL) is shown on a throwaway server that
checks every password, and the shared one shows what the database records and refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from deskapp.db import roles
from deskapp.db.models import User
from deskapp.domain.enums import Role
from deskapp.domain.errors import ConnectionFailed, InvalidInput, PermissionDenied
from deskapp.services import auth, people
from deskapp.services.workspace import Workspace, open_workspace
from tests.helpers.databases import PASSWORD, superuser_engine
from tests.helpers.own_login import own_login
from tests.helpers.throwaway_postgres import SUPERUSER, ThrowawayPostgres

MY_OWN = "my-own-secret-42"
LIFETIME = timedelta(hours=roles.TEMPORARY_PASSWORD_HOURS)


@pytest.fixture
def newcomer(db) -> Iterator[str]:
    yield from own_login(db, "tmp")


def _expire(db_url: URL, dialect: str, login: str) -> None:
    """What 72 hours do, behind everyone's back: the recorded expiry is in the past."""
    engine = superuser_engine(dialect, db_url.database)
    with engine.connect() as conn:
        conn.execute(
            update(User)
            .where(User.login == login)
            .values(temporary_password_expires_at=datetime(2026, 1, 2, 9, 30, tzinfo=UTC))
        )
    engine.dispose()


def _issue(open_as: Callable[[str, str], Workspace], admin_login: str, login: str) -> str:
    ws = open_as(admin_login, PASSWORD)
    try:
        return people.issue_temporary_password(ws, auth.sign_in(ws), login)
    finally:
        ws.close()


def _forced_change_then_only_the_new_password_works(
    open_as: Callable[[str, str], Workspace], login: str, temporary: str
) -> None:
    ws = open_as(login, temporary)
    try:
        first = auth.sign_in_checked(ws)
        assert first.actor.login == login and first.must_choose_password
        assert first.temporary_password_expires_at is not None
        with pytest.raises(InvalidInput, match="That is the temporary password"):
            auth.change_own_password(ws, first.actor, temporary)
        auth.change_own_password(ws, first.actor, MY_OWN)
        assert not auth.sign_in_checked(ws).must_choose_password
        ws.engine.dispose()  # new connections of this window use the new password
        assert auth.sign_in(ws).login == login
    finally:
        ws.close()
    with pytest.raises(ConnectionFailed, match="did not accept the password"):
        open_as(login, temporary)
    again = open_as(login, MY_OWN)
    try:
        assert auth.sign_in_checked(again).must_choose_password is False
    finally:
        again.close()


# --------------------------------------------------------------------------- MariaDB
@pytest.mark.dialects("mariadb")
def test_on_mariadb_a_temporary_password_must_be_replaced_and_then_stops_working(db, newcomer):
    def open_as(login: str, password: str) -> Workspace:
        return open_workspace(db.url.set(username=login), password=password)

    temporary = _issue(open_as, db.sign_in("admin")[1].login, newcomer)
    ws = open_as(newcomer, temporary)
    try:
        signed = auth.sign_in_checked(ws)
        now = auth_now(ws)
        assert signed.temporary_password_expires_at is not None
        assert abs(signed.temporary_password_expires_at - (now + LIFETIME)) < timedelta(minutes=2)
    finally:
        ws.close()
    _forced_change_then_only_the_new_password_works(open_as, newcomer, temporary)


@pytest.mark.dialects("mariadb")
def test_on_mariadb_an_expired_temporary_password_is_refused_at_sign_in(db, newcomer):
    def open_as(login: str, password: str) -> Workspace:
        return open_workspace(db.url.set(username=login), password=password)

    temporary = _issue(open_as, db.sign_in("admin")[1].login, newcomer)
    _expire(db.url, "mariadb", newcomer)
    ws = open_as(newcomer, temporary)  # MariaDB lets the connection in: the sign-in refuses
    try:
        with pytest.raises(PermissionDenied) as refused:
            auth.sign_in_checked(ws)
        assert str(refused.value) == (
            "This temporary password expired on 2 Jan 2026 at 09:30 UTC; ask your admin for "
            "a new one."
        )
    finally:
        ws.close()


@pytest.mark.dialects("mariadb")
def test_on_mariadb_a_rep_clears_only_their_own_must_choose_flag(db, newcomer):
    """The flag is the service's whole expiry on MariaDB: a rep who may not update people
    cannot lift anyone else's, whatever they send."""
    ws, admin = db.sign_in("admin")
    people.issue_temporary_password(ws, admin, newcomer)
    rep_ws, _rep = db.sign_in("rep")
    with pytest.raises(DBAPIError), rep_ws.engine.begin() as conn:
        conn.execute(update(User).where(User.login == newcomer).values(password_change_required=0))
    with rep_ws.engine.begin() as conn:
        conn.exec_driver_sql("CALL deskapp_password_chosen()")  # clears the rep's own: none
    with ws.engine.connect() as conn:
        flag = conn.execute(
            text("SELECT password_change_required FROM users WHERE login = :login"),
            {"login": newcomer},
        ).scalar()
    assert flag


def auth_now(ws: Workspace) -> datetime:
    from deskapp.services.unit_of_work import read_session

    with read_session(ws) as session:
        return auth.server_now(session)


# --------------------------------------------------------------------------- PostgreSQL
@pytest.mark.dialects("postgresql")
def test_on_postgresql_the_login_itself_expires_and_choosing_a_password_lifts_it(db, newcomer):
    """The shared server trusts 127.0.0.1, so this shows what is recorded: VALID UNTIL on the
    login, and choosing one's own (through 0012's function, as only a role's own password may
    be changed by itself) lifting it to infinity and clearing the flag."""
    ws, admin = db.sign_in("admin")
    people.issue_temporary_password(ws, admin, newcomer)
    until = _valid_until(db, newcomer)
    assert isinstance(until, datetime)
    assert abs(until - (auth_now(ws) + LIFETIME)) < timedelta(minutes=2)

    nia_ws = db.open(newcomer)
    nia = auth.sign_in_checked(nia_ws)
    assert nia.must_choose_password and nia.temporary_password_expires_at == until
    # A role may not lift its own expiry by hand: that is why 0012's function exists.
    with pytest.raises(DBAPIError), nia_ws.engine.begin() as conn:
        conn.exec_driver_sql("ALTER ROLE CURRENT_USER VALID UNTIL 'infinity'")
    auth.change_own_password(nia_ws, nia.actor, MY_OWN)
    assert _valid_until(db, newcomer) == "infinity"
    assert not auth.sign_in_checked(nia_ws).must_choose_password


@pytest.mark.dialects("postgresql")
def test_on_postgresql_the_password_function_takes_only_a_verifier_for_oneself(db, newcomer):
    ws, admin = db.sign_in("admin")
    people.issue_temporary_password(ws, admin, newcomer)
    rep_ws, _rep = db.sign_in("rep")
    with pytest.raises(DBAPIError, match="send a SCRAM verifier"), rep_ws.engine.begin() as conn:
        conn.execute(text("SELECT deskapp_choose_own_password('plain-text-password')"))
    with pytest.raises(DBAPIError), rep_ws.engine.begin() as conn:  # no grant on users
        conn.execute(
            update(User).where(User.login == newcomer).values(password_change_required=False)
        )
    assert isinstance(_valid_until(db, newcomer), datetime)  # the newcomer's expiry stands


def _valid_until(db, login: str) -> datetime | str | None:
    """The login's VALID UNTIL: a moment, "infinity", or None (never set)."""
    engine = superuser_engine("postgresql", db.url.database)
    try:
        with engine.connect() as conn:
            word, moment = conn.execute(
                text(
                    "SELECT CASE WHEN NOT isfinite(rolvaliduntil) THEN rolvaliduntil::text END, "
                    "CASE WHEN isfinite(rolvaliduntil) THEN rolvaliduntil END "
                    "FROM pg_roles WHERE rolname = :login"
                ),
                {"login": login},
            ).one()
    finally:
        engine.dispose()
    return word or moment


@pytest.mark.slow
@pytest.mark.server
def test_on_postgresql_a_temporary_password_is_replaced_and_refused_once_expired():
    """A throwaway server that checks every password: issue → sign in → forced change → only
    the new one works; then another temporary password, expired: the server refuses it and
    the person is told why it may have been refused."""
    with ThrowawayPostgres.start() as server:
        team = [("ada", "Ada Admin", Role.ADMIN), ("nia", "Nia Newcomer", Role.REP)]
        server.create_workspace("deskapp", "Support", team, PASSWORD)

        def open_as(login: str, password: str) -> Workspace:
            return open_workspace(server.url(login, "deskapp"), password=password)

        temporary = _issue(open_as, "ada", "nia")
        _forced_change_then_only_the_new_password_works(open_as, "nia", temporary)

        second = _issue(open_as, "ada", "nia")
        root = open_workspace(server.url(SUPERUSER, "deskapp"))
        try:
            with root.engine.begin() as conn:
                conn.exec_driver_sql("ALTER ROLE nia VALID UNTIL '2026-01-02 09:30+00'")
        finally:
            root.close()
        with pytest.raises(ConnectionFailed) as refused:
            open_as("nia", second)
        assert "did not accept the password for nia" in str(refused.value)
        assert "temporary password" in str(refused.value)
        assert f"{roles.TEMPORARY_PASSWORD_HOURS} hours" in str(refused.value)
