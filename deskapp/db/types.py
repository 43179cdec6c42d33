"""Portable column types. Every dialect stores the same values and gives back the same Python.

- ``Guid``: client-generated UUIDs, native ``uuid`` on PostgreSQL, 16 bytes elsewhere.
- ``UtcDateTime``: timezone-aware UTC in, timezone-aware UTC out, whatever the dialect keeps.
- ``enum_column``: non-native enums storing the value (``"pending_customer"``), so adding a value
  never needs an ALTER TYPE and the rows read the same in every database.
- ``utcnow()``: the database server's clock, never the workstation's.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, LargeBinary, types
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class Guid(types.TypeDecorator[uuid.UUID]):
    impl = LargeBinary(16)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.UUID(as_uuid=True))
        if dialect.name in ("mysql", "mariadb"):
            from sqlalchemy.dialects.mysql import BINARY

            return dialect.type_descriptor(BINARY(16))
        return dialect.type_descriptor(LargeBinary(16))

    def process_bind_param(self, value: uuid.UUID | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = uuid.UUID(str(value)) if not isinstance(value, uuid.UUID) else value
        return value if dialect.name == "postgresql" else value.bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(bytes=bytes(value))


class UtcDateTime(types.TypeDecorator[datetime]):
    """Stores UTC; refuses naive datetimes so a workstation's local time can never sneak in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> types.TypeEngine[Any]:
        if dialect.name in ("mysql", "mariadb"):
            from sqlalchemy.dialects.mysql import DATETIME

            # MariaDB has no zone-aware type; sessions run at +00:00 (db/engine.py), values are UTC.
            return dialect.type_descriptor(DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = (
            datetime.fromisoformat(value) if isinstance(value, str) else value  # SQLite: text
        )
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)


def enum_column(enum_cls: type[StrEnum], length: int = 24) -> Enum:
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


JsonDocument = JSON().with_variant(postgresql.JSONB(), "postgresql")


class utcnow(FunctionElement[datetime]):  # noqa: N801 - reads like the SQL function it stands for
    """The database server's current UTC time, as ``now()`` would say it on each dialect."""

    type = UtcDateTime()
    inherit_cache = True


@compiles(utcnow)
def _utcnow_default(element: utcnow, compiler: SQLCompiler, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(utcnow, "postgresql")
def _utcnow_postgresql(element: utcnow, compiler: SQLCompiler, **kw: Any) -> str:
    return "now()"


@compiles(utcnow, "sqlite")
def _utcnow_sqlite(element: utcnow, compiler: SQLCompiler, **kw: Any) -> str:
    # Microsecond text in the same shape SQLAlchemy writes, so text comparison orders correctly.
    return "(strftime('%Y-%m-%d %H:%M:%f000', 'now'))"


@compiles(utcnow, "mysql")
@compiles(utcnow, "mariadb")
def _utcnow_mysql(element: utcnow, compiler: SQLCompiler, **kw: Any) -> str:
    return "UTC_TIMESTAMP(6)"
