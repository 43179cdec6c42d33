"""The People window's reads and the one change it adds to services/users.py: issuing a
temporary password.

Who sees what: an admin sees everyone and may change them; a team lead sees the people of
their own team (who is in, what role, how many open cases, signed in now) and changes nothing;
a rep has no people list. Adding, changing roles and (de)activating are services/users.py's.

A temporary password is made here with the ``secrets`` module, set on the server and handed
back once; it is never stored, logged or put in the audit event (which says only for whom).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from deskapp.db import roles
from deskapp.db.models import Case, Team, User
from deskapp.db.models.cases import OPEN_STATUSES
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from deskapp.services import audit, presence
from deskapp.services.auth import (
    _login_from_name,  # the rule local sign-up uses, in one place
    server_now,
)
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor, TeamInfo
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

ISSUED_ACTION = "user.temporary_password_issued"
# Read aloud or copied from a screen without doubt: no 0/o, 1/l/i; lower case, so Caps Lock
# and phone keyboards do not get in the way. 4 groups of 4 from 31 symbols: 79 bits.
READABLE_SYMBOLS = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS, GROUP_LENGTH = 4, 4
_PRIVILEGE_ERRORS = {"42501", 1227, 1045}  # PostgreSQL SQLSTATE, MariaDB access denied


@dataclass(frozen=True)
class Person:
    user_id: uuid.UUID
    login: str
    display_name: str
    role: Role
    team_id: uuid.UUID | None
    team_name: str  # "" without a team
    active: bool
    open_cases: int
    signed_in: bool  # a Deskapp of theirs is running now (services/presence.py)


@dataclass(frozen=True)
class PeopleList:
    people: tuple[Person, ...]
    teams: tuple[TeamInfo, ...]  # an admin's: every team; a lead's: their own
    may_manage: bool  # an admin: add, change roles, (de)activate, temporary passwords
    has_passwords: bool  # a server workspace: people sign in with a login and password


def list_people(ws: Workspace, actor: Actor) -> PeopleList:
    """Everyone (admins) or the lead's own team, active people first, by team and name."""
    require_role(actor, Role.LEAD, "see the people list")
    admin = actor.role is Role.ADMIN
    with read_session(ws) as session:
        query = (
            select(User, Team.name)
            .outerjoin(Team, Team.id == User.team_id)
            .order_by(User.active.desc(), Team.name.is_(None), Team.name, User.display_name)
        )
        team_query = select(Team).order_by(Team.name)
        if not admin:
            query = query.where(User.team_id == actor.team_id)
            team_query = team_query.where(Team.id == actor.team_id)
        rows = session.execute(query).all()
        teams = tuple(
            TeamInfo(t.id, t.name, t.time_zone, t.version) for t in session.scalars(team_query)
        )
        held = _open_cases(session, None if admin else [user.id for user, _t in rows])
    here = presence.signed_in(ws, [user.id for user, _team in rows if user.active])
    people = tuple(
        Person(
            user.id,
            user.login,
            user.display_name,
            user.role,
            user.team_id,
            team_name or "",
            user.active,
            held.get(user.id, 0),
            user.id in here,
        )
        for user, team_name in rows
    )
    return PeopleList(people, teams, admin, ws.is_server)


def suggest_login(display_name: str, taken: Iterable[str]) -> str:
    """A login from a name as colleagues know it: "Dana Scully" → dana.scully (dana.scully2 when
    taken). Only a suggestion: the admin may type another."""
    name = " ".join(display_name.split())
    return _login_from_name(name, set(taken)) if len(name) >= 2 else ""


def generate_temporary_password() -> str:
    """e.g. ``k7pq-x2mv-fh9c-tr4w``: strong, and easy to read out or type from a note."""
    groups = (
        "".join(secrets.choice(READABLE_SYMBOLS) for _ in range(GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


def issue_temporary_password(ws: Workspace, actor: Actor, login: str) -> str:
    """Replace ``login``'s server password with a new random one and return it, once.

    Their Deskapp windows already open keep working; the next sign-in needs the new password,
    and before anything else they choose their own (services/auth.py ``sign_in``). The
    temporary one works for ``roles.TEMPORARY_PASSWORD_HOURS``: on PostgreSQL the server
    refuses it afterwards (VALID UNTIL), on MariaDB the sign-in does. A retry after a lost
    reply sets a fresh password again, so the one returned is always the one in force.
    """
    require_role(actor, Role.ADMIN, "issue temporary passwords")
    if not ws.is_server:
        raise InvalidInput(
            "A local workspace has no passwords: whoever opens the file picks themselves when "
            "signing in. There is nothing to issue."
        )
    if login == actor.login:
        raise InvalidInput(
            "That is you: change your own password with File ▸ Change password… instead."
        )
    password = generate_temporary_password()
    with write_session(ws) as session:
        user = session.scalar(select(User).where(User.login == login))
        if user is None:
            raise NotFound(f"Nobody has the login “{login}” in this workspace.")
        if not user.active:
            raise InvalidInput(
                f"{user.display_name} is deactivated and cannot sign in: reactivate them first, "
                "then issue a temporary password."
            )
        # On MariaDB ALTER USER commits by itself, so the password is set before the audit
        # event is written; should that insert fail, the person is told nothing was issued and
        # the admin issues another (the one set was never shown to anyone).
        expires = server_now(session) + timedelta(hours=roles.TEMPORARY_PASSWORD_HOURS)
        user.password_change_required = True
        user.temporary_password_expires_at = expires
        session.flush()  # before MariaDB's ALTER USER commits the transaction by itself
        try:
            roles.set_password_of(session.connection(), login, password, valid_until=expires)
        except DBAPIError as exc:
            exc.hide_parameters = True  # whatever the driver quoted stays out of any log
            if _refused(exc):
                raise PermissionDenied(
                    f"The server did not let {actor.login} set the password of {login}. On "
                    "MariaDB and PostgreSQL the admin's login needs the right to manage logins "
                    "(CREATE USER / CREATEROLE); ask the server's owner."
                ) from None
            raise
        audit.record_event(session, actor, ISSUED_ACTION, detail={"login": login})
    return password


def _refused(exc: DBAPIError) -> bool:
    orig = exc.orig  # psycopg says a SQLSTATE; PyMySQL a generic one and its number first
    codes = {getattr(orig, "sqlstate", None), orig.args[0] if orig and orig.args else None}
    return bool(codes & _PRIVILEGE_ERRORS)


def _open_cases(session: Session, user_ids: list[uuid.UUID] | None) -> dict[uuid.UUID, int]:
    """Open cases per assignee: of ``user_ids``, or of everyone (an admin's whole list)."""
    query = (
        select(Case.assignee_id, func.count())
        .where(Case.status.in_(OPEN_STATUSES), Case.assignee_id.is_not(None))
        .group_by(Case.assignee_id)
    )
    if user_ids is not None:
        if not user_ids:
            return {}
        query = query.where(Case.assignee_id.in_(user_ids))
    return {user_id: int(n) for user_id, n in session.execute(query) if user_id is not None}
