"""People ▸ Change role…: rep, team lead or admin, each with what it may do, so an admin sees
what they are giving. On a server the person's database rights change in the same step."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QRadioButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.enums import Role
from deskapp.domain.errors import DeskappError
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import users
from deskapp.services.people import Person
from deskapp.services.records import Actor, UserInfo
from deskapp.services.workspace import Workspace

ROLE_CHOICES = (
    (Role.REP, "&Rep", "Works their own cases and takes cases from the team's queue."),
    (
        Role.LEAD,
        "Team &lead",
        "Also reassigns the team's cases, sees the team board and edits the team's canned "
        "responses and handoff template.",
    ),
    (Role.ADMIN, "&Admin", "Also adds people and teams and changes the workspace's settings."),
)


class ChangeRoleDialog(QDialog):
    role_changed = Signal(object)  # the person's UserInfo afterwards

    def __init__(
        self,
        runner: TaskRunner,
        ws: Workspace,
        actor: Actor,
        person: Person,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changeRoleDialog")
        self.setAccessibleName(f"Change the role of {person.display_name}")
        self.setWindowTitle(f"Role of {person.display_name}")
        self._runner, self._ws, self._actor, self._person = runner, ws, actor, person
        self._request_id = uuid.uuid4()  # a retry after a lost reply changes it once
        intro = plain_label(
            f"What may {person.display_name} ({person.login}) do?",
            self,
            name="changeRoleIntro",
            wrap=True,
            selectable=False,
        )
        self.choices = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        self.buttons_by_role: dict[Role, QRadioButton] = {}
        for role, text, what in ROLE_CHOICES:
            button = QRadioButton(text, self)
            button.setObjectName(f"changeRole{role.value.capitalize()}")
            button.setChecked(role is person.role)
            self.choices.addButton(button)
            self.buttons_by_role[role] = button
            said = plain_label(
                what,
                self,
                name=f"changeRole{role.value.capitalize()}Says",
                wrap=True,
                selectable=False,
            )
            said.setContentsMargins(self._indent(), 0, 0, 6)
            said.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # it explains
            button.setAccessibleDescription(what)
            pair = QVBoxLayout()
            pair.setSpacing(0)  # the explanation belongs to the button above it
            pair.addWidget(button)
            pair.addWidget(said)
            layout.addLayout(pair)
        self.message = plain_label("", self, name="changeRoleMessage", wrap=True)
        self.message.setAccessibleName("What stops the change")
        self.message.setStyleSheet("QLabel { color: #b3261e; }")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        name_standard_buttons(self.buttons)
        self.change_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.change_button.setText("&Change role")
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.choices.buttonToggled.connect(self._enable)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._enable()

    def _indent(self) -> int:
        """Where a radio button's text starts: its explanation lines up under it."""
        style = self.style()
        return style.pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth) + (
            style.pixelMetric(QStyle.PixelMetric.PM_RadioButtonLabelSpacing)
        )

    def chosen(self) -> Role:
        for role, button in self.buttons_by_role.items():
            if button.isChecked():
                return role
        return self._person.role

    def choose(self, role: Role) -> None:
        self.buttons_by_role[role].setChecked(True)

    @Slot()
    def _enable(self, *_args: object) -> None:
        self.change_button.setEnabled(self.chosen() is not self._person.role)

    @Slot()
    def submit(self) -> None:
        role = self.chosen()
        if role is self._person.role:
            return
        ws, actor, login, request_id = self._ws, self._actor, self._person.login, self._request_id
        self.change_button.setEnabled(False)
        self.message.setText("")
        self._runner.write(
            lambda: users.set_role(ws, actor, login, role, request_id=request_id),
            self._on_changed,
            self._on_failed,
        )

    def _on_changed(self, person: UserInfo) -> None:
        self.role_changed.emit(person)
        self.accept()

    def _on_failed(self, exc: Exception) -> None:
        self._enable()
        self._request_id = uuid.uuid4()  # nothing changed: the next try is a new request
        if isinstance(exc, DeskappError):
            self.message.setText(str(exc))
        else:
            self._runner.report_error(exc, "changing a role")
