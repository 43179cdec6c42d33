"""Running ``deskapp`` in-process the way a person or a script would, on real databases."""

from __future__ import annotations

import io
import itertools
import os
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from deskapp.cli.connect import PASSWORD_ENV
from deskapp.cli.main import main
from tests.helpers.databases import RUN, require_server, superuser_engine

_counter = itertools.count(1)


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def nobody_at_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Like a script: stdin is no terminal, and no password waits in the environment."""
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


@pytest.fixture
def deskapp(capsys: pytest.CaptureFixture[str]) -> Run:
    """``deskapp("db current --db", path)`` → Result(code, out, err). The first argument is a
    command line as a shell splits it; the rest are passed verbatim (paths, odd names)."""

    def run(line: str, *verbatim: str) -> Result:
        code = main([*shlex.split(line), *verbatim])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@dataclass
class ServerDatabase:
    """An empty database of its own on a real server, and the superuser's address for it."""

    dialect: str
    name: str
    superuser: URL
    logins: list[str] = field(default_factory=list)

    def address(self, login: str | None = None) -> str:
        """The --db address, as the superuser or as ``login`` (never with a password)."""
        url = self.superuser.set(database=self.name, password=None)
        if login is not None:
            url = url.set(username=login)
        return url.render_as_string(hide_password=False)

    def new_login(self, purpose: str) -> str:
        """A login name unique to this run (logins are server-wide), dropped at the end."""
        login = f"{RUN}_cli_{purpose}_{next(_counter)}"
        self.logins.append(login)
        return login

    def table_names(self) -> set[str]:
        engine = superuser_engine(self.dialect, self.name)
        with engine.connect() as conn:
            if self.dialect == "postgresql":
                query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            else:
                query = f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{self.name}'"  # noqa: E501
            names = set(conn.execute(text(query)).scalars())
        engine.dispose()
        return names


def create_server_database(
    dialect: str, monkeypatch: pytest.MonkeyPatch | None = None
) -> ServerDatabase:
    superuser = require_server(dialect)
    if superuser.password and monkeypatch is not None:
        # A configured superuser password travels the way scripts give one, never in --db.
        monkeypatch.setenv(PASSWORD_ENV, superuser.password)
    name = f"deskapp_t_{os.getpid()}_cli_{next(_counter)}"  # the helpers' leftover sweep knows it
    engine = superuser_engine(dialect)
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return ServerDatabase(dialect, name, superuser)


def drop_server_database(database: ServerDatabase) -> None:
    engine = superuser_engine(database.dialect)
    with engine.connect() as conn:
        if database.dialect == "postgresql":
            conn.execute(text(f"DROP DATABASE IF EXISTS {database.name} WITH (FORCE)"))
            for login in database.logins:
                conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        else:
            conn.execute(text(f"DROP DATABASE IF EXISTS {database.name}"))
            for login in database.logins:
                conn.execute(text(f"DROP USER IF EXISTS '{login}'@'%'"))
    engine.dispose()


@pytest.fixture(params=["postgresql", "mariadb"])
def server_database(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServerDatabase]:
    database = create_server_database(request.param, monkeypatch)
    yield database
    drop_server_database(database)


@pytest.fixture
def postgresql_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerDatabase]:
    database = create_server_database("postgresql", monkeypatch)
    yield database
    drop_server_database(database)
