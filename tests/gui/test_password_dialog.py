"""Changing my own password on a team server (MariaDB here: it really checks passwords)."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import text

from deskapp import credentials
from deskapp.domain.enums import Role
from deskapp.domain.errors import ConnectionFailed
from deskapp.gui.dialogs.password_dialog import PasswordDialog
from deskapp.services import auth, users
from deskapp.services.workspace import open_workspace
from tests.helpers.databases import PASSWORD, superuser_engine

NEW = "a-much-better-passphrase"


@pytest.fixture
def person(db):
    """A login of this test's own: changing its password disturbs no other test."""
    ws, admin = db.sign_in("admin")
    login = f"pw{uuid.uuid4().hex[:10]}"
    users.add_user(ws, admin, login=login, display_name="Pat Word", role=Role.REP,
                   team_id=db.team_id, password=PASSWORD)  # fmt: skip
    yield login
    engine = superuser_engine(db.dialect)
    with engine.connect() as conn:
        conn.execute(text(f"DROP USER IF EXISTS '{login}'@'%'"))
    engine.dispose()


@pytest.mark.dialects("mariadb")
def test_new_password_works_the_old_one_no_longer_and_the_keychain_follows(
    qtbot, runner, db, person
):
    url = db.url.set(username=person)
    ws = open_workspace(url, password=PASSWORD)
    credentials.remember_password(ws.url, PASSWORD)
    dialog = PasswordDialog(runner, ws, auth.sign_in(ws))
    qtbot.addWidget(dialog)
    dialog.ui.newPassword.setText(NEW)
    dialog.ui.repeatPassword.setText(NEW)
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert runner.wait_idle(20_000)
    assert dialog.result() == PasswordDialog.DialogCode.Accepted
    ws.close()
    open_workspace(url, password=NEW).close()
    with pytest.raises(ConnectionFailed, match="password"):
        open_workspace(url, password=PASSWORD)
    assert credentials.get_password(url) == NEW


@pytest.mark.dialects("mariadb")
def test_mistyped_repeat_or_short_password_is_explained(qtbot, runner, db, person):
    ws = open_workspace(db.url.set(username=person), password=PASSWORD)
    dialog = PasswordDialog(runner, ws, auth.sign_in(ws))
    qtbot.addWidget(dialog)
    dialog.ui.newPassword.setText(NEW)
    dialog.ui.repeatPassword.setText(NEW + "x")
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "differ" in dialog.ui.message.text()
    dialog.ui.newPassword.setText("short")
    dialog.ui.repeatPassword.setText("short")
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert runner.wait_idle(20_000)
    assert "at least 10 characters" in dialog.ui.message.text()
    ws.close()
