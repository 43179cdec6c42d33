"""Handoff note drafts on the server (DESIGN.md §5): the note being written is kept as a row its
author and their lead can read, so a lead moving an absent rep's case starts from the rep's
draft. handoffs.hand_off deletes the author's draft when the note goes in.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select

from deskapp.db.models import HandoffDraft, User
from deskapp.domain.enums import Role
from deskapp.domain.errors import PermissionDenied
from deskapp.domain.handoff import NoteContent
from deskapp.services.handoff_access import load_case, person_of, require_may_hand_off
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace


def save_draft(ws: Workspace, actor: Actor, case_id: uuid.UUID, content: NoteContent) -> None:
    """Keep the note being written on the server too (its author and their lead can read it).
    Not audited: autosave writes every few seconds, and a draft is not a record."""
    author_id = person_of(actor)
    with write_session(ws) as session:
        case = load_case(session, case_id)
        require_may_hand_off(actor, case)
        draft = session.scalar(
            select(HandoffDraft)
            .where(HandoffDraft.case_id == case_id, HandoffDraft.author_id == author_id)
            .with_for_update()
        )
        if draft is None:
            session.add(
                HandoffDraft(case_id=case_id, author_id=author_id, content=content.to_json())
            )
        else:
            draft.content = content.to_json()


def load_draft(
    ws: Workspace, actor: Actor, case_id: uuid.UUID, author_id: uuid.UUID | None = None
) -> NoteContent | None:
    """My draft for this case, or (a lead) the draft a person of my team left on it."""
    me = person_of(actor)
    author_id = author_id or me
    with read_session(ws) as session:
        if author_id != me:
            require_role(actor, Role.LEAD, "read someone else's handoff draft")
            author = session.get(User, author_id)
            if actor.role is not Role.ADMIN and (author is None or author.team_id != actor.team_id):
                raise PermissionDenied(
                    "That draft's author is not in your team: only their own lead may read it."
                )
        stored = session.scalar(
            select(HandoffDraft.content).where(
                HandoffDraft.case_id == case_id, HandoffDraft.author_id == author_id
            )
        )
        return NoteContent.from_json(stored) if stored is not None else None


def discard_draft(ws: Workspace, actor: Actor, case_id: uuid.UUID) -> None:
    author_id = person_of(actor)
    with write_session(ws) as session:
        session.execute(
            delete(HandoffDraft).where(
                HandoffDraft.case_id == case_id, HandoffDraft.author_id == author_id
            )
        )
