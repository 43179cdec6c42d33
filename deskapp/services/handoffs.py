"""Handing a case on with a structured note (DESIGN.md §5, issue 7).

Every change of owner goes through ``hand_off``: the note is linted against the team's template
at the server's clock, then — in one transaction — inserted, its promises become commitment
timers, the case moves to the receiver and points at the note, the author's server draft goes
and an audit event records the change. The database refuses any change of owner that does not
point at a note written for exactly that change (migration 0002), so this module guarantees the
note is a good one and the database that it exists. Claiming from the queue (Take, Get next)
needs no note: the release note is what the claimant reads (services/claiming.py); drafts
are kept by services/handoff_drafts.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from deskapp.db.models import AuditEvent, Case, Commitment, HandoffDraft, HandoffNote, User
from deskapp.domain.enums import CaseStatus, HandoffKind, RiskLevel, Role
from deskapp.domain.errors import (
    DeskappError,
    InvalidInput,
    StaleEdit,
)
from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_lint import Finding, Severity, lint
from deskapp.domain.handoff_template import HandoffTemplate
from deskapp.services import audit
from deskapp.services.cases import info
from deskapp.services.handoff_access import load_case, require_may_hand_off
from deskapp.services.handoff_templates import default_template, team_template
from deskapp.services.handoff_templates import template_for as template_for
from deskapp.services.handoff_waiting import server_now
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

HANDED_OFF = "case.handed_off"
SUBMIT_REFUSED = "handoff.refused"  # a submit lint stopped: "clean at first submit" needs it
TAKEN = "case.taken"
# The database's own refusal (migration 0002); seen only if a bug slips past the checks here.
_DATABASE_REFUSAL = "a change of owner needs a handoff note"


@dataclass(frozen=True)
class HandoffRequest:
    case_id: uuid.UUID
    kind: HandoffKind
    to_user_id: uuid.UUID | None  # None: to the team's queue (release, transfer to a team)
    to_team_id: uuid.UUID | None  # None: the case's current team
    content: NoteContent
    expected_version: int  # the case version the author saw (StaleEdit otherwise)
    accept_warnings: bool = False  # the author read the warnings and submits anyway
    unbriefed_reason: str | None = None  # leads/admins only: hand over without a briefing
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)  # the note's id; retries are safe
    reason: str | None = None  # why a lead moved the case: the audit event's reason


@dataclass(frozen=True)
class HandoffOutcome:
    note_id: uuid.UUID
    case: CaseInfo  # the case after the change
    warnings: tuple[Finding, ...]  # the warnings the author accepted


class HandoffRejected(InvalidInput):
    """The note is not good enough yet: ``findings`` say what to fix, field by field."""

    def __init__(
        self,
        findings: list[Finding] | tuple[Finding, ...],
        template: HandoffTemplate | None = None,
    ) -> None:
        self.findings = tuple(findings)
        template = template or default_template()
        blocking = [f for f in self.findings if f.severity is Severity.BLOCK]
        shown = blocking or list(self.findings)
        lines = [f"{_label(template, f.field)}: {f.message}" for f in shown]
        if blocking:
            head = (
                f"The handoff note is not ready: {len(blocking)} thing"
                f"{'s' if len(blocking) != 1 else ''} to fix first. Nothing was handed over."
            )
        else:
            head = (
                "The handoff note has warnings. Read them, then submit again accepting them, "
                "or improve the note. Nothing was handed over yet."
            )
        super().__init__("\n".join([head, *(f"• {line}" for line in lines)]))


def _label(template: HandoffTemplate, key: str) -> str:
    spec = template.spec(key)
    return spec.label if spec else key.replace("_", " ").capitalize()


# --------------------------------------------------------------------------- reading
def note_content(note: HandoffNote) -> NoteContent:
    """A stored note as the editor and lint see it."""
    return NoteContent.from_json(
        {
            "risk": note.risk.value if note.risk else None,
            "summary": note.summary,
            "done": note.done,
            "next_actions": note.next_actions or [],
            "commitments": note.commitments or [],
            "no_commitments": note.no_commitments,
            "contingencies": note.contingencies,
            "mood": note.mood.value if note.mood else None,
            "contact_preference": note.contact_preference,
            "extra": note.extra or {},
        }
    )


def lint_for(
    ws: Workspace, actor: Actor, case_id: uuid.UUID, content: NoteContent
) -> list[Finding]:
    """What lint says about ``content`` on this case now: the team's template, the previous
    note (to spot a copy), the server's clock."""
    with read_session(ws) as session:
        case = load_case(session, case_id)
        template = team_template(session, case.team_id)
        return lint(
            content,
            now=server_now(session),
            previous=_previous_content(session, case),
            template=template,
        )


