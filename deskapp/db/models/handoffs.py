"""Structured handoff notes (DESIGN.md §5): immutable notes, read-backs, drafts, commitments."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
)
from sqlalchemy.orm import Mapped, mapped_column

from deskapp.db.models.base import Base, CreatedMixin, IdMixin, VersionedMixin
from deskapp.db.models.cases import PARTIAL_INDEX_DIALECTS
from deskapp.db.types import Guid, JsonDocument, UtcDateTime, enum_column
from deskapp.domain.enums import AckKind, HandoffKind, Mood, RiskLevel


class HandoffNote(IdMixin, CreatedMixin, Base):
    """Written for exactly one change of hands (same case, same from and to). Never updated."""

    __tablename__ = "handoff_notes"
    __table_args__ = (
        Index("ix_handoff_notes_case_created", "case_id", "created_at"),
        # A note's addenda, read with the note in every case view (migration 0014): only the
        # few notes that are addenda. MariaDB indexes the foreign key column by itself.
        Index(
            "ix_handoff_notes_addendum_to",
            "addendum_to_id",
            sqlite_where=column("addendum_to_id").is_not(None),
            postgresql_where=column("addendum_to_id").is_not(None),
            info={"dialects": PARTIAL_INDEX_DIALECTS},
        ).ddl_if(dialect=PARTIAL_INDEX_DIALECTS),  # type: ignore[arg-type]
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("cases.id"))
    kind: Mapped[HandoffKind] = mapped_column(enum_column(HandoffKind))
    author_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("users.id"))
    from_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("users.id"), nullable=True
    )
    to_user_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("users.id"), nullable=True
    )
    from_team_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("teams.id"))
    to_team_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("teams.id"))
    risk: Mapped[RiskLevel] = mapped_column(enum_column(RiskLevel))
    summary: Mapped[str] = mapped_column(Text)
    done: Mapped[str] = mapped_column(Text)
    next_actions: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    commitments: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, default=list)
    no_commitments: Mapped[bool] = mapped_column(Boolean, default=False)
    contingencies: Mapped[str] = mapped_column(Text, default="")
    mood: Mapped[Mood | None] = mapped_column(enum_column(Mood), nullable=True)
    contact_preference: Mapped[str] = mapped_column(String(200), default="")
    # Honest beats fictional: a lead moving an absent rep's case may hand off without a briefing.
    unbriefed: Mapped[bool] = mapped_column(Boolean, default=False)
    unbriefed_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    template_version: Mapped[int] = mapped_column(Integer, default=1)
    # The team's own added fields (NoteContent.extra, by key); NULL when the team added none.
    extra: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument, nullable=True)
    # Corrections are addenda pointing at the note they correct.
    addendum_to_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("handoff_notes.id"), nullable=True
    )
    # The one change a note may see: an erasure request blanking its text (migration 0011).
    redacted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class HandoffAck(IdMixin, CreatedMixin, Base):
    """The receiver's read-back: accepted, or a question (answered by an ``answer`` row)."""

    __tablename__ = "handoff_acks"
    __table_args__ = (Index("ix_handoff_acks_note", "note_id"),)

    note_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("handoff_notes.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("users.id"))
    kind: Mapped[AckKind] = mapped_column(enum_column(AckKind))
    text: Mapped[str] = mapped_column(Text, default="")
    redacted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class HandoffDraft(IdMixin, VersionedMixin, Base):
    """A note being written, readable by its author and their lead (a crash loses nothing)."""

    __tablename__ = "handoff_drafts"
    __table_args__ = (UniqueConstraint("case_id", "author_id"),)

    case_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("cases.id"))
    author_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("users.id"))
    content: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)


class Commitment(IdMixin, VersionedMixin, Base):
    """A promise made to the customer; a timer for whoever owns the case next."""

    __tablename__ = "commitments"
    __table_args__ = (Index("ix_commitments_case_due", "case_id", "due_at"),)

    case_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("cases.id"))
    handoff_note_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("handoff_notes.id"), nullable=True
    )
    promise: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    fulfilled_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
