"""What every handoff step checks first: the case exists, the actor is a person (the setup
account writes no notes and owns no cases), and the actor may hand this case on. Shared by
handoffs.py and handoff_drafts.py.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import Case
from deskapp.domain.enums import Role
from deskapp.domain.errors import NotFound, PermissionDenied
from deskapp.services.cases import info
from deskapp.services.records import Actor


def load_case(session: Session, case_id: uuid.UUID, *, for_update: bool = False) -> Case:
    """The case, locked for the change when ``for_update``; NotFound if it is gone."""
    query = select(Case).where(Case.id == case_id)
    case = session.scalar(query.with_for_update() if for_update else query)
    if case is None:
        raise NotFound("That case does not exist (any more).")
    return case


def person_of(actor: Actor) -> uuid.UUID:
    """The actor's user id: only a person writes notes and drafts."""
    if actor.user_id is None:
        raise PermissionDenied("The setup account writes no handoff notes: sign in as a person.")
    return actor.user_id


def require_may_hand_off(actor: Actor, case: Case) -> None:
    """Reps hand on their own cases; leads any case of their team; admins any case."""
    person_of(actor)
    if actor.role is Role.ADMIN or case.assignee_id == actor.user_id:
        return
    if actor.role is Role.LEAD and case.team_id == actor.team_id:
        return
    key = info(case).key
    if actor.role is Role.LEAD:
        raise PermissionDenied(f"{key} is in another team: its own lead hands it on.")
    raise PermissionDenied(
        f"{key} is not yours to hand on. Ask its owner or your team lead to hand it over."
    )