# --------------------------------------------------------------------------- handing off
def hand_off(ws: Workspace, actor: Actor, request: HandoffRequest) -> HandoffOutcome:
    """Hand the case on with the note in ``request``; HandoffRejected says what to fix."""
    unbriefed_reason = (request.unbriefed_reason or "").strip() or None
    if request.unbriefed_reason is not None and unbriefed_reason is None:
        raise InvalidInput(
            "Say why this handoff is unbriefed (for example “Sam is off sick”), so the "
            "receiver knows to brief themself from the history."
        )
    if unbriefed_reason is not None:
        require_role(actor, Role.LEAD, "hand a case over unbriefed")
    try:
        outcome, refused = _hand_off(ws, actor, request, unbriefed_reason)
    except DBAPIError as exc:
        if _DATABASE_REFUSAL in str(exc.orig):
            raise InvalidInput(
                "The database refused this change of owner because no matching handoff note "
                "was written for it. Nothing was changed. Reopen the case and hand it over again."
            ) from exc
        raise
    if refused is not None:
        _record_refusal(ws, actor, request.case_id, refused)
        raise refused
    assert outcome is not None
    return outcome


def bulk_hand_off(
    ws: Workspace, actor: Actor, requests: list[HandoffRequest]
) -> list[HandoffOutcome | DeskappError]:
    """A lead's batch: each case moves on its own (atomically) or reports why it did not —
    a case changed since the preview is reported (StaleEdit), never overwritten."""
    require_role(actor, Role.LEAD, "reassign cases in bulk")
    results: list[HandoffOutcome | DeskappError] = []
    for request in requests:
        try:
            results.append(hand_off(ws, actor, request))
        except DeskappError as exc:
            results.append(exc)
    return results


def _hand_off(
    ws: Workspace, actor: Actor, request: HandoffRequest, unbriefed_reason: str | None
) -> tuple[HandoffOutcome | None, HandoffRejected | None]:
    with write_session(ws) as session:
        case = load_case(session, request.case_id, for_update=True)
        retried = session.get(HandoffNote, request.request_id)
        if retried is not None:  # the reply to an earlier attempt was lost: it did happen
            return _outcome_of_retry(session, case, retried), None
        require_may_hand_off(actor, case)
        if case.version != request.expected_version:
            raise StaleEdit(
                f"{info(case).key} was changed by someone else while you wrote the note (you "
                f"saw version {request.expected_version}, it is now {case.version}). Your note "
                "is kept: look at the case as it is now, then submit the note again."
            )
        to_team_id = request.to_team_id or case.team_id
        _check_receiver(session, case, request, to_team_id)
        template = team_template(session, case.team_id)
        now = server_now(session)
        findings = _findings(session, case, request.content, now, template, unbriefed_reason)
        blocking = [f for f in findings if f.severity is Severity.BLOCK]
        warnings = tuple(f for f in findings if f.severity is Severity.WARN)
        if blocking or (warnings and not request.accept_warnings):
            return None, HandoffRejected(blocking or list(warnings), template)
        first_clean = not warnings and not _refused_before(session, actor, case)
        note = _new_note(actor, case, request, to_team_id, template, unbriefed_reason)
        session.add(note)
        session.flush()  # the note exists before the case points at it (the trigger looks)
        _add_commitments(session, case, note, request.content)
        detail = _move_case(case, request, to_team_id, note)
        session.flush()
        session.execute(
            delete(HandoffDraft).where(
                HandoffDraft.case_id == case.id, HandoffDraft.author_id == actor.user_id
            )
        )
        detail.update(
            note_id=note.id.hex,
            unbriefed=unbriefed_reason is not None,
            warnings_accepted=[f.rule for f in warnings],
            first_submit_clean=first_clean,
        )
        audit.record_event(
            session, actor, HANDED_OFF, event_id=request.request_id, case_id=case.id,
            reason=(request.reason or "").strip()[:500] or unbriefed_reason, detail=detail,
        )  # fmt: skip
        session.refresh(case)
        return HandoffOutcome(note.id, info(case), warnings), None


def _findings(
    session: Session,
    case: Case,
    content: NoteContent,
    now: datetime,
    template: HandoffTemplate,
    unbriefed_reason: str | None,
) -> list[Finding]:
    findings = lint(content, now=now, previous=_previous_content(session, case), template=template)
    if unbriefed_reason is None:
        return findings
    # Unbriefed: nobody could brief, so missing elements are expected. What the lead did write
    # is still checked (a card number stays blocked, a past due time stays wrong).
    missing = {f.rule for f in lint(NoteContent(), now=now, template=template)}
    return [f for f in findings if f.rule not in missing]


def _check_receiver(
    session: Session, case: Case, request: HandoffRequest, to_team_id: uuid.UUID
) -> None:
    key = info(case).key
    if request.kind is HandoffKind.RELEASE and request.to_user_id is not None:
        raise InvalidInput("A release hands the case to the team queue, not to a person.")
    if request.kind is HandoffKind.REASSIGN and request.to_user_id is None:
        raise InvalidInput(
            "Choose who takes the case over, or release it to the team queue instead."
        )
    if request.to_user_id == case.assignee_id and to_team_id == case.team_id:
        raise InvalidInput(f"{key} is already there: choose someone else or another team.")
    if request.to_user_id is None:
        return
    receiver = session.get(User, request.to_user_id)
    if receiver is None or not receiver.active:
        raise InvalidInput(
            "That person is not an active Deskapp user (any more): choose someone else or "
            "hand the case to a team queue."
        )
    if receiver.team_id != to_team_id and receiver.role is not Role.ADMIN:
        raise InvalidInput(
            f"{receiver.display_name} is not in the team the case goes to: transfer it to "
            f"their team, or choose someone in that team."
        )


