"""Canned responses a person may use: their own, their team's and the global ones.

First version (a list for the panel); the canned-response issue adds ranking, placeholders,
editing rights and suggestions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from deskapp.db.models import CannedResponse
from deskapp.domain.enums import CannedScope
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace


@dataclass(frozen=True)
class CannedInfo:
    id: uuid.UUID
    scope: CannedScope
    title: str
    shortcut: str | None
    category: str
    tags: tuple[str, ...]
    body: str


def usable_responses(ws: Workspace, actor: Actor) -> list[CannedInfo]:
    visible = or_(
        CannedResponse.scope == CannedScope.GLOBAL,
        and_(CannedResponse.scope == CannedScope.TEAM, CannedResponse.team_id == actor.team_id),
        and_(
            CannedResponse.scope == CannedScope.PERSONAL, CannedResponse.owner_id == actor.user_id
        ),
    )
    query = (
        select(CannedResponse)
        .where(visible, CannedResponse.active.is_(True))
        .order_by(CannedResponse.category, CannedResponse.title)
    )
    with read_session(ws) as session:
        return [
            CannedInfo(r.id, r.scope, r.title, r.shortcut, r.category, tuple(r.tags or ()), r.body)
            for r in session.scalars(query)
        ]
