"""Cases: create, read, and change them along the lifecycle, each change version-checked and
audited.

``change_case`` is what the case view calls: status (DESIGN.md §4, rules in
domain/case_lifecycle.py), priority, category and mood, each change checked against the version
the rep saw. Someone else's save is never overwritten and the rep's wish never lost: a stale
edit raises ``CaseEditConflict`` carrying both (``wanted`` and ``current``) for the GUI to show
side by side. Ownership changes belong to the handoff service, which enforces a note for each.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import AuditEvent, Case, Customer, Team, User
from deskapp.db.sequences import next_case_number
from deskapp.domain import case_lifecycle as lifecycle
from deskapp.domain.card_mask import mask_card_numbers
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import CaseStatus, Channel, Mood, Priority, Role
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied, StaleEdit
from deskapp.services import audit, case_rights, sla_pause
from deskapp.services.handoff_waiting import server_now
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.unit_of_work import already_applied, read_session, write_session
from deskapp.services.workspace import Workspace

UPDATED = "case.updated"
CATEGORY_MAX_CHARS = 80  # the column's width (cases.category)


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
    """The first version's change (``update_case``): only the fields given change, with no
    lifecycle rules. ``expected_version`` is the version the user saw."""

    expected_version: int
    status: CaseStatus | None = None
    priority: Priority | None = None
    mood: Mood | None = None
    category: str | None = None


@dataclass(frozen=True)
class CaseChange:
    """What the rep wants changed on the case view. Fields left None stay as they are;
    ``category=""`` clears the category. Resolving needs ``resolution_code`` and ``outcome``
    (on a resolved case they may also be corrected alone). ``request_id`` is chosen once,
    before the first attempt, so a retry after a lost reply is recognised."""

    expected_version: int
    status: CaseStatus | None = None
    priority: Priority | None = None
    category: str | None = None
    mood: Mood | None = None
    resolution_code: str | None = None
    outcome: str | None = None
    reason: str | None = None  # kept in the audit history
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True)
class CaseState:
    """The case's changeable facts as they are now (what a header shows and edits)."""

    id: uuid.UUID
    key: str
    status: CaseStatus
    priority: Priority
    category: str | None
    mood: Mood
    escalated: bool
    resolution_code: str | None
    resolution_outcome: str | None
    resolved_at: datetime | None
    closed_at: datetime | None
    reopen_count: int
    waiting_since: datetime | None
    sla_paused_at: datetime | None
    first_response_due: datetime | None
    next_response_due: datetime | None
    resolution_due: datetime | None
    assignee_id: uuid.UUID | None
    team_id: uuid.UUID
    version: int
    updated_at: datetime

    @property
    def next_statuses(self) -> tuple[CaseStatus, ...]:
        return lifecycle.next_statuses(self.status)


class CaseEditConflict(StaleEdit):
    """Someone saved the case after the rep opened it. ``wanted`` is the rep's change, untouched;
    ``current`` the case as it is now; ``changed_by`` who saved last (None if unknown)."""

    def __init__(
        self, message: str, wanted: CaseChange, current: CaseState, changed_by: str | None
    ) -> None:
        super().__init__(message)
        self.wanted = wanted
        self.current = current
        self.changed_by = changed_by

    @property
    def conflicting_fields(self) -> tuple[str, ...]:
        """The fields the rep wants set to something other than what they are now."""
        names = ("status", "priority", "category", "mood", "resolution_code")
        fields = [
            n for n in names if _wants_other(getattr(self.wanted, n), getattr(self.current, n))
        ]
        if _wants_other(self.wanted.outcome, self.current.resolution_outcome):
            fields.append("outcome")
        return tuple(fields)


def _wants_other(wanted: object, current: object) -> bool:
    if wanted is None:
        return False
    if wanted == "" and current is None:
        return False
    return wanted != current


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


def state(case: Case) -> CaseState:
    return CaseState(
        case.id, format_case_key(case.number), case.status, case.priority, case.category,
        case.mood, bool(case.escalated), case.resolution_code, case.resolution_outcome,
        case.resolved_at, case.closed_at, case.reopen_count, case.waiting_since,
        case.sla_paused_at, case.first_response_due, case.next_response_due,
        case.resolution_due, case.assignee_id, case.team_id, case.version, case.updated_at,
    )  # fmt: skip


def create_case(ws: Workspace, actor: Actor, new: NewCase) -> CaseInfo:
    subject = new.subject.strip()
    if not subject:
        raise InvalidInput("Give the case a subject a colleague will understand at a glance.")
    case_id = new.id or uuid.uuid4()
    with write_session(ws) as session:
        existing = session.get(Case, case_id)
        if existing is not None:  # the retry of a create whose reply was lost
            return info(existing)
        return info(add_case(session, actor, new, case_id, subject))


