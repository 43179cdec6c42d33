"""After signing in with a temporary password: choose your own before anything else.

The change password form (password_dialog.py) in the one situation where it may not be put
off: the window shows nothing of the workspace until the person has chosen (the workspace
controller waits for this dialog before it says who signed in), and closing it signs them
out. The new password goes to the server through the service, which lifts the temporary
one's expiry, and to the keychain only where the temporary one was remembered there.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QDialogButtonBox, QWidget

from deskapp.gui.dialogs.password_dialog import PasswordDialog
from deskapp.gui.task_runner import TaskRunner
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace


class ChoosePasswordDialog(PasswordDialog):
    def __init__(self, runner: TaskRunner, ws: Workspace, actor: Actor,
                 expires_at: datetime | None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(runner, ws, actor, parent)
        self.setObjectName("choosePasswordDialog")
        self.setWindowTitle("Choose your password")
        until = (
            f" It stops working on {expires_at.astimezone():%-d %b %Y at %H:%M}."
            if expires_at is not None
            else ""
        )
        self.ui.intro.setText(
            f"Welcome, {actor.display_name}. You signed in to {ws.name} as {actor.login} with "
            "a temporary password from your admin. Choose your own now, one nobody else knows "
            f"(at least 10 characters), to start working.{until}"
        )
        self.ui.intro.setWordWrap(True)
        ok = self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Choose password")
        ok.setAccessibleName("Choose this password")
        cancel = self.ui.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("&Sign out")
        cancel.setAccessibleName("Sign out without choosing a password")
        self.setMinimumWidth(480)
        self.ui.newPassword.setFocus()
