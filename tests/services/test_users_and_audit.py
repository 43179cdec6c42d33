"""People management and the audit trail, on every dialect, signed in as real people."""

from __future__ import annotations

import uuid

import pytest

from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, PermissionDenied
from deskapp.services import audit, auth, users
from tests.helpers.databases import PASSWORD, login_of


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_signed_in_person_is_who_the_database_authenticated(db):
    _ws, actor = db.sign_in("lead")
    assert (actor.login, actor.role, actor.team_id) == (login_of("lead"), Role.LEAD, db.team_id)


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_admin_adds_a_person_who_can_then_sign_in_with_their_own_login(db):
    ws, admin = db.sign_in("admin")
    login = f"dana_{uuid.uuid4().hex[:8]}"  # logins are server-wide: unique per run
    added = users.add_user(
        ws,
        admin,
        login=login,
        display_name="Dana Scully",
        role=Role.REP,
        team_id=db.team_id,
        password=PASSWORD if ws.is_server else None,
    )
    assert added.role is Role.REP and added.active
    try:
        _dana_ws, dana = db.sign_in(login)
        assert dana.display_name == "Dana Scully"
        assert [e.action for e in audit.history(ws)][-1] == "user.added"
    finally:
        if ws.is_server:  # logins are server-wide: do not leave dana behind for the next test
            from sqlalchemy import text

            from tests.helpers.databases import superuser_engine

            engine = superuser_engine(db.dialect)
            with engine.connect() as conn:
                drop = (
                    f'DROP ROLE IF EXISTS "{login}"'
                    if db.dialect == "postgresql"
                    else f"DROP USER IF EXISTS '{login}'@'%'"
                )
                conn.execute(text(drop))
            engine.dispose()


def test_a_rep_cannot_add_people(db):
    ws, rep = db.sign_in("rep")
    with pytest.raises(PermissionDenied, match="Only an admin can add people"):
        users.add_user(ws, rep, login="eve", display_name="Eve", password=PASSWORD)


@pytest.fixture
def newcomer(db):
    """A person of this test's own: logins are server-wide, so changing the shared test
    people's login (disabling it, new rights) would leak into every later test."""
    ws, admin = db.sign_in("admin")
    login = f"new{uuid.uuid4().hex[:10]}"
    users.add_user(ws, admin, login=login, display_name="Nia Newcomer", role=Role.REP,
                   team_id=db.team_id, password=PASSWORD if ws.is_server else None)  # fmt: skip
    yield login
    _drop_login(db, login)


def _drop_login(db, login: str) -> None:
    if db.dialect == "sqlite":
        return
    from sqlalchemy import text

    from tests.helpers.databases import superuser_engine

    engine = superuser_engine(db.dialect)
    with engine.connect() as conn:
        conn.execute(text(f'DROP ROLE IF EXISTS "{login}"' if db.dialect == "postgresql"
                          else f"DROP USER IF EXISTS '{login}'@'%'"))  # fmt: skip
    engine.dispose()


def test_deactivated_person_cannot_sign_in(db, newcomer):
    ws, admin = db.sign_in("admin")
    users.set_active(ws, admin, newcomer, False)
    if ws.is_server:
        from deskapp.domain.errors import ConnectionFailed

        with pytest.raises(ConnectionFailed):  # the server refuses the login itself
            db.sign_in(newcomer)
    else:
        with pytest.raises(PermissionDenied, match="deactivated"):
            auth.sign_in(ws, newcomer)


def test_role_change_is_audited_and_the_chain_verifies(db, newcomer):
    ws, admin = db.sign_in("admin")
    users.set_role(ws, admin, newcomer, Role.LEAD)
    events = audit.history(ws, chain=audit.PEOPLE_CHAIN)
    assert events[-1].action == "user.role_changed"
    assert events[-1].detail == {"login": newcomer, "from": "rep", "to": "lead"}
    assert audit.first_broken_link(ws, audit.PEOPLE_CHAIN) is None


def test_login_names_are_checked(db):
    ws, admin = db.sign_in("admin")
    with pytest.raises(InvalidInput):
        users.add_user(
            ws, admin, login='x"; DROP TABLE cases; --', display_name="x", password=PASSWORD
        )
