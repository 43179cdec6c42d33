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
    and_,
    column,
)
from sqlalchemy.dialects.mysql import MEDIUMTEXT
from sqlalchemy.orm import Mapped, mapped_column

from deskapp.db.models.base import Base, CreatedMixin, IdMixin, VersionedMixin
from deskapp.db.types import Guid, UtcDateTime, enum_column, utcnow
from deskapp.domain.enums import CaseStatus, Channel, Direction, Mood, Priority

# The statuses of the queue's views, in one place: SQLite uses a partial index only when the
# query's WHERE repeats the index's WHERE term for term (the same values in the same order), so
# the indexes below and services/queue_query.py are both built from these tuples.
OPEN_STATUSES = tuple(s for s in CaseStatus if s.is_open)
# The SLA clock stands still while the customer has the ball: such a case is not "due soon".
TICKING_STATUSES = tuple(s for s in OPEN_STATUSES if not s.pauses_sla)


# MariaDB has no partial indexes. ``info["dialects"]`` tells `alembic check` (migrations/env.py)
# what ``ddl_if`` tells ``create_all``: the index exists on these dialects only.
PARTIAL_INDEX_DIALECTS = ("sqlite", "postgresql")


def _open_due_index(name: str, statuses: tuple[CaseStatus, ...], *, descending: bool) -> Index:
    """A view's rows already in SLA order (no due last, then id), over only the open cases: the
    first page is read off the index, nothing is sorted. One index per direction: the empty
    values stay last either way, so no single index reads backwards into the other order, and
    clicking the sorted column's header (the soonest due first becomes the latest) is the
    likeliest change of order there is."""
    where = column("status", enum_column(CaseStatus)).in_(statuses)
    due = column("resolution_due", UtcDateTime())
    case_id = column("id", Guid())
    index = Index(
        name,
        due.is_(None),
        due.desc() if descending else due,
        case_id.desc() if descending else case_id,
        sqlite_where=where,
        postgresql_where=where,
        info={"dialects": PARTIAL_INDEX_DIALECTS},
    )
    # SQLAlchemy takes a tuple of dialect names here (documented); its annotation says str.
    return index.ddl_if(dialect=PARTIAL_INDEX_DIALECTS)  # type: ignore[arg-type]


# The open cases' covering index (migration 0013, SQLite only): every column a view filters or
# sorts on, so sorting a view by a column no index holds reads no table row. Its WHERE has a
# second term that is true of every case: only a statement repeating it can use the index (the
# queue's narrow page statements, queue_query.OPEN_SORTING_MARK), so statements that read whole
# rows keep to the indexes that hold their order (ix_cases_open_due…) instead of sorting.
OPEN_SORTING_COLUMNS = (
    "status", "team_id", "assignee_id", "priority", "resolution_due", "created_at", "number",
    "customer_id", "mood", "channel", "category", "transfer_count", "waiting_since",
    "first_responded_at", "first_response_due", "subject", "id",
)  # fmt: skip


def _open_sorting_index() -> Index:
    where = and_(
        column("status", enum_column(CaseStatus)).in_(OPEN_STATUSES),
        column("number", BigInteger()).is_not(None),
    )
    index = Index(
        "ix_cases_open_sorting", *OPEN_SORTING_COLUMNS, sqlite_where=where,
        info={"dialects": ("sqlite",)},
    )  # fmt: skip
    return index.ddl_if(dialect="sqlite")


class Case(IdMixin, VersionedMixin, Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("external_source", "external_id"),
        Index("ix_cases_team_status", "team_id", "status"),
        Index("ix_cases_assignee_status", "assignee_id", "status"),
        # The queue's views and Get next (migration 0005, services/queue_query.py).
        Index("ix_cases_team_assignee_status", "team_id", "assignee_id", "status"),
        Index("ix_cases_status_due", "status", "resolution_due"),
        # A customer's cases newest first, a page at a time (migration 0006, customer history).
        Index("ix_cases_customer_created", "customer_id", "created_at"),
        # An admin's "All open" and "Due soon" (migration 0007; not on MariaDB).
        _open_due_index("ix_cases_open_due", OPEN_STATUSES, descending=False),
        _open_due_index("ix_cases_open_due_desc", OPEN_STATUSES, descending=True),
        _open_due_index("ix_cases_ticking_due", TICKING_STATUSES, descending=False),
        _open_due_index("ix_cases_ticking_due_desc", TICKING_STATUSES, descending=True),
        _open_sorting_index(),
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
        # Praise per rep, for the team board (migration 0010): only the few rows that carry any.
        # MariaDB indexes the foreign key column by itself.
        Index(
            "ix_interactions_kudos",
            "kudos_for_id",
            "occurred_at",
            sqlite_where=column("kudos_for_id").is_not(None),
            postgresql_where=column("kudos_for_id").is_not(None),
            info={"dialects": PARTIAL_INDEX_DIALECTS},
        ).ddl_if(dialect=PARTIAL_INDEX_DIALECTS),  # type: ignore[arg-type]
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("cases.id"))
    # Denormalized from the case: the customer-history timeline reads by customer, newest first.
    customer_id: Mapped[uuid.UUID] = mapped_column(Guid(), ForeignKey("customers.id"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction))
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("users.id"), nullable=True
    )
    # MariaDB's TEXT stops at 64 KiB; an email thread pasted whole can be megabytes (0006).
    body: Mapped[str] = mapped_column(
        Text().with_variant(MEDIUMTEXT(), "mariadb", "mysql"), default=""
    )
    duration_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=utcnow())
    # Praise from the customer for a named rep.
    kudos_for_id: Mapped[uuid.UUID | None] = mapped_column(
        Guid(), ForeignKey("users.id"), nullable=True
    )
    external_source: Mapped[str | None] = mapped_column(String(40), nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    # An erasure request replaced the body with a marker (services/redaction.py, 0011).
    redacted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
