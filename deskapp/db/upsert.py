"""Insert a row or, if its key is taken, update it: the one dialect-specific way to upsert.

PostgreSQL and SQLite say ``INSERT … ON CONFLICT (key) DO UPDATE``, MariaDB ``INSERT … ON
DUPLICATE KEY UPDATE``. One statement either way, so two clients beating at the same moment
never both try to insert (a select-then-insert would let one of them fail on the key).

In the update, a column of ``table`` means the row already there. The assignments are applied
in the order given: MariaDB evaluates them left to right and a later one sees an earlier one's
new value, where PostgreSQL and SQLite always see the old row, so an assignment that reads a
column must come before the one that changes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.orm import Session


def upsert(
    session: Session,
    table: Table,
    values: Mapping[str, Any],
    key: Sequence[str],
    update: Sequence[tuple[str, Any]],
) -> None:
    """Insert ``values`` into ``table``; if a row with the same ``key`` columns exists, apply
    ``update`` (column name, value or SQL expression) to it instead."""
    dialect = session.get_bind().dialect.name
    if dialect in ("mysql", "mariadb"):
        statement: Any = mysql.insert(table).values(**values).on_duplicate_key_update(list(update))
    else:
        insert = (postgresql if dialect == "postgresql" else sqlite).insert
        statement = (
            insert(table)
            .values(**values)
            .on_conflict_do_update(index_elements=list(key), set_=dict(update))
        )
    session.execute(statement)
