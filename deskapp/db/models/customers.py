"""Organizations, customers and their support plans."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskapp.db.models.base import Base, IdMixin, VersionedMixin
from deskapp.db.types import Guid, JsonDocument, UtcDateTime, enum_column
from deskapp.domain.enums import PlanPeriod, Tier


class Organization(IdMixin, VersionedMixin, Base):
    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(String(200), index=True)
    domain: Mapped[str | None] = mapped_column(String(200), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class SupportPlan(IdMixin, VersionedMixin, Base):
    """What a customer bought: cases or hours per period. Usage is computed, never stored."""

    __tablename__ = "support_plans"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    period: Mapped[PlanPeriod] = mapped_column(enum_column(PlanPeriod), default=PlanPeriod.MONTH)
    included_cases: Mapped[int | None] = mapped_column(Integer, nullable=True)
    included_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2), nullable=True)


class Customer(IdMixin, VersionedMixin, Base):
    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("external_source", "external_id"),
        # A customer's name by id without reading the row: the queue sorted by customer
        # (migration 0013, SQLite only).
        Index("ix_customers_id_name", "id", "name", info={"dialects": ("sqlite",)}).ddl_if(
            dialect="sqlite"
        ),
    )

    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True, index=True)
    phone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Digits only, so "555 01 23" finds "+1 (555) 0123" with an index, not a scan.
    phone_digits: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("organizations.id"), nullable=True, index=True
    )
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    tier: Mapped[Tier] = mapped_column(enum_column(Tier), default=Tier.STANDARD)
    tags: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    profile_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    support_plan_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("support_plans.id"), nullable=True
    )
    preferred_contact: Mapped[str | None] = mapped_column(String(120), nullable=True)
    # Where an imported customer came from; (source, id) makes re-imports idempotent.
    external_source: Mapped[str | None] = mapped_column(String(40), nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    redacted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
