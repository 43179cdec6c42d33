"""Signing in. On a server the person is whoever the database authenticated (their own login);
on an SQLite workspace a local identity picked on this workstation."""

from __future__ import annotations

import unicodedata

from sqlalchemy import Connection, select, text

from deskapp.db import roles
from deskapp.db.models import Team, User
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, PermissionDenied
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace


def sign_in(ws: Workspace, login: str | None = None) -> Actor:
    """The signed-in person. ``login`` is needed on SQLite and ignored on a server."""
    with read_session(ws) as session:
        conn = session.connection()
        server_login = roles.signed_in_login(conn)
        who = server_login or login
        if not who:
            raise InvalidInput("Choose who you are to sign in to this workspace.")
        user = session.scalar(select(User).where(User.login == who))
        if user is None:
            if server_login and _can_manage_logins(conn):
                return _setup_actor(server_login)
            raise PermissionDenied(
                f"“{who}” is not a Deskapp user of {ws.name}. Ask your Deskapp admin to add "
                "you (deskapp admin user add)."
            )
        if not user.active:
            raise PermissionDenied(
                f"The account “{who}” has been deactivated. Ask your team lead or admin."
            )
        return Actor(user.login, user.display_name, user.role, user.id, user.team_id)


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
    if not ws.is_server:
        raise InvalidInput("A local workspace has no password to change.")
    if len(new_password) < 10:
        raise InvalidInput("Choose a password of at least 10 characters.")
    with write_session(ws) as session:
        roles.change_own_password(session.connection(), actor.login, new_password)


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
