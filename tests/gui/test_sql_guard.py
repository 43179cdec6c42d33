"""SQL on the GUI thread is caught: an error in tests, a logged bug report in the app."""

from __future__ import annotations

import logging

import pytest

from deskapp.db.engine import SqlOnForbiddenThread
from deskapp.gui.sql_guard import MODE_VARIABLE, guard_gui_thread
from deskapp.services import users
from tests.helpers.databases import login_of


def test_a_service_called_on_the_gui_thread_is_an_error(gui_workspace):
    with pytest.raises(SqlOnForbiddenThread, match="GUI thread"):
        users.list_users(gui_workspace)


def test_the_same_call_through_the_runner_works(gui_workspace, runner):
    people = []
    runner.read(lambda: users.list_users(gui_workspace), people.append)
    assert runner.wait_idle()
    assert login_of("rep") in {person.login for person in people[0]}


@pytest.mark.dialects("sqlite")
def test_the_app_logs_sql_on_the_gui_thread_instead_of_crashing(db, monkeypatch, caplog):
    monkeypatch.setenv(MODE_VARIABLE, "report")
    ws = db.open("rep")
    guard_gui_thread(ws.engine)
    with caplog.at_level(logging.ERROR, logger="deskapp.gui.sql_guard"):
        found = users.list_users(ws)
    assert login_of("rep") in {person.login for person in found}
    assert "SQL ran on the GUI thread" in caplog.text
