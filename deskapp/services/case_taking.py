"""Taking one case from the team queue (the queue's Take): no note needed, since the note that
released the case is what the taker reads. One statement decides, so of two people taking the
same case exactly one gets it; the other is told why not. (Get next is services/claiming.py.)
"""

from __future__ import annotations

import uuid

from sqlalchemy import CursorResult, literal, update
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from deskapp.db.models import Case, User
from deskapp.db.types import utcnow
from deskapp.domain.enums import CaseStatus, Role
from deskapp.domain.errors import (
    DeskappError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StaleEdit,
)
from deskapp.services import audit
from deskapp.services.cases import info
from deskapp.services.handoff_access import load_case
from deskapp.services.handoffs import TAKEN
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.unit_of_work import write_session
from deskapp.services.workspace import Workspace


def take_case(ws: Workspace, actor: Actor, case_id: uuid.UUID, expected_version: int) -> CaseInfo:
    """Claim an unassigned case of my team. One statement decides, so of two people claiming
    at once exactly one gets it; the other is told who did."""
    if actor.user_id is None:
        raise PermissionDenied("The setup account cannot own cases: sign in as a person.")
    request_id = uuid.uuid4()
    with write_session(ws) as session:
        conditions = [
            Case.id == case_id,
            Case.assignee_id.is_(None),
            Case.version == expected_version,
            Case.status.notin_([CaseStatus.RESOLVED, CaseStatus.CLOSED]),
        ]
        if actor.role is not Role.ADMIN:
            conditions.append(Case.team_id == actor.team_id)
        claimed = session.execute(
            update(Case)
            .where(*conditions)
            .values(
                assignee_id=actor.user_id,
                status=sql_case(
                    (Case.status == CaseStatus.NEW, literal(CaseStatus.OPEN, Case.status.type)),
                    else_=Case.status,
                ),
                version=Case.version + 1,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        assert isinstance(claimed, CursorResult)  # an UPDATE's result counts its rows
        if claimed.rowcount != 1:
            _explain_failed_claim(session, actor, case_id, expected_version)
        audit.record_event(session, actor, TAKEN, event_id=request_id, case_id=case_id)
        return info(load_case(session, case_id))


def _explain_failed_claim(
    session: Session, actor: Actor, case_id: uuid.UUID, expected_version: int
) -> None:
    case = session.get(Case, case_id, populate_existing=True)
    if case is None:
        raise NotFound("That case does not exist (any more).")
    key = info(case).key
    if case.assignee_id is not None:
        owner = session.get(User, case.assignee_id)
        who = (
            "you"
            if case.assignee_id == actor.user_id
            else (owner.display_name if owner else "someone")
        )
        raise DeskappError(f"{key} was just taken by {who}. Pick another case from the queue.")
    if not case.status.is_open:
        raise InvalidInput(f"{key} is {case.status.value}: there is nothing to take on.")
    if actor.role is not Role.ADMIN and case.team_id != actor.team_id:
        raise PermissionDenied(
            f"{key} is in another team's queue. Ask that team's lead to transfer it to yours."
        )
    raise StaleEdit(
        f"{key} changed while you looked at it (you saw version {expected_version}, it is now "
        f"{case.version}). Look at it again, then take it."
    )
