"""canned library: suggested edits and who may change which scope

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:00:00

Who may write which canned response (a rep their own personal ones, a lead their team's, an
admin the global ones and any team's) is enforced by the services everywhere and, on
PostgreSQL, by the database itself, keyed on the login the server authenticated
(``current_user`` → ``users.login``), never on anything a client can set:

* ``canned_responses``: a BEFORE INSERT OR UPDATE trigger refuses a row the signed-in person
  may not write (for an update, both the row as it was and as it would be). Not row-level
  security: PostgreSQL refuses ``COPY FROM`` into a table with row-level security for everyone
  but its owner and superusers, and an admin's demo build and bulk loads (db/bulk.py) copy
  the starter library in as that admin. Triggers fire for COPY too, so no path skips them.
  Reads stay open to every Deskapp login, as before: the services show each person theirs.
* ``canned_suggestions``: row-level security. A person reads the suggestions they wrote and
  those on responses they may edit; inserts only as themself, pending, on a response they can
  see; decides only on responses they may edit, as themself.

MariaDB has no row-level security: there the services and the grants decide (README).
Written per dialect and frozen on purpose: a migration must not change when the app does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from deskapp.db.types import Guid, UtcDateTime, utcnow

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REP = "deskapp_rep"
# (privileges, tables, group), as in 0001: granted once to the lowest group that has them.
GRANTS = [("SELECT, INSERT, UPDATE", ["canned_suggestions"], REP)]
WRITE_REFUSED = (
    "Deskapp: you may not write this canned response (reps: their own personal ones; leads: "
    "their team's; admins: global ones and any team's)."
)
WRITE_FUNCTION = "deskapp_canned_write_allowed"
WRITE_TRIGGER = "trg_canned_responses_write_rights"
POLICIES = ("canned_suggestions_read", "canned_suggestions_add", "canned_suggestions_decide")


def upgrade() -> None:
    op.create_table(
        "canned_suggestions",
        sa.Column("response_id", Guid(), nullable=False),
        sa.Column("response_version", sa.Integer(), nullable=False),
        sa.Column("author_id", Guid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("shortcut", sa.String(length=40), nullable=True),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column(
            "tags",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "rejected",
                name="suggestionstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("decided_by", Guid(), nullable=True),
        sa.Column("decided_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("id", Guid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "updated_at", UtcDateTime(timezone=True), server_default=utcnow(), nullable=False
        ),
        sa.Column(
            "created_at", UtcDateTime(timezone=True), server_default=utcnow(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_canned_suggestions_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_canned_suggestions_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["canned_responses.id"],
            name=op.f("fk_canned_suggestions_response_id_canned_responses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_suggestions")),
    )
    with op.batch_alter_table("canned_suggestions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_canned_suggestions_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_canned_suggestions_response_id"), ["response_id"], unique=False
        )

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for privileges, tables, group in GRANTS:
            op.execute(f"GRANT {privileges} ON {', '.join(tables)} TO {group}")
        _postgresql_rights(bind.exec_driver_sql("SELECT current_schema()").scalar())
    elif bind.dialect.name in ("mysql", "mariadb"):
        database = bind.exec_driver_sql("SELECT DATABASE()").scalar()
        for privileges, tables, group in GRANTS:
            for table in tables:
                op.execute(f"GRANT {privileges} ON `{database}`.`{table}` TO {group}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {WRITE_TRIGGER} ON canned_responses")
        op.execute(f"DROP FUNCTION IF EXISTS {WRITE_FUNCTION}()")
    # Dropping the table drops its policies, grants and indexes with it.
    op.drop_table("canned_suggestions")


# --------------------------------------------------------------------------- PostgreSQL
def _may_edit(row: str, person: str) -> str:
    """SQL: ``person`` (a users row alias) may edit the response ``row`` (a column prefix)."""
    return f"""(
        ({row}scope = 'personal' AND {row}owner_id = {person}.id)
     OR ({row}scope = 'team' AND ({person}.role = 'admin'
                                  OR ({person}.role = 'lead' AND {row}team_id = {person}.team_id)))
     OR ({row}scope = 'global' AND {person}.role = 'admin'))"""


def _may_see(row: str, person: str) -> str:
    """SQL: ``person`` may see (and so use) the response ``row`` (services/canned.py)."""
    return f"""(
        {row}scope = 'global'
     OR ({row}scope = 'team' AND ({row}team_id = {person}.team_id OR {person}.role = 'admin'))
     OR ({row}scope = 'personal' AND {row}owner_id = {person}.id))"""


def _postgresql_rights(schema: str) -> None:
    # The migration runs as deskapp_owner (db/migrate.py), so the function belongs to it.
    # SECURITY INVOKER: current_user inside is whoever writes. Tables are schema-qualified and
    # pg_temp searched last, so a temporary "users" table cannot stand in for the real one.
    # Like row-level security, the table's owner and superusers are not checked (migrations,
    # the setup account); every person's login is.
    users = f'"{schema}".users'
    op.execute(
        f"""
        CREATE FUNCTION {WRITE_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql SECURITY INVOKER
        SET search_path = pg_catalog, pg_temp
        AS $body$
        DECLARE
            me record;
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = current_user
                       AND (r.rolsuper OR r.rolbypassrls))
               OR pg_has_role(current_user,
                              (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID),
                              'USAGE') THEN
                RETURN NEW;
            END IF;
            SELECT u.id, u.role, u.team_id INTO me
              FROM {users} u WHERE u.login = current_user AND u.active;
            IF FOUND AND {_may_edit("NEW.", "me")}
               AND (TG_OP = 'INSERT' OR {_may_edit("OLD.", "me")}) THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION USING
                ERRCODE = 'insufficient_privilege',
                MESSAGE = '{WRITE_REFUSED.replace("'", "''")}',
                HINT = 'Suggest the change in Deskapp instead; whoever maintains it decides.';
        END
        $body$
        """
    )
    op.execute(
        f"CREATE TRIGGER {WRITE_TRIGGER} BEFORE INSERT OR UPDATE ON canned_responses "
        f"FOR EACH ROW EXECUTE FUNCTION {WRITE_FUNCTION}()"
    )

    responses = f'"{schema}".canned_responses'
    me = f"(SELECT u.id FROM {users} u WHERE u.login = current_user AND u.active)"
    edits = f"""EXISTS (
        SELECT 1 FROM {responses} r JOIN {users} p ON p.login = current_user AND p.active
        WHERE r.id = response_id AND {_may_edit("r.", "p")})"""
    sees = f"""EXISTS (
        SELECT 1 FROM {responses} r JOIN {users} p ON p.login = current_user AND p.active
        WHERE r.id = response_id AND r.active AND {_may_see("r.", "p")})"""
    read, add, decide = POLICIES
    op.execute("ALTER TABLE canned_suggestions ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY {read} ON canned_suggestions FOR SELECT USING (author_id = {me} OR {edits})"
    )
    op.execute(
        f"CREATE POLICY {add} ON canned_suggestions FOR INSERT WITH CHECK ("
        f"author_id = {me} AND status = 'pending' AND decided_by IS NULL AND {sees})"
    )
    op.execute(
        f"CREATE POLICY {decide} ON canned_suggestions FOR UPDATE USING ({edits}) "
        f"WITH CHECK ({edits} AND decided_by = {me})"
    )
