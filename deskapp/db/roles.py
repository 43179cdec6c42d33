"""Database roles: who may do what, enforced by the server itself (DESIGN.md §7).

On a server every person signs in with their own login, which is a member of exactly one group
role. The groups nest, so rights only grow: rep ⊂ lead ⊂ admin. Tables belong to
``deskapp_owner`` (PostgreSQL), a role nobody signs in as. SQLite has no logins: there the
services' checks are the only ones, which is fine for one workstation.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, PermissionDenied

OWNER_ROLE = "deskapp_owner"
# Lifts the expiry of a temporary password when its person chooses their own (migration 0012):
# an ordinary role may change its own password but not its VALID UNTIL. NOLOGIN; its only use is
# owning that one function. The owner is a member so that a migration can hand it the function.
PASSWORD_KEEPER_ROLE = "deskapp_password_keeper"  # noqa: S105 (a role's name)
# How long a temporary password works: long enough to reach someone over a weekend of shifts
# (issued Friday evening, first used Monday morning), short enough that a password read out on
# the phone or written on a note is useless soon after.
TEMPORARY_PASSWORD_HOURS = 72
GROUP_ROLES: dict[Role, str] = {
    Role.REP: "deskapp_rep",
    Role.LEAD: "deskapp_lead",
    Role.ADMIN: "deskapp_admin",
}
_LOGIN = re.compile(r"^[a-z][a-z0-9_.]{1,62}$")
_MARIADB_ROLE_NOT_GRANTED = 1962  # "Cannot revoke role … from …"
_MARIADB_ACCESS_DENIED = (1227, 1698)  # no admin option on that group role


def check_login(login: str) -> str:
    if not _LOGIN.match(login):
        raise InvalidInput(
            f"“{login}” cannot be a login: use 2–63 lower-case letters, digits, dots or "
            "underscores, starting with a letter."
        )
    if login.startswith(("deskapp_", "pg_")) or login in ("root", "postgres", "public"):
        raise InvalidInput(f"“{login}” is reserved; choose another login.")
    return login


# ------------------------------------------------------------------------- PostgreSQL
def ensure_postgresql_group_roles(conn: Connection) -> None:
    """Create the owner and group roles once per server (roles are server-wide)."""
    existing = set(conn.execute(text("SELECT rolname FROM pg_roles")).scalars())
    for name in (OWNER_ROLE, *GROUP_ROLES.values()):
        if name not in existing:
            conn.execute(text(f"CREATE ROLE {name} NOLOGIN"))
    if PASSWORD_KEEPER_ROLE not in existing:
        conn.execute(text(f"CREATE ROLE {PASSWORD_KEEPER_ROLE} NOLOGIN CREATEROLE"))
    members = {
        (group, member)
        for group, member in conn.execute(
            text(
                "SELECT g.rolname, m.rolname FROM pg_auth_members a "
                "JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member"
            )
        )
    }
    for group, member in (
        (GROUP_ROLES[Role.REP], GROUP_ROLES[Role.LEAD]),
        (GROUP_ROLES[Role.LEAD], GROUP_ROLES[Role.ADMIN]),
        (PASSWORD_KEEPER_ROLE, OWNER_ROLE),
    ):
        if (group, member) not in members:
            conn.execute(text(f"GRANT {group} TO {member}"))
    # The owner creates the schema's tables; on PostgreSQL 15+ public is no longer open to all.
    database = conn.execute(text("SELECT current_database()")).scalar()
    conn.execute(text(f"GRANT CREATE, USAGE ON SCHEMA public TO {OWNER_ROLE}"))
    conn.execute(text(f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO {OWNER_ROLE}'))
    # A function's owner needs CREATE on its schema (0012's deskapp_choose_own_password).
    conn.execute(text(f"GRANT CREATE, USAGE ON SCHEMA public TO {PASSWORD_KEEPER_ROLE}"))


def _postgresql_verifier(conn: Connection, login: str, password: str) -> str:
    """A SCRAM verifier computed here, so the plain password never appears in any SQL text."""
    raw = conn.connection.dbapi_connection
    verifier = raw.pgconn.encrypt_password(  # type: ignore[union-attr]
        password.encode(), login.encode(), b"scram-sha-256"
    )
    return str(verifier.decode())


def _postgresql_password_literal(conn: Connection, login: str, password: str) -> str:
    from psycopg import sql

    raw = conn.connection.dbapi_connection
    verifier = _postgresql_verifier(conn, login, password)
    return str(sql.Literal(verifier).as_string(raw))  # type: ignore[arg-type]


def create_login(conn: Connection, login: str, password: str, role: Role) -> None:
    check_login(login)
    if conn.dialect.name == "postgresql":
        password_sql = _postgresql_password_literal(conn, login, password)
        # Admins create people, so their logins may create roles (PostgreSQL's CREATEROLE).
        extra = " CREATEROLE" if role is Role.ADMIN else ""
        conn.exec_driver_sql(
            f'CREATE ROLE "{login}" LOGIN{extra} PASSWORD {password_sql} '
            f"IN ROLE {GROUP_ROLES[role]}"
        )
        if role is Role.ADMIN:
            conn.exec_driver_sql(
                f'GRANT {", ".join(GROUP_ROLES.values())} TO "{login}" WITH ADMIN OPTION'
            )
    elif conn.dialect.name in ("mysql", "mariadb"):
        conn.exec_driver_sql(f"CREATE USER '{login}'@'%%' IDENTIFIED BY %s", (password,))
        _mariadb_assign_role(conn, login, role)


def set_login_role(conn: Connection, login: str, role: Role, previous: Role | None = None) -> None:
    """Give ``login`` the group of ``role`` instead of its ``previous`` one (None: any other)."""
    check_login(login)
    if conn.dialect.name == "postgresql":
        for other in GROUP_ROLES.values():
            conn.exec_driver_sql(f'REVOKE {other} FROM "{login}"')
        conn.exec_driver_sql(f'GRANT {GROUP_ROLES[role]} TO "{login}"')
        conn.exec_driver_sql(f'ALTER ROLE "{login}" {"" if role is Role.ADMIN else "NO"}CREATEROLE')
    elif conn.dialect.name in ("mysql", "mariadb"):
        # Each GRANT and REVOKE commits by itself on MariaDB: grant first, so a refused grant
        # (only the server's owner may hand out the admin group) leaves the person as they were.
        try:
            _mariadb_assign_role(conn, login, role)
        except DBAPIError as exc:
            if exc.orig and exc.orig.args[0] in _MARIADB_ACCESS_DENIED:
                raise PermissionDenied(
                    f"On MariaDB only the server's owner account may make someone {role.value}: "
                    f"run `deskapp admin user set-role {login} {role.value} "
                    "--db mariadb://OWNER@HOST/DATABASE`. Nothing was changed."
                ) from exc
            raise
        stale = [GROUP_ROLES[previous]] if previous is not None else list(GROUP_ROLES.values())
        for other in stale:
            if other == GROUP_ROLES[role]:
                continue
            # No REVOKE IF EXISTS in MariaDB 10.11, and an admin may not read another login's
            # roles (the mysql schema): "was not granted" (1962) is what we wanted anyway.
            try:
                conn.exec_driver_sql(f"REVOKE {other} FROM '{login}'@'%%'")
            except DBAPIError as exc:
                if not exc.orig or exc.orig.args[0] != _MARIADB_ROLE_NOT_GRANTED:
                    raise


def disable_login(conn: Connection, login: str) -> None:
    check_login(login)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f'ALTER ROLE "{login}" NOLOGIN')
    elif conn.dialect.name in ("mysql", "mariadb"):
        conn.exec_driver_sql(f"ALTER USER '{login}'@'%%' ACCOUNT LOCK")


def enable_login(conn: Connection, login: str) -> None:
    check_login(login)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f'ALTER ROLE "{login}" LOGIN')
    elif conn.dialect.name in ("mysql", "mariadb"):
        conn.exec_driver_sql(f"ALTER USER '{login}'@'%%' ACCOUNT UNLOCK")


def change_own_password(conn: Connection, login: str, new_password: str) -> None:
    """The signed-in person chooses their password; a temporary one's expiry and the "must
    choose" flag go with it (migration 0012: on PostgreSQL one function sets the password of
    ``session_user`` and lifts its VALID UNTIL, which a role may not do for itself)."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT deskapp_choose_own_password(:verifier)"),
            {"verifier": _postgresql_verifier(conn, login, new_password)},
        )
    elif conn.dialect.name in ("mysql", "mariadb"):
        # Its hash, not the password: no general or slow log ever holds the plain text.
        conn.exec_driver_sql(f"SET PASSWORD = '{_mariadb_native_hash(new_password)}'")
        conn.exec_driver_sql("CALL deskapp_password_chosen()")


