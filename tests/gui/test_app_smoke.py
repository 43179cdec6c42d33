"""``run_gui(smoke_test=True)`` in a real process: it opens (creating and migrating the local
workspace), shows the window and exits 0; a problem exits 1 with the reason, never a hang."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from deskapp.gui.sql_guard import MODE_VARIABLE


def run_smoke(home: Path, url_code: str = "None") -> subprocess.CompletedProcess[str]:
    code = (
        "from deskapp.db.urls import parse_db_url\n"
        "from deskapp.gui.app import run_gui\n"
        f"raise SystemExit(run_gui({url_code}, smoke_test=True))\n"
    )
    env = {
        **os.environ,
        "DESKAPP_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        MODE_VARIABLE: "raise",  # SQL on the GUI thread would fail the smoke test
    }
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_smoke_test_creates_the_local_workspace_shows_the_window_and_exits_0(tmp_path):
    result = run_smoke(tmp_path)
    assert result.returncode == 0, result.stderr
    workspace = tmp_path / "data" / "workspace.sqlite"
    with closing(sqlite3.connect(workspace)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"alembic_version", "cases", "users", "handoff_notes"} <= tables
    log = (tmp_path / "logs" / "deskapp.log").read_text(encoding="utf-8")
    assert "starting" in log and "stopped" in log
    assert "ERROR" not in log


def test_smoke_test_on_a_file_that_is_no_workspace_exits_1_with_the_reason(tmp_path):
    junk = tmp_path / "notes.sqlite"
    junk.write_text("shopping list: milk, eggs\n" * 50, encoding="utf-8")
    result = run_smoke(tmp_path, f"parse_db_url({str(junk)!r})")
    assert result.returncode == 1
    assert "notes.sqlite is not a Deskapp workspace" in result.stderr
    assert "Traceback" not in result.stderr
