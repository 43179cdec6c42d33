"""Change my own password on the team server; the keychain copy follows if one is kept."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from deskapp import credentials
from deskapp.domain.errors import DeskappError
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.forms.ui_password_dialog import Ui_PasswordDialog
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import auth
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace


class PasswordDialog(QDialog):
    def __init__(self, runner: TaskRunner, ws: Workspace, actor: Actor,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.ui = Ui_PasswordDialog()
        self.ui.setupUi(self)
        name_standard_buttons(self.ui.buttons)
        self._runner, self._ws, self._actor = runner, ws, actor
        self.ui.intro.setText(
            f"The new password for {actor.login} on {ws.name} (at least 10 characters)."
        )
        self.ui.buttons.accepted.connect(self._change)
        self.ui.buttons.rejected.connect(self.reject)

    @Slot()
    def _change(self) -> None:
        new, repeat = self.ui.newPassword.text(), self.ui.repeatPassword.text()
        if new != repeat:
            self._show("The two passwords differ. Type the new one twice.")
            return
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        ws, actor = self._ws, self._actor
        self._runner.write(lambda: auth.change_own_password(ws, actor, new),
                           lambda _: self._changed(new), self._failed, owner=self)  # fmt: skip

    def _changed(self, new: str) -> None:
        if credentials.get_password(self._ws.url) is not None:
            credentials.remember_password(self._ws.url, new)  # keep the keychain in step
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        self._show(str(exc) if isinstance(exc, DeskappError) else f"Not changed: {exc}")

    def _show(self, text: str) -> None:
        self.ui.message.setStyleSheet("QLabel { color: #b3261e; }")
        self.ui.message.setText(text)
