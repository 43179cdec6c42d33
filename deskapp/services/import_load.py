"""Writing an import's new rows: in chunks, parents before children, in the import's one
transaction, and for a big load everything that makes it fast on the way.

A big load (PAUSE_INDEX_FROM rows or more) inserts on a second thread while the next chunk
is checked (import_writer.py), pauses the search-index triggers and brings the index up to
date before committing (db/bulk.py; on SQLite only the documents that changed, or a rebuild
when that is less work: import_search.py), and on SQLite sets aside the reading indexes of
the tables it at least doubles, to make them again once at the end.

Once a row is rejected (and the import is not of the valid rows only) nothing more is
written: the transaction will be rolled back, the checking carries on for the report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, text

from deskapp.db import sqlite_search_load
from deskapp.db.bulk import (
    bulk_insert,
    pause_search_index,
    rebuild_search_index,
    refresh_statistics,
    sqlite_glance_statistics,
    sqlite_make_indexes,
    sqlite_set_indexes_aside,
    storage_rows,
)
from deskapp.db.models import Case, Customer, Interaction
from deskapp.services.import_references import References
from deskapp.services.import_search import ImportSearchIndex
from deskapp.services.import_sources import KINDS, Kind
from deskapp.services.import_writer import ChunkWriter

Progress = Callable[[str, int, int], None]
CHUNK = 5000
PAUSE_INDEX_FROM = 2000  # rows; below this the triggers index as they go
STATISTICS_TABLES = ["customers", "cases", "interactions"]
_PARENTS = {"cases": ["customers"], "interactions": ["customers", "cases"]}
_case_of_row = itemgetter(1)  # interactions: the case's id, made in time order like theirs

TABLES: dict[str, tuple[Table, list[str]]] = {
    "customers": (Customer.__table__, [  # type: ignore[dict-item]
        "id", "name", "email", "phone", "phone_digits", "time_zone", "tier", "tags",
        "profile_note", "preferred_contact", "external_source", "external_id", "created_at",
        "updated_at", "version",
    ]),
    "cases": (Case.__table__, [  # type: ignore[dict-item]
        "id", "number", "customer_id", "subject", "category", "channel", "priority", "status",
        "escalated", "team_id", "assignee_id", "mood", "last_activity_at", "transfer_count",
        "reopen_count", "resolved_at", "closed_at", "external_source", "external_id",
        "created_at", "updated_at", "version",
    ]),
    "interactions": (Interaction.__table__, [  # type: ignore[dict-item]
        "id", "case_id", "customer_id", "channel", "direction", "author_id", "body",
        "duration_seconds", "occurred_at", "external_source", "external_id", "created_at",
    ]),
}  # fmt: skip


def is_big(rows: int) -> bool:
    """Worth the set-up of a big load (and a large page cache on SQLite)."""
    return rows >= PAUSE_INDEX_FROM


class ChunkedLoad:
    """The writing side of one pass. ``add`` and ``touch_case`` run on the checking thread;
    with a writer, every statement after ``start`` runs on the writer's."""

    def __init__(
        self,
        conn: Connection,
        write: bool,
        kind: Kind,
        needs: set[str],
        csv: bool,
        rows: int,
        references: References,
    ) -> None:
        self.conn, self.write, self.kind, self.needs, self.csv = conn, write, kind, needs, csv
        self.estimated_rows = rows
        self.case_count = references.case_count
        self.next_number = references.next_number  # None: the server's sequence numbers cases
        self.dialect = conn.dialect.name
        self.stopped = False  # a row was rejected: nothing more is written
        self.paused = False
        self.search: ImportSearchIndex | None = None  # SQLite, paused: what to index again
        self.writer: ChunkWriter | None = None  # big loads: inserts overlap the checking
        self.big_load = False  # checked and written on two threads: statistics after
        self.set_aside: list[str] = []  # SQLite: indexes to make again before committing
        self.put_back: list[str] = []  # SQLite: search triggers to make again before committing
        self.pending: dict[str, list[list[Any]]] = {k: [] for k in KINDS}

    # ------------------------------------------------------------ the load's course
    def start(self) -> None:
        if not (self.write and is_big(self.estimated_rows)):
            return
        if self.kind != "customers":
            pause_search_index(self.conn)
            self.paused = True
            if self.dialect == "sqlite":
                self._search_load_settings()
            if self.next_number is not None:
                sqlite_glance_statistics(self.conn, STATISTICS_TABLES)
                self.search = ImportSearchIndex(
                    self.case_count, self.next_number, self.estimated_rows, self.needs, self.csv
                )
        if self.dialect == "sqlite":
            self._set_indexes_aside()
        self.writer = ChunkWriter()
        self.big_load = True

    def close(self) -> None:
        """Every row flushed so far is in (raises a failed insert here)."""
        if self.writer is not None:
            self.writer.close()

    def cancel(self) -> None:
        """The pass failed: let the running statement end, drop the rest."""
        if self.writer is not None:
            self.writer.close(cancel=True)

    def finish(self, progress: Progress, rows: int) -> None:
        """Before committing: the indexes set aside made again, fresh statistics, the
        search index right."""
        if self.set_aside:
            progress("rebuilding indexes", rows, rows)
            sqlite_make_indexes(self.conn, self.set_aside)
        if self.paused:
            progress("search index", rows, rows)
        if self.big_load:
            # The planner's statistics still describe the tables before the load; the index
            # rebuild joins them, and with stale figures picks a plan that scans per case.
            # (After customers alone too: the next import's search triggers join them.)
            refresh_statistics(self.conn, STATISTICS_TABLES)
        if self.search is not None:
            self.search.finish(self.conn)
        elif self.paused:
            rebuild_search_index(self.conn)
        sqlite_search_load.restore(self.conn, self.put_back)

    def _search_load_settings(self) -> None:
        """While paused: the search triggers of the tables loaded are set aside (they would
        only find the pause, row after row)."""
        for kind in sorted(self.needs):
            self.put_back += sqlite_search_load.set_search_triggers_aside(
                self.conn, TABLES[kind][0].name
            )

    def _set_indexes_aside(self) -> None:
        """Tables this import at least doubles get their reading indexes made again at the
        end instead of kept row by row (db/bulk.py). Not the interactions' while cases'
        documents are taken out one by one: the search view reads them through one."""
        for kind in sorted(self.needs):
            if kind == "interactions" and self.search is not None and not self.search.rebuild:
                continue
            table = TABLES[kind][0].name
            held = self.case_count if kind == "cases" else self._count(table)
            if self.estimated_rows >= held:
                self.set_aside += sqlite_set_indexes_aside(self.conn, table)

    def _count(self, table: str) -> int:
        return int(self.conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar_one())

    # ------------------------------------------------------------ rows
    def stop(self) -> None:
        """A row was rejected: nothing more is written, nothing waiting is."""
        self.stopped = True
        self.pending = {k: [] for k in KINDS}

    def add(self, kind: str, row: list[Any]) -> None:
        if not self.write or self.stopped:
            return
        batch = self.pending[kind]
        batch.append(row)
        if len(batch) >= CHUNK:
            self.flush(kind)

    def touch_case(self, number: int | None) -> None:
        """A new interaction goes into case ``number``: its search document changes."""
        if self.search is not None and self.write and not self.stopped:
            self.search.touch(number)

    def flush_all(self) -> None:
        for kind in KINDS:
            self.flush(kind)

    def flush(self, kind: str) -> None:
        for parent in _PARENTS.get(kind, []):  # a row's parent must be in the table first
            self.flush(parent)
        batch = self.pending[kind]
        if not batch or self.stopped or not self.write:
            return
        self.pending[kind] = []
        if kind == "interactions":
            # A case's interactions side by side: the search index reads them back case by
            # case, from neighbouring pages instead of one page each (a third faster).
            batch.sort(key=_case_of_row)
        table, columns = TABLES[kind]
        rows = storage_rows(self.dialect, table, columns, batch)  # here, not on the writer
        touched = self.search.take_touched() if self.search and kind == "interactions" else []
        if self.writer is not None:
            self.writer.submit(self._write, kind, rows, touched)
        else:
            self._write(kind, rows, touched)

    def _write(self, kind: str, rows: list[tuple[Any, ...]], touched: list[int]) -> None:
        if kind == "cases" and self.next_number is None:  # a server's sequence numbers them
            numbers = case_numbers(self.conn, len(rows))
            rows = [(row[0], n, *row[2:]) for row, n in zip(rows, numbers, strict=True)]
        if self.search is not None and touched:  # before their new interactions go in
            self.search.before_interactions(self.conn, touched)
        table, columns = TABLES[kind]
        bulk_insert(self.conn, table, columns, rows, converted=True)
        if self.search is not None and kind == "cases":
            self.search.after_cases(self.conn, rows[0][1], rows[-1][1])


def case_numbers(conn: Connection, count: int) -> Iterator[int]:
    """``count`` fresh case numbers (C-…), the dialect's own way (db/sequences.py)."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        yield from conn.execute(
            text("SELECT nextval('case_number_seq') FROM generate_series(1, :n)"), {"n": count}
        ).scalars()
    elif dialect in ("mysql", "mariadb"):
        for _ in range(count):
            yield int(conn.execute(text("SELECT NEXTVAL(case_number_seq)")).scalar_one())
    else:  # SQLite: this transaction holds the write lock, so MAX + 1 is ours
        first = int(
            conn.execute(text("SELECT COALESCE(MAX(number), 0) + 1 FROM cases")).scalar_one()
        )
        yield from range(first, first + count)
