"""Team isolation: whether leads and reps see only their own team's cases.

A workspace setting (``cases.team_isolation`` in ``workspace_settings``, off unless an admin
turns it on). On PostgreSQL the database enforces it with row-level security (migrations 0009
and 0012): a lead or rep then reads their team's cases and the cases assigned to them, and of
everything recorded on a case (contacts, notes, read-backs, commitments, drafts, audit events,
presence, search text) only what belongs to those cases or is their own, whatever client they
use; admins always read everything. Customers stay shared. MariaDB has no row-level
security, so there a rep with their own SQL client would still read every case, and an SQLite
workspace is one workstation: on both, turning isolation on is refused with that explanation
rather than promised.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from deskapp.db.models import WorkspaceSetting
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput
from deskapp.services import audit
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import already_applied, read_session, write_session
from deskapp.services.workspace import Workspace

# Migration 0009 reads the same key (frozen there: a migration must not import app code).
KEY = "cases.team_isolation"
SETTINGS_CHAIN = "settings"
CHANGED = "workspace.team_isolation_changed"


def team_isolation_on(ws: Workspace) -> bool:
    with read_session(ws) as session:
        value = session.scalar(select(WorkspaceSetting.value).where(WorkspaceSetting.key == KEY))
    return value is True


def set_team_isolation(
    ws: Workspace, actor: Actor, on: bool, *, request_id: uuid.UUID | None = None
) -> bool:
    """Switch team isolation on or off (admins only); returns whether it was already so."""
    require_role(actor, Role.ADMIN, "switch team isolation")
    if on and ws.dialect != "postgresql":
        raise InvalidInput(
            "Team isolation needs a PostgreSQL workspace, where the database itself hides "
            "other teams' cases. "
            + (
                "MariaDB has no row-level security: anyone with their own SQL client could "
                "still read every team's cases, so Deskapp does not pretend to isolate them."
                if ws.is_server
                else "A local SQLite workspace belongs to one workstation; there is no one to "
                "isolate."
            )
        )
    request_id = request_id or uuid.uuid4()
    with write_session(ws) as session:
        row = session.get(WorkspaceSetting, KEY, with_for_update=True)
        if already_applied(session, request_id):
            return True
        was_on = row is not None and row.value is True
        if was_on == on:
            return True
        if row is None:
            session.add(WorkspaceSetting(key=KEY, value=on))
        else:
            row.value = on
        session.flush()
        audit.record_event(
            session,
            actor,
            CHANGED,
            event_id=request_id,
            chain=SETTINGS_CHAIN,
            detail={"team_isolation": on},
        )
    return False
