"""row security: who may change which case, team, note, read-back and audit event

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 09:00:00

On PostgreSQL the database itself enforces what a rep, a lead and an admin may do (DESIGN.md §7),
keyed on the login the server authenticated (``current_user`` → ``users.login``, active), never
on anything a client can set. The grants of 0001 already keep reps and leads away from
``users`` (only admins update people, so nobody else changes a role) and make notes, read-backs
and audit events insert-only (with 0002's triggers). This migration adds what grants cannot say:

* ``cases`` — who may UPDATE which row, by a BEFORE UPDATE trigger that sees the row as it was
  and as it would be (a policy's WITH CHECK sees only the new row, and "a rep may claim an
  unassigned case, but only for themself" needs both): a rep their own cases and their team's
  unassigned ones (which stay unassigned or become theirs); a lead any case of their team; an
  admin any case. Anyone who reads a case may log a contact on it, so the contact's
  bookkeeping (last activity, waiting since, first response) may change with it, and nothing
  else. It fires after 0002's note check (triggers fire in name order), so a change
  of owner without a note is refused for that, as before.
* ``cases`` — who may READ which row, by row-level security: when the workspace setting
  ``cases.team_isolation`` is true, a lead or rep sees their team's cases, the cases assigned
  to them, and a case they handed on out of the team (its current note is theirs: without it,
  the very UPDATE that transfers a case would be refused, as PostgreSQL checks that the new row
  stays readable). Admins see every case. With the setting off (the default) everyone sees
  every case, as before. INSERT and UPDATE policies let every row through: the trigger above
  decides writes.
* ``teams`` — UPDATE by an admin, or by the team's own lead for its handoff template only.
* ``handoff_notes`` / ``handoff_acks`` — written in one's own name only: a note's author and a
  read-back's person are the signed-in login. A read-back (accept, question) comes from the
  note's receiver: the person it was written for, or for a note to the team queue whoever owns
  the case now or any member of that team; an answer from the note's author (or, once the
  author is inactive, their team lead). Admins are exempt: they load history written by others
  (the demo build, imports), and as the people who create logins they hold every right anyway.
* ``presence`` / ``sign_ins`` — everyone reads them ("Dana is editing"); a person writes and
  deletes only their own rows, so nobody can fake a colleague at work or hide them.
* ``audit_events`` — the actor is the signed-in login: a BEFORE INSERT trigger refuses an event
  whose ``actor_login`` is not ``current_user`` or whose ``actor_id`` is not that login's person
  row. It checks rather than sets: the content hash (services/audit.py) covers the actor's
  login, so a value rewritten by the database would leave a row whose hash no longer matches
  its content, while an honest write already carries the right actor and verifies unchanged.

The table owner and superusers are not checked, as with row-level security itself (the
migrations, the setup account). Functions the policies call read ``users`` and
``workspace_settings`` as the owner (SECURITY DEFINER, a fixed search_path and schema-qualified
tables, so a temporary table cannot stand in for the real one) and are wrapped in scalar
subqueries, so each runs once per statement (an InitPlan: one index lookup), not once per row.
Trigger functions run with the writer's rights (SECURITY INVOKER), like 0002's and 0003's.

Why triggers and not policies for the writes: PostgreSQL refuses ``COPY FROM`` into a table with
row-level security for everyone but its owner (db/bulk.py stages such loads through a temporary
table), and a policy can tell "refused" only by matching no row at all; a trigger fires for
COPY too and says why.

MariaDB has no row-level security: there the services and the grants enforce the same rights
(README, "Rights: who may do what"). SQLite has no logins. On both this revision changes nothing.
Written per dialect and frozen on purpose: a migration must not change when the app does.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REP = "deskapp_rep"
ISOLATION_KEY = "cases.team_isolation"  # services/team_isolation.py writes it

# name: (table, event, function, message); triggers on one table fire in name order.
TRIGGERS = {
    "trg_cases_update_rights": (
        "cases",
        "UPDATE",
        "deskapp_case_update_rights",
        "Deskapp: you may not change this case (reps: their own cases and their team's "
        "unassigned ones, claimed only for themselves; leads: their team's cases).",
    ),
    "trg_teams_may_update": (
        "teams",
        "UPDATE",
        "deskapp_team_update_rights",
        "Deskapp: only an admin may change a team; its lead may change its handoff template.",
    ),
    "trg_handoff_notes_own_name": (
        "handoff_notes",
        "INSERT",
        "deskapp_handoff_note_rights",
        "Deskapp: a handoff note is written in its author's own name.",
    ),
    "trg_handoff_acks_receiver": (
        "handoff_acks",
        "INSERT",
        "deskapp_handoff_ack_rights",
        "Deskapp: only a note's receiver acknowledges it or asks about it, in their own "
        "name; only its author answers.",
    ),
    "trg_audit_events_actor": (
        "audit_events",
        "INSERT",
        "deskapp_audit_actor_rights",
        "Deskapp: an audit event names the signed-in login as its actor.",
    ),
}
# The policies' helpers: (name and argument types, result, body over {users} and {settings}).
# ``$1``, not a parameter name: in an SQL function a column of the same name would win.
HELPERS = [
    ("deskapp_person_id(text)", "uuid",
     "SELECT u.id FROM {users} u WHERE u.login = $1 AND u.active"),
    ("deskapp_person_team(text)", "uuid",
     "SELECT u.team_id FROM {users} u WHERE u.login = $1 AND u.active"),
    ("deskapp_person_is_admin(text)", "boolean",
     "SELECT EXISTS (SELECT 1 FROM {users} u WHERE u.login = $1 AND u.active "
     "AND u.role = 'admin')"),
    ("deskapp_cases_isolated()", "boolean",
     "SELECT COALESCE((SELECT s.value = 'true'::jsonb FROM {settings} s "
     f"WHERE s.key = '{ISOLATION_KEY}'), false)"),
]  # fmt: skip
CASE_POLICIES = ("cases_visible", "cases_insert", "cases_update")
OWN_ROW_TABLES = ("presence", "sign_ins")  # read by all, written by each person for themself


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # MariaDB: services and grants; SQLite: one workstation, no logins
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
    qualified = _Qualified(f'"{schema}"')
    for signature, result, body in HELPERS:
        # The migration runs as deskapp_owner (db/migrate.py), so the functions belong to it.
        op.execute(
            f"CREATE FUNCTION {signature} RETURNS {result} "
            "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp "
            f"AS $body$ {body.format(users=qualified.users, settings=qualified.settings)} $body$"
        )
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {REP}")
    for name, (table, event, function, message) in TRIGGERS.items():
        op.execute(_BODIES[function](qualified, function, message))
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION {function}()"
        )
    _case_policies(qualified)
    _own_row_policies(qualified)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in OWN_ROW_TABLES:
        op.execute(f"DROP POLICY IF EXISTS {table}_read ON {table}")
        op.execute(f"DROP POLICY IF EXISTS {table}_own ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for policy in CASE_POLICIES:
        op.execute(f"DROP POLICY IF EXISTS {policy} ON cases")
    op.execute("ALTER TABLE cases DISABLE ROW LEVEL SECURITY")
    for name, (table, _event, function, _message) in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    for signature, _result, _body in HELPERS:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")


# --------------------------------------------------------------------------- helpers
class _Qualified:
    """Schema-qualified table names: a temporary table of the same name is never read."""

    def __init__(self, schema: str) -> None:
        self.schema = schema
        self.users = f"{schema}.users"
        self.settings = f"{schema}.workspace_settings"
        self.cases = f"{schema}.cases"
        self.notes = f"{schema}.handoff_notes"

    def call(self, function: str) -> str:
        return f"{self.schema}.{function}"


def _trigger_function(function: str, message: str, body: str) -> str:
    """A trigger function that lets the owner and superusers through, finds the signed-in
    person (``me``: id, role, team_id; NOT FOUND when the login is nobody active) and runs
    ``body``, which RETURNs NEW when the write is allowed; falling through refuses it."""
    return f"""
        CREATE FUNCTION {function}() RETURNS trigger
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
            {body}
            RAISE EXCEPTION USING
                ERRCODE = 'insufficient_privilege',
                MESSAGE = '{message.replace("'", "''")}';
        END
        $body$
        """


def _find_me(q: _Qualified) -> str:
    return (
        f"SELECT u.id, u.role, u.team_id INTO me FROM {q.users} u "
        "WHERE u.login = current_user AND u.active;"
    )


# What logging a contact keeps up to date on the case (services/interactions.py): anyone who
# reads a case may log a contact on it (the customer calls whoever answers), and nothing else.
CONTACT_BOOKKEEPING = ("waiting_since", "last_activity_at", "first_responded_at", "updated_at")


def _case_update_rights(q: _Qualified, function: str, message: str) -> str:
    bookkeeping = ", ".join(f"'{column}'" for column in CONTACT_BOOKKEEPING)
    return _trigger_function(
        function,
        message,
        f"""{_find_me(q)}
            IF FOUND AND (
                   me.role = 'admin'
                OR (me.role = 'lead' AND OLD.team_id = me.team_id)
                OR OLD.assignee_id = me.id
                OR (OLD.assignee_id IS NULL AND OLD.team_id = me.team_id
                    AND NEW.team_id = OLD.team_id
                    AND (NEW.assignee_id IS NULL OR NEW.assignee_id = me.id))
                OR to_jsonb(NEW) - ARRAY[{bookkeeping}] = to_jsonb(OLD) - ARRAY[{bookkeeping}]
            ) THEN
                RETURN NEW;
            END IF;""",
    )


def _team_update_rights(q: _Qualified, function: str, message: str) -> str:
    unchanged = " AND ".join(
        f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}"
        for column in ("id", "name", "time_zone", "business_hours", "holidays")
    )
    return _trigger_function(
        function,
        message,
        f"""{_find_me(q)}
            IF FOUND AND (
                   me.role = 'admin'
                OR (me.role = 'lead' AND OLD.id = me.team_id AND {unchanged})
            ) THEN
                RETURN NEW;
            END IF;""",
    )


def _note_rights(q: _Qualified, function: str, message: str) -> str:
    return _trigger_function(
        function,
        message,
        f"""{_find_me(q)}
            IF FOUND AND (me.role = 'admin' OR NEW.author_id = me.id) THEN
                RETURN NEW;
            END IF;""",
    )


def _ack_rights(q: _Qualified, function: str, message: str) -> str:
    # services/handoff_followup.py: _require_receiver and _may_answer_for, in SQL.
    return _trigger_function(
        function,
        message,
        f"""{_find_me(q)}
            IF FOUND AND me.role = 'admin' THEN
                RETURN NEW;
            END IF;
            IF FOUND AND NEW.user_id = me.id AND NEW.kind = 'answer' AND EXISTS (
                SELECT 1 FROM {q.notes} n JOIN {q.users} author ON author.id = n.author_id
                WHERE n.id = NEW.note_id
                  AND (author.id = me.id
                       OR (NOT author.active AND me.role = 'lead'
                           AND author.team_id = me.team_id))
            ) THEN
                RETURN NEW;
            END IF;
            IF FOUND AND NEW.user_id = me.id AND NEW.kind <> 'answer' AND EXISTS (
                SELECT 1 FROM {q.notes} n
                WHERE n.id = NEW.note_id
                  AND (n.to_user_id = me.id
                       OR (n.to_user_id IS NULL
                           AND (n.to_team_id = me.team_id
                                OR EXISTS (SELECT 1 FROM {q.cases} c
                                           WHERE c.id = n.case_id AND c.assignee_id = me.id))))
            ) THEN
                RETURN NEW;
            END IF;""",
    )


def _audit_actor_rights(q: _Qualified, function: str, message: str) -> str:
    # No FOUND test: a setup login with no person row writes as itself with no actor_id.
    return _trigger_function(
        function,
        message,
        f"""{_find_me(q)}
            IF NEW.actor_login = current_user::text
               AND NEW.actor_id IS NOT DISTINCT FROM me.id THEN
                RETURN NEW;
            END IF;""",
    )


_BODIES = {
    "deskapp_case_update_rights": _case_update_rights,
    "deskapp_team_update_rights": _team_update_rights,
    "deskapp_handoff_note_rights": _note_rights,
    "deskapp_handoff_ack_rights": _ack_rights,
    "deskapp_audit_actor_rights": _audit_actor_rights,
}


def _case_policies(q: _Qualified) -> None:
    # Each (SELECT f(...)) is an InitPlan: evaluated once per statement, its result a parameter
    # of a plain filter on the row's own columns, so the queue's indexes serve as before. The
    # handed-on term looks one note up by primary key, and only for a row no earlier term let
    # through (OR stops at the first true term; with isolation off that is the first one). It
    # is a scalar subquery on purpose: PostgreSQL may turn an EXISTS into a hashed subplan that
    # reads every note of the person, which no index serves.
    me = f"(SELECT {q.call('deskapp_person_id')}(current_user))"
    visible = f"""
        NOT (SELECT {q.call("deskapp_cases_isolated")}())
        OR (SELECT {q.call("deskapp_person_is_admin")}(current_user))
        OR team_id = (SELECT {q.call("deskapp_person_team")}(current_user))
        OR assignee_id = {me}
        OR (SELECT n.author_id FROM {q.notes} n WHERE n.id = current_handoff_id) = {me}"""
    read, insert, update = CASE_POLICIES
    op.execute("ALTER TABLE cases ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY {read} ON cases FOR SELECT USING ({visible})")
    op.execute(f"CREATE POLICY {insert} ON cases FOR INSERT WITH CHECK (true)")
    op.execute(f"CREATE POLICY {update} ON cases FOR UPDATE USING (true) WITH CHECK (true)")


def _own_row_policies(q: _Qualified) -> None:
    me = f"(SELECT {q.call('deskapp_person_id')}(current_user))"
    for table in OWN_ROW_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING (true)")
        op.execute(
            f"CREATE POLICY {table}_own ON {table} FOR ALL "
            f"USING (user_id = {me}) WITH CHECK (user_id = {me})"
        )
