"""Which handoff template a team writes its notes against: its own, or the default one.

The default ships in resources/templates/handoff.json. A team's adjusted template lives in
``teams.handoff_template``; one that no longer passes the template rules (a core field made
optional, a field removed) is not used: the default keeps every core field required, so a
broken team template can never relax what a note must hold.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import asdict
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import Team
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from deskapp.domain.handoff_template import HandoffTemplate
from deskapp.services import audit
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

log = logging.getLogger(__name__)


@cache
def default_template() -> HandoffTemplate:
    source = resources.files("deskapp.resources").joinpath("templates/handoff.json")
    return HandoffTemplate.from_dict(json.loads(source.read_text(encoding="utf-8")))


def template_for(ws: Workspace, team_id: uuid.UUID | None) -> HandoffTemplate:
    """The team's template (``teams.handoff_template``) or the default."""
    with read_session(ws) as session:
        return team_template(session, team_id)


def team_template(session: Session, team_id: uuid.UUID | None) -> HandoffTemplate:
    """``template_for`` inside a caller's session (the handoff service's transaction)."""
    if team_id is None:
        return default_template()
    stored = session.scalar(select(Team.handoff_template).where(Team.id == team_id))
    if not stored:
        return default_template()
    try:
        return HandoffTemplate.from_dict(stored)
    except (ValueError, KeyError, TypeError) as exc:
        # Logged without content: a template holds labels and rules, never customer text.
        log.warning(
            "team %s has an unusable handoff template (%s); using the default", team_id, exc
        )
        return default_template()


def set_team_template(
    ws: Workspace, actor: Actor, team_id: uuid.UUID, data: dict[str, Any]
) -> HandoffTemplate:
    """A lead adjusts their team's template (labels, help, added fields and rules) within the
    limits of DESIGN.md §5: the core fields stay, stay required, and the sensitive-data block
    cannot be switched off (lint applies it whatever the template says). The version goes up
    by one, so every note records what it was written against."""
    if actor.role is Role.REP or (actor.role is Role.LEAD and actor.team_id != team_id):
        raise PermissionDenied("Only the team's lead or an admin can change its handoff template.")
    with write_session(ws) as session:
        team = session.get(Team, team_id)
        if team is None:
            raise NotFound("That team does not exist (any more).")
        current = team_template(session, team_id)
        try:
            adjusted = HandoffTemplate.from_dict({**data, "version": current.version + 1})
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(f"This template cannot be used: {exc}") from exc
        team.handoff_template = {**data, "version": adjusted.version}
        session.flush()
        audit.record_event(
            session, actor, "team.handoff_template_changed", chain=audit.TEAMS_CHAIN,
            detail={"team": team.name, "version": adjusted.version},
        )  # fmt: skip
        return adjusted


def template_as_dict(template: HandoffTemplate) -> dict[str, Any]:
    return {
        "version": template.version,
        "fields": [asdict(spec) for spec in template.fields],
        "rules": [asdict(rule) for rule in template.rules],
    }
