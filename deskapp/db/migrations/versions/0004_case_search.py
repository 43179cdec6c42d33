"""case search: one full-text document per case, kept current by the database itself

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:00:00

Issue 4: a rep searches as they type (subject, customer name, e-mail, phone digits, the text of
handoff notes and interactions), and the database does the searching at a million cases.

Design
------
- **One document per case.** Everything a rep may type about a case goes into one document:
  the subject; the customer's name, e-mail and phone; every interaction body; every handoff
  note's summary, what was done and the contingencies. All typed words must match (AND), and
  they may match in different parts ("okafor refund"), which one document per case answers in
  a single index lookup. Separate indexes per table would need one lookup per word and part,
  merged in SQL.
- **Phone fragments.** ``customers.phone_digits`` (digits only, since 0001) enters the document
  as all its suffixes of three digits or more ("31612345678" → "31612345678 1612345678 …
  678"). A digit fragment typed anywhere in the number is then a *prefix* of one suffix, which
  every full-text engine here answers from its index: no trigram extension needed (pg_trgm is
  installed on few servers, and deskapp_owner cannot create extensions).
- **SQLite: FTS5, external content over a view.** ``case_search_fts`` indexes the view
  ``case_search_source`` (one row per case, rowid = ``cases.number``), so the text is not
  stored twice (about 0.5 GB at a million cases). Triggers keep it current: a BEFORE trigger
  removes the case's old document (FTS5 'delete' with the view's current row), an AFTER trigger
  adds the new one. ``prefix='2'`` answers two-letter prefixes from a prefix index (a 2-letter
  prefix otherwise merges thousands of terms); ``columnsize=0``: results are ordered by the
  queue, never by rank. ``detail=full`` keeps positions, for e-mail addresses found as phrases.
- **PostgreSQL: a tsvector table with a GIN index.** ``case_search_fts(case_id, document)``,
  ``to_tsvector('simple', …)`` (no stemming, no stop words: a typed prefix means what it says),
  text lower-cased, Latin accents folded and punctuation made blank first so e-mail addresses
  and "e-reader" split into words as on SQLite. A generated column cannot reach other tables;
  trigger functions (SECURITY DEFINER, owned by deskapp_owner, fixed search_path) recompute the
  one affected document, so reps only need SELECT on the search table.
- **MariaDB: an InnoDB FULLTEXT index** on ``case_search_fts(case_id, document)``, kept by
  triggers calling one stored procedure. InnoDB ignores words shorter than
  ``innodb_ft_min_token_size`` (3) and its stop words; the service answers those words with a
  LIKE over the same table.
- **Bulk loads.** A demo or an import would recompute a document per inserted interaction.
  Inside its own transaction the loader inserts the ``workspace_settings`` row
  ``case_search.paused``, which every trigger checks first (a primary-key lookup), and before
  it commits it fills the whole index in one statement (``deskapp_case_search_rebuild()`` on
  the servers, FTS5 'rebuild' on SQLite) and deletes the row again. No other session ever sees
  the row (it is never committed), so nobody else's writes go unindexed.
- **Not models.** Every search object is named ``case_search_…`` and the tables end in
  ``_fts``, which migrations/env.py leaves out of ``alembic check``: they are not ORM models,
  only the service in services/case_search.py reads them.
- **Size caps.** A PostgreSQL tsvector holds at most 1 MB, so the history part of a document is
  cut at 200,000 characters on the servers (far beyond any real case); SQLite has no such limit.

Written per dialect on purpose: a migration is frozen, so it must not depend on app code.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies (a migration must not change when the app's code does).
REP, LEAD, ADMIN = "deskapp_rep", "deskapp_lead", "deskapp_admin"
PAUSED_KEY = "case_search.paused"
SEARCH_TABLE = "case_search_fts"
SOURCE_VIEW = "case_search_source"
HISTORY_CAP = 200_000  # characters of notes and interactions per document, on the servers
PHONE_SUFFIXES = 20  # suffixes of customers.phone_digits indexed (E.164 numbers have ≤ 15)
MIN_PHONE_FRAGMENT = 3

# Latin letters with accents and what they fold to (PostgreSQL; SQLite and MariaDB fold by
# themselves).
ACCENTS = {
    "a": "àáâãäåāăą", "c": "çćč", "d": "ď", "e": "èéêëēęě", "g": "ğ", "i": "ìíîïī", "l": "ľĺł",
    "n": "ñńň", "o": "òóôõöøōő", "r": "ŕř", "s": "šśş", "t": "ţť", "u": "ùúûüūůű", "y": "ýÿ",
    "z": "źżž",
}  # fmt: skip
ACCENTED = "".join(ACCENTS.values())
UNACCENTED = "".join(plain * len(marked) for plain, marked in ACCENTS.items())

# Object names per dialect (also used by downgrade).
SQLITE_TRIGGERS = [
    "trg_case_search_case_added",
    "trg_case_search_case_before_change",
    "trg_case_search_case_after_change",
    "trg_case_search_case_removed",
    "trg_case_search_customer_before_change",
    "trg_case_search_customer_after_change",
    "trg_case_search_interaction_before_add",
    "trg_case_search_interaction_after_add",
    "trg_case_search_interaction_before_change",
    "trg_case_search_interaction_after_change",
    "trg_case_search_interaction_before_remove",
    "trg_case_search_interaction_after_remove",
    "trg_case_search_note_before_add",
    "trg_case_search_note_after_add",
]
SERVER_TRIGGERS = {  # name: (table, event)
    "trg_case_search_case_added": ("cases", "INSERT"),
    "trg_case_search_case_changed": ("cases", "UPDATE"),
    "trg_case_search_customer_changed": ("customers", "UPDATE"),
    "trg_case_search_interaction_added": ("interactions", "INSERT"),
    "trg_case_search_interaction_changed": ("interactions", "UPDATE"),
    "trg_case_search_interaction_removed": ("interactions", "DELETE"),
    "trg_case_search_note_added": ("handoff_notes", "INSERT"),
}


def _phone_suffixes(digits: str, concat: str) -> list[str]:
    """SQL pieces: ``digits`` and each suffix of it at least MIN_PHONE_FRAGMENT long.

    ``concat`` is "sqlite" (pieces joined with || by the caller, '' when too short) or
    "server" (NULL when too short; CONCAT_WS skips NULLs).
    """
    pieces = [digits]
    for start in range(2, PHONE_SUFFIXES + 1):
        shortest = start - 1 + MIN_PHONE_FRAGMENT
        if concat == "sqlite":
            pieces.append(
                f"CASE WHEN length({digits}) >= {shortest} "
                f"THEN ' ' || substr({digits}, {start}) ELSE '' END"
            )
        else:
            pieces.append(
                f"CASE WHEN CHAR_LENGTH({digits}) >= {shortest} "
                f"THEN SUBSTRING({digits}, {start}) END"
            )
    return pieces


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _upgrade_sqlite()
    elif dialect == "postgresql":
        _upgrade_postgresql()
    elif dialect in ("mysql", "mariadb"):
        _upgrade_mariadb()
    else:  # pragma: no cover - make_engine only builds these three
        raise NotImplementedError(f"no case search written for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
        op.execute(f"DROP VIEW IF EXISTS {SOURCE_VIEW}")
    elif dialect == "postgresql":
        for name, (table, _event) in SERVER_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
        for function in (
            "deskapp_case_search_track()",
            "deskapp_case_search_rebuild()",
            "deskapp_case_search_refresh(uuid[])",
            "deskapp_case_search_vector(text, text)",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
        op.execute(f"REVOKE DELETE ON workspace_settings FROM {ADMIN}")
    else:
        for name in SERVER_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for procedure in (
            "deskapp_case_search_refresh",
            "deskapp_case_search_refresh_customer",
            "deskapp_case_search_rebuild",
        ):
            op.execute(f"DROP PROCEDURE IF EXISTS {procedure}")
        op.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
        database = op.get_bind().exec_driver_sql("SELECT DATABASE()").scalar()
        op.execute(f"REVOKE DELETE ON `{database}`.workspace_settings FROM {ADMIN}")


# --------------------------------------------------------------------------- SQLite
def _upgrade_sqlite() -> None:
    phone = " || ".join(_phone_suffixes("cu.phone_digits", "sqlite"))
    # group_concat's order does not matter: FTS5 'delete' removes a document's terms as a set.
    op.execute(
        f"""
        CREATE VIEW {SOURCE_VIEW} AS
        SELECT c.number AS number,
               c.subject AS subject,
               cu.name || ' ' || coalesce(cu.email, '') || ' ' || coalesce({phone}, '')
                   AS customer,
               coalesce((SELECT group_concat(i.body, ' ') FROM interactions i
                         WHERE i.case_id = c.id), '')
               || ' ' ||
               coalesce((SELECT group_concat(n.summary || ' ' || n.done || ' '
                                             || n.contingencies, ' ')
                         FROM handoff_notes n WHERE n.case_id = c.id), '')
                   AS history
        FROM cases c JOIN customers cu ON cu.id = c.customer_id
        """
    )
    op.execute(
        f"""
        CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(
            subject, customer, history,
            content='{SOURCE_VIEW}', content_rowid='number',
            tokenize='unicode61 remove_diacritics 2',
            prefix='2', columnsize=0, detail=full
        )
        """
    )
    live = f"NOT EXISTS (SELECT 1 FROM workspace_settings WHERE key = '{PAUSED_KEY}')"

    def remove(where: str) -> str:
        return (
            f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, subject, customer, history) "
            f"SELECT 'delete', number, subject, customer, history FROM {SOURCE_VIEW} "
            f"WHERE {where};"
        )

    def add(where: str) -> str:
        return (
            f"INSERT INTO {SEARCH_TABLE}(rowid, subject, customer, history) "
            f"SELECT number, subject, customer, history FROM {SOURCE_VIEW} WHERE {where};"
        )

    def case_of(row: str) -> str:
        return f"number = (SELECT number FROM cases WHERE id = {row}.case_id)"

    case_changed = (
        "(OLD.subject IS NOT NEW.subject OR OLD.customer_id IS NOT NEW.customer_id "
        "OR OLD.number IS NOT NEW.number)"
    )
    customer_changed = (
        "(OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email "
        "OR OLD.phone_digits IS NOT NEW.phone_digits)"
    )
    interaction_changed = "(OLD.body IS NOT NEW.body OR OLD.case_id IS NOT NEW.case_id)"
    of_customer = "number IN (SELECT number FROM cases WHERE customer_id = {}.id)"
    # An interaction moved to another case changes two documents (each exactly once).
    other_case = f"{case_of('NEW')} AND NEW.case_id IS NOT OLD.case_id"
    triggers = [
        ("trg_case_search_case_added", "AFTER INSERT ON cases", "1", add("number = NEW.number")),
        ("trg_case_search_case_before_change", "BEFORE UPDATE ON cases", case_changed,
         remove("number = OLD.number")),
        ("trg_case_search_case_after_change", "AFTER UPDATE ON cases", case_changed,
         add("number = NEW.number")),
        ("trg_case_search_case_removed", "BEFORE DELETE ON cases", "1",
         remove("number = OLD.number")),
        ("trg_case_search_customer_before_change", "BEFORE UPDATE ON customers",
         customer_changed, remove(of_customer.format("OLD"))),
        ("trg_case_search_customer_after_change", "AFTER UPDATE ON customers",
         customer_changed, add(of_customer.format("NEW"))),
        ("trg_case_search_interaction_before_add", "BEFORE INSERT ON interactions", "1",
         remove(case_of("NEW"))),
        ("trg_case_search_interaction_after_add", "AFTER INSERT ON interactions", "1",
         add(case_of("NEW"))),
        ("trg_case_search_interaction_before_change", "BEFORE UPDATE ON interactions",
         interaction_changed, remove(case_of("OLD")) + remove(other_case)),
        ("trg_case_search_interaction_after_change", "AFTER UPDATE ON interactions",
         interaction_changed, add(case_of("OLD")) + add(other_case)),
        ("trg_case_search_interaction_before_remove", "BEFORE DELETE ON interactions", "1",
         remove(case_of("OLD"))),
        ("trg_case_search_interaction_after_remove", "AFTER DELETE ON interactions", "1",
         add(case_of("OLD"))),
        ("trg_case_search_note_before_add", "BEFORE INSERT ON handoff_notes", "1",
         remove(case_of("NEW"))),
        ("trg_case_search_note_after_add", "AFTER INSERT ON handoff_notes", "1",
         add(case_of("NEW"))),
    ]  # fmt: skip
    assert [t[0] for t in triggers] == SQLITE_TRIGGERS
    for name, when, condition, body in triggers:
        op.execute(
            f"CREATE TRIGGER {name} {when} FOR EACH ROW WHEN {condition} AND {live} "
            f"BEGIN {body} END"
        )
    # A workspace that already has cases gets its index now.
    op.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")


# --------------------------------------------------------------------------- PostgreSQL
def _upgrade_postgresql() -> None:
    # The migration runs as deskapp_owner (db/migrate.py), so table and functions belong to it.
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar()
    path = f'SET search_path = pg_catalog, "{schema}", pg_temp'
    phone = ", ".join(_phone_suffixes("cu.phone_digits", "server"))
    op.execute(
        f"""
        CREATE TABLE {SEARCH_TABLE} (
            case_id uuid NOT NULL,
            document tsvector NOT NULL,
            CONSTRAINT pk_{SEARCH_TABLE} PRIMARY KEY (case_id),
            CONSTRAINT fk_{SEARCH_TABLE}_case_id_cases FOREIGN KEY (case_id)
                REFERENCES cases (id) ON DELETE CASCADE
        )
        """
    )
    op.execute(f"CREATE INDEX ix_{SEARCH_TABLE}_document ON {SEARCH_TABLE} USING gin (document)")
    # The document of a case from its parts: lower case, Latin accents folded, anything but
    # letters and digits made blank (so "okafor0@example.com" is three words, as on SQLite).
    op.execute(
        f"""
        CREATE FUNCTION deskapp_case_search_vector(head text, history text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE {path}
        AS $body$
            SELECT to_tsvector('simple'::regconfig, regexp_replace(
                translate(lower(concat_ws(' ', head, left(history, {HISTORY_CAP}))),
                          '{ACCENTED}', '{UNACCENTED}'),
                '[^[:alnum:]]+', ' ', 'g'))
        $body$
        """
    )
    head = f"concat_ws(' ', c.subject, cu.name, cu.email, {phone})"
    interactions = "SELECT string_agg(i.body, ' ') FROM interactions i WHERE i.case_id = c.id"
    notes = (
        "SELECT string_agg(concat_ws(' ', n.summary, n.done, n.contingencies), ' ') "
        "FROM handoff_notes n WHERE n.case_id = c.id"
    )
    op.execute(
        f"""
        CREATE FUNCTION deskapp_case_search_refresh(cases_ uuid[]) RETURNS void
        LANGUAGE sql SECURITY DEFINER {path}
        AS $body$
            INSERT INTO {SEARCH_TABLE} (case_id, document)
            SELECT c.id, deskapp_case_search_vector(
                       {head}, concat_ws(' ', ({interactions}), ({notes})))
            FROM cases c JOIN customers cu ON cu.id = c.customer_id
            WHERE c.id = ANY (cases_)
            ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document
        $body$
        """
    )
    # Bulk loads: every document in one statement, the histories aggregated in one pass each.
    op.execute(
        f"""
        CREATE FUNCTION deskapp_case_search_rebuild() RETURNS void
        LANGUAGE sql SECURITY DEFINER {path}
        AS $body$
            INSERT INTO {SEARCH_TABLE} (case_id, document)
            SELECT c.id, deskapp_case_search_vector({head}, concat_ws(' ', i.text, n.text))
            FROM cases c JOIN customers cu ON cu.id = c.customer_id
            LEFT JOIN (SELECT case_id, string_agg(body, ' ') AS text
                       FROM interactions GROUP BY case_id) i ON i.case_id = c.id
            LEFT JOIN (SELECT case_id, string_agg(concat_ws(' ', summary, done, contingencies),
                                                  ' ') AS text
                       FROM handoff_notes GROUP BY case_id) n ON n.case_id = c.id
            ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document
        $body$
        """
    )
    op.execute(
        f"""
        CREATE FUNCTION deskapp_case_search_track() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path}
        AS $body$
        BEGIN
            IF EXISTS (SELECT 1 FROM workspace_settings WHERE key = '{PAUSED_KEY}') THEN
                RETURN NULL;
            END IF;
            IF TG_TABLE_NAME = 'cases' THEN
                PERFORM deskapp_case_search_refresh(ARRAY[NEW.id]);
            ELSIF TG_TABLE_NAME = 'customers' THEN
                PERFORM deskapp_case_search_refresh(
                    ARRAY(SELECT id FROM cases WHERE customer_id = NEW.id));
            ELSIF TG_OP = 'INSERT' THEN
                PERFORM deskapp_case_search_refresh(ARRAY[NEW.case_id]);
            ELSIF TG_OP = 'DELETE' THEN
                PERFORM deskapp_case_search_refresh(ARRAY[OLD.case_id]);
            ELSE
                PERFORM deskapp_case_search_refresh(ARRAY[OLD.case_id, NEW.case_id]);
            END IF;
            RETURN NULL;
        END
        $body$
        """
    )
    changed = {
        "cases": "OLD.subject IS DISTINCT FROM NEW.subject "
        "OR OLD.customer_id IS DISTINCT FROM NEW.customer_id",
        "customers": "OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email "
        "OR OLD.phone_digits IS DISTINCT FROM NEW.phone_digits",
        "interactions": "OLD.body IS DISTINCT FROM NEW.body "
        "OR OLD.case_id IS DISTINCT FROM NEW.case_id",
    }
    for name, (table, event) in SERVER_TRIGGERS.items():
        when = f"WHEN ({changed[table]})" if event == "UPDATE" else ""
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW {when} "
            "EXECUTE FUNCTION deskapp_case_search_track()"
        )
    for function in (
        "deskapp_case_search_vector(text, text)",
        "deskapp_case_search_refresh(uuid[])",
        "deskapp_case_search_rebuild()",
        "deskapp_case_search_track()",
    ):
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION deskapp_case_search_rebuild() TO {ADMIN}")
    op.execute(f"GRANT SELECT ON {SEARCH_TABLE} TO {REP}")
    # Bulk loads pause the triggers with a row of their own transaction, then remove it.
    op.execute(f"GRANT DELETE ON workspace_settings TO {ADMIN}")
    op.execute("SELECT deskapp_case_search_rebuild()")  # a workspace that already has cases


# --------------------------------------------------------------------------- MariaDB
def _long_concat(statement: str) -> str:
    """``statement`` in a procedure body whose GROUP_CONCAT may reach the packet size: the
    default 1 MB cap makes strict mode refuse a long history ("Row 1 was cut by GROUP_CONCAT"),
    which would refuse the interaction being saved. The session's own cap is restored."""
    return (
        "BEGIN DECLARE saved BIGINT UNSIGNED DEFAULT @@session.group_concat_max_len; "
        "SET SESSION group_concat_max_len = @@session.max_allowed_packet; "
        f"{statement}; "
        "SET SESSION group_concat_max_len = saved; END"
    )


