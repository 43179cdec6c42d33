"""People ▸ Add person…: name, a login suggested from the name, role, team and, on a server,
the initial password typed twice. What the service refuses (a login taken, a short password)
is said under the form and nothing typed is lost. The new person's id is chosen once, so a
retry after a lost reply adds them once."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.enums import Role
from deskapp.domain.errors import DeskappError
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.people.people_model import ROLE_NAMES
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import people, users
from deskapp.services.records import Actor, TeamInfo, UserInfo
from deskapp.services.workspace import Workspace

PASSWORD_HINT = (
    f"At least {users.MIN_PASSWORD_LENGTH} characters. Hand it over privately; they choose "
    "their own after signing in (File ▸ Change password…)."
)


class AddPersonDialog(QDialog):
    added = Signal(object)  # the UserInfo of the person added

    def __init__(
        self,
        runner: TaskRunner,
        ws: Workspace,
        actor: Actor,
        teams: tuple[TeamInfo, ...],
        taken_logins: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("addPersonDialog")
        self.setAccessibleName("Add a person")
        self.setWindowTitle("Add a person")
        self._runner, self._ws, self._actor = runner, ws, actor
        self._taken = taken_logins
        self._login_typed = False  # the admin typed a login of their own: stop suggesting
        self._user_id = uuid.uuid4()
        self._build(teams)
        self._connect_signals()

    def _build(self, teams: tuple[TeamInfo, ...]) -> None:
        form = QFormLayout()
        self.name = self._line("addPersonName", "Name", "e.g. Dana Scully")
        form.addRow("&Name:", self.name)
        self.login = self._line("addPersonLogin", "Login", "suggested from the name")
        self.login.setToolTip("2–63 lower-case letters, digits, dots or underscores")
        form.addRow("&Login:", self.login)
        self.role = QComboBox(self)
        self.role.setObjectName("addPersonRole")
        self.role.setAccessibleName("Role")
        for role in (Role.REP, Role.LEAD, Role.ADMIN):
            self.role.addItem(ROLE_NAMES[role], role.value)
        form.addRow("&Role:", self.role)
        self.team = QComboBox(self)
        self.team.setObjectName("addPersonTeam")
        self.team.setAccessibleName("Team")
        for team in teams:
            self.team.addItem(team.name, str(team.id))
        self.team.addItem("No team", "")
        form.addRow("&Team:", self.team)
        self.password = self._line("addPersonPassword", "Initial password", "")
        self.repeat = self._line("addPersonPasswordAgain", "The same password again", "")
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_hint = plain_label(
            PASSWORD_HINT, self, name="addPersonPasswordHint", wrap=True, selectable=False
        )
        if self._ws.is_server:
            form.addRow("Initial &password:", self.password)
            form.addRow("&Again:", self.repeat)
            form.addRow("", self.password_hint)
        else:  # a local workspace has no passwords
            for widget in (self.password, self.repeat, self.password_hint):
                widget.hide()
        self.message = plain_label("", self, name="addPersonMessage", wrap=True)
        self.message.setAccessibleName("What stops adding this person")
        self.message.setStyleSheet("QLabel { color: #b3261e; }")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        name_standard_buttons(self.buttons)
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText("&Add person")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def _line(self, name: str, spoken: str, placeholder: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setAccessibleName(spoken)
        field.setPlaceholderText(placeholder)
        return field

    def _connect_signals(self) -> None:
        self.name.textEdited.connect(self._on_name_edited)
        self.login.textEdited.connect(self._on_login_edited)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    @Slot(str)
    def _on_name_edited(self, name: str) -> None:
        if not self._login_typed:
            self.login.setText(people.suggest_login(name, self._taken))

    @Slot(str)
    def _on_login_edited(self, login: str) -> None:
        self._login_typed = bool(login)  # emptied: suggest again

    # ------------------------------------------------------------------ adding
    @Slot()
    def submit(self) -> None:
        name, login = " ".join(self.name.text().split()), self.login.text().strip()
        if not name:
            self._show("Type the person's name as colleagues know it.")
            return
        if not login:
            self._show("Choose a login: what they will sign in with.")
            return
        password: str | None = None
        if self._ws.is_server:
            if self.password.text() != self.repeat.text():
                self._show("The two passwords differ. Type the initial password twice.")
                return
            password = self.password.text()
        team_raw = self.team.currentData()
        team_id = uuid.UUID(team_raw) if team_raw else None
        role = Role(self.role.currentData())
        ws, actor, user_id = self._ws, self._actor, self._user_id
        self.add_button.setEnabled(False)
        self._show("")
        self._runner.write(
            lambda: users.add_user(
                ws,
                actor,
                login=login,
                display_name=name,
                role=role,
                team_id=team_id,
                password=password,
                user_id=user_id,
            ),
            self._on_added,
            self._on_failed,
        )

    def _on_added(self, person: UserInfo) -> None:
        self.password.clear()
        self.repeat.clear()
        self.added.emit(person)
        self.accept()

    def _on_failed(self, exc: Exception) -> None:
        self.add_button.setEnabled(True)
        if isinstance(exc, DeskappError):
            self._show(str(exc))
        else:
            self._runner.report_error(exc, "adding a person")

    def _show(self, text: str) -> None:
        self.message.setText(text)
