"""One customer's timeline: every interaction and handoff note across their cases, newest first,
read a page at a time as the rep scrolls.

Pages are keyset-paged on (time, id), never by offset, so page 40 of a twenty-thousand-entry
history costs what page 1 does and an entry logged meanwhile never shifts or repeats a page.
Interactions and handoff notes come from two indexed reads of ``limit + 1`` rows each, merged
here. An entry carries the first ``TEXT_PREVIEW_CHARS`` of its text (a one-megabyte email must
not travel with every page); ``entry_text`` fetches the whole of a long one when it is opened.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from deskapp.db.models import Case, Customer, HandoffNote, Interaction, User
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import Channel, Direction, RiskLevel
from deskapp.domain.errors import InvalidInput, NotFound
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace

TIMELINE_PAGE = 200
MAX_PAGE = 1000
TEXT_PREVIEW_CHARS = 10_000

Cursor = tuple[datetime, uuid.UUID]  # (time, id) of the last entry shown: the next page's start
# Made once: a new alias per call would defeat SQLAlchemy's statement cache.
_AUTHOR = aliased(User, name="author")
_PRAISED = aliased(User, name="praised")


@dataclass(frozen=True)
class TimelineEntry:
    kind: Literal["interaction", "handoff"]
    at: datetime
    case_key: str
    channel: Channel | None
    direction: Direction | None
    author: str | None
    text: str  # up to TEXT_PREVIEW_CHARS; ``truncated`` says there is more (entry_text)
    risk: RiskLevel | None = None
    addendum: bool = False  # an answer or a correction added to a submitted note
    id: uuid.UUID | None = None  # the interaction's or the note's id
    case_id: uuid.UUID | None = None
    duration_seconds: int | None = None
    kudos_for: str | None = None  # the rep a customer's praise is for
    truncated: bool = False

    @property
    def cursor(self) -> Cursor:
        assert self.id is not None
        return (self.at, self.id)


@dataclass(frozen=True)
class TimelinePage:
    entries: tuple[TimelineEntry, ...]
    next_before: Cursor | None  # pass as ``before`` for the next page; None: nothing older


def timeline_page(
    ws: Workspace,
    customer_id: uuid.UUID,
    *,
    before: Cursor | None = None,
    limit: int = TIMELINE_PAGE,
    channels: Collection[Channel] | None = None,
    case_id: uuid.UUID | None = None,
    handoffs: bool | None = None,
) -> TimelinePage:
    """Up to ``limit`` entries older than ``before`` (None: the newest), newest first.

    ``channels`` keeps only interactions on those channels; ``case_id`` only that case's entries.
    ``handoffs`` includes handoff notes; by default they are included unless a channel filter
    is given (a note has no channel).
    """
    with read_session(ws) as session:
        if session.get(Customer, customer_id) is None:
            raise NotFound("That customer does not exist (any more).")
        return read_page(session, customer_id, before=before, limit=limit, channels=channels,
                         case_id=case_id, handoffs=handoffs)  # fmt: skip


def entry_text(ws: Workspace, entry_id: uuid.UUID) -> str:
    """The whole text of a timeline entry (an interaction's body or a note's summary)."""
    with read_session(ws) as session:
        body = session.scalar(select(Interaction.body).where(Interaction.id == entry_id))
        if body is None:
            body = session.scalar(select(HandoffNote.summary).where(HandoffNote.id == entry_id))
        if body is None:
            raise NotFound("That entry does not exist (any more).")
        return body


def read_page(
    session: Session,
    customer_id: uuid.UUID,
    *,
    before: Cursor | None = None,
    limit: int = TIMELINE_PAGE,
    channels: Collection[Channel] | None = None,
    case_id: uuid.UUID | None = None,
    handoffs: bool | None = None,
) -> TimelinePage:
    """``timeline_page`` inside the caller's session (the first screen reads it with the rest)."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"A timeline page holds 1 to {MAX_PAGE} entries.")
    if channels is not None and not channels:
        return TimelinePage((), None)
    with_notes = channels is None if handoffs is None else handoffs
    entries = _interactions(session, customer_id, before, limit + 1, channels, case_id)
    if with_notes:
        entries += _notes(session, customer_id, before, limit + 1, case_id)
    entries.sort(key=lambda e: e.cursor, reverse=True)
    if len(entries) > limit:
        return TimelinePage(tuple(entries[:limit]), entries[limit - 1].cursor)
    return TimelinePage(tuple(entries), None)


