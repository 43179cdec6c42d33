"""Suggested edits to canned responses (the API is services/canned_library.py).

A rep who finds a better wording for a team or global response suggests it with a reason;
the team's lead (or an admin) accepts it, which applies the draft as an edit, or rejects it
with a comment. A suggestion is written against one version of the response: accepting it
after the response changed would silently undo that change, so it is refused instead.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import CannedResponse, CannedSuggestion, User
from deskapp.db.types import utcnow
from deskapp.domain.canned_validation import Problem, SuggestionStatus, check_response
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied, StaleEdit
from deskapp.services import audit
from deskapp.services.canned_drafts import (
    CannedDraft,
    CannedInvalid,
    SuggestionInfo,
    apply_draft,
    can_edit,
    can_see,
    flush_versioned,
    info,
)
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

MAX_REASON = 500


def suggest(
    ws: Workspace,
    actor: Actor,
    response_id: uuid.UUID,
    draft: CannedDraft,
    reason: str,
    suggestion_id: uuid.UUID,
) -> SuggestionInfo:
    if actor.user_id is None:
        raise PermissionDenied("The setup account cannot suggest edits; sign in as a person.")
    draft = draft.cleaned()
    reason = " ".join(reason.split())
    with write_session(ws) as session:
        if (done := session.get(CannedSuggestion, suggestion_id)) is not None:
            return _info(session, done)  # a retry of a suggestion whose reply was lost
        response = session.get(CannedResponse, response_id)
        if response is None or not response.active or not can_see(actor, info(response)):
            raise NotFound("That canned response does not exist (any more).")
        problems = list(
            check_response(draft.title, draft.shortcut, draft.category, draft.tags, draft.body)
        )
        if draft.scope != response.scope:
            problems.append(
                Problem(
                    "scope",
                    "A suggestion changes the wording, not who the "
                    "response is for: keep its scope.",
                )
            )
        if not reason:
            problems.append(
                Problem(
                    "reason",
                    "Say why you suggest this change, so whoever decides knows what it fixes.",
                )
            )
        elif len(reason) > MAX_REASON:
            problems.append(Problem("reason", f"Keep the reason to {MAX_REASON} characters."))
        if problems:
            raise CannedInvalid(problems)
        row = CannedSuggestion(
            id=suggestion_id,
            response_id=response.id,
            response_version=response.version,
            author_id=actor.user_id,
            title=draft.title,
            shortcut=draft.shortcut,
            category=draft.category,
            tags=list(draft.tags),
            body=draft.body,
            reason=reason,
            status=SuggestionStatus.PENDING,
            comment="",
        )
        session.add(row)
        session.flush()
        audit.record_event(
            session,
            actor,
            "canned.edit_suggested",
            chain=f"canned:{response.id.hex}",
            detail={"response": response.id.hex, "suggestion": row.id.hex, "reason": reason},
        )
        return _info(session, row)


def pending(ws: Workspace, actor: Actor) -> list[SuggestionInfo]:
    """Pending suggestions on active responses this person decides (their own personal ones;
    a lead's team's; an admin's global and every team's) and the ones they wrote, oldest
    first."""
    query = (
        select(CannedSuggestion, CannedResponse)
        .join(CannedResponse, CannedResponse.id == CannedSuggestion.response_id)
        .where(CannedSuggestion.status == SuggestionStatus.PENDING, CannedResponse.active.is_(True))
        .order_by(CannedSuggestion.created_at, CannedSuggestion.id)
    )
    with read_session(ws) as session:
        return [
            _info(session, suggestion, response)
            for suggestion, response in session.execute(query)
            if suggestion.author_id == actor.user_id or can_edit(actor, info(response))
        ]


def decide(
    ws: Workspace, actor: Actor, suggestion_id: uuid.UUID, accept: bool, comment: str = ""
) -> None:
    comment = comment.strip()
    if len(comment) > MAX_REASON:
        raise InvalidInput(f"Keep the comment to {MAX_REASON} characters.")
    with write_session(ws) as session:
        # A plain read first: on PostgreSQL only deciders may lock a suggestion (row-level
        # security), and the author deserves "not yours to decide", not "not found".
        suggestion = session.get(CannedSuggestion, suggestion_id)
        if suggestion is None:
            raise NotFound("That suggestion does not exist (any more).")
        # Deciders of one response take turns on its row; then the suggestion is read afresh.
        response = session.get(CannedResponse, suggestion.response_id, with_for_update=True)
        assert response is not None  # a foreign key
        session.refresh(suggestion)
        if not can_edit(actor, info(response)):
            raise PermissionDenied(
                f"Only whoever maintains “{response.title}” can decide on suggestions for it."
            )
        if suggestion.status is not SuggestionStatus.PENDING:
            raise StaleEdit(
                f"This suggestion was already {suggestion.status.value} by "
                f"{_name(session, suggestion.decided_by)}."
            )
        if accept:
            if not response.active:
                raise InvalidInput(
                    f"“{response.title}” has been retired; reject the "
                    "suggestion, or import the response again first."
                )
            if response.version != suggestion.response_version:
                raise StaleEdit(
                    f"“{response.title}” was edited after this suggestion was written, so "
                    "accepting it would undo that edit. Apply what still fits by editing the "
                    "response, then reject the suggestion with a comment."
                )
            apply_draft(
                session, actor, response, _draft(suggestion, response), "canned.suggestion_accepted"
            )
        suggestion.status = SuggestionStatus.ACCEPTED if accept else SuggestionStatus.REJECTED
        suggestion.decided_by = actor.user_id
        suggestion.decided_at = utcnow()  # the server's clock
        suggestion.comment = comment
        flush_versioned(suggestion)
        audit.record_event(
            session,
            actor,
            f"canned.suggestion_{suggestion.status.value}",
            chain=f"canned:{response.id.hex}",
            detail={
                "response": response.id.hex,
                "suggestion": suggestion.id.hex,
                "comment": comment,
            },
        )


def _draft(row: CannedSuggestion, response: CannedResponse) -> CannedDraft:
    return CannedDraft(
        response.scope,
        row.title,
        row.shortcut,
        row.category,
        tuple(row.tags or ()),
        row.body,
        response.team_id,
    )


def _info(
    session: Session, row: CannedSuggestion, response: CannedResponse | None = None
) -> SuggestionInfo:
    response = response or session.get(CannedResponse, row.response_id)
    assert response is not None
    return SuggestionInfo(
        row.id,
        row.response_id,
        response.title,
        row.response_version,
        row.author_id,
        _name(session, row.author_id),
        _draft(row, response),
        row.reason,
        row.status,
        row.created_at,
        row.decided_by,
        row.decided_at,
        row.comment,
        row.version,
    )


def _name(session: Session, user_id: uuid.UUID | None) -> str:
    if user_id is None:
        return "the setup account"
    return session.scalar(select(User.display_name).where(User.id == user_id)) or "someone"