def add_case(
    session: Session, actor: Actor, new: NewCase, case_id: uuid.UUID, subject: str
) -> Case:
    """Insert the case and its audit event in the caller's transaction."""
    if session.get(Customer, new.customer_id) is None:
        raise NotFound("That customer does not exist (any more).")
    if session.get(Team, new.team_id) is None:
        raise NotFound("That team does not exist (any more).")
    if len(subject) > 300:
        raise InvalidInput(
            f"The subject is {len(subject)} characters; keep it under 300 and put the details "
            "in the first interaction."
        )
    case = Case(
        id=case_id,
        number=next_case_number(session.connection()),
        subject=subject,
        customer_id=new.customer_id,
        team_id=new.team_id,
        channel=new.channel,
        priority=new.priority,
        category=_category(new.category) or None,
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
    return case


def get_case(ws: Workspace, case_id: uuid.UUID) -> CaseInfo:
    with read_session(ws) as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound("That case does not exist (any more).")
        return info(case)


def get_case_state(ws: Workspace, case_id: uuid.UUID) -> CaseState:
    with read_session(ws) as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound("That case does not exist (any more).")
        return state(case)


def change_case(ws: Workspace, actor: Actor, case_id: uuid.UUID, change: CaseChange) -> CaseState:
    """Apply ``change`` along the lifecycle if nobody saved since ``change.expected_version``.

    Raises CaseEditConflict (a StaleEdit) when someone did, InvalidTransition (an InvalidInput)
    for a status that cannot follow the current one, InvalidInput for a resolution without a
    code or outcome, PermissionDenied for someone else's case.
    """
    category = None if change.category is None else _category(change.category)
    with write_session(ws) as session:
        case = _case_for_update(session, case_id)
        if already_applied(session, change.request_id):
            return state(case)
        _require_may_work_on(actor, case)
        if case.version != change.expected_version:
            raise _conflict(session, case, change)
        changed = _apply(session, case, change, category, strict=True)
        if changed:
            _record(session, actor, case, changed, change.request_id, change.reason)
        return state(case)


def update_case(
    ws: Workspace,
    actor: Actor,
    case_id: uuid.UUID,
    changes: CaseChanges,
    *,
    reason: str | None = None,
    request_id: uuid.UUID | None = None,
) -> CaseInfo:
    """The first version's field edit: version-checked and audited like ``change_case``, with
    the same side effects (reopen count, resolved and closed times, the SLA pause) but without
    the lifecycle's refusals. Kept for existing callers and data fixes; the case view calls
    ``change_case``."""
    change = CaseChange(
        changes.expected_version, changes.status, changes.priority, changes.category,
        changes.mood, reason=reason, request_id=request_id or uuid.uuid4(),
    )  # fmt: skip
    category = None if change.category is None else _category(change.category)
    with write_session(ws) as session:
        case = _case_for_update(session, case_id)
        if already_applied(session, change.request_id):
            return info(case)
        _require_may_work_on(actor, case)
        if case.version != change.expected_version:
            raise _conflict(session, case, change)
        changed = _apply(session, case, change, category, strict=False)
        if changed:
            _record(session, actor, case, changed, change.request_id, reason)
        return info(case)


# ----------------------------------------------------------------------------- applying
def _apply(
    session: Session, case: Case, change: CaseChange, category: str | None, *, strict: bool
) -> dict[str, Any]:
    """Set the changed fields on ``case``; returns the audit detail (empty: nothing changed)."""
    key = format_case_key(case.number)
    if strict and case.status is CaseStatus.CLOSED:
        if change.status is not None:
            lifecycle.check_transition(case.status, change.status, key)
        raise lifecycle.InvalidTransition(
            f"{key} is closed and no longer changes. Open a new case for the customer and "
            f"mention {key} in it."
        )
    changed: dict[str, Any] = {}
    target = change.status if change.status is not None else case.status
    if change.status is not None and change.status is not case.status:
        if strict:
            lifecycle.check_transition(case.status, change.status, key)
        changed.update(_move_status(session, case, change, strict=strict))
    elif change.resolution_code is not None or change.outcome is not None:
        if target is not CaseStatus.RESOLVED:
            raise InvalidInput(
                "A resolution code and outcome go with resolving the case: choose the status "
                "Resolved with them."
            )
        changed.update(_set_resolution(case, change))
    for name, value in (("priority", change.priority), ("mood", change.mood)):
        if value is not None and value is not getattr(case, name):
            changed[name] = {"from": getattr(case, name).value, "to": value.value}
            setattr(case, name, value)
    if category is not None and (category or None) != case.category:
        changed["category"] = {"from": case.category, "to": category or None}
        case.category = category or None
    if changed:
        session.flush()  # the ORM checks and bumps the version here
        session.refresh(case)
    return changed


def _move_status(
    session: Session, case: Case, change: CaseChange, *, strict: bool
) -> dict[str, Any]:
    old, new = case.status, change.status
    assert new is not None
    now = server_now(session)
    detail: dict[str, Any] = {"status": {"from": old.value, "to": new.value}}
    if old is CaseStatus.PENDING_CUSTOMER:
        moved = sla_pause.resume(session, case, now)
        if moved:
            detail["sla_resumed"] = moved
    if new is CaseStatus.PENDING_CUSTOMER:
        sla_pause.pause(case, now)
    if new is CaseStatus.RESOLVED:
        if strict or change.resolution_code is not None or change.outcome is not None:
            detail.update(_set_resolution(case, change))
        case.resolved_at = now
    elif old is CaseStatus.RESOLVED and new is not CaseStatus.CLOSED:
        # A reopen: counted; the old resolution stays in the audit history, not on the case.
        case.reopen_count += 1
        detail["reopened"] = {
            "count": case.reopen_count,
            "resolution_code": case.resolution_code,
            "outcome": case.resolution_outcome,
        }
        case.resolution_code = case.resolution_outcome = case.resolved_at = None
    if new is CaseStatus.CLOSED:
        case.closed_at = now
        if case.resolved_at is None:
            case.resolved_at = now
    if new is CaseStatus.ESCALATED and not case.escalated:
        case.escalated = True
        detail["escalated"] = True
    case.status = new
    return detail


def _set_resolution(case: Case, change: CaseChange) -> dict[str, Any]:
    outcome, _ = mask_card_numbers(change.outcome or "")
    code, line = lifecycle.check_resolution(
        change.resolution_code if change.resolution_code is not None else case.resolution_code,
        outcome if change.outcome is not None else case.resolution_outcome,
    )
    detail: dict[str, Any] = {}
    if code != case.resolution_code:
        detail["resolution_code"] = {"from": case.resolution_code, "to": code}
    if line != case.resolution_outcome:
        # The outcome's text is in the case row; the audit keeps its length (redactable data
        # stays out of the hash chain's content).
        detail["outcome"] = {"length": len(line)}
    case.resolution_code, case.resolution_outcome = code, line
    return detail


def _record(
    session: Session,
    actor: Actor,
    case: Case,
    changed: dict[str, Any],
    request_id: uuid.UUID,
    reason: str | None,
) -> None:
    changed["version"] = case.version
    audit.record_event(
        session, actor, UPDATED, event_id=request_id, case_id=case.id,
        reason=(reason or "").strip()[:500] or None, detail=changed,
    )  # fmt: skip


def _conflict(session: Session, case: Case, change: CaseChange) -> CaseEditConflict:
    last = session.execute(
        select(AuditEvent.actor_login, User.display_name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.chain == audit.case_chain(case.id))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    who = (last[1] or last[0]) if last else None
    key = format_case_key(case.number)
    return CaseEditConflict(
        f"{key} was changed by {who or 'someone else'} while you were editing (you saw version "
        f"{change.expected_version}, it is now {case.version}). Your changes are kept: compare "
        "them with the case as it is now and apply them again.",
        change,
        state(case),
        who,
    )


def _category(raw: str | None) -> str:
    text = " ".join((raw or "").split())
    if len(text) > CATEGORY_MAX_CHARS:
        raise InvalidInput(
            f"A category is a short label of at most {CATEGORY_MAX_CHARS} characters "
            "(e.g. “billing”)."
        )
    return text


def _case_for_update(session: Session, case_id: uuid.UUID) -> Case:
    case = session.scalar(select(Case).where(Case.id == case_id).with_for_update())
    if case is None:
        raise NotFound("That case does not exist (any more).")
    return case


def _require_may_work_on(actor: Actor, case: Case) -> None:
    """Reps work their own cases and their team's unassigned ones; leads their team's; admins
    any (services/case_rights.py, enforced by the database itself on PostgreSQL)."""
    if case_rights.may_work_on(actor, case.assignee_id, case.team_id):
        return
    if actor.role is Role.LEAD:
        raise PermissionDenied(
            f"{info(case).key} is in another team: its own lead or an admin can change it."
        )
    raise PermissionDenied(
        f"{info(case).key} belongs to someone else. Ask them or your team lead to hand it to you."
    )
