"""GUI test fixtures: SQL on the GUI thread is an error, a task runner, a guarded workspace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deskapp.gui.sql_guard import MODE_VARIABLE, guard_gui_thread
from deskapp.gui.task_runner import TaskRunner
from deskapp.services.workspace import Workspace


@pytest.fixture(autouse=True)
def sql_on_gui_thread_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every workspace the GUI opens in a test turns SQL on the GUI thread into an error."""
    monkeypatch.setenv(MODE_VARIABLE, "raise")


@pytest.fixture
def runner(qapp) -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    assert task_runner.shutdown(), "a task was still running at the end of the test"


@pytest.fixture
def gui_workspace(db) -> Workspace:
    """The test's workspace signed in as the rep, watched like one the GUI opened itself."""
    ws = db.open("rep")
    guard_gui_thread(ws.engine)
    return ws