def _older_than(at: Any, id_: Any, before: Cursor | None) -> ColumnElement[bool] | None:
    """(at, id) < before. The leading ``at <= moment`` is what lets every dialect walk the
    (customer, time) index backwards from the cursor and stop after a page; the OR alone makes
    SQLite collect the customer's whole history before the cursor and sort it."""
    if before is None:
        return None
    moment, last_id = before
    return and_(at <= moment, or_(at < moment, id_ < last_id))


def _interactions(
    session: Session,
    customer_id: uuid.UUID,
    before: Cursor | None,
    limit: int,
    channels: Collection[Channel] | None,
    case_id: uuid.UUID | None,
) -> list[TimelineEntry]:
    preview = func.substr(Interaction.body, 1, TEXT_PREVIEW_CHARS + 1)
    query = (
        select(Interaction.id, Interaction.occurred_at, Case.number, Interaction.channel,
               Interaction.direction, _AUTHOR.display_name, preview, Interaction.case_id,
               Interaction.duration_seconds, _PRAISED.display_name)
        .join(Case, Case.id == Interaction.case_id)
        .outerjoin(_AUTHOR, _AUTHOR.id == Interaction.author_id)
        .outerjoin(_PRAISED, _PRAISED.id == Interaction.kudos_for_id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(limit)
    )  # fmt: skip
    query = query.where(Interaction.customer_id == customer_id)
    if case_id is not None:
        query = query.where(Interaction.case_id == case_id)
    if channels is not None:
        query = query.where(Interaction.channel.in_(list(channels)))
    older = _older_than(Interaction.occurred_at, Interaction.id, before)
    if older is not None:
        query = query.where(older)
    return [
        TimelineEntry(
            "interaction",
            r[1],
            format_case_key(r[2]),
            r[3],
            r[4],
            r[5],
            r[6][:TEXT_PREVIEW_CHARS],
            id=r[0],
            case_id=r[7],
            duration_seconds=r[8],
            kudos_for=r[9],
            truncated=len(r[6]) > TEXT_PREVIEW_CHARS,
        )
        for r in session.execute(query)
    ]


def _notes(
    session: Session,
    customer_id: uuid.UUID,
    before: Cursor | None,
    limit: int,
    case_id: uuid.UUID | None,
) -> list[TimelineEntry]:
    query = (
        select(HandoffNote.id, HandoffNote.created_at, Case.number, User.display_name,
               HandoffNote.summary, HandoffNote.risk, HandoffNote.addendum_to_id,
               HandoffNote.case_id)
        .join(Case, Case.id == HandoffNote.case_id)
        .join(User, User.id == HandoffNote.author_id)
        .order_by(HandoffNote.created_at.desc(), HandoffNote.id.desc())
        .limit(limit)
    )  # fmt: skip
    if case_id is not None:
        query = query.where(HandoffNote.case_id == case_id, Case.customer_id == customer_id)
    else:
        query = query.where(Case.customer_id == customer_id)
    older = _older_than(HandoffNote.created_at, HandoffNote.id, before)
    if older is not None:
        query = query.where(older)
    return [
        TimelineEntry(
            "handoff",
            r[1],
            format_case_key(r[2]),
            None,
            None,
            r[3],
            r[4][:TEXT_PREVIEW_CHARS],
            r[5],
            addendum=r[6] is not None,
            id=r[0],
            case_id=r[7],
            truncated=len(r[4]) > TEXT_PREVIEW_CHARS,
        )
        for r in session.execute(query)
    ]
