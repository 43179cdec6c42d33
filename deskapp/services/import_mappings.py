"""The CSV column mapping an admin chose, kept in the workspace for next time.

Stored per kind in ``workspace_settings`` (``import.mapping.customers`` …), so the next import
of the same kind of file, from the window or the command line, by this admin or another, starts
from it. Only admins write it (the grants on the servers allow no one else).
"""

from __future__ import annotations

from sqlalchemy import select

from deskapp.db.models import WorkspaceSetting
from deskapp.domain.enums import Role
from deskapp.services.import_sources import Kind, field_names
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

KEY = "import.mapping.{kind}"


def saved_mapping(ws: Workspace, kind: Kind) -> dict[str, str] | None:
    with read_session(ws) as session:
        value = session.scalar(
            select(WorkspaceSetting.value).where(WorkspaceSetting.key == KEY.format(kind=kind))
        )
    if not isinstance(value, dict):
        return None
    known = set(field_names(kind))
    return {
        str(name): str(column)
        for name, column in value.items()
        if name in known and isinstance(column, str) and column
    }


def save_mapping(ws: Workspace, actor: Actor, kind: Kind, mapping: dict[str, str]) -> None:
    require_role(actor, Role.ADMIN, "save an import mapping")
    key = KEY.format(kind=kind)
    with write_session(ws) as session:
        row = session.get(WorkspaceSetting, key)
        if row is None:
            session.add(WorkspaceSetting(key=key, value=dict(mapping)))
        elif row.value != mapping:
            row.value = dict(mapping)
