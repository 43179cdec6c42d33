"""Canned responses, how often each person uses them, and edits suggested for a lead to decide."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from deskapp.db.models.base import Base, IdMixin, VersionedMixin
from deskapp.db.types import Guid, JsonDocument, UtcDateTime, enum_column, utcnow
from deskapp.domain.canned_validation import SuggestionStatus
from deskapp.domain.enums import CannedScope


class CannedResponse(IdMixin, VersionedMixin, Base):
    __tablename__ = "canned_responses"

    scope: Mapped[CannedScope] = mapped_column(enum_column(CannedScope))
    owner_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("users.id"), nullable=True, index=True
    )
    team_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("teams.id"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    shortcut: Mapped[str | None] = mapped_column(String(40), nullable=True)
    category: Mapped[str] = mapped_column(String(60), default="general")
    tags: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CannedResponseUsage(Base):
    __tablename__ = "canned_response_usage"

    user_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("users.id"), primary_key=True)
    response_id: Mapped[uuid.UUID] = mapped_column(
        Guid(), ForeignKey("canned_responses.id"), primary_key=True
    )
    use_count: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=utcnow())


class CannedSuggestion(IdMixin, VersionedMixin, Base):
    """A change to a response proposed by someone who may use it but not edit it; whoever may
    edit it accepts (the draft is applied) or rejects it, with a comment. ``response_version``
    is the version the suggestion was written against: accepting it over a later edit would
    silently undo that edit, so it is refused (services/canned_library.py)."""

    __tablename__ = "canned_suggestions"

    response_id: Mapped[uuid.UUID] = mapped_column(
        Guid(), ForeignKey("canned_responses.id"), index=True
    )
    response_version: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    shortcut: Mapped[str | None] = mapped_column(String(40), nullable=True)
    category: Mapped[str] = mapped_column(String(60))
    tags: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    body: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[SuggestionStatus] = mapped_column(
        enum_column(SuggestionStatus), default=SuggestionStatus.PENDING
    )
    decided_by: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("users.id"), nullable=True
    )
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    comment: Mapped[str] = mapped_column(String(500), default="")
