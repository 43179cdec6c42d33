"""Teams: admins create them; everyone can list them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from deskapp.db.models import Team
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput
from deskapp.services import audit
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor, TeamInfo
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

DEFAULT_HOURS: dict[str, Any] = {
    day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}


def _info(team: Team) -> TeamInfo:
    return TeamInfo(team.id, team.name, team.time_zone, team.version)


def create_team(
    ws: Workspace,
    actor: Actor,
    name: str,
    *,
    time_zone: str = "UTC",
    business_hours: dict[str, Any] | None = None,
    team_id: uuid.UUID | None = None,
) -> TeamInfo:
    require_role(actor, Role.ADMIN, "create teams")
    name = name.strip()
    if not name:
        raise InvalidInput("A team needs a name.")
    team_id = team_id or uuid.uuid4()
    with write_session(ws) as session:
        existing = session.get(Team, team_id)
        if existing is not None:  # a retry of a create whose reply was lost
            return _info(existing)
        if session.scalar(select(Team.id).where(Team.name == name)):
            raise InvalidInput(f"There is already a team called “{name}”.")
        team = Team(
            id=team_id,
            name=name,
            time_zone=time_zone,
            business_hours=business_hours or DEFAULT_HOURS,
            holidays=[],
        )
        session.add(team)
        session.flush()
        audit.record_event(
            session, actor, "team.created", chain=audit.TEAMS_CHAIN, detail={"team": name}
        )
        session.refresh(team)
        return _info(team)


def list_teams(ws: Workspace) -> list[TeamInfo]:
    with read_session(ws) as session:
        return [_info(t) for t in session.scalars(select(Team).order_by(Team.name))]
