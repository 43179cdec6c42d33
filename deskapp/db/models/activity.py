"""Who did what (audit), who is looking at what (presence), what changed (feed), settings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskapp.db.models.base import Base, CreatedMixin, IdMixin
from deskapp.db.types import Guid, JsonDocument, UtcDateTime, enum_column, utcnow
from deskapp.domain.enums import PresenceState


class AuditEvent(IdMixin, Base):
    """Append-only. One hash chain per subject (a case, or "users"...), so clients never queue
    behind one global chain. The event id is the request id of the change it records, which
    makes a retried write recognisable (services/unit_of_work.py)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("chain", "seq"),
        Index("ix_audit_events_case", "case_id"),
        Index("ix_audit_events_occurred", "occurred_at"),
        # The team's audit log filtered by a person or a kind of action (migration 0010).
        Index("ix_audit_events_actor_occurred", "actor_login", "occurred_at"),
        Index("ix_audit_events_action_occurred", "action", "occurred_at"),
    )

    chain: Mapped[str] = mapped_column(String(60))
    seq: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[uuid.UUID | None] = mapped_column(Guid(), ForeignKey("cases.id"), nullable=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("users.id"), nullable=True
    )
    actor_login: Mapped[str] = mapped_column(String(63))
    action: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=utcnow())
    content_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    chain_hash: Mapped[str] = mapped_column(String(64))
    # An erasure request blanked its personal data (services/redaction.py); hashes unchanged.
    redacted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class Presence(Base):
    __tablename__ = "presence"

    user_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("users.id"), primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("cases.id"), primary_key=True)
    state: Mapped[PresenceState] = mapped_column(enum_column(PresenceState))
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=utcnow())


class SignIn(Base):
    """A running client's heartbeat: its person is at work even with no case open (migration
    0008). One row per person: signing in on a second workstation takes the row over."""

    __tablename__ = "sign_ins"

    user_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("users.id"), primary_key=True)
    client: Mapped[str] = mapped_column(String(120))
    signed_in_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=utcnow())
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=utcnow())


class ChangeFeedEntry(IdMixin, CreatedMixin, Base):
    """What changed, for live refresh on dialects without LISTEN/NOTIFY (read by a trailing
    time window, so a transaction that commits late is still seen)."""

    __tablename__ = "change_feed"
    __table_args__ = (Index("ix_change_feed_created", "created_at"),)

    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID] = mapped_column(Guid())
    case_id: Mapped[uuid.UUID | None] = mapped_column(Guid(), nullable=True)


class WorkspaceSetting(Base):
    __tablename__ = "workspace_settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JsonDocument)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=utcnow(), onupdate=utcnow()
    )