def _upgrade_mariadb() -> None:
    # Triggers and procedures run with their definer's rights (the account running the
    # migration), so reps only need SELECT on the search table.
    phone = ", ".join(_phone_suffixes("cu.phone_digits", "server"))
    head = f"CONCAT_WS(' ', c.subject, cu.name, cu.email, {phone})"
    op.execute(
        f"""
        CREATE TABLE {SEARCH_TABLE} (
            case_id BINARY(16) NOT NULL,
            document MEDIUMTEXT NOT NULL,
            CONSTRAINT pk_{SEARCH_TABLE} PRIMARY KEY (case_id),
            CONSTRAINT fk_{SEARCH_TABLE}_case_id_cases FOREIGN KEY (case_id)
                REFERENCES cases (id) ON DELETE CASCADE,
            FULLTEXT KEY ft_{SEARCH_TABLE}_document (document)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """
    )
    history = (
        "LEFT(CONCAT_WS(' ', "
        "(SELECT GROUP_CONCAT(i.body SEPARATOR ' ') FROM interactions i "
        "WHERE i.case_id = c.id), "
        "(SELECT GROUP_CONCAT(CONCAT_WS(' ', n.summary, n.done, n.contingencies) SEPARATOR ' ') "
        f"FROM handoff_notes n WHERE n.case_id = c.id)), {HISTORY_CAP})"
    )
    upsert = (
        f"INSERT INTO {SEARCH_TABLE} (case_id, document) "
        f"SELECT c.id, CONCAT_WS(' ', {head}, {history}) "
        "FROM cases c JOIN customers cu ON cu.id = c.customer_id WHERE {where} "
        "ON DUPLICATE KEY UPDATE document = VALUES(document)"
    )
    op.execute(
        "CREATE PROCEDURE deskapp_case_search_refresh(IN case_ BINARY(16)) MODIFIES SQL DATA "
        + _long_concat(upsert.format(where="c.id = case_"))
    )
    op.execute(
        "CREATE PROCEDURE deskapp_case_search_refresh_customer(IN customer_ BINARY(16)) "
        "MODIFIES SQL DATA " + _long_concat(upsert.format(where="c.customer_id = customer_"))
    )
    rebuild = f"""
        INSERT INTO {SEARCH_TABLE} (case_id, document)
        SELECT c.id, CONCAT_WS(' ', {head}, LEFT(CONCAT_WS(' ', i.text, n.text), {HISTORY_CAP}))
        FROM cases c JOIN customers cu ON cu.id = c.customer_id
        LEFT JOIN (SELECT case_id, GROUP_CONCAT(body SEPARATOR ' ') AS text
                   FROM interactions GROUP BY case_id) i ON i.case_id = c.id
        LEFT JOIN (SELECT case_id, GROUP_CONCAT(CONCAT_WS(' ', summary, done, contingencies)
                                                SEPARATOR ' ') AS text
                   FROM handoff_notes GROUP BY case_id) n ON n.case_id = c.id
        ON DUPLICATE KEY UPDATE document = VALUES(document)
        """
    op.execute(
        "CREATE PROCEDURE deskapp_case_search_rebuild() MODIFIES SQL DATA " + _long_concat(rebuild)
    )
    live = f"NOT EXISTS (SELECT 1 FROM workspace_settings WHERE `key` = '{PAUSED_KEY}')"
    bodies = {
        "trg_case_search_case_added": (
            "CALL deskapp_case_search_refresh(NEW.id);", "1"),
        "trg_case_search_case_changed": (
            "CALL deskapp_case_search_refresh(NEW.id);",
            "NOT (OLD.subject <=> NEW.subject) OR NOT (OLD.customer_id <=> NEW.customer_id)"),
        "trg_case_search_customer_changed": (
            "CALL deskapp_case_search_refresh_customer(NEW.id);",
            "NOT (OLD.name <=> NEW.name) OR NOT (OLD.email <=> NEW.email) "
            "OR NOT (OLD.phone_digits <=> NEW.phone_digits)"),
        "trg_case_search_interaction_added": (
            "CALL deskapp_case_search_refresh(NEW.case_id);", "1"),
        "trg_case_search_interaction_changed": (
            "CALL deskapp_case_search_refresh(OLD.case_id); "
            "CALL deskapp_case_search_refresh(NEW.case_id);",
            "NOT (OLD.body <=> NEW.body) OR NOT (OLD.case_id <=> NEW.case_id)"),
        "trg_case_search_interaction_removed": (
            "CALL deskapp_case_search_refresh(OLD.case_id);", "1"),
        "trg_case_search_note_added": (
            "CALL deskapp_case_search_refresh(NEW.case_id);", "1"),
    }  # fmt: skip
    for name, (table, event) in SERVER_TRIGGERS.items():
        body, condition = bodies[name]
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW "
            f"BEGIN IF ({condition}) AND {live} THEN {body} END IF; END"
        )
    database = op.get_bind().exec_driver_sql("SELECT DATABASE()").scalar()
    op.execute(f"GRANT SELECT ON `{database}`.`{SEARCH_TABLE}` TO {REP}")
    op.execute(f"GRANT EXECUTE ON PROCEDURE `{database}`.deskapp_case_search_rebuild TO {ADMIN}")
    # Bulk loads pause the triggers with a row of their own transaction, then remove it.
    op.execute(f"GRANT DELETE ON `{database}`.workspace_settings TO {ADMIN}")
    op.execute("CALL deskapp_case_search_rebuild()")  # a workspace that already has cases
