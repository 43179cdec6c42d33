"""Opening the wrong file, or a damaged one: a clear message, and the file left as it was.

A file that is not a Deskapp workspace must not even be switched to WAL (that rewrites its
header); a workspace with garbled pages must give a message a person can act on, never a
driver traceback, whichever service call first reads the damage.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from deskapp.db.urls import parse_db_url
from deskapp.domain.errors import DeskappError, NotADeskappWorkspace
from deskapp.services import audit, auth, teams
from deskapp.services.workspace import open_workspace


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_untouched(path: Path, digest: str) -> None:
    assert sha256(path) == digest
    assert not Path(f"{path}-wal").exists(), "the file was opened for writing (WAL)"
    assert not Path(f"{path}-journal").exists()


def test_a_file_of_random_bytes_is_not_a_workspace_and_stays_as_it_was(tmp_path):
    path = tmp_path / "holiday-photos.sqlite"
    path.write_bytes(random.Random(20261124).randbytes(64 * 1024))
    digest = sha256(path)

    with pytest.raises(NotADeskappWorkspace) as refused:
        open_workspace(parse_db_url(str(path)))

    message = str(refused.value)
    assert "holiday-photos.sqlite is not a Deskapp workspace" in message
    assert "was not changed" in message
    assert_untouched(path, digest)


def make_foreign_database(path: Path, *, alembic_revision: str | None = None) -> None:
    """Another application's SQLite database, in SQLite's default (rollback journal) mode."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('buy milk')")
        if alembic_revision:  # plenty of applications use Alembic too
            conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            conn.execute("INSERT INTO alembic_version VALUES (?)", (alembic_revision,))
        conn.commit()


@pytest.mark.parametrize("alembic_revision", [None, "ae1027a6acf"])
def test_another_applications_database_is_refused_and_not_switched_to_wal(
    tmp_path, alembic_revision
):
    path = tmp_path / "notes.db"
    make_foreign_database(path, alembic_revision=alembic_revision)
    digest = sha256(path)

    with pytest.raises(NotADeskappWorkspace) as refused:
        open_workspace(parse_db_url(str(path)))

    message = str(refused.value)
    assert "another application" in message and "not a Deskapp workspace" in message
    assert "newer" not in message  # an unknown Alembic revision is not a newer Deskapp
    assert_untouched(path, digest)
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def build_workspace_with_many_teams(path: Path) -> None:
    ws = open_workspace(parse_db_url(str(path)))
    setup = auth.setup_actor(ws)
    for number in range(300):
        teams.create_team(
            ws, setup, f"Team {number:03d}", business_hours={"mon": [["09:00", "17:00"]],
                                                            "note": "x" * 500}
        )  # fmt: skip
    ws.close()


def garble_pages_of(path: Path, table: str, pages: int = 4) -> set[str]:
    """Overwrite ``pages`` leaf pages in the middle of ``table`` with noise; returns the names
    of the tables and indexes those pages belonged to."""
    with closing(sqlite3.connect(path)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        leaves = [
            row[0]
            for row in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                (table,),
            )
        ]
        middle = len(leaves) // 2 - pages // 2
        chosen = leaves[middle : middle + pages]
        owners = {
            row[0]
            for number in chosen
            for row in conn.execute("SELECT name FROM dbstat WHERE pageno = ?", (number,))
        }
    noise = random.Random(7)
    with path.open("r+b") as file:
        for number in chosen:
            file.seek((number - 1) * page_size)  # SQLite numbers pages from 1
            file.write(noise.randbytes(page_size))
    return owners


@pytest.mark.slow
def test_a_workspace_with_garbled_pages_gives_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "support.sqlite"
    build_workspace_with_many_teams(path)
    damaged = garble_pages_of(path, "teams")
    assert damaged & {"teams", "audit_events"}, f"the noise must hit data we read: {damaged}"

    failures: list[DeskappError] = []
    try:
        ws = open_workspace(parse_db_url(str(path)))
    except DeskappError as exc:  # the damage may already show while checking the schema
        failures.append(exc)
    else:
        try:
            for read in (
                lambda: teams.list_teams(ws),
                lambda: audit.history(ws, chain=audit.TEAMS_CHAIN),
                lambda: audit.first_broken_link(ws, audit.TEAMS_CHAIN),
            ):
                try:
                    read()
                except DeskappError as exc:
                    failures.append(exc)
        finally:
            ws.close()

    assert failures, "reading garbled pages went unnoticed"
    for failure in failures:
        message = str(failure)
        assert "support.sqlite is damaged" in message
        assert "restore the workspace from its latest backup" in message
