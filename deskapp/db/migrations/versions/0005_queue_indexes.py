"""queue indexes: each view of the case queue reaches its open cases through an index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 12:00:00

"My team — unassigned", Get next and a lead's per-person views look cases up by team and
assignee (unassigned is ``assignee_id IS NULL``, which every dialect finds in an index); an
admin's "All open" and "Due soon" look them up by status, with the resolution due beside it.
"My cases" already has ``ix_cases_assignee_status`` and a lead's "All open"
``ix_cases_team_status`` (0001).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_team_assignee_status", ["team_id", "assignee_id", "status"], unique=False
        )
        batch_op.create_index("ix_cases_status_due", ["status", "resolution_due"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_status_due")
        batch_op.drop_index("ix_cases_team_assignee_status")
