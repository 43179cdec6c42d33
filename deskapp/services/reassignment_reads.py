"""The batched reads behind a reassignment plan (services/reassignment_plan.py): each case
owner's draft and latest note on it, each case's current note, and how many open cases each
person holds. Ids go in IN (...) lists of at most CHUNK, so a plan of hundreds of cases is a
handful of queries on every dialect, never one per case.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskapp.db.models import Case, HandoffDraft, HandoffNote
from deskapp.db.models.cases import OPEN_STATUSES
from deskapp.domain.handoff import NoteContent
from deskapp.services.handoffs import note_content

CHUNK = 400  # ids per IN (...) list: well inside every dialect's limits
T = TypeVar("T")


def owner_drafts(session: Session, cases: list[Case]) -> dict[uuid.UUID, NoteContent]:
    """The draft each case's owner left on it (the row their lead may read)."""
    owners = {c.id: c.assignee_id for c in cases if c.assignee_id is not None}
    found: dict[uuid.UUID, NoteContent] = {}
    for chunk in chunks(list(owners)):
        for case_id, author_id, content in session.execute(
            select(HandoffDraft.case_id, HandoffDraft.author_id, HandoffDraft.content).where(
                HandoffDraft.case_id.in_(chunk)
            )
        ):
            if owners.get(case_id) == author_id and content:
                found[case_id] = NoteContent.from_json(content)
    return found


def owner_notes(session: Session, cases: list[Case]) -> dict[uuid.UUID, NoteContent]:
    """The latest note each case's owner wrote on it (not an addendum)."""
    owners = {c.id: c.assignee_id for c in cases if c.assignee_id is not None}
    found: dict[uuid.UUID, NoteContent] = {}
    for chunk in chunks(list(owners)):
        notes = session.scalars(
            select(HandoffNote)
            .where(HandoffNote.case_id.in_(chunk), HandoffNote.addendum_to_id.is_(None))
            .order_by(HandoffNote.created_at, HandoffNote.id)
        )
        for note in notes:  # oldest first: the latest of each owner's wins
            if owners.get(note.case_id) == note.author_id:
                found[note.case_id] = note_content(note)
    return found


def current_notes(session: Session, cases: list[Case]) -> dict[uuid.UUID, NoteContent]:
    """Each case's current note (lint spots a copy of it)."""
    current = [c.current_handoff_id for c in cases if c.current_handoff_id is not None]
    found: dict[uuid.UUID, NoteContent] = {}
    for chunk in chunks(current):
        for note in session.scalars(select(HandoffNote).where(HandoffNote.id.in_(chunk))):
            found[note.case_id] = note_content(note)
    return found


def open_counts(session: Session, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many open cases each person holds (nobody listed holds none)."""
    counts: dict[uuid.UUID, int] = {}
    for chunk in chunks(user_ids):
        for user_id, held in session.execute(
            select(Case.assignee_id, func.count())
            .where(Case.assignee_id.in_(chunk), Case.status.in_(OPEN_STATUSES))
            .group_by(Case.assignee_id)
        ):
            if user_id is not None:
                counts[user_id] = int(held)
    return counts


def chunks(items: Iterable[T]) -> Iterator[list[T]]:
    """``items`` in lists of at most CHUNK."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
