"""Sign in to a local workspace: pick yourself from the list, or add yourself."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidgetItem, QPushButton, QWidget

from deskapp.domain.enums import Role
from deskapp.domain.errors import DeskappError
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.forms.ui_identity_dialog import Ui_IdentityDialog
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import auth, users
from deskapp.services.records import Actor, UserInfo
from deskapp.services.workspace import Workspace

_ROLES = [Role.REP, Role.LEAD, Role.ADMIN]  # in the order of the form's choices
_ROLE_NAMES = {Role.REP: "rep", Role.LEAD: "team lead", Role.ADMIN: "admin"}


class IdentityDialog(QDialog):
    def __init__(self, runner: TaskRunner, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_IdentityDialog()
        self.ui.setupUi(self)
        name_standard_buttons(self.ui.buttons)
        self._runner = runner
        self._ws = ws
        self._people: list[UserInfo] = []
        self.actor: Actor | None = None
        self.ui.intro.setText(
            f"{ws.name} is a workspace file on this computer. Choose who you are, or add yourself."
        )
        self._ok().setText("Sign in")
        self._ok().setEnabled(False)
        self._connect_signals()
        runner.read(lambda: users.list_users(ws), self._show_people, self._show_error,
                    owner=self)  # fmt: skip

    def _connect_signals(self) -> None:
        self.ui.filter.textChanged.connect(self._apply_filter)
        self.ui.people.currentRowChanged.connect(
            lambda row: self._ok().setEnabled(row >= 0 and not self.ui.people.item(row).isHidden())
        )
        self.ui.people.itemActivated.connect(lambda _item: self._sign_in())
        self.ui.add.clicked.connect(self._add_me)
        self.ui.buttons.accepted.connect(self._sign_in)
        self.ui.buttons.rejected.connect(self.reject)

    def _ok(self) -> QPushButton:
        return self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _show_people(self, people: list[UserInfo]) -> None:
        self._people = people
        self.ui.people.clear()
        for person in people:
            item = QListWidgetItem(f"{person.display_name}  ·  {_ROLE_NAMES[person.role]}"
                                   f"  ·  {person.login}")  # fmt: skip
            item.setData(Qt.ItemDataRole.UserRole, person.login)
            self.ui.people.addItem(item)
        if not people:
            self.ui.message.setText("Nobody works in this workspace yet: add yourself below.")
            self.ui.role.setCurrentIndex(_ROLES.index(Role.ADMIN))  # who sets it up runs it
            self.ui.name.setFocus()
        else:
            self.ui.filter.setFocus()

    @Slot(str)
    def _apply_filter(self, text: str) -> None:
        words = text.lower().split()
        first_visible = -1
        for row in range(self.ui.people.count()):
            item = self.ui.people.item(row)
            hidden = not all(w in item.text().lower() for w in words)
            item.setHidden(hidden)
            if not hidden and first_visible < 0:
                first_visible = row
        self.ui.people.setCurrentRow(first_visible)

    @Slot()
    def _sign_in(self) -> None:
        item = self.ui.people.currentItem()
        if item is None or item.isHidden():
            self._show_message("Choose yourself in the list, or add yourself below.")
            return
        login = item.data(Qt.ItemDataRole.UserRole)
        self._runner.read(lambda: auth.sign_in(self._ws, login), self._signed_in,
                          self._show_error, owner=self)  # fmt: skip

    @Slot()
    def _add_me(self) -> None:
        name, role = self.ui.name.text(), _ROLES[self.ui.role.currentIndex()]
        self._runner.write(lambda: auth.create_local_identity(self._ws, name, role),
                           self._signed_in, self._show_error, owner=self)  # fmt: skip

    def _signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    def _show_error(self, exc: BaseException) -> None:
        self._show_message(
            str(exc) if isinstance(exc, DeskappError) else f"Could not sign in: {exc}"
        )

    def _show_message(self, text: str) -> None:
        self.ui.message.setStyleSheet("QLabel { color: #b3261e; }")
        self.ui.message.setText(text)
