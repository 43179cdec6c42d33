"""SQLite, inside a big load's transaction while the search index is paused (db/bulk.py):
the search index's insert triggers set aside, and made again before the load commits.

Paused, they do nothing, but SQLite still runs each one's ``WHEN`` (a lookup of the paused
row) for every row: two per interaction, one per case; 14 to 26 % of inserting 200,000
interactions (measured). They are made again from their own stored SQL; a rollback brings
them back with everything else, and nobody else sees the schema meanwhile (the load holds
the write lock; readers keep their snapshot).

Frozen names: these are migration 0004's triggers.
"""

from __future__ import annotations

from sqlalchemy import Connection

SEARCH_INSERT_TRIGGERS = {
    "cases": ("trg_case_search_case_added",),
    "interactions": (
        "trg_case_search_interaction_before_add",
        "trg_case_search_interaction_after_add",
    ),
}


def set_search_triggers_aside(conn: Connection, table: str) -> list[str]:
    """Drop the search index's insert triggers on ``table``; the statements that make them
    again (``restore``)."""
    statements = []
    for name in SEARCH_INSERT_TRIGGERS.get(table, ()):
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
        ).scalar()
        if sql:
            statements.append(sql)
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    return statements


def restore(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)
