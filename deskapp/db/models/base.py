"""Declarative base, naming convention and the columns every table shares."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from deskapp.db.types import Guid, UtcDateTime, utcnow

# Named constraints make migrations deterministic on every dialect (and possible on SQLite).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class IdMixin:
    """A client-generated UUID, so a retried insert after a lost reply can never insert twice."""

    id: Mapped[uuid.UUID] = mapped_column(Guid(), primary_key=True, default=new_id)


class CreatedMixin:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=utcnow())


class VersionedMixin(CreatedMixin):
    """Mutable records: optimistic concurrency through ``version``, server-clock ``updated_at``."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), server_default=utcnow(), onupdate=utcnow()
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a declared_attr takes the class
        # ORM updates bump ``version`` and fail with StaleDataError if someone saved first.
        return {"version_id_col": cls.version}
