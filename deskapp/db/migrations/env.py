"""Alembic environment. Always run through deskapp.db.migrate, which hands us a connection."""

from __future__ import annotations

from alembic import context

from deskapp.db.models import Base

config = context.config
connection = config.attributes["connection"]

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can only ALTER by copying the table
    compare_type=True,
    include_object=lambda obj, name, type_, reflected, compare_to: (
        not (
            # SQLite FTS5 shadow tables (issue: queue search) are not ORM models.
            type_ == "table"
            and name is not None
            and name.endswith(
                ("_fts", "_fts_data", "_fts_idx", "_fts_content", "_fts_docsize", "_fts_config")
            )
        )
    ),
)
with context.begin_transaction():
    context.run_migrations()
