"""Teams, the people who work in them, and SLA targets."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from deskapp.db.models.base import Base, IdMixin, VersionedMixin
from deskapp.db.types import Guid, JsonDocument, UtcDateTime, enum_column
from deskapp.domain.enums import Priority, Role, Tier


class Team(IdMixin, VersionedMixin, Base):
    __tablename__ = "teams"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # {"mon": [["09:00", "17:00"]], ...}; days absent are closed.
    business_hours: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    # ["2026-12-25", ...] in the team's time zone.
    holidays: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    handoff_template: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument, nullable=True)


class User(IdMixin, VersionedMixin, Base):
    """A person. On a server ``login`` is their own database role; on SQLite a local identity."""

    __tablename__ = "users"

    login: Mapped[str] = mapped_column(String(63), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.REP)
    team_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("teams.id"), nullable=True, index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A temporary password was issued (services/people.py): at the next sign-in the person
    # chooses their own before anything else, and the temporary one stops working at
    # ``temporary_password_expires_at`` (migration 0012).
    password_change_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    temporary_password_expires_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), nullable=True
    )


class SlaPolicy(IdMixin, VersionedMixin, Base):
    """Targets in business minutes, per priority and customer tier; team-specific or global."""

    __tablename__ = "sla_policies"
    __table_args__ = (UniqueConstraint("team_id", "priority", "tier"),)

    team_id: Mapped[uuid.UUID | None] = mapped_column(Guid(), ForeignKey("teams.id"), nullable=True)
    priority: Mapped[Priority] = mapped_column(enum_column(Priority))
    tier: Mapped[Tier] = mapped_column(enum_column(Tier))
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    next_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)
