"""Bulk loading: the fast path for demo data and imports, one dialect-specific method.

Rows are plain tuples in the order of ``columns``, holding Python values (UUIDs, aware datetimes,
enums, lists/dicts for JSON). Values are converted once per column, not through the ORM:
SQLite takes multi-row ``INSERT … VALUES (…), (…)`` statements, MariaDB ``executemany`` on the
driver cursor, PostgreSQL ``COPY``.

Why multi-row statements on SQLite: the tables a loader fills carry triggers (the search index,
migration 0004), and SQLite gives every statement on such a table a statement journal that
copies each page the statement touches. One statement per row (``executemany``) copies the same
index pages again for every row, which cost more than the insert itself (60 µs against 25 µs a
case row, measured); one statement per few hundred rows copies them once.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Connection, Table, delete, insert

from deskapp.db.models import WorkspaceSetting
from deskapp.db.types import Guid, UtcDateTime

Converter = Callable[[Any], Any]
CHUNK_ROWS = 5000
SQLITE_ROWS_PER_STATEMENT = 500  # beyond this the statement journal saves nothing more
# One encoder for every row: json.dumps with separators builds a new one per call.
_json_text = json.JSONEncoder(separators=(",", ":")).encode


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
        return lambda v: None if v is None else _json_text(v)
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
    if dialect == "sqlite":
        return _sqlite_multirow(conn, table.name, columns, converted)
    return _executemany(conn, table.name, columns, converted)


def _sqlite_multirow(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    quote = conn.dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    one = "(" + ", ".join(["?"] * len(columns)) + ")"
    driver: Any = conn.connection.dbapi_connection  # the sqlite3.Connection
    per_statement = max(
        1,
        min(
            SQLITE_ROWS_PER_STATEMENT,
            driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // max(1, len(columns)),
        ),
    )
    full = head + ", ".join([one] * per_statement)
    cursor = driver.cursor()
    count = 0
    try:
        chunk: list[Any] = []
        held = 0
        for row in rows:
            chunk.extend(row)
            held += 1
            if held == per_statement:
                cursor.execute(full, chunk)
                count += held
                chunk, held = [], 0
        if held:
            cursor.execute(head + ", ".join([one] * held), chunk)
            count += held
    finally:
        cursor.close()
    return count


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


@contextmanager
def sqlite_loading(conn: Connection, cache_mb: int = 256) -> Iterator[None]:
    """On SQLite, for a big load on ``conn`` only: a page cache of ``cache_mb`` (the indexes of a
    million rows stay in memory) and statement journals and sorts in memory instead of temp
    files; the connection's own settings come back afterwards. Durability is untouched.

    Enter it before the transaction begins: SQLite refuses to move temp storage inside one.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    driver = conn.connection.dbapi_connection
    assert driver is not None
    cache, temp = (
        driver.execute(f"PRAGMA {name}").fetchone()[0] for name in ("cache_size", "temp_store")
    )
    driver.execute(f"PRAGMA cache_size = {-1024 * cache_mb}")
    driver.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with suppress(sqlite3.Error):  # a broken connection must not hide the load's own error
            driver.execute(f"PRAGMA cache_size = {int(cache)}")
            driver.execute(f"PRAGMA temp_store = {int(temp)}")


def time_ordered_ids(as_bytes: bool = False) -> Callable[[], Any]:
    """A source of new ids that sort in the order they are made, after every id made before.

    UUIDv7's layout (RFC 9562): milliseconds since 1970 (48 bits) at the top, then version 7,
    a counter that starts at a random point (42 bits, in ``rand_a`` and the top of ``rand_b``)
    and 32 random bits. Primary-key B-trees then grow at one edge instead of at random pages,
    which keeps a million-row load within the page cache. ``as_bytes`` gives the 16 bytes
    SQLite and MariaDB store (db/types.py Guid), skipping the UUID object per row.
    """
    moment = time.time_ns() // 1_000_000
    # Seeded from the system. Ids must be unique, not unguessable (the counter orders them).
    bits = random.Random().getrandbits  # noqa: S311
    counter = bits(40)  # a random start below 2**40: room for 2**41 ids before a carry
    top = (moment & (2**48 - 1)) << 80 | 0x7 << 76

    def make() -> Any:
        nonlocal counter
        counter += 1
        value = (
            top
            | (counter >> 30 & 0xFFF) << 64
            | 0b10 << 62
            | (counter & (2**30 - 1)) << 32
            | bits(32)
        )
        return value.to_bytes(16) if as_bytes else uuid.UUID(int=value)

    return make


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


# The search index (migration 0004) is kept by triggers, which would recompute a case's
# document for every bulk-loaded interaction. A loader pauses them inside its own transaction
# (a row no other session ever sees) and fills the whole index in one statement before it
# commits.
SEARCH_PAUSED_KEY = "case_search.paused"


def pause_search_index(conn: Connection) -> None:
    """Until ``rebuild_search_index``: rows written on ``conn`` are not indexed one by one."""
    conn.execute(insert(WorkspaceSetting).values(key=SEARCH_PAUSED_KEY, value=True))


def rebuild_search_index(conn: Connection) -> None:
    """Index every case in one statement and let the triggers take over again."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO case_search_fts(case_search_fts) VALUES ('rebuild')")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT deskapp_case_search_rebuild()")
    else:
        conn.exec_driver_sql("CALL deskapp_case_search_rebuild()")
    conn.execute(delete(WorkspaceSetting).where(WorkspaceSetting.key == SEARCH_PAUSED_KEY))
