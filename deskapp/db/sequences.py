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


def advance_case_numbers(conn: Connection, highest_used: int) -> None:
    """After a bulk load with explicit numbers: the next case gets ``highest_used + 1``."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.execute(text("SELECT setval('case_number_seq', :n)"), {"n": max(highest_used, 1)})
    elif dialect in ("mysql", "mariadb"):
        conn.execute(text(f"SELECT SETVAL(case_number_seq, {int(highest_used)})"))
    # SQLite takes MAX(number) + 1 at each insert: nothing to advance.