def set_password_of(
    conn: Connection, login: str, password: str, valid_until: datetime | None = None
) -> None:
    """An admin sets someone else's password (a temporary one, services/people.py). Only its
    hash travels, so the plain password is in no statement, parameter or server log.

    ``valid_until``: on PostgreSQL the server itself refuses the password after that moment
    (VALID UNTIL). MariaDB's own expiry (PASSWORD EXPIRE) lets PyMySQL connect but refuses
    every statement until SET PASSWORD, which Deskapp's connect step (SET ROLE) cannot get
    past, so there services/auth.py refuses an expired temporary password at sign-in."""
    check_login(login)
    if conn.dialect.name == "postgresql":
        password_sql = _postgresql_password_literal(conn, login, password)
        until = "" if valid_until is None else f" VALID UNTIL '{valid_until.isoformat()}'"
        conn.exec_driver_sql(f'ALTER ROLE "{login}" PASSWORD {password_sql}{until}')
    elif conn.dialect.name in ("mysql", "mariadb"):
        conn.exec_driver_sql(
            f"ALTER USER '{login}'@'%%' IDENTIFIED BY PASSWORD '{_mariadb_native_hash(password)}'"
        )


def _mariadb_native_hash(password: str) -> str:
    """The mysql_native_password hash the server itself would store: *SHA1(SHA1(password))."""
    inner = hashlib.sha1(password.encode()).digest()  # noqa: S324 (the plugin's own format)
    return "*" + hashlib.sha1(inner).hexdigest().upper()  # noqa: S324


