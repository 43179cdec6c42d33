"""team isolation for what hangs off a case; temporary passwords that expire

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 09:00:00

**Team isolation reaches a case's records** (PostgreSQL). 0009 hid other teams' case rows when
``cases.team_isolation`` is on, but their contacts, handoff notes and read-backs, commitments,
drafts, audit events, presence rows and search documents stayed readable to a rep's own SQL
client. Each of those tables now has a SELECT policy: a row is visible when its case is,
found by a subquery on ``cases`` so that 0009's policy on ``cases`` decides (one rule, not a
copy of it). Read-backs follow their note. Besides its case, a person always reads what is
theirs: the notes they wrote or that are addressed to them (they acknowledge them, they answer
questions on them), their own read-backs and drafts, their own presence rows. Audit events of
no case (people, settings) stay readable to everyone, as before.

The terms that need no row are tested first, as scalar subqueries (InitPlans, once per
statement): with isolation off, or for an admin, the case is never looked up, so the queue,
the board and exports cost what they cost before. With isolation on it is one primary-key
lookup of the case per row (not an EXISTS: see ``_child_policies``); every table has an index
leading with its case (or note) column for the app's own "records of this case" queries.

0009's policy on ``cases`` reads ``handoff_notes`` (is this case one I just handed on?), and
the notes' policy now reads ``cases``: PostgreSQL refuses such a cycle when it plans a query
("infinite recursion detected in policy"). So the ``cases`` policy is re-created here with the
note's author looked up by ``deskapp_note_author`` (SECURITY DEFINER, owned by deskapp_owner,
whom row security does not apply to), which ends the cycle. The function is STRICT: a case
with no current note (most of them) costs no call.

Writes are still decided by the grants and 0002/0009/0011's triggers: each table gets
permissive INSERT, UPDATE and DELETE policies (row security without them refuses every write),
except presence, whose 0009 own-row policy stays the only way to write it. An UPDATE or DELETE
still reaches only rows its writer can read. COPY into a table with row security is refused to
anyone but the owner; db/bulk.py already stages such loads through a temporary table (imports
by an admin); the demo builder writes as the owner.

Customers are not isolated: one customer may have cases in several teams, the intake search
must find them whoever answers the phone, and their details are no team's. What they said on a
case is, and that is what is hidden.

**Temporary passwords** (services/people.py): ``users.password_change_required`` and
``users.temporary_password_expires_at``, set by the admin who issues one and cleared when the
person chooses their own. On PostgreSQL the login itself expires (``VALID UNTIL``), and since
an ordinary role may change its own password but not its expiry, choosing a new one goes
through ``deskapp_choose_own_password(verifier)``: SECURITY DEFINER, owned by
``deskapp_password_keeper`` (a NOLOGIN role with CREATEROLE that only this function acts as,
db/roles.py), it sets the password of ``session_user`` (never another login), lifts its expiry
and clears the flags, in one statement the caller cannot bend to anyone else. It takes a SCRAM
verifier only, so no plain password reaches a statement or the server's log. On MariaDB the
person sets their own password (SET PASSWORD) and then calls ``deskapp_password_chosen()``
(SQL SECURITY DEFINER) to clear their own flags, found by ``USER()``: MariaDB has no row
security and reps may not update ``users``. An expired MariaDB password (PASSWORD EXPIRE)
would stop Deskapp's connect step, so there the service refuses an expired temporary password
at sign-in (services/auth.py). SQLite has no passwords: the columns stay false and empty.

Written per dialect and frozen on purpose: a migration must not change when the app does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from deskapp.db.types import UtcDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REP = "deskapp_rep"
KEEPER = "deskapp_password_keeper"  # db/roles.py creates it, with the group roles
CHOOSE_FUNCTION = "deskapp_choose_own_password(text)"
CHOSEN_PROCEDURE = "deskapp_password_chosen"
NOTE_AUTHOR = "deskapp_note_author(uuid)"

# table: (its own rows: a condition naming what is always the reader's, or None;
#         how its case is found: a column of the table, or "note" for a read-back)
CHILD_TABLES = {
    "interactions": (None, "case_id"),
    "handoff_notes": ("author_id = {me} OR to_user_id = {me}", "case_id"),
    "handoff_acks": ("user_id = {me}", "note"),
    "handoff_drafts": ("author_id = {me}", "case_id"),
    "commitments": (None, "case_id"),
    "audit_events": ("case_id IS NULL", "case_id"),
    "presence": ("user_id = {me}", "case_id"),
    "case_search_fts": (None, "case_id"),
}
# Written only by the owner's functions (0004), or by each person's own-row policy (0009).
NO_WRITE_POLICIES = ("case_search_fts", "presence")
WRITE_POLICIES = {"insert": "FOR INSERT WITH CHECK (true)",
                  "update": "FOR UPDATE USING (true) WITH CHECK (true)",
                  "delete": "FOR DELETE USING (true)"}  # fmt: skip


def upgrade() -> None:
    # Plain ALTER TABLE, as 0011: a batch copy of ``users`` on SQLite would have to drop the
    # table every other one points at.
    op.add_column(
        "users",
        sa.Column(
            "password_change_required", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.add_column("users", sa.Column("temporary_password_expires_at", UtcDateTime(timezone=True)))
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _upgrade_postgresql()
    elif dialect in ("mysql", "mariadb"):
        _upgrade_mariadb()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _downgrade_postgresql()
    elif dialect in ("mysql", "mariadb"):
        op.execute(f"DROP PROCEDURE IF EXISTS {CHOSEN_PROCEDURE}")
    for column in ("temporary_password_expires_at", "password_change_required"):
        op.execute(f"ALTER TABLE users DROP COLUMN {column}")


# --------------------------------------------------------------------------- PostgreSQL
def _upgrade_postgresql() -> None:
    schema = f'"{op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()}"'
    _note_author_function(schema)
    _cases_policy(schema, f"{schema}.deskapp_note_author(current_handoff_id)")
    for table, (own, case_of) in CHILD_TABLES.items():
        _child_policies(schema, table, own, case_of)
    _choose_password_function(schema)


def _downgrade_postgresql() -> None:
    schema = f'"{op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()}"'
    op.execute(f"DROP FUNCTION IF EXISTS {CHOOSE_FUNCTION}")
    for table in CHILD_TABLES:
        op.execute(f"DROP POLICY IF EXISTS {table}_visible ON {table}")
        for name in WRITE_POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {table}_{name} ON {table}")
        if table == "presence":  # 0009's: everyone reads every presence row
            op.execute("CREATE POLICY presence_read ON presence FOR SELECT USING (true)")
        else:
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    # 0009's own words: the note's author looked up by a scalar subquery.
    _cases_policy(
        schema,
        f"(SELECT n.author_id FROM {schema}.handoff_notes n WHERE n.id = current_handoff_id)",
    )
    op.execute(f"DROP FUNCTION IF EXISTS {NOTE_AUTHOR}")


def _me(schema: str) -> str:
    return f"(SELECT {schema}.deskapp_person_id(current_user))"


def _note_author_function(schema: str) -> None:
    op.execute(
        f"CREATE FUNCTION {NOTE_AUTHOR} RETURNS uuid "
        "LANGUAGE sql STABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp "
        f"AS $body$ SELECT n.author_id FROM {schema}.handoff_notes n WHERE n.id = $1 $body$"
    )
    op.execute(f"REVOKE ALL ON FUNCTION {NOTE_AUTHOR} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {NOTE_AUTHOR} TO {REP}")


def _cases_policy(schema: str, handed_on_by: str) -> None:
    """0009's ``cases_visible``, the author of the case's current note found by
    ``handed_on_by``; see 0009 for why each term is there and in this order."""
    me = _me(schema)
    visible = f"""
        NOT (SELECT {schema}.deskapp_cases_isolated())
        OR (SELECT {schema}.deskapp_person_is_admin(current_user))
        OR team_id = (SELECT {schema}.deskapp_person_team(current_user))
        OR assignee_id = {me}
        OR {handed_on_by} = {me}"""
    op.execute("DROP POLICY cases_visible ON cases")
    op.execute(f"CREATE POLICY cases_visible ON cases FOR SELECT USING ({visible})")


def _child_policies(schema: str, table: str, own: str | None, case_of: str) -> None:
    me = _me(schema)
    # A scalar subquery, not EXISTS: in an OR PostgreSQL may turn an EXISTS into a hashed
    # subplan that first reads every case the person may see (250 ms on 100k cases for a
    # customer's 50 latest contacts, measured), where this is one primary-key lookup per row.
    # NULL (no such row visible) counts as false.
    if case_of == "note":  # the notes' own policy applies inside, and with it the cases'
        parent = f"(SELECT true FROM {schema}.handoff_notes n WHERE n.id = {table}.note_id)"
    else:
        parent = f"(SELECT true FROM {schema}.cases c WHERE c.id = {table}.{case_of})"
    terms = [
        f"NOT (SELECT {schema}.deskapp_cases_isolated())",
        f"(SELECT {schema}.deskapp_person_is_admin(current_user))",
    ]
    if own:
        terms.append(f"({own.format(me=me)})")
    terms.append(parent)
    if table == "presence":
        op.execute("DROP POLICY presence_read ON presence")  # 0009's "everyone reads it"
    else:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY {table}_visible ON {table} FOR SELECT USING ({' OR '.join(terms)})")
    if table not in NO_WRITE_POLICIES:
        for name, clause in WRITE_POLICIES.items():
            op.execute(f"CREATE POLICY {table}_{name} ON {table} {clause}")


def _choose_password_function(schema: str) -> None:
    op.execute(
        f"""
        CREATE FUNCTION {CHOOSE_FUNCTION} RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $body$
        BEGIN
            IF $1 IS NULL OR $1 NOT LIKE 'SCRAM-SHA-256$%' THEN
                RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
                    MESSAGE = 'Deskapp: send a SCRAM verifier, never the password itself.';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM {schema}.users u
                           WHERE u.login = session_user::text AND u.active) THEN
                RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                    MESSAGE = 'Deskapp: only an active Deskapp person chooses a password here.';
            END IF;
            EXECUTE format('ALTER ROLE %I PASSWORD %L VALID UNTIL %L',
                           session_user, $1, 'infinity');
            UPDATE {schema}.users
               SET password_change_required = false, temporary_password_expires_at = NULL
             WHERE login = session_user::text;
        END
        $body$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {CHOOSE_FUNCTION} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {CHOOSE_FUNCTION} TO {REP}")
    op.execute(f"GRANT SELECT (login, active) ON users TO {KEEPER}")
    op.execute(
        f"GRANT UPDATE (password_change_required, temporary_password_expires_at) "
        f"ON users TO {KEEPER}"
    )
    # Last: from here on only the keeper (and superusers) may change or drop the function.
    op.execute(f"ALTER FUNCTION {CHOOSE_FUNCTION} OWNER TO {KEEPER}")


# --------------------------------------------------------------------------- MariaDB
def _upgrade_mariadb() -> None:
    # USER() is the login the client authenticated as, even inside a DEFINER routine (where
    # CURRENT_USER() is the definer's); Deskapp logins are 'login'@'%'.
    op.execute(
        f"""
        CREATE PROCEDURE {CHOSEN_PROCEDURE}() MODIFIES SQL DATA SQL SECURITY DEFINER
        UPDATE users SET password_change_required = 0, temporary_password_expires_at = NULL
         WHERE login = SUBSTRING_INDEX(USER(), '@', 1)
        """
    )
    database = op.get_bind().exec_driver_sql("SELECT DATABASE()").scalar()
    op.execute(f"GRANT EXECUTE ON PROCEDURE `{database}`.{CHOSEN_PROCEDURE} TO {REP}")
