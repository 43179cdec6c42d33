"""Alembic environment. Always run through deskapp.db.migrate, which hands us a connection."""

from __future__ import annotations

import warnings
from typing import Any

from alembic import context

from deskapp.db.models import Base

config = context.config
connection = config.attributes["connection"]


def _compared(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Whether `alembic check` compares this object of the models with the database."""
    # SQLite FTS5 shadow tables (issue: queue search) are not ORM models.
    if type_ == "table" and name is not None:
        return not name.endswith(
            ("_fts", "_fts_data", "_fts_idx", "_fts_content", "_fts_docsize", "_fts_config")
        )
    # An index the models create on some dialects only (models/cases.py, partial indexes).
    if type_ == "index" and not reflected:
        return connection.dialect.name in obj.info.get("dialects", (connection.dialect.name,))
    return True


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can only ALTER by copying the table
    compare_type=True,
    include_object=_compared,
)
with context.begin_transaction(), warnings.catch_warnings():
    # SQLite cannot reflect an index on an expression, so `alembic check` leaves the queue's
    # partial indexes (migration 0007) out of the comparison, and says so: expected, not news.
    warnings.filterwarnings("ignore", r".*expression-based index '?ix_cases_(open|ticking)_due")
    context.run_migrations()
