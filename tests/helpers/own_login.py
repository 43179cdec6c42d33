"""A person with a login of one test's own: logins are server-wide, so changing the password of
one of the shared test people would leak into every later test of the run."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from sqlalchemy import text

from deskapp.domain.enums import Role
from deskapp.services import users
from tests.helpers.databases import PASSWORD, TestDatabase, superuser_engine


def own_login(db: TestDatabase, prefix: str, name: str = "Nia Newcomer") -> Iterator[str]:
    """Add a rep of ``db``'s team signing in with PASSWORD; yield their login; drop it after."""
    ws, admin = db.sign_in("admin")
    login = f"{prefix}{uuid.uuid4().hex[:10]}"
    users.add_user(ws, admin, login=login, display_name=name, role=Role.REP,
                   team_id=db.team_id, password=PASSWORD)  # fmt: skip
    yield login
    engine = superuser_engine(db.dialect)
    with engine.connect() as conn:
        conn.execute(text(f'DROP ROLE IF EXISTS "{login}"' if db.dialect == "postgresql"
                          else f"DROP USER IF EXISTS '{login}'@'%'"))  # fmt: skip
    engine.dispose()
