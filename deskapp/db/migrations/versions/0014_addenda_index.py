"""addenda index: a handoff note's corrections found without reading every note

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25 03:00:00

The case view shows the current handoff note with its follow-ups, and its addenda are the notes
whose ``addendum_to_id`` is that note. Nothing indexed the column, so every case view with a
handoff read all the notes (1M cases, 279,000 notes: 75 ms of the 100 ms of a case's first
screen on SQLite). Few notes are addenda, so a partial index holds only those. MariaDB has no
partial indexes; there the foreign key's own index serves.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTIAL = ("sqlite", "postgresql")
_INDEX = "ix_handoff_notes_addendum_to"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name not in _PARTIAL:
        return
    is_addendum = sa.column("addendum_to_id").is_not(None)
    op.create_index(
        _INDEX,
        "handoff_notes",
        ["addendum_to_id"],
        sqlite_where=is_addendum,
        postgresql_where=is_addendum,
    )
    if bind.dialect.name == "sqlite" and _has_sqlite_statistics():
        op.execute(f"ANALYZE {_INDEX}")  # weighed like the other indexes of an analysed file


def _has_sqlite_statistics() -> bool:
    found = op.get_bind().exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    )
    return found.first() is not None


def downgrade() -> None:
    if op.get_bind().dialect.name in _PARTIAL:
        op.drop_index(_INDEX, table_name="handoff_notes")
