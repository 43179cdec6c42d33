"""First run and local sign-in, with real workspaces."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import func, select

from deskapp.db.models import Case
from deskapp.db.urls import parse_db_url
from deskapp.domain.enums import Role
from deskapp.gui.dialogs import welcome_dialog
from deskapp.gui.dialogs.identity_dialog import IdentityDialog
from deskapp.gui.dialogs.welcome_dialog import WelcomeChoice, WelcomeDialog
from deskapp.services import queue
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import open_workspace


def test_trying_the_demo_builds_it_once_with_progress(qtbot, runner, isolated_app_dirs):
    dialog = WelcomeDialog(runner, demo_cases=400)
    qtbot.addWidget(dialog)
    stages = []
    dialog._progress.advanced.connect(lambda stage, done, total: stages.append(stage))
    dialog.ui.demo.click()
    assert not dialog.ui.server.isEnabled()  # one choice at a time
    qtbot.waitUntil(lambda: dialog.choice is WelcomeChoice.DEMO, timeout=60_000)
    assert {"customers", "cases"} <= set(stages)
    dialog.workspace.close()
    again = welcome_dialog.open_or_build_demo(
        welcome_dialog.demo_path(), welcome_dialog.DemoSpec(400)
    )
    with read_session(again) as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 400  # not built twice
    again.close()


def test_the_first_person_in_a_new_workspace_adds_themself_as_admin(qtbot, runner, tmp_path):
    ws = open_workspace(parse_db_url(str(tmp_path / "new.sqlite")))
    dialog = IdentityDialog(runner, ws)
    qtbot.addWidget(dialog)
    assert runner.wait_idle()
    assert "add yourself" in dialog.ui.message.text()
    assert dialog.ui.role.currentText() == "Admin"
    dialog.ui.name.setText("Dana Scully")
    dialog.ui.add.click()
    assert runner.wait_idle()
    assert dialog.actor is not None
    assert (dialog.actor.display_name, dialog.actor.login, dialog.actor.role) == (
        "Dana Scully",
        "dana.scully",
        Role.ADMIN,
    )
    ws.close()


@pytest.mark.dialects("sqlite")
def test_a_rep_finds_their_name_and_signs_in(qtbot, runner, db):
    ws = db.open("admin")
    dialog = IdentityDialog(runner, ws)
    qtbot.addWidget(dialog)
    assert runner.wait_idle()
    qtbot.keyClicks(dialog.ui.filter, "Ray")
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert runner.wait_idle()
    assert dialog.actor.display_name == "Ray Rep"
    assert queue.QueueView.ALL_OPEN not in queue.views_for(dialog.actor)
