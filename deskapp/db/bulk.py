"""Bulk loading: the fast path for demo data and imports, one dialect-specific method.

Rows are plain tuples in the order of ``columns``, holding Python values (UUIDs, aware datetimes,
enums, lists/dicts for JSON). Values are converted once per column, not through the ORM:
SQLite and MariaDB take ``executemany`` on the driver cursor, PostgreSQL takes ``COPY``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Connection, Table

from deskapp.db.types import Guid, UtcDateTime

Converter = Callable[[Any], Any]
CHUNK_ROWS = 5000


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _sqlite_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _converter(column_type: Any, dialect: str) -> Converter | None:
    """How to turn a Python value into what the driver takes; None when it takes it as is."""
    if isinstance(column_type, Guid):
        if dialect == "postgresql":
            return None
        return lambda v: v.bytes if isinstance(v, uuid.UUID) else v
    if isinstance(column_type, UtcDateTime):
        if dialect == "postgresql":
            return None
        if dialect == "sqlite":  # the same text SQLAlchemy writes, so comparisons order right
            return _sqlite_datetime
        return lambda v: None if v is None else v.astimezone(UTC).replace(tzinfo=None)
    if isinstance(column_type, JSON) or isinstance(getattr(column_type, "impl", None), JSON):
        return lambda v: None if v is None else json.dumps(v, separators=(",", ":"))
    if hasattr(column_type, "enum_class") and column_type.enum_class is not None:
        return _enum_value
    return None


def bulk_insert(
    conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` into ``table`` in the caller's transaction; returns the row count."""
    dialect = conn.dialect.name
    converters = [
        (index, converter)
        for index, name in enumerate(columns)
        if (converter := _converter(table.c[name].type, dialect)) is not None
    ]

    def convert(row: Sequence[Any]) -> tuple[Any, ...]:
        values = list(row)
        for index, converter in converters:
            values[index] = converter(values[index])
        return tuple(values)

    converted = (convert(row) for row in rows)
    if dialect == "postgresql":
        return _copy_postgresql(conn, table.name, columns, converted)
    return _executemany(conn, table.name, columns, converted)


def _executemany(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    count = 0
    try:
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK_ROWS:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    finally:
        cursor.close()
    return count


def _copy_postgresql(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    quote = conn.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    count = 0
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    finally:
        cursor.close()
    return count


def utc(moment: datetime) -> datetime:
    """Guard for generators: every stored moment is aware UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def refresh_statistics(conn: Connection, tables: Sequence[str]) -> None:
    """After a bulk load: tell the query planner how big the tables now are."""
    if conn.dialect.name in ("mysql", "mariadb"):
        conn.exec_driver_sql(f"ANALYZE TABLE {', '.join(tables)}")
    elif conn.dialect.name == "postgresql":
        for table in tables:  # only the owner may analyze; a person's login skips quietly
            conn.exec_driver_sql(
                f"DO $$ BEGIN ANALYZE {table}; EXCEPTION WHEN insufficient_privilege THEN "
                "NULL; END $$"
            )
    else:
        conn.exec_driver_sql("ANALYZE")
