"""Signing in with a temporary password: the person chooses their own before the window shows
anything, and declining signs them out. MariaDB here: it really checks passwords."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from deskapp import credentials
from deskapp.domain.errors import ConnectionFailed
from deskapp.gui.dialogs.choose_password_dialog import ChoosePasswordDialog
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import auth, people
from deskapp.services.auth import SignedIn
from deskapp.services.workspace import Workspace, open_workspace
from tests.helpers.own_login import own_login

pytestmark = pytest.mark.dialects("mariadb")
MINE = "a-much-better-passphrase"


@pytest.fixture
def temporary(db):
    """A person of this test's own who was just given a temporary password: (login, it)."""
    for login in own_login(db, "cp"):
        ws, admin = db.sign_in("admin")
        yield login, people.issue_temporary_password(ws, admin, login)


def _click(dialog: ChoosePasswordDialog, runner, password: str, repeat: str | None = None) -> None:
    dialog.ui.newPassword.setText(password)
    dialog.ui.repeatPassword.setText(password if repeat is None else repeat)
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert runner.wait_idle(20_000)


def test_the_person_chooses_their_own_and_only_it_works_afterwards(qtbot, runner, db, temporary):
    login, temporary_password = temporary
    url = db.url.set(username=login)
    ws = open_workspace(url, password=temporary_password)
    credentials.remember_password(ws.url, temporary_password)  # "remember" was ticked
    signed = auth.sign_in_checked(ws)
    dialog = ChoosePasswordDialog(runner, ws, signed.actor, signed.temporary_password_expires_at)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Choose your password"
    assert "temporary password from your admin" in dialog.ui.intro.text()
    assert "It stops working on" in dialog.ui.intro.text()
    cancel = dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "&Sign out"

    _click(dialog, runner, temporary_password)
    assert "That is the temporary password" in dialog.ui.message.text()
    assert dialog.result() != ChoosePasswordDialog.DialogCode.Accepted
    _click(dialog, runner, MINE, MINE + "x")
    assert "differ" in dialog.ui.message.text()
    _click(dialog, runner, MINE)

    assert dialog.result() == ChoosePasswordDialog.DialogCode.Accepted
    assert credentials.get_password(url) == MINE  # the keychain keeps the new one, not the old
    ws.close()
    with pytest.raises(ConnectionFailed, match="did not accept the password"):
        open_workspace(url, password=temporary_password)
    again = open_workspace(url, password=MINE)
    assert auth.sign_in_checked(again).must_choose_password is False
    again.close()


def _open_through_controller(qtbot, runner, db, login: str, password: str, choose) -> tuple:
    controller = WorkspaceController(runner)
    controller.choose_password = choose
    signed_in: list = []
    problems: list[str] = []
    controller.signed_in.connect(signed_in.append)
    runner.failed.connect(problems.append)
    controller.open(db.url.set(username=login), password=password)
    assert runner.wait_idle(20_000)
    qtbot.waitUntil(lambda: bool(signed_in or problems), timeout=20_000)
    assert runner.wait_idle(20_000)
    return controller, signed_in, problems


def test_nothing_is_signed_in_until_the_password_is_chosen(qtbot, runner, db, temporary):
    login, temporary_password = temporary
    asked: list[tuple[str, int]] = []
    signed_in: list = []

    def choose(_ws: Workspace, signed: SignedIn) -> bool:
        asked.append((signed.actor.login, len(signed_in)))  # the window knows nobody yet
        return True  # the dialog accepted: the password was changed

    controller, signed_in_now, problems = _open_through_controller(
        qtbot, runner, db, login, temporary_password, choose
    )
    signed_in.extend(signed_in_now)
    assert asked == [(login, 0)]
    assert [actor.login for actor in signed_in] == [login] and problems == []
    controller.close()

    # Once they have a password of their own: straight in, nothing asked.
    ws = open_workspace(db.url.set(username=login), password=temporary_password)
    auth.change_own_password(ws, auth.sign_in(ws), MINE)
    ws.close()
    asked.clear()
    controller, signed_in, problems = _open_through_controller(
        qtbot, runner, db, login, MINE, choose
    )
    assert asked == [] and [actor.login for actor in signed_in] == [login]
    controller.close()


def test_declining_to_choose_signs_the_person_out(qtbot, runner, db, temporary):
    login, temporary_password = temporary
    controller, signed_in, problems = _open_through_controller(
        qtbot, runner, db, login, temporary_password, lambda _ws, _signed: False
    )
    assert signed_in == []
    assert controller.workspace is None and controller.actor is None
    assert len(problems) == 1 and "needs a password of your own" in problems[0]
    # The temporary password still works for the next attempt (until it expires).
    ws = open_workspace(db.url.set(username=login), password=temporary_password)
    assert auth.sign_in_checked(ws).must_choose_password
    ws.close()
