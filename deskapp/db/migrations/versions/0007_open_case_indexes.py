"""open case indexes: an admin's "All open" and "Due soon" read their first page off an index

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 18:00:00

Both views list open cases soonest SLA due first (no due last, then id). Through
``ix_cases_status_due`` the database found every open case of a status and sorted them all
(30,000 of a million cases: 115-130 ms on SQLite). These partial indexes hold only the open
cases, already in that order, so the first page is the first rows of the index; a twin in the
other direction (*_desc) serves a click on the SLA column's header, which reverses the order.

SQLite uses a partial index only when the query repeats its condition exactly, so the status
lists must stay those of models/cases.py (OPEN_STATUSES, TICKING_STATUSES), which the queue's
SQL is built from. They are written out here because a migration must mean tomorrow what it
means today; tests/services/test_open_case_indexes.py fails if the two ever differ. MariaDB has
no partial indexes, and an index over every case would not help a view of a few percent of
them: there nothing is created.

SQLite cannot reflect an index on an expression: a later migration that rebuilds ``cases`` in
batch mode (copy the table) must create these four again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = ["new", "open", "pending_customer", "pending_internal", "pending_third_party", "escalated"]
_TICKING = [s for s in _OPEN if s != "pending_customer"]  # the SLA clock pauses there
# name: (statuses, direction of the SLA order)
_INDEXES = {
    "ix_cases_open_due": (_OPEN, "ASC"),
    "ix_cases_open_due_desc": (_OPEN, "DESC"),
    "ix_cases_ticking_due": (_TICKING, "ASC"),
    "ix_cases_ticking_due_desc": (_TICKING, "DESC"),
}
_PARTIAL = ("sqlite", "postgresql")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in _PARTIAL:
        return
    status = sa.column("status", sa.String())
    keeps_statistics = dialect == "sqlite" and _has_sqlite_statistics()
    for name, (statuses, direction) in _INDEXES.items():
        where = status.in_(statuses)
        # The empty values last in both directions, so the IS NULL term is always ascending.
        columns = ["(resolution_due IS NULL)", f"resolution_due {direction}", f"id {direction}"]
        op.create_index(
            name,
            "cases",
            [sa.text(c) for c in columns],
            sqlite_where=where,
            postgresql_where=where,
        )
        if keeps_statistics:
            # With the other indexes' statistics but none for this one, SQLite takes it to hold
            # half the table and keeps sorting through ix_cases_status_due; counting its own
            # rows (the open cases only: quick) lets it see the index is small and in order.
            op.execute(f"ANALYZE {name}")


def _has_sqlite_statistics() -> bool:
    """Whether the workspace has been analysed (demo data and imports do, db/bulk.py)."""
    found = op.get_bind().exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    )
    return found.first() is not None


def downgrade() -> None:
    if op.get_bind().dialect.name not in _PARTIAL:
        return
    for name in reversed(_INDEXES):
        op.drop_index(name, table_name="cases")