def _new_note(
    actor: Actor,
    case: Case,
    request: HandoffRequest,
    to_team_id: uuid.UUID,
    template: HandoffTemplate,
    unbriefed_reason: str | None,
) -> HandoffNote:
    content = request.content.to_json()
    return HandoffNote(
        id=request.request_id,
        case_id=case.id,
        kind=request.kind,
        author_id=actor.user_id,
        from_user_id=case.assignee_id,
        to_user_id=request.to_user_id,
        from_team_id=case.team_id,
        to_team_id=to_team_id,
        # The column is required; an unbriefed note without a risk is one to watch.
        risk=request.content.risk or RiskLevel.WATCH,
        summary=request.content.summary.strip(),
        done=request.content.done.strip(),
        next_actions=content["next_actions"],
        commitments=content["commitments"],
        no_commitments=request.content.no_commitments,
        contingencies=request.content.contingencies.strip(),
        mood=request.content.mood,
        contact_preference=request.content.contact_preference.strip(),
        unbriefed=unbriefed_reason is not None,
        unbriefed_reason=unbriefed_reason,
        template_version=template.version,
        extra=dict(request.content.extra) or None,
    )


def _add_commitments(session: Session, case: Case, note: HandoffNote, content: NoteContent) -> None:
    """Each promise becomes a timer for whoever owns the case next."""
    for promise in content.commitments:
        if promise.due is not None and promise.promise.strip():
            session.add(
                Commitment(
                    case_id=case.id,
                    handoff_note_id=note.id,
                    promise=promise.promise.strip(),
                    due_at=promise.due,
                )
            )


def _move_case(
    case: Case, request: HandoffRequest, to_team_id: uuid.UUID, note: HandoffNote
) -> dict[str, Any]:
    """Apply the change of hands; returns the audit detail (ids and states, no note text)."""
    detail: dict[str, Any] = {
        "kind": request.kind.value,
        "from_user": case.assignee_id.hex if case.assignee_id else None,
        "to_user": request.to_user_id.hex if request.to_user_id else None,
        "from_team": case.team_id.hex,
        "to_team": to_team_id.hex,
    }
    status_before = case.status
    case.assignee_id = request.to_user_id
    case.team_id = to_team_id
    case.current_handoff_id = note.id
    # Every change of hands counts once (a release counts; the claim after it does not).
    case.transfer_count += 1
    if request.kind is HandoffKind.RELEASE:
        case.status = CaseStatus.NEW
    elif request.kind is HandoffKind.ESCALATE:
        case.escalated = True
        case.status = CaseStatus.ESCALATED
    if case.status is not status_before:
        detail["status"] = {"from": status_before.value, "to": case.status.value}
    return detail


def _outcome_of_retry(session: Session, case: Case, note: HandoffNote) -> HandoffOutcome:
    """The same outcome the lost reply carried: the note, the case now, the warnings accepted
    (by rule, as the audit event recorded them)."""
    event = session.get(AuditEvent, note.id)
    accepted = set((event.detail or {}).get("warnings_accepted", [])) if event else set()
    template = team_template(session, note.from_team_id)
    relinted = lint(note_content(note), now=note.created_at, template=template)
    warnings = tuple(f for f in relinted if f.severity is Severity.WARN and f.rule in accepted)
    return HandoffOutcome(note.id, info(case), warnings)


# --------------------------------------------------------------------------- first-submit record
def _refused_before(session: Session, actor: Actor, case: Case) -> bool:
    """Did lint stop this author's note on this case since the case last changed hands?"""
    query = select(AuditEvent.id).where(
        AuditEvent.case_id == case.id,
        AuditEvent.action == SUBMIT_REFUSED,
        AuditEvent.actor_login == actor.login,
    )
    if case.current_handoff_id is not None:
        last = session.get(HandoffNote, case.current_handoff_id)
        if last is not None:
            query = query.where(AuditEvent.occurred_at >= last.created_at)
    return session.execute(query.limit(1)).first() is not None


def _record_refusal(
    ws: Workspace, actor: Actor, case_id: uuid.UUID, refused: HandoffRejected
) -> None:
    """Remember that lint stopped a submit (which rules, never the note's text), so the
    quality figures can tell notes clean at first submit from the rest."""
    with write_session(ws) as session:
        if session.get(Case, case_id) is None:
            return
        audit.record_event(
            session,
            actor,
            SUBMIT_REFUSED,
            case_id=case_id,
            detail={"rules": sorted({f.rule for f in refused.findings})},
        )


def _previous_content(session: Session, case: Case) -> NoteContent | None:
    if case.current_handoff_id is None:
        return None
    note = session.get(HandoffNote, case.current_handoff_id)
    return note_content(note) if note is not None else None
