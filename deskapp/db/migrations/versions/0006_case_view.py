"""case view: a customer's cases by date, and interaction bodies up to megabytes on MariaDB

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 15:00:00

- ``ix_cases_customer_created``: the customer history lists a customer's cases newest first, a
  page at a time; with the date in the index a page of a 2,000-case customer is read in order
  and stops at the page's end instead of sorting every case they ever had.
- A rep may paste a whole email thread into an interaction (the service allows 4 MiB of UTF-8).
  PostgreSQL's and SQLite's TEXT hold that already; MariaDB's TEXT stops at 64 KiB, so the body
  becomes MEDIUMTEXT (16 MiB) there, in the table's utf8mb4.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_customer_created", ["customer_id", "created_at"], unique=False
        )
    if op.get_bind().dialect.name in ("mysql", "mariadb"):
        op.execute("ALTER TABLE interactions MODIFY body MEDIUMTEXT NOT NULL")


def downgrade() -> None:
    # Refuses (rather than truncates) if a body no longer fits: MariaDB runs in strict mode.
    if op.get_bind().dialect.name in ("mysql", "mariadb"):
        op.execute("ALTER TABLE interactions MODIFY body TEXT NOT NULL")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_customer_created")
