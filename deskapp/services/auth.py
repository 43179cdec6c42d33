"""Signing in. On a server the person is whoever the database authenticated (their own login);
on an SQLite workspace a local identity picked on this workstation."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, event, select, text, type_coerce
from sqlalchemy.orm import Session

from deskapp.db import roles
from deskapp.db.models import Team, User
from deskapp.db.types import UtcDateTime, utcnow
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, PermissionDenied
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, and whether they signed in with a temporary password: then they choose
    their own before anything else (the app shows nothing until they have)."""

    actor: Actor
    must_choose_password: bool = False
    temporary_password_expires_at: datetime | None = None


def sign_in(ws: Workspace, login: str | None = None) -> Actor:
    """The signed-in person. ``login`` is needed on SQLite and ignored on a server."""
    return sign_in_checked(ws, login).actor


def sign_in_checked(ws: Workspace, login: str | None = None) -> SignedIn:
    """``sign_in``, telling also whether a temporary password must be replaced first. An
    expired temporary password is refused here: PostgreSQL already refused the connection
    (VALID UNTIL), MariaDB cannot (see db/roles.py ``set_password_of``), so this is where
    MariaDB's expiry is enforced."""
    with read_session(ws) as session:
        conn = session.connection()
        server_login = roles.signed_in_login(conn)
        who = server_login or login
        if not who:
            raise InvalidInput("Choose who you are to sign in to this workspace.")
        user = session.scalar(select(User).where(User.login == who))
        if user is None:
            if server_login and _can_manage_logins(conn):
                return SignedIn(_setup_actor(server_login))
            raise PermissionDenied(
                f"“{who}” is not a Deskapp user of {ws.name}. Ask your Deskapp admin to add "
                "you (deskapp admin user add)."
            )
        if not user.active:
            raise PermissionDenied(
                f"The account “{who}” has been deactivated. Ask your team lead or admin."
            )
        actor = Actor(user.login, user.display_name, user.role, user.id, user.team_id)
        if not (server_login and user.password_change_required):
            return SignedIn(actor)
        expires = user.temporary_password_expires_at
        if expires is not None and expires <= server_now(session):
            raise PermissionDenied(
                f"This temporary password expired on {_moment(expires)}; ask your admin for "
                "a new one."
            )
        return SignedIn(actor, True, expires)


def server_now(session: Session) -> datetime:
    """The database server's clock, in UTC: expiry is judged by one clock for everyone."""
    return session.execute(select(type_coerce(utcnow(), UtcDateTime()))).scalar_one()


def _moment(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%-d %b %Y at %H:%M UTC")


def setup_actor(ws: Workspace) -> Actor:
    """The account that sets a workspace up before any person exists: the SQLite file's owner,
    or a server login allowed to create logins (superuser or CREATEROLE)."""
    with read_session(ws) as session:
        conn = session.connection()
        server_login = roles.signed_in_login(conn)
        if server_login is None:
            return _setup_actor("setup")
        user = session.scalar(select(User).where(User.login == server_login))
        if user is not None:
            return Actor(user.login, user.display_name, user.role, user.id, user.team_id)
        if not _can_manage_logins(conn):
            raise PermissionDenied(
                f"“{server_login}” is neither a Deskapp admin nor allowed to create logins on "
                "this server. Use the server's owner account for setting up."
            )
        return _setup_actor(server_login)


def change_own_password(ws: Workspace, actor: Actor, new_password: str) -> None:
    """Set the signed-in person's own password on the server (a temporary one's expiry and
    "must choose" flag go with it), and connect with it from now on."""
    if not ws.is_server:
        raise InvalidInput("A local workspace has no password to change.")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters.")
    with write_session(ws) as session:
        required = session.scalar(
            select(User.password_change_required).where(User.login == actor.login)
        )
        if required and new_password == ws.engine.url.password:
            raise InvalidInput(
                "That is the temporary password. Choose one of your own that nobody else knows."
            )
        roles.change_own_password(session.connection(), actor.login, new_password)
    _connect_with(ws.engine, new_password)


def _connect_with(engine: Engine, password: str) -> None:
    """New connections of this workspace (the pool's, a reconnect after a server restart)
    authenticate with ``password``: the one the engine was made with no longer works."""

    @event.listens_for(engine, "do_connect")
    def _new_password(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
        for key in ("password", "passwd"):  # psycopg's name; PyMySQL's through SQLAlchemy
            if key in params:
                params[key] = password


def _setup_actor(login: str) -> Actor:
    return Actor(login=login, display_name=login, role=Role.ADMIN, user_id=None, team_id=None)


def _can_manage_logins(conn: Connection) -> bool:
    if conn.dialect.name == "postgresql":
        return bool(
            conn.execute(
                text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user")
            ).scalar()
        )
    grants = " ".join(str(row[0]) for row in conn.execute(text("SHOW GRANTS")))
    return "ALL PRIVILEGES ON *.*" in grants or "CREATE USER" in grants


def create_local_identity(ws: Workspace, display_name: str, role: Role) -> Actor:
    """Add the person at this workstation to a local (SQLite) workspace and sign them in.

    A local file has no logins to protect it, so whoever can open the file can add
    themselves; on a server people are added by an admin with their own database login.
    """
    from deskapp.services import users  # users imports auth's neighbours; keep import local

    if ws.is_server:
        raise PermissionDenied(
            "On a team server your admin adds you (deskapp admin user add) and you sign in "
            "with your own login."
        )
    name = " ".join(display_name.split())
    if len(name) < 2:
        raise InvalidInput("Type your name as colleagues know it, e.g. Dana Scully.")
    taken = {u.login for u in users.list_users(ws, include_inactive=True)}
    login = _login_from_name(name, taken)
    with read_session(ws) as session:
        first_team = session.scalar(select(Team.id).order_by(Team.name).limit(1))
    users.add_user(ws, setup_actor(ws), login=login, display_name=name, role=role,
                   team_id=first_team)  # fmt: skip
    return sign_in(ws, login)


def _login_from_name(name: str, taken: set[str]) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = ".".join("".join(ch for ch in part if ch.isalnum()) for part in folded.split())
    base = base.strip(".")[:50]
    if len(base) < 2 or not base[0].isalpha():
        base = f"user.{base}".strip(".")
    login, number = base, 2
    while login in taken:
        login, number = f"{base}{number}", number + 1
    return login
