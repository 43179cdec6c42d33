"""open case sorting: any order of the open cases read from one small covering index (SQLite)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 12:00:00

An admin's "All open" sorted by a column no index holds in order (customer, subject, assignee,
status…) must sort every open case: 30,838 of a million cases. SQLite found them through
``ix_cases_status_due`` and read each case's table row (and its customer's) only to sort them
by one value: 190 ms for the first page, 330 ms for a jump to the middle. The queue now sorts
narrow rows (id and sort value) and reads whole rows for the page only
(services/queue_query.Statement.page), and these two indexes let that narrow sort read no table
row at all:

- ``ix_cases_open_sorting``: the open cases only (a few percent of all cases, so a small
  index), with every column a view filters or sorts on; status, team and assignee first (a
  lead's and a team's views seek into it). Building it reads every case once: 11 s at a
  million cases;
- ``ix_customers_id_name``: a customer's name by id, for the order by customer.

SQLite only. PostgreSQL sorts the narrow rows from its heap and keeps its own plans; MariaDB has
no partial indexes. The status list is models/cases.py's OPEN_STATUSES, written out (a migration
must mean tomorrow what it means today; tests/services/test_queue_pages.py fails when the
queue's statement stops using the index).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = ["new", "open", "pending_customer", "pending_internal", "pending_third_party", "escalated"]
SORTING_COLUMNS = [
    "status", "team_id", "assignee_id", "priority", "resolution_due", "created_at", "number",
    "customer_id", "mood", "channel", "category", "transfer_count", "waiting_since",
    "first_responded_at", "first_response_due", "subject", "id",
]  # fmt: skip


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # "number IS NOT NULL" is true of every case: a statement must repeat it to use the index
    # (see models/cases.py), so the SLA order keeps reading off 0007's ordered indexes.
    where = sa.and_(
        sa.column("status", sa.String()).in_(_OPEN),
        sa.column("number", sa.BigInteger()).is_not(None),
    )
    op.create_index("ix_cases_open_sorting", "cases", SORTING_COLUMNS, sqlite_where=where)
    op.create_index("ix_customers_id_name", "customers", ["id", "name"])
    analysed = bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).first()
    if analysed is not None:
        # Without statistics for them (beside the others') SQLite guesses their size and
        # would keep reading the table rows; counting them once is quick (see 0007).
        op.execute("ANALYZE ix_cases_open_sorting")
        op.execute("ANALYZE ix_customers_id_name")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_index("ix_customers_id_name", table_name="customers")
    op.drop_index("ix_cases_open_sorting", table_name="cases")
