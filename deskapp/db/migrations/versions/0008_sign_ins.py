"""sign-ins: who has Deskapp open now, for a lead's team board

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 09:00:00

``presence`` says who is looking at which case; a rep with no case open is still at work. Each
running client keeps one row here fresh with a heartbeat (server clock) and deletes it when it
closes; a row whose heartbeat is older than the timeout is a client that crashed or lost the
network, and counts as signed out (services/presence.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from deskapp.db.types import Guid, UtcDateTime, utcnow

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REP = "deskapp_rep"
# (privileges, tables, group), as in 0001: granted once to the lowest group that has them.
GRANTS = [("SELECT, INSERT, UPDATE, DELETE", ["sign_ins"], REP)]


def upgrade() -> None:
    op.create_table(
        "sign_ins",
        sa.Column("user_id", Guid(), nullable=False),
        sa.Column("client", sa.String(length=120), nullable=False),
        sa.Column(
            "signed_in_at", UtcDateTime(timezone=True), server_default=utcnow(), nullable=False
        ),
        sa.Column(
            "heartbeat_at", UtcDateTime(timezone=True), server_default=utcnow(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sign_ins_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_sign_ins")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for privileges, tables, group in GRANTS:
            op.execute(f"GRANT {privileges} ON {', '.join(tables)} TO {group}")
    elif bind.dialect.name in ("mysql", "mariadb"):
        database = bind.exec_driver_sql("SELECT DATABASE()").scalar()
        for privileges, tables, group in GRANTS:
            for table in tables:
                op.execute(f"GRANT {privileges} ON `{database}`.`{table}` TO {group}")


def downgrade() -> None:
    op.drop_table("sign_ins")  # its grants go with it
