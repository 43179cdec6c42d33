"""Fault tests that drive the GUI: a task runner, and SQL on the GUI thread as an error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deskapp.gui.sql_guard import MODE_VARIABLE
from deskapp.gui.task_runner import TaskRunner
from deskapp.services.retry import RETRY_DELAYS_SECONDS


@pytest.fixture
def retry_delays() -> tuple[float, ...]:
    """The app's own; a test that must see the runner give up parametrizes a shorter wait."""
    return RETRY_DELAYS_SECONDS


@pytest.fixture
def runner(qapp, monkeypatch: pytest.MonkeyPatch, retry_delays) -> Iterator[TaskRunner]:
    monkeypatch.setenv(MODE_VARIABLE, "raise")  # every workspace the GUI opens is watched
    task_runner = TaskRunner(retry_delays=retry_delays)
    yield task_runner
    assert task_runner.shutdown(), "a task was still running at the end of the test"
