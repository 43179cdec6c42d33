"""Service-level rights. On PostgreSQL the database enforces the same rights again (db/roles.py);
on SQLite these checks are the only ones, on MariaDB they stand beside the grants."""

from __future__ import annotations

from deskapp.domain.enums import Role
from deskapp.domain.errors import PermissionDenied
from deskapp.services.records import Actor

_ROLE_NAMES = {Role.REP: "a rep", Role.LEAD: "a team lead", Role.ADMIN: "an admin"}


def require_role(actor: Actor, needed: Role, doing: str) -> None:
    """Raise PermissionDenied unless ``actor`` has at least the ``needed`` role."""
    if actor.role.rank < needed.rank:
        raise PermissionDenied(
            f"Only {_ROLE_NAMES[needed]}{' or admin' if needed is Role.LEAD else ''} can "
            f"{doing}. You are signed in as {_ROLE_NAMES[actor.role]} ({actor.login})."
        )
