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
from functools import cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import Team
from deskapp.domain.handoff_template import HandoffTemplate
from deskapp.services.unit_of_work import read_session
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
