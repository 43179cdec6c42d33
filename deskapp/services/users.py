"""People: add, change role, deactivate. On a server each person is also a database login whose
group role carries their rights (db/roles.py), changed in the same transaction as the row."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from deskapp.db import roles
from deskapp.db.models import Case, Team, User
from deskapp.db.models.cases import OPEN_STATUSES
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, NotFound
from deskapp.services import audit
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor, UserInfo
from deskapp.services.unit_of_work import already_applied, read_session, write_session
from deskapp.services.workspace import Workspace

MIN_PASSWORD_LENGTH = 10


class StillHoldsCases(InvalidInput):
    """Deactivating someone who still holds open cases: nobody would work on them. The GUI
    offers Team ▸ Rep is out… for ``user_id`` next to the message."""

    def __init__(self, user_id: uuid.UUID, display_name: str, open_cases: int) -> None:
        self.user_id, self.display_name, self.open_cases = user_id, display_name, open_cases
        cases = "1 open case" if open_cases == 1 else f"{open_cases:,} open cases"
        super().__init__(
            f"{display_name} still holds {cases}. Move their {cases} first: Team ▸ Rep is "
            f"out… hands them to the team queue or to colleagues; then deactivate {display_name}."
        )


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id,
        user.login,
        user.display_name,
        user.email,
        user.role,
        user.team_id,
        user.active,
        user.version,
    )


def add_user(
    ws: Workspace,
    actor: Actor,
    *,
    login: str,
    display_name: str,
    role: Role = Role.REP,
    team_id: uuid.UUID | None = None,
    email: str | None = None,
    password: str | None = None,
    user_id: uuid.UUID | None = None,
) -> UserInfo:
    """Add a person. On a server ``password`` is their initial database password."""
    require_role(actor, Role.ADMIN, "add people")
    roles.check_login(login)
    if not display_name.strip():
        raise InvalidInput("Give the person's name as colleagues know it.")
    if ws.is_server and (password is None or len(password) < MIN_PASSWORD_LENGTH):
        raise InvalidInput(
            f"On a server each person needs an initial password of at least "
            f"{MIN_PASSWORD_LENGTH} characters (they can change it after signing in)."
        )
    user_id = user_id or uuid.uuid4()
    with write_session(ws) as session:
        existing = session.get(User, user_id)
        if existing is not None:  # a retry whose first attempt committed
            return _info(existing)
        if session.scalar(select(User.id).where(User.login == login)):
            raise InvalidInput(f"There is already a person with the login “{login}”.")
        if team_id is not None and session.get(Team, team_id) is None:
            raise NotFound("That team does not exist (any more).")
        if password is not None and ws.is_server:
            try:
                roles.create_login(session.connection(), login, password, role)
            except DBAPIError as exc:
                exc.hide_parameters = True  # MariaDB's statement carries the password
                if _login_taken_on_server(exc):
                    raise InvalidInput(
                        f"The server already has a login “{login}” (for another workspace on "
                        "it, perhaps): logins are shared by the whole server. Choose another."
                    ) from None
                raise
        user = User(
            id=user_id,
            login=login,
            display_name=display_name.strip(),
            email=email,
            role=role,
            team_id=team_id,
            active=True,
        )
        session.add(user)
        session.flush()
        audit.record_event(
            session, actor, "user.added", detail={"login": login, "role": role.value}
        )
        session.refresh(user)
        return _info(user)


def set_role(
    ws: Workspace, actor: Actor, login: str, role: Role, *, request_id: uuid.UUID | None = None
) -> UserInfo:
    require_role(actor, Role.ADMIN, "change people's roles")
    request_id = request_id or uuid.uuid4()
    with write_session(ws) as session:
        user = _by_login(session, login)
        if already_applied(session, request_id):
            return _info(user)
        if user.id == actor.user_id and role is not Role.ADMIN:
            raise InvalidInput("You cannot take away your own admin rights; ask another admin.")
        previous = user.role
        user.role = role
        if ws.is_server:
            roles.set_login_role(session.connection(), login, role, previous)
        session.flush()
        audit.record_event(
            session,
            actor,
            "user.role_changed",
            event_id=request_id,
            detail={"login": login, "from": previous.value, "to": role.value},
        )
        return _info(user)


def set_active(
    ws: Workspace, actor: Actor, login: str, active: bool, *, request_id: uuid.UUID | None = None
) -> UserInfo:
    """Deactivate (or reactivate) a person: they can no longer sign in; history keeps them."""
    require_role(actor, Role.ADMIN, "deactivate people")
    request_id = request_id or uuid.uuid4()
    with write_session(ws) as session:
        user = _by_login(session, login)
        if already_applied(session, request_id):
            return _info(user)
        if user.id == actor.user_id and not active:
            raise InvalidInput("You cannot deactivate yourself; ask another admin.")
        if not active and (held := _open_cases_of(session, user.id)):
            raise StillHoldsCases(user.id, user.display_name, held)
        user.active = active
        if ws.is_server:
            conn = session.connection()
            (roles.enable_login if active else roles.disable_login)(conn, login)
        session.flush()
        audit.record_event(
            session,
            actor,
            "user.activated" if active else "user.deactivated",
            event_id=request_id,
            detail={"login": login},
        )
        return _info(user)


def list_users(ws: Workspace, *, include_inactive: bool = False) -> list[UserInfo]:
    with read_session(ws) as session:
        query = select(User).order_by(User.display_name)
        if not include_inactive:
            query = query.where(User.active.is_(True))
        return [_info(u) for u in session.scalars(query)]


def _login_taken_on_server(exc: DBAPIError) -> bool:
    orig = exc.orig  # psycopg says a SQLSTATE; PyMySQL a generic one and its number first
    codes = {getattr(orig, "sqlstate", None), orig.args[0] if orig and orig.args else None}
    return bool(codes & {"42710", 1396})  # PostgreSQL duplicate_object; MariaDB CREATE USER failed


def _open_cases_of(session: Session, user_id: uuid.UUID) -> int:
    held = session.scalar(
        select(func.count())
        .select_from(Case)
        .where(Case.assignee_id == user_id, Case.status.in_(OPEN_STATUSES))
    )
    return int(held or 0)


def _by_login(session: Session, login: str) -> User:
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise NotFound(f"Nobody has the login “{login}” in this workspace.")
    return user