def _mariadb_assign_role(conn: Connection, login: str, role: Role) -> None:
    # No SET DEFAULT ROLE: for another user it needs write access to the mysql schema. Each
    # connection activates its highest granted group instead (activate_mariadb_role).
    conn.exec_driver_sql(f"GRANT {GROUP_ROLES[role]} TO '{login}'@'%%'")


def activate_mariadb_role(dbapi_connection: Any) -> None:
    """MariaDB roles are inactive until SET ROLE: switch on the person's highest group."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SELECT ROLE_NAME FROM information_schema.APPLICABLE_ROLES")
        granted = {row[0] for row in cursor.fetchall()}
        for role in (Role.ADMIN, Role.LEAD, Role.REP):
            if GROUP_ROLES[role] in granted:
                cursor.execute(f"SET ROLE {GROUP_ROLES[role]}")
                break
    finally:
        cursor.close()


def signed_in_login(conn: Connection) -> str | None:
    """The login the server authenticated (not something the client claims)."""
    if conn.dialect.name == "postgresql":
        return conn.execute(text("SELECT session_user")).scalar()
    if conn.dialect.name in ("mysql", "mariadb"):
        user = conn.execute(text("SELECT CURRENT_USER()")).scalar() or ""
        return str(user).split("@", 1)[0]
    return None
