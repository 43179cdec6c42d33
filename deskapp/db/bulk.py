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
from functools import cache
from itertools import chain, islice
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Table, delete, insert

from deskapp.db.models import WorkspaceSetting
from deskapp.db.types import Guid, UtcDateTime

Converter = Callable[[Any], Any]
CHUNK_ROWS = 5000
SQLITE_ROWS_PER_STATEMENT = 500  # beyond this the statement journal saves nothing more
# One encoder for every row: json.dumps with separators builds a new one per call.
_json_text = json.JSONEncoder(separators=(",", ":")).encode


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _guid_bytes(value: Any) -> Any:
    return value.bytes if isinstance(value, uuid.UUID) else value


def _sqlite_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # "2024-01-31 14:05:00.000000+00:00" cut before the offset: one call instead of two.
    return value.isoformat(" ", "microseconds")[:26]


def _converter(column_type: Any, dialect: str) -> Converter | None:
    """How to turn a Python value into what the driver takes; None when it takes it as is."""
    if isinstance(column_type, Guid):
        return None if dialect == "postgresql" else _guid_bytes
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
    if dialect == "sqlite" and isinstance(column_type, Boolean):
        return _sqlite_flag
    return None


def _sqlite_flag(value: Any) -> Any:
    return value if value is None else int(value)


