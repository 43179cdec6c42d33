"""Fixtures for the schema and engine tests: an owner's engine on a test workspace, and fresh
empty server databases (named with this process's id, dropped afterwards)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from deskapp.db.engine import make_engine
from deskapp.db.urls import parse_db_url
from tests.helpers import databases

_fresh = itertools.count(1)


def owner_url(dialect: str, database: str) -> URL:
    """The SQLite file, or ``database`` on the server as the server's superuser."""
    if dialect == "sqlite":
        return parse_db_url(database)
    server = databases.require_server(dialect)
    return parse_db_url(server.set(database=database).render_as_string(hide_password=False))


@pytest.fixture
def owner_engine(db: databases.TestDatabase) -> Iterator[Engine]:
    """The workspace as its owner sees it: the SQLite file itself, or the server's superuser
    (for what no person may do: alembic check, downgrade, raw edits behind the app's back)."""
    engine = make_engine(owner_url(db.dialect, db.url.database or ""))
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_server_database() -> Iterator[Callable[[str], str]]:
    """``make(dialect)`` creates an empty database and returns its name."""
    made: list[tuple[str, str]] = []

    def make(dialect: str) -> str:
        name = f"{databases.PREFIX}fresh_{next(_fresh)}"
        engine = databases.superuser_engine(dialect)
        with engine.connect() as conn:
            quoted = f'"{name}"' if dialect == "postgresql" else f"`{name}`"
            conn.execute(text(f"CREATE DATABASE {quoted}"))
        engine.dispose()
        made.append((dialect, name))
        return name

    yield make
    for dialect, name in made:
        engine = databases.superuser_engine(dialect)
        with engine.connect() as conn:
            if dialect == "postgresql":
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            else:
                conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        engine.dispose()
