"""The one place the handoff dialog calls the handoff services. Every function here does I/O:
call it only through the task runner."""

from __future__ import annotations

import uuid

from deskapp.domain.enums import HandoffKind
from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_lint import Finding
from deskapp.domain.handoff_template import HandoffTemplate
from deskapp.services import handoff_drafts, handoff_templates, handoffs
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace


def template_for(ws: Workspace, team_id: uuid.UUID | None) -> HandoffTemplate:
    """The team's template (a lead may have adjusted it), or the default."""
    return handoff_templates.template_for(ws, team_id)


def submit_handoff(
    ws: Workspace,
    actor: Actor,
    *,
    case_id: uuid.UUID,
    kind: HandoffKind,
    to_user_id: uuid.UUID | None,
    to_team_id: uuid.UUID | None,
    content: NoteContent,
    expected_version: int,
    accept_warnings: bool,
    request_id: uuid.UUID,
    unbriefed_reason: str | None = None,
) -> handoffs.HandoffOutcome:
    """Hand the case over with ``content`` (``unbriefed_reason``: a lead handing over without a
    briefing, DESIGN.md §5). Raises HandoffRejected (findings per field),
    StaleEdit, PermissionDenied… as the service does."""
    request = handoffs.HandoffRequest(
        case_id=case_id,
        kind=kind,
        to_user_id=to_user_id,
        to_team_id=to_team_id,
        content=content,
        expected_version=expected_version,
        accept_warnings=accept_warnings,
        request_id=request_id,
        unbriefed_reason=unbriefed_reason,
    )
    return handoffs.hand_off(ws, actor, request)


def save_server_draft(ws: Workspace, actor: Actor, case_id: uuid.UUID,
                      content: NoteContent) -> None:  # fmt: skip
    handoff_drafts.save_draft(ws, actor, case_id, content)


def load_server_draft(ws: Workspace, actor: Actor, case_id: uuid.UUID) -> NoteContent | None:
    return handoff_drafts.load_draft(ws, actor, case_id)


def rejected_findings(exc: BaseException) -> tuple[Finding, ...] | None:
    """The findings of a refused note, or None for any other error."""
    return tuple(exc.findings) if isinstance(exc, handoffs.HandoffRejected) else None
