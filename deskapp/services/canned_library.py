"""Maintaining the canned-response library: who may write which response, editing with
optimistic concurrency, retiring, and edits suggested by people who may use a response but
not change it (the GUI's library editor and the importer code against this).

Rights (the same on PostgreSQL in the database itself, migration 0003): a rep writes their own
personal responses; a lead also their team's; an admin also the global ones and any team's.
Everybody may suggest an edit to a response they can see; whoever may edit it decides.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from deskapp.db.models import CannedResponse
from deskapp.services import canned_suggestions
from deskapp.services.canned import CannedInfo
from deskapp.services.canned_drafts import (
    CannedDraft,
    CannedInvalid,
    SuggestionInfo,
    apply_draft,
    can_edit,
    can_see,
    editable_row,
    editable_scopes,
    flush_versioned,
    info,
    insert_response,
    may_write,
    record,
)
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

__all__ = [
    "CannedDraft",
    "CannedInvalid",
    "SuggestionInfo",
    "can_edit",
    "can_see",
    "create_response",
    "decide_suggestion",
    "editable_scopes",
    "may_write",
    "pending_suggestions",
    "responses_for_editing",
    "retire_response",
    "suggest_edit",
    "update_response",
]


# ------------------------------------------------------------------------ writing
def create_response(
    ws: Workspace, actor: Actor, draft: CannedDraft, *, response_id: uuid.UUID | None = None
) -> CannedInfo:
    """A new response. ``response_id`` makes a retry after a lost reply harmless."""
    with write_session(ws) as session:
        if response_id is not None and (done := session.get(CannedResponse, response_id)):
            return info(done)
        return insert_response(session, actor, draft, response_id or uuid.uuid4())


def update_response(
    ws: Workspace, actor: Actor, response_id: uuid.UUID, expected_version: int, draft: CannedDraft
) -> CannedInfo:
    with write_session(ws) as session:
        row = editable_row(session, actor, response_id, expected_version)
        return apply_draft(session, actor, row, draft, "canned.updated")


def retire_response(
    ws: Workspace, actor: Actor, response_id: uuid.UUID, expected_version: int
) -> None:
    """Nobody is offered it any more; it stays for the record (and can be imported again)."""
    with write_session(ws) as session:
        row = editable_row(session, actor, response_id, expected_version)
        row.active = False
        flush_versioned(row)
        record(session, actor, row, "canned.retired")


# ------------------------------------------------------------------------ suggestions
def suggest_edit(
    ws: Workspace,
    actor: Actor,
    response_id: uuid.UUID,
    draft: CannedDraft,
    reason: str,
    *,
    suggestion_id: uuid.UUID | None = None,
) -> SuggestionInfo:
    return canned_suggestions.suggest(
        ws, actor, response_id, draft, reason, suggestion_id or uuid.uuid4()
    )


def pending_suggestions(ws: Workspace, actor: Actor) -> list[SuggestionInfo]:
    return canned_suggestions.pending(ws, actor)


def decide_suggestion(
    ws: Workspace, actor: Actor, suggestion_id: uuid.UUID, accept: bool, comment: str = ""
) -> None:
    canned_suggestions.decide(ws, actor, suggestion_id, accept, comment)


def responses_for_editing(ws: Workspace, actor: Actor) -> list[CannedInfo]:
    """The active responses this person may edit (the library editor's list)."""
    with read_session(ws) as session:
        rows = session.scalars(
            select(CannedResponse)
            .where(CannedResponse.active.is_(True))
            .order_by(CannedResponse.category, CannedResponse.title)
        )
        return [i for i in map(info, rows) if can_edit(actor, i)]
