"""redaction: an admin may blank a customer's personal data in the insert-only records

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 09:00:00

An erasure request (services/redaction.py) replaces a customer's personal data with a marker
in their interactions, the handoff notes and read-backs of their cases, and the free text of
the audit events on their chains. Notes, read-backs and audit events stay insert-only (0002);
the one UPDATE now allowed on them is a **redaction**: ``redacted_at`` goes from NULL to a
time, each personal text column either stays as it was or becomes exactly the marker, the
JSON documents (a note's actions and promises, an event's detail) may be rewritten, and every
other column stays as it was. Once redacted, a row never changes again; DELETE is still refused
by 0002's triggers. On PostgreSQL only an admin (a member of deskapp_admin) or the table owner
may redact, and only admins are granted UPDATE, on those columns alone.

The audit chains stay whole: a link hashes the event's *content hash*, which a redaction
leaves as it was; the redaction records itself as an event on the same chain naming the events
it redacted (services/audit_verify.py ``is_redacted``; 0010's index on the action finds them).

A note's text is in its case's search document (0004), which until now only grew when a note
was added: redacting a note now refreshes the document too, so its old words are no longer
found. Customers, cases and interactions already refresh theirs.

Written per dialect and frozen on purpose: a migration must not change when the app does. The
column lists below are those of 0001/0002; a later migration adding a column to these tables
must extend the SQLite and MariaDB triggers (PostgreSQL compares whole rows).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import op

from deskapp.db.types import UtcDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ADMIN = "deskapp_admin"
MARKER = "[redacted]"  # services/redaction.py MARKER
PAUSED_KEY = "case_search.paused"  # 0004: bulk loads pause the search triggers
REDACTION_FUNCTION = "deskapp_redaction_only"
NOT_ADMIN = "Deskapp: only an admin may redact personal data (an erasure request)."


@dataclass(frozen=True)
class Redactable:
    """An insert-only table: what a redaction may change and what must stay."""

    fixed: tuple[str, ...]  # never change
    text: tuple[str, ...]  # unchanged, or exactly MARKER
    documents: tuple[str, ...]  # JSON the redaction rewrites (structure kept by the service)
    message: str  # why any other UPDATE is refused (MariaDB keeps 128 characters)
    old_message: str  # 0002's, restored by downgrade


REDACTABLE = {
    "handoff_notes": Redactable(
        fixed=("id", "created_at", "case_id", "kind", "author_id", "from_user_id", "to_user_id",
               "from_team_id", "to_team_id", "risk", "no_commitments", "mood", "unbriefed",
               "template_version", "addendum_to_id"),
        text=("summary", "done", "contingencies", "contact_preference", "unbriefed_reason"),
        documents=("next_actions", "commitments", "extra"),
        message="Deskapp: a submitted handoff note never changes; add an addendum instead "
        "(an admin may only redact personal data).",
        old_message="Deskapp: a submitted handoff note never changes; add an addendum instead.",
    ),
    "handoff_acks": Redactable(
        fixed=("id", "created_at", "note_id", "user_id", "kind"),
        text=("text",),
        documents=(),
        message="Deskapp: a handoff acknowledgement never changes; record a new one instead "
        "(an admin may only redact personal data).",
        old_message="Deskapp: a handoff acknowledgement never changes; record a new one instead.",
    ),
    "audit_events": Redactable(
        fixed=("id", "chain", "seq", "case_id", "actor_id", "actor_login", "action",
               "occurred_at", "content_hash", "prev_hash", "chain_hash"),
        text=("reason",),
        documents=("detail",),
        message="Deskapp: audit events are append-only; they are never changed or deleted "
        "(an admin may only redact personal data).",
        old_message="Deskapp: audit events are append-only; they are never changed or deleted.",
    ),
}  # fmt: skip
# Interactions have no trigger (their grants make them insert-only): admins get their text.
ADMIN_UPDATES = {
    **{table: (*r.text, *r.documents, "redacted_at") for table, r in REDACTABLE.items()},
    "interactions": ("body", "redacted_at"),
}
NOTE_TEXT = ("summary", "done", "contingencies")  # what 0004 puts in the search document
SQLITE_SEARCH_TRIGGERS = ("trg_case_search_note_before_change", "trg_case_search_note_after_change")
SERVER_SEARCH_TRIGGER = "trg_case_search_note_changed"


def _old_trigger(table: str) -> str:
    return f"trg_{table}_no_update"  # 0002's name


def _new_trigger(table: str) -> str:
    return f"trg_{table}_redaction_only"


def upgrade() -> None:
    for table in ADMIN_UPDATES:
        op.add_column(table, sa.Column("redacted_at", UtcDateTime(timezone=True), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _upgrade_sqlite()
    elif dialect == "postgresql":
        _upgrade_postgresql()
    elif dialect in ("mysql", "mariadb"):
        _upgrade_mariadb()
    else:  # pragma: no cover - make_engine only builds these three
        raise NotImplementedError(f"no redaction written for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table, columns in ADMIN_UPDATES.items():
            op.execute(f"REVOKE UPDATE ({', '.join(columns)}) ON {table} FROM {ADMIN}")
        for table in REDACTABLE:
            op.execute(f"DROP TRIGGER IF EXISTS {_new_trigger(table)} ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {SERVER_SEARCH_TRIGGER} ON handoff_notes")
        op.execute(f"DROP FUNCTION IF EXISTS {REDACTION_FUNCTION}()")
        for table, redactable in REDACTABLE.items():  # 0002's, as it wrote them
            op.execute(
                f"CREATE TRIGGER {_old_trigger(table)} BEFORE UPDATE ON {table} FOR EACH ROW "
                f"EXECUTE FUNCTION deskapp_refuse_change('{redactable.old_message}')"
            )
    else:
        if dialect != "sqlite":
            database = op.get_bind().exec_driver_sql("SELECT DATABASE()").scalar()
            for table, columns in ADMIN_UPDATES.items():
                op.execute(
                    f"REVOKE UPDATE ({', '.join(columns)}) ON `{database}`.`{table}` FROM {ADMIN}"
                )
        search = SQLITE_SEARCH_TRIGGERS if dialect == "sqlite" else (SERVER_SEARCH_TRIGGER,)
        for name in (*(_new_trigger(t) for t in REDACTABLE), *search):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for table, redactable in REDACTABLE.items():
            refuse = (
                f"SELECT RAISE(ABORT, '{redactable.old_message}')"
                if dialect == "sqlite"
                else f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{redactable.old_message}'"
            )
            body = f"BEGIN {refuse}; END" if dialect == "sqlite" else refuse
            op.execute(
                f"CREATE TRIGGER {_old_trigger(table)} BEFORE UPDATE ON {table} FOR EACH ROW {body}"
            )
    # Plain ALTER TABLE (SQLite ≥ 3.35), as 0002: batch mode would copy tables others point at.
    for table in ADMIN_UPDATES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN redacted_at")


def _is_redaction(redactable: Redactable, same: str, text_same: str) -> str:
    """SQL: this UPDATE is a redaction. ``same`` / ``text_same`` format NULL-safe equality of
    ``NEW.{0}`` and ``OLD.{0}`` for any column / a text column."""
    terms = ["OLD.redacted_at IS NULL", "NEW.redacted_at IS NOT NULL"]
    terms += [same.format(column) for column in redactable.fixed]
    terms += [f"({text_same.format(c)} OR NEW.{c} = '{MARKER}')" for c in redactable.text]
    return "(" + "\n            AND ".join(terms) + ")"


# --------------------------------------------------------------------------- SQLite
def _upgrade_sqlite() -> None:
    for table, redactable in REDACTABLE.items():
        op.execute(f"DROP TRIGGER IF EXISTS {_old_trigger(table)}")
        allowed = _is_redaction(redactable, "NEW.{0} IS OLD.{0}", "NEW.{0} IS OLD.{0}")
        op.execute(
            f"CREATE TRIGGER {_new_trigger(table)} BEFORE UPDATE ON {table} FOR EACH ROW "
            f"WHEN NOT {allowed} "
            f"BEGIN SELECT RAISE(ABORT, '{redactable.message}'); END"
        )
    # The note's old words leave the search document before the row changes, its new ones
    # enter after (0004's external-content FTS5 table: 'delete' needs the text as indexed).
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in NOTE_TEXT)
    live = f"NOT EXISTS (SELECT 1 FROM workspace_settings WHERE key = '{PAUSED_KEY}')"
    of_case = "number = (SELECT number FROM cases WHERE id = {}.case_id)"
    before, after = SQLITE_SEARCH_TRIGGERS
    op.execute(
        f"CREATE TRIGGER {before} BEFORE UPDATE ON handoff_notes FOR EACH ROW "
        f"WHEN ({changed}) AND {live} BEGIN "
        "INSERT INTO case_search_fts(case_search_fts, rowid, subject, customer, history) "
        f"SELECT 'delete', number, subject, customer, history FROM case_search_source "
        f"WHERE {of_case.format('OLD')}; END"
    )
    op.execute(
        f"CREATE TRIGGER {after} AFTER UPDATE ON handoff_notes FOR EACH ROW "
        f"WHEN ({changed}) AND {live} BEGIN "
        "INSERT INTO case_search_fts(rowid, subject, customer, history) "
        f"SELECT number, subject, customer, history FROM case_search_source "
        f"WHERE {of_case.format('NEW')}; END"
    )


# --------------------------------------------------------------------------- PostgreSQL
def _upgrade_postgresql() -> None:
    # One function for the three tables; the trigger's arguments say which columns are text
    # and which JSON. Whole rows are compared as jsonb, so a column added later is covered.
    # SECURITY INVOKER, a fixed search_path: it reads nothing but the row and the catalogs.
    op.execute(
        f"""
        CREATE FUNCTION {REDACTION_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql SECURITY INVOKER
        SET search_path = pg_catalog, pg_temp
        AS $body$
        DECLARE
            personal text[] := string_to_array(TG_ARGV[1], ',');
            documents text[] := string_to_array(TG_ARGV[2], ',');
            old_row jsonb := to_jsonb(OLD);
            new_row jsonb := to_jsonb(NEW);
            col text;
        BEGIN
            IF OLD.redacted_at IS NOT NULL OR NEW.redacted_at IS NULL
               OR (new_row - personal - documents - 'redacted_at')
                  IS DISTINCT FROM (old_row - personal - documents - 'redacted_at') THEN
                RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];
            END IF;
            FOREACH col IN ARRAY personal LOOP
                IF (new_row ->> col) IS DISTINCT FROM (old_row ->> col)
                   AND (new_row ->> col) IS DISTINCT FROM '{MARKER}' THEN
                    RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];
                END IF;
            END LOOP;
            IF pg_has_role(current_user, '{ADMIN}', 'MEMBER')
               OR EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = current_user
                          AND (r.rolsuper OR r.rolbypassrls))
               OR pg_has_role(current_user,
                              (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID),
                              'USAGE') THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = '{NOT_ADMIN}';
        END
        $body$
        """
    )
    op.execute(f"REVOKE ALL ON FUNCTION {REDACTION_FUNCTION}() FROM PUBLIC")
    for table, redactable in REDACTABLE.items():
        op.execute(f"DROP TRIGGER IF EXISTS {_old_trigger(table)} ON {table}")
        op.execute(
            f"CREATE TRIGGER {_new_trigger(table)} BEFORE UPDATE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION {REDACTION_FUNCTION}('{redactable.message}', "
            f"'{','.join(redactable.text)}', '{','.join(redactable.documents)}')"
        )
    for table, columns in ADMIN_UPDATES.items():
        op.execute(f"GRANT UPDATE ({', '.join(columns)}) ON {table} TO {ADMIN}")
    # 0004's upkeep function refreshes OLD.case_id and NEW.case_id for any other UPDATE.
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in NOTE_TEXT)
    op.execute(
        f"CREATE TRIGGER {SERVER_SEARCH_TRIGGER} AFTER UPDATE ON handoff_notes FOR EACH ROW "
        f"WHEN ({changed}) EXECUTE FUNCTION deskapp_case_search_track()"
    )


# --------------------------------------------------------------------------- MariaDB
def _upgrade_mariadb() -> None:
    # BINARY: a case-insensitive, PAD SPACE collation would let "ABC" pass for "abc ".
    same = "(BINARY NEW.{0} <=> BINARY OLD.{0})"
    for table, redactable in REDACTABLE.items():
        op.execute(f"DROP TRIGGER IF EXISTS {_old_trigger(table)}")
        allowed = _is_redaction(redactable, same, same)
        op.execute(
            f"CREATE TRIGGER {_new_trigger(table)} BEFORE UPDATE ON {table} FOR EACH ROW "
            f"BEGIN IF NOT {allowed} THEN "
            f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{redactable.message}'; "
            "END IF; END"
        )
    database = op.get_bind().exec_driver_sql("SELECT DATABASE()").scalar()
    for table, columns in ADMIN_UPDATES.items():
        op.execute(f"GRANT UPDATE ({', '.join(columns)}) ON `{database}`.`{table}` TO {ADMIN}")
    changed = " OR ".join(f"NOT (OLD.{c} <=> NEW.{c})" for c in NOTE_TEXT)
    live = f"NOT EXISTS (SELECT 1 FROM workspace_settings WHERE `key` = '{PAUSED_KEY}')"
    op.execute(
        f"CREATE TRIGGER {SERVER_SEARCH_TRIGGER} AFTER UPDATE ON handoff_notes FOR EACH ROW "
        f"BEGIN IF ({changed}) AND {live} THEN "
        "CALL deskapp_case_search_refresh(NEW.case_id); END IF; END"
    )