def storage_rows(
    dialect: str, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` as the driver takes them (``bulk_insert(..., converted=True)``).

    Converted a column at a time, in comprehensions rather than a call per value, and a
    moment that appears in several columns or rows (created = updated = last activity) is
    written as text once. A loader may run this on its own thread while the chunk before is
    being inserted.

    On SQLite every value ends up an exact ``str``, ``int``, ``float``, ``bytearray`` or None:
    the sqlite3 module binds those directly, while ``bytes``, ``bool`` and ``str`` subclasses
    (enums) each go through its adapter lookup first, which cost more than the conversion
    (about 0.3 µs a value against 0.1, measured; a case row holds a dozen of them).
    """
    if not rows:
        return []
    plan = [
        (index, converter)
        for index, name in enumerate(columns)
        if (converter := _converter(table.c[name].type, dialect)) is not None
    ]
    if not plan:
        return [tuple(row) for row in rows]
    values: list[Any] = list(zip(*rows, strict=True))
    moments: dict[Any, Any] = {}
    blob = bytearray if dialect == "sqlite" else bytes
    for index, converter in plan:
        column = values[index]
        if converter is _sqlite_datetime:
            values[index] = _sqlite_datetimes(column, moments)
        elif converter is _guid_bytes:
            values[index] = [
                blob(v.bytes if isinstance(v, uuid.UUID) else v) if v is not None else None
                for v in column
            ]
        elif converter is _enum_value:  # a dict lookup: Enum.value is a slow property
            column_type: Any = table.c[columns[index]].type  # an Enum type (_converter)
            texts = _enum_texts(column_type.enum_class)
            values[index] = [texts.get(v, v) for v in column]
        else:
            values[index] = list(map(converter, column))
    return list(zip(*values, strict=True))


@cache
def _enum_texts(enum_class: type[Enum]) -> dict[Any, Any]:
    return {member: member.value for member in enum_class}


def _sqlite_datetimes(column: Sequence[datetime | None], known: dict[Any, Any]) -> list[Any]:
    texts = []
    for moment in column:
        text = known.get(moment)
        if text is None and moment is not None:
            text = known[moment] = _sqlite_datetime(moment)
        texts.append(text)
    return texts


def bulk_insert(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    converted: bool = False,
) -> int:
    """Insert ``rows`` into ``table`` in the caller's transaction; returns the row count.
    ``converted``: the rows come from ``storage_rows`` already."""
    dialect = conn.dialect.name
    prepared: Iterable[tuple[Any, ...]] = (
        rows  # type: ignore[assignment]
        if converted
        else (
            row
            for chunk in _chunks(rows, CHUNK_ROWS)
            for row in storage_rows(dialect, table, columns, chunk)
        )
    )
    if dialect == "postgresql":
        return _copy_postgresql(conn, table.name, columns, prepared)
    if dialect == "sqlite":
        return _sqlite_multirow(conn, table.name, columns, prepared)
    return _executemany(conn, table.name, columns, prepared)


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


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
        for chunk in _chunks(rows, per_statement):
            size = len(chunk)
            statement = full if size == per_statement else head + ", ".join([one] * size)
            cursor.execute(statement, list(chain.from_iterable(chunk)))  # flattened in C
            count += size
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
    names = ", ".join(quote(c) for c in columns)
    # PostgreSQL refuses COPY into a table under row-level security (cases, migration 0009)
    # for everyone but its owner: such rows go through a temporary table of the same columns
    # and one INSERT … SELECT, which the table's policies and triggers see like any insert.
    staged = conn.exec_driver_sql(
        "SELECT row_security_active(%s::regclass)", (quote(table),)
    ).scalar()
    target = f"pg_temp.deskapp_staged_{table}" if staged else quote(table)
    if staged:
        conn.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {target} AS SELECT {names} FROM {quote(table)} WITH NO DATA"
        )
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    count = 0
    try:
        with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    finally:
        cursor.close()
    if staged:
        conn.exec_driver_sql(f"INSERT INTO {quote(table)} ({names}) SELECT {names} FROM {target}")
        conn.exec_driver_sql(f"DROP TABLE {target}")
    return count


@contextmanager
def sqlite_loading(conn: Connection, cache_mb: int = 256) -> Iterator[None]:
    """On SQLite, for a big load on ``conn`` only: a page cache of ``cache_mb`` (the indexes of a
    million rows stay in memory, and the search index is filled from pages still in memory
    rather than read back from the WAL) and statement journals and sorts in memory instead
    of temp files; the connection's own settings come back afterwards. Durability is
    untouched.

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


def sqlite_set_indexes_aside(conn: Connection, table: str) -> list[str]:
    """SQLite, inside a big load's transaction: drop the indexes of ``table`` that only speed
    up reading (not a primary key's, not a unique one's: those guard the load) and return
    the statements that make them again, for ``sqlite_make_indexes`` before the load commits.

    Made again in one sorted pass, ten indexes of a million new cases cost 9 s; kept up to
    date row by row, they cost 16 s more than the bare insert (measured), mostly for the
    random pages (by customer) each multi-row statement copies into its statement journal.
    Worth it when the load at least doubles the table: the pass reads every row. A rollback
    brings the indexes back with everything else; nobody else sees the table meanwhile.
    """
    listed = conn.exec_driver_sql(f"PRAGMA index_list({table})").all()
    droppable = [row[1] for row in listed if not row[2] and row[3] == "c"]  # name, unique, origin
    statements: list[str] = []
    for name in droppable:
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
        ).scalar()
        if sql:
            statements.append(sql)
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return statements


def sqlite_make_indexes(conn: Connection, statements: Sequence[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)


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


def sqlite_glance_statistics(conn: Connection, tables: Sequence[str]) -> None:
    """SQLite, before a bulk load reads through the search view: statistics from a sample of
    each index (a few milliseconds at a million rows). Figures left from when the workspace
    was small make the planner scan every customer for each case the view joins."""
    limit = conn.exec_driver_sql("PRAGMA analysis_limit").scalar()
    conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
    try:
        for table in tables:
            conn.exec_driver_sql(f"ANALYZE {table}")
    finally:
        conn.exec_driver_sql(f"PRAGMA analysis_limit = {int(limit or 0)}")


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


# SQLite only, while paused: the same statements as the triggers of migration 0004, for many
# cases at once, in case-number order (FTS5 writes a new segment whenever its rowids go down).
_SEARCH_COLUMNS = "number, subject, customer, history FROM case_search_source WHERE number"


def unindex_cases(conn: Connection, numbers: Sequence[int]) -> None:
    """Take these cases' documents out of the index, as the view gives them now: call it
    before any row that changes them is written (FTS5 forgets the words it is told)."""
    conn.exec_driver_sql(
        "INSERT INTO case_search_fts(case_search_fts, rowid, subject, customer, history) "
        f"SELECT 'delete', {_SEARCH_COLUMNS} IN (SELECT value FROM json_each(?)) ORDER BY number",
        (_json_text(sorted(numbers)),),
    )


def index_cases(
    conn: Connection, numbers: Sequence[int] = (), first: int | None = None, last: int | None = None
) -> None:
    """Add the documents of the cases ``numbers`` (taken out before, ``unindex_cases``) and of
    the cases numbered ``first`` to ``last`` (to the end when None): new ones."""
    add = "INSERT INTO case_search_fts(rowid, subject, customer, history) SELECT "
    if numbers:
        conn.exec_driver_sql(
            f"{add}{_SEARCH_COLUMNS} IN (SELECT value FROM json_each(?)) ORDER BY number",
            (_json_text(sorted(numbers)),),
        )
    if first is not None and last is not None:
        conn.exec_driver_sql(
            f"{add}{_SEARCH_COLUMNS} BETWEEN ? AND ? ORDER BY number", (first, last)
        )
    elif first is not None:
        conn.exec_driver_sql(f"{add}{_SEARCH_COLUMNS} >= ? ORDER BY number", (first,))


def resume_search_index(conn: Connection) -> None:
    """The triggers index every change again (after ``index_cases``)."""
    conn.execute(delete(WorkspaceSetting).where(WorkspaceSetting.key == SEARCH_PAUSED_KEY))
