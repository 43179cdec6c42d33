"""Case numbers (the 123 of ``C-123``): the one dialect-specific way to allocate the next one."""

from __future__ import annotations

from sqlalchemy import Connection, text


def next_case_number(conn: Connection) -> int:
    dialect = conn.dialect.name
    if dialect == "postgresql":
        value = conn.execute(text("SELECT nextval('case_number_seq')")).scalar()
    elif dialect in ("mysql", "mariadb"):
        value = conn.execute(text("SELECT NEXTVAL(case_number_seq)")).scalar()
    else:
        # SQLite serializes writers (BEGIN IMMEDIATE), so MAX + 1 cannot be taken twice.
        value = conn.execute(text("SELECT COALESCE(MAX(number), 0) + 1 FROM cases")).scalar()
    return int(value or 0)
