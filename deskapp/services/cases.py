"""Cases: create, read, and change fields with a version check and an audit event each.

The fuller lifecycle (resolution codes, reopen counting, SLA) arrives with the case-view issue;
ownership changes belong to the handoff service, which enforces a note for each.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import Case, Customer, Team
from deskapp.db.sequences import next_case_number
from deskapp.domain.enums import CaseStatus, Channel, Mood, Priority, Role
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied, StaleEdit
from deskapp.services import audit
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.unit_of_work import already_applied, read_session, write_session
from deskapp.services.workspace import Workspace


@dataclass(frozen=True)
class NewCase:
    customer_id: uuid.UUID
    team_id: uuid.UUID
    subject: str
    channel: Channel
    priority: Priority = Priority.NORMAL
    category: str | None = None
    assign_to_me: bool = True
    id: uuid.UUID | None = None


@dataclass(frozen=True)
class CaseChanges:
    """Only the fields given change. ``expected_version`` is the version the user saw."""

    expected_version: int
    status: CaseStatus | None = None
    priority: Priority | None = None
    mood: Mood | None = None
    category: str | None = None


def info(case: Case) -> CaseInfo:
    return CaseInfo(
        case.id,
        case.number,
        case.subject,
        case.customer_id,
        case.team_id,
        case.assignee_id,
        case.status,
        case.priority,
        case.channel,
        case.mood,
        case.category,
        case.created_at,
        case.updated_at,
        case.version,
    )


def create_case(ws: Workspace, actor: Actor, new: NewCase) -> CaseInfo:
    subject = new.subject.strip()
    if not subject:
        raise InvalidInput("Give the case a subject a colleague will understand at a glance.")
    case_id = new.id or uuid.uuid4()
    with write_session(ws) as session:
        existing = session.get(Case, case_id)
        if existing is not None:  # the retry of a create whose reply was lost
            return info(existing)
        if session.get(Customer, new.customer_id) is None:
            raise NotFound("That customer does not exist (any more).")
        if session.get(Team, new.team_id) is None:
            raise NotFound("That team does not exist (any more).")
        case = Case(
            id=case_id,
            number=next_case_number(session.connection()),
            subject=subject,
            customer_id=new.customer_id,
            team_id=new.team_id,
            channel=new.channel,
            priority=new.priority,
            category=new.category,
            status=CaseStatus.OPEN if new.assign_to_me else CaseStatus.NEW,
            assignee_id=actor.user_id if new.assign_to_me else None,
        )
        session.add(case)
        session.flush()
        audit.record_event(
            session,
            actor,
            "case.created",
            case_id=case_id,
            detail={"subject_length": len(subject), "channel": new.channel.value},
        )
        session.refresh(case)
        return info(case)


def get_case(ws: Workspace, case_id: uuid.UUID) -> CaseInfo:
    with read_session(ws) as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound("That case does not exist (any more).")
        return info(case)


def update_case(
    ws: Workspace,
    actor: Actor,
    case_id: uuid.UUID,
    changes: CaseChanges,
    *,
    reason: str | None = None,
    request_id: uuid.UUID | None = None,
) -> CaseInfo:
    """Apply ``changes`` if nobody saved since ``expected_version``; else StaleEdit."""
    request_id = request_id or uuid.uuid4()
    with write_session(ws) as session:
        case = _case_for_update(session, case_id)
        if already_applied(session, request_id):
            return info(case)
        _require_may_work_on(actor, case)
        if case.version != changes.expected_version:
            raise StaleEdit(
                f"{info(case).key} was changed by someone else while you were editing "
                f"(you saw version {changes.expected_version}, it is now {case.version}). "
                "Your changes are kept: review the case as it is now and apply them again."
            )
        changed: dict[str, object] = {}
        for field in ("status", "priority", "mood", "category"):
            new_value = getattr(changes, field)
            old_value = getattr(case, field)
            if new_value is not None and new_value != old_value:
                setattr(case, field, new_value)
                changed[field] = {"from": _plain(old_value), "to": _plain(new_value)}
        if not changed:
            return info(case)
        session.flush()
        audit.record_event(
            session,
            actor,
            "case.updated",
            event_id=request_id,
            case_id=case.id,
            reason=reason,
            detail=changed,
        )
        session.refresh(case)
        return info(case)


def _plain(value: object) -> object:
    return getattr(value, "value", value)


def _case_for_update(session: Session, case_id: uuid.UUID) -> Case:
    case = session.scalar(select(Case).where(Case.id == case_id).with_for_update())
    if case is None:
        raise NotFound("That case does not exist (any more).")
    return case


def _require_may_work_on(actor: Actor, case: Case) -> None:
    """Reps work their own cases and their team's unassigned ones; leads and admins any."""
    if actor.role.rank >= Role.LEAD.rank:
        return
    if case.assignee_id == actor.user_id:
        return
    if case.assignee_id is None and case.team_id == actor.team_id:
        return
    raise PermissionDenied(
        f"{info(case).key} belongs to someone else. Ask them or your team lead to hand it to you."
    )
