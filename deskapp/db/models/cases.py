"""Cases and the interactions logged on them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from deskapp.db.models.base import Base, CreatedMixin, IdMixin, VersionedMixin
from deskapp.db.types import Guid, UtcDateTime, enum_column, utcnow
from deskapp.domain.enums import CaseStatus, Channel, Direction, Mood, Priority


class Case(IdMixin, VersionedMixin, Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("external_source", "external_id"),
        Index("ix_cases_team_status", "team_id", "status"),
        Index("ix_cases_assignee_status", "assignee_id", "status"),
    )

    # Shown as C-<number> (domain/case_key.py). BIGINT: keys never overflow a fixed width.
    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("customers.id"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(80), nullable=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    priority: Mapped[Priority] = mapped_column(enum_column(Priority), default=Priority.NORMAL)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), default=CaseStatus.NEW)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    team_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("teams.id"))
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("users.id"), nullable=True
    )
    # The handoff note that explains the current owner (DESIGN.md §5); set by the handoff service.
    current_handoff_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(),
        ForeignKey("handoff_notes.id", use_alter=True, name="fk_cases_current_handoff_id"),
        nullable=True,
    )
    mood: Mapped[Mood] = mapped_column(enum_column(Mood), default=Mood.NEUTRAL)
    first_response_due: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    next_response_due: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    resolution_due: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    first_responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # The SLA clock pauses while pending customer: when it paused, and business seconds paused.
    sla_paused_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Last inbound interaction with no outbound answer after it; NULL when nobody is waiting.
    waiting_since: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_activity_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=utcnow())
    transfer_count: Mapped[int] = mapped_column(Integer, default=0)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    resolution_code: Mapped[str | None] = mapped_column(String(60), nullable=True)
    resolution_outcome: Mapped[str | None] = mapped_column(String(300), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    external_source: Mapped[str | None] = mapped_column(String(40), nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(120), nullable=True)


class Interaction(IdMixin, CreatedMixin, Base):
    """One contact: a call, an email, a chat... Immutable once logged (corrections are new rows)."""

    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_case_occurred", "case_id", "occurred_at"),
        Index("ix_interactions_customer_occurred", "customer_id", "occurred_at"),
        UniqueConstraint("external_source", "external_id"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("cases.id"))
    # Denormalized from the case: the customer-history timeline reads by customer, newest first.
    customer_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("customers.id"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction))
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("users.id"), nullable=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    duration_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=utcnow())
    # Praise from the customer for a named rep.
    kudos_for_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("users.id"), nullable=True
    )
    external_source: Mapped[str | None] = mapped_column(String(40), nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
