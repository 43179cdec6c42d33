"""handoff enforcement: the database itself refuses a change of owner without a note

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:00:00

DESIGN.md §5: "the database guarantees a real note exists; the services guarantee it is a
good one". A trigger on ``cases`` rejects any change of assignee or team unless it is a claim
from the team queue (nobody → someone, same team) or ``current_handoff_id`` moves to another
note written for exactly this change (same case, same from and to, core fields filled, or an
honest unbriefed reason). Submitted notes, read-backs and audit events are insert-only: triggers
reject UPDATE and DELETE on every dialect (beside PostgreSQL's grants; SQLite has no grants).

Written per dialect on purpose: a migration is frozen, so it must not depend on app code that
may change later.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# services/handoffs.py recognises the owner message; MariaDB keeps 128 characters of each.
OWNER_CHANGE_REFUSED = (
    "Deskapp: a change of owner needs a handoff note written for it "
    "(same case, same from and to, core fields filled)."
)
IMMUTABLE = {
    "handoff_notes": "Deskapp: a submitted handoff note never changes; add an addendum instead.",
    "handoff_acks": "Deskapp: a handoff acknowledgement never changes; record a new one instead.",
    "audit_events": "Deskapp: audit events are append-only; they are never changed or deleted.",
}
OWNER_TRIGGER = "trg_cases_owner_change_needs_note"
OWNER_FUNCTION = "deskapp_owner_change_needs_note"
REFUSE_FUNCTION = "deskapp_refuse_change"


def _immutable_triggers() -> list[tuple[str, str, str]]:
    """(trigger name, table, UPDATE or DELETE) for every insert-only table."""
    return [
        (f"trg_{table}_no_{event.lower()}", table, event)
        for table in IMMUTABLE
        for event in ("UPDATE", "DELETE")
    ]


def _note_unlocks_change(notes: str, has_text: str, same: str) -> str:
    """SQL: NEW.current_handoff_id points at another note written for exactly this change.

    ``notes`` is the (qualified) notes table, ``has_text`` a format string testing that a text
    column holds more than white space, ``same`` a format string for a NULL-safe equality.
    """
    return f"""EXISTS (
        SELECT 1 FROM {notes} n
        WHERE n.id = NEW.current_handoff_id
          AND NOT ({same.format("NEW.current_handoff_id", "OLD.current_handoff_id")})
          AND n.case_id = NEW.id
          AND {same.format("n.from_user_id", "OLD.assignee_id")}
          AND {same.format("n.to_user_id", "NEW.assignee_id")}
          AND n.from_team_id = OLD.team_id
          AND n.to_team_id = NEW.team_id
          AND n.addendum_to_id IS NULL
          AND (
                (n.risk IS NOT NULL AND {has_text.format("n.summary")}
                 AND {has_text.format("n.done")})
             OR (n.unbriefed AND {has_text.format("n.unbriefed_reason")})
          )
    )"""


# A claim from the team queue: nobody owned it, someone does now, the team stays.
_CLAIM = (
    "(OLD.assignee_id IS NULL AND NEW.assignee_id IS NOT NULL AND NEW.team_id = OLD.team_id)"
)


def upgrade() -> None:
    # A team's added template fields are kept with the note (before the triggers exist).
    op.add_column(
        "handoff_notes",
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _upgrade_sqlite()
    elif dialect == "postgresql":
        _upgrade_postgresql()
    elif dialect in ("mysql", "mariadb"):
        _upgrade_mariadb()
    else:  # pragma: no cover - make_engine only builds these three
        raise NotImplementedError(f"no handoff enforcement written for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for name, table, _event in _immutable_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {OWNER_TRIGGER} ON cases")
        op.execute(f"DROP FUNCTION IF EXISTS {REFUSE_FUNCTION}()")
        op.execute(f"DROP FUNCTION IF EXISTS {OWNER_FUNCTION}()")
    else:  # SQLite and MariaDB: triggers are named per database
        for name, _table, _event in _immutable_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP TRIGGER IF EXISTS {OWNER_TRIGGER}")
    # Plain ALTER TABLE on every dialect (SQLite ≥ 3.35): batch mode would copy the notes
    # table, which the cases table's foreign key points at.
    op.execute("ALTER TABLE handoff_notes DROP COLUMN extra")


# --------------------------------------------------------------------------- SQLite
def _upgrade_sqlite() -> None:
    has_text = "trim({0}, ' ' || char(9) || char(10) || char(13)) <> ''"
    same = "({0} IS {1})"
    op.execute(
        f"""
        CREATE TRIGGER {OWNER_TRIGGER} BEFORE UPDATE ON cases FOR EACH ROW
        WHEN (NEW.assignee_id IS NOT OLD.assignee_id OR NEW.team_id IS NOT OLD.team_id)
         AND NOT {_CLAIM}
         AND NOT {_note_unlocks_change("handoff_notes", has_text, same)}
        BEGIN
            SELECT RAISE(ABORT, '{OWNER_CHANGE_REFUSED}');
        END
        """
    )
    for name, table, event in _immutable_triggers():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
            f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE[table]}'); END"
        )


# --------------------------------------------------------------------------- PostgreSQL
def _upgrade_postgresql() -> None:
    # The migration runs as deskapp_owner (db/migrate.py), so the functions belong to it.
    # SECURITY INVOKER: the check runs with the rights of whoever updates the case. The notes
    # table is schema-qualified and pg_temp searched last, so a temporary table called
    # handoff_notes (any login may create one) cannot stand in for the real notes.
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()
    notes = f'"{schema}".handoff_notes'
    has_text = "({0} ~ '\\S')"
    same = "({0} IS NOT DISTINCT FROM {1})"
    op.execute(
        f"""
        CREATE FUNCTION {OWNER_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql SECURITY INVOKER
        SET search_path = pg_catalog, "{schema}", pg_temp
        AS $body$
        BEGIN
            IF {_CLAIM} THEN
                RETURN NEW;
            END IF;
            IF {_note_unlocks_change(notes, has_text, same)} THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION USING
                ERRCODE = 'check_violation',
                MESSAGE = '{OWNER_CHANGE_REFUSED}',
                HINT = 'Hand the case over in Deskapp, which writes the note and moves the case.';
        END
        $body$
        """
    )
    op.execute(
        f"""
        CREATE TRIGGER {OWNER_TRIGGER} BEFORE UPDATE ON cases FOR EACH ROW
        WHEN (OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
              OR OLD.team_id IS DISTINCT FROM NEW.team_id)
        EXECUTE FUNCTION {OWNER_FUNCTION}()
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION {REFUSE_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql SECURITY INVOKER
        SET search_path = pg_catalog, pg_temp
        AS $body$
        BEGIN
            RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = TG_ARGV[0];
        END
        $body$
        """
    )
    for name, table, event in _immutable_triggers():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION {REFUSE_FUNCTION}('{IMMUTABLE[table]}')"
        )


# --------------------------------------------------------------------------- MariaDB
def _upgrade_mariadb() -> None:
    # Triggers run with their definer's rights (the account running the migration, which needs
    # the TRIGGER privilege); SIGNAL '45000' is MariaDB's "unhandled user-defined exception".
    # REGEXP, not TRIM(x) <> '': PAD SPACE collations compare '   ' equal to ''.
    has_text = "({0} REGEXP '\\\\S')"  # the SQL literal '\\S' is PCRE's \S
    same = "({0} <=> {1})"
    op.execute(
        f"""
        CREATE TRIGGER {OWNER_TRIGGER} BEFORE UPDATE ON cases FOR EACH ROW
        BEGIN
            IF NOT (NEW.assignee_id <=> OLD.assignee_id) OR NEW.team_id <> OLD.team_id THEN
                IF NOT {_CLAIM}
                   AND NOT {_note_unlocks_change("handoff_notes", has_text, same)} THEN
                    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{OWNER_CHANGE_REFUSED}';
                END IF;
            END IF;
        END
        """
    )
    for name, table, event in _immutable_triggers():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
            f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{IMMUTABLE[table]}'"
        )
