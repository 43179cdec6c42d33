"""board and audit indexes: a rep's kudos, and the audit log filtered by person or kind

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 23:00:00

The team board counts each member's kudos of the last 30 days. Few interactions carry any, so a
partial index over just those rows answers from a handful of entries (1M cases: 675 ms → 0.1 ms
on SQLite) and costs nothing when the other 99 % are inserted. MariaDB has no partial indexes;
there the foreign key's own index on ``kudos_for_id`` serves.

The team's audit log lists events newest first, a page at a time. Filtered by a person or by a
kind of action that matches few events, it read back through the whole log to fill a page
(4.5 s at a million cases, 5.5 million events); with the filter's column before the time in an
index, the page is read off that index. Every dialect.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTIAL = ("sqlite", "postgresql")


_AUDIT_INDEXES = {
    "ix_audit_events_actor_occurred": ["actor_login", "occurred_at"],
    "ix_audit_events_action_occurred": ["action", "occurred_at"],
}


def upgrade() -> None:
    for name, columns in _AUDIT_INDEXES.items():
        op.create_index(name, "audit_events", columns)
    if op.get_bind().dialect.name in _PARTIAL:
        praised = sa.column("kudos_for_id").is_not(None)
        op.create_index(
            "ix_interactions_kudos",
            "interactions",
            ["kudos_for_id", "occurred_at"],
            sqlite_where=praised,
            postgresql_where=praised,
        )
    if _has_sqlite_statistics():
        # An analysed workspace (demo data, imports) with no statistics for the new indexes
        # lets SQLite guess their size; counting them once lets it weigh them like the others.
        for name in [*_AUDIT_INDEXES, "ix_interactions_kudos"]:
            op.execute(f"ANALYZE {name}")


def _has_sqlite_statistics() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    found = bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    )
    return found.first() is not None


def downgrade() -> None:
    if op.get_bind().dialect.name in _PARTIAL:
        op.drop_index("ix_interactions_kudos", table_name="interactions")
    for name in _AUDIT_INDEXES:
        op.drop_index(name, table_name="audit_events")
