"""Team ▸ People…: who works in this workspace, their role, team, open cases and whether they
are signed in now.

An admin adds people, changes roles, deactivates and reactivates them and issues temporary
passwords (server workspaces). A team lead sees their own team here, read-only: who is in and
how loaded, without the board's detail; only an admin changes people (the services refuse
anyone else anyway, and on PostgreSQL the database too).

Deactivating someone who still holds open cases is refused by the service; the refusal is
shown with a button that opens Team ▸ Rep is out… for that person (``move_cases_requested``).
Every read and write goes through the task runner; a reply older than the latest request is
dropped, and the selection follows the person across reloads.
"""

from __future__ import annotations

import itertools
import uuid
from typing import TypeVar

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from deskapp import APP_NAME
from deskapp.domain.enums import Role
from deskapp.domain.errors import DeskappError
from deskapp.gui.appearance import is_dark
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.people.add_person_dialog import AddPersonDialog
from deskapp.gui.people.people_model import COLUMNS, NAME, SIGNED_IN, PeopleModel
from deskapp.gui.people.questions import Confirm, OfferMove, confirm_box, offer_move_box
from deskapp.gui.people.role_dialog import ChangeRoleDialog
from deskapp.gui.people.temporary_password_dialog import TemporaryPasswordDialog
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import people, users
from deskapp.services.people import PeopleList, Person
from deskapp.services.records import Actor, UserInfo
from deskapp.services.users import StillHoldsCases
from deskapp.services.workspace import Workspace

INITIAL_SIZE = (1000, 560)
REFRESH_MS = 30_000  # "signed in now" goes stale after half a minute (services/presence.py)
SETTLE_MS = 1_000  # a burst of case changes is one reread
# Wide enough for these samples in the table's font; the name column takes the rest.
_SAMPLES = (
    "",
    "alexandra.montgomery",
    "Team lead",
    "Customer Care North",
    "Deactivated",
    "Open cases",
    "Signed in",
)
_PADDING = 30  # the cell margins and the divider
_ICON = 20  # the signed-in dot before "Now"
D = TypeVar("D", bound=QDialog)
_AS_ROLE = {Role.REP: "a rep", Role.LEAD: "a team lead", Role.ADMIN: "an admin"}


class PeopleWindow(QWidget):
    move_cases_requested = Signal(object)  # a user id: open Team ▸ Rep is out… for them
    closed = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        ws: Workspace,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        confirm: Confirm = confirm_box,
        offer_move: OfferMove = offer_move_box,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("peopleWindow")
        self.setAccessibleName("People")
        self.setWindowTitle(f"People — {APP_NAME}")
        self._runner, self._ws, self._actor = runner, ws, actor
        self._confirm, self._offer_move = confirm, offer_move
        self._tickets = itertools.count(1)
        self._latest = 0
        self.listing: PeopleList | None = None
        self._counts, self._notice = "", ""  # the status line: how many, what just happened
        self.dialog: QDialog | None = None  # the add / role / password dialog open now
        self._build()
        self._connect_signals()
        self.reload()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.intro = plain_label("", self, name="peopleIntro", wrap=True, selectable=False)
        self.intro.setAccessibleName("Whom this list shows")
        self.model = PeopleModel(is_dark(self.palette()), self)
        self.table = QTableView(self)
        self.table.setObjectName("peopleTable")
        self.table.setAccessibleName("People")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        metrics = self.table.fontMetrics()
        for number in range(len(COLUMNS)):
            if number == NAME:
                header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
            else:
                header.resizeSection(
                    number,
                    metrics.horizontalAdvance(_SAMPLES[number])
                    + _PADDING
                    + _ICON * (number == SIGNED_IN),
                )
        self.status = plain_label(
            "Reading the people…", self, name="peopleStatus", wrap=True, selectable=False
        )
        self.status.setAccessibleName("People status")
        self.add_button = self._button(
            "peopleAdd", "&Add person…", "Add a person who can then sign in"
        )
        self.role_button = self._button(
            "peopleChangeRole",
            "Change &role…",
            "Make the selected person a rep, team lead or admin",
        )
        self.active_button = self._button(
            "peopleDeactivate",
            "&Deactivate…",
            "The selected person can no longer sign in; their history stays",
        )
        self.password_button = self._button(
            "peopleTemporaryPassword",
            "Temporary &password…",
            "A new random password for the selected person, shown once",
        )
        self.refresh_button = self._button("peopleRefresh", "Re&fresh", "Read the list again")
        self.close_button = self._button("peopleClose", "&Close", "Close the people list")
        self.admin_buttons = (
            self.add_button,
            self.role_button,
            self.active_button,
            self.password_button,
        )
        buttons = QHBoxLayout()
        for button in self.admin_buttons:
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.action_close = QAction("&Close", self)
        self.action_close.setObjectName("actionClosePeople")
        self.action_close.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Close) or [QKeySequence("Ctrl+W")]
        )
        self.action_close.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.action_close)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        for button in self.admin_buttons:
            button.setVisible(False)  # until the list says this person may manage people
        self._enable_actions()
        self.resize(*INITIAL_SIZE)

    def _button(self, name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        return button

    def _connect_signals(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self._enable_actions)
        self.add_button.clicked.connect(self.add_person)
        self.role_button.clicked.connect(self.change_role)
        self.active_button.clicked.connect(self.toggle_active)
        self.password_button.clicked.connect(self.issue_temporary_password)
        self.refresh_button.clicked.connect(self.reload)
        self.close_button.clicked.connect(self.close)
        self.action_close.triggered.connect(self.close)
        self._refresh_timer.timeout.connect(self.reload)
        self._settle.timeout.connect(self.reload)

    # ------------------------------------------------------------------ reading
    @Slot()
    def reload(self) -> None:
        ticket = self._latest = next(self._tickets)
        ws, actor = self._ws, self._actor
        self._runner.read(
            lambda: people.list_people(ws, actor),
            lambda listing: self._on_listed(ticket, listing),
            self._on_read_failed,
            owner=self,
        )

    def cases_changed(self) -> None:
        """Someone changed cases (live refresh): the open-case counts, in a moment."""
        self._settle.start()

    def _on_listed(self, ticket: int, listing: PeopleList) -> None:
        if ticket != self._latest:
            return  # a newer read is on its way
        selected = self.selected_person()
        self.listing = listing
        self.model.set_people(listing.people)
        if selected is not None:
            self.select(selected.user_id)
        self._describe(listing)
        self._enable_actions()

    def _on_read_failed(self, exc: Exception) -> None:
        if isinstance(exc, DeskappError):
            self.status.setText(f"The list could not be read: {exc}")
        else:
            self._runner.report_error(exc, "reading the people")

    def _describe(self, listing: PeopleList) -> None:
        team = listing.teams[0].name if len(listing.teams) == 1 else ""
        if listing.may_manage:
            self.intro.setText(
                "Everyone in this workspace. Select a person to change their role, deactivate "
                "them or give them a temporary password."
                if listing.has_passwords
                else "Everyone in this workspace. Select a person to change their role or "
                "deactivate them. A local workspace has no passwords: people pick themselves "
                "when signing in."
            )
        else:
            self.intro.setText(
                f"The people of {team or 'your team'}. Only an admin can add people or change "
                "them; ask yours."
            )
        active = [p for p in listing.people if p.active]
        here = sum(p.signed_in for p in active)
        gone = len(listing.people) - len(active)
        text = f"{len(active):,} active, {here:,} signed in now"
        self._counts = text + (f", {gone:,} deactivated." if gone else ".")
        self._show_status()
        self.setWindowTitle(
            f"{team + ' — ' if team and not listing.may_manage else ''}People — {APP_NAME}"
        )

    def notify(self, text: str) -> None:
        """What just happened (or was refused), after the counts; kept across rereads."""
        self._notice = text
        self._show_status()

    def _show_status(self) -> None:
        self.status.setText(" ".join(part for part in (self._counts, self._notice) if part))

    # ------------------------------------------------------------------ selection
    def selected_person(self) -> Person | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.person_at(rows[0].row()) if rows else None

    def select(self, user_id: uuid.UUID) -> bool:
        row = self.model.row_of(user_id)
        if row is None:
            return False
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        return True

    @Slot()
    def _enable_actions(self, *_args: object) -> None:
        listing, person = self.listing, self.selected_person()
        manage = listing is not None and listing.may_manage
        for button in self.admin_buttons:
            button.setVisible(manage)
        me = person is not None and person.user_id == self._actor.user_id
        self.add_button.setEnabled(manage)
        self.role_button.setEnabled(manage and person is not None)
        self.active_button.setEnabled(manage and person is not None and not me)
        if person is not None and not person.active:
            self.active_button.setText("Re&activate")
            self.active_button.setAccessibleName("Reactivate")
        else:
            self.active_button.setText("&Deactivate…")
            self.active_button.setAccessibleName("Deactivate")
        passwords = listing is not None and listing.has_passwords
        self.password_button.setEnabled(
            manage and passwords and person is not None and person.active and not me
        )
        if listing is not None and not passwords:
            self.password_button.setToolTip(
                "A local workspace has no passwords: people pick themselves when signing in"
            )

    # ------------------------------------------------------------------ adding, roles
    @Slot()
    def add_person(self) -> AddPersonDialog | None:
        if self.listing is None or not self.listing.may_manage:
            return None
        dialog = AddPersonDialog(
            self._runner, self._ws, self._actor, self.listing.teams, self.model.logins(), self
        )
        dialog.added.connect(self._on_added)
        return self._open(dialog)

    def _on_added(self, person: UserInfo) -> None:
        self.notify(f"{person.display_name} ({person.login}) was added.")
        self._reload_selecting(person.id)

    @Slot()
    def change_role(self) -> ChangeRoleDialog | None:
        person = self.selected_person()
        if person is None or self.listing is None or not self.listing.may_manage:
            return None
        dialog = ChangeRoleDialog(self._runner, self._ws, self._actor, person, self)
        dialog.role_changed.connect(self._on_role_changed)
        return self._open(dialog)

    def _on_role_changed(self, person: UserInfo) -> None:
        self.notify(f"{person.display_name} is now {_AS_ROLE[person.role]}.")
        self._reload_selecting(person.id)

    def _open(self, dialog: D) -> D:
        if self.dialog is not None:
            self.dialog.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # A bound slot, not a lambda holding the dialog: that lambda would hold the last
        # Python reference while Qt deletes the dialog (PySide then crashes at teardown).
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()  # window-modal: the event loop keeps running
        return dialog

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        if self.sender() is self.dialog:
            self.dialog = None

    def _reload_selecting(self, user_id: uuid.UUID) -> None:
        ticket = self._latest = next(self._tickets)
        ws, actor = self._ws, self._actor

        def listed(listing: PeopleList) -> None:
            self._on_listed(ticket, listing)
            self.select(user_id)

        self._runner.read(
            lambda: people.list_people(ws, actor), listed, self._on_read_failed, owner=self
        )

    # ------------------------------------------------------------------ (de)activating
    @Slot()
    def toggle_active(self) -> None:
        person = self.selected_person()
        if person is None or self.listing is None or not self.listing.may_manage:
            return
        if person.active and not self._confirm(
            self,
            f"Deactivate {person.display_name}?",
            f"{person.display_name} ({person.login}) will no longer be able to sign in. Their "
            "cases' history, notes and audit trail stay as they are; an admin can reactivate "
            "them later.",
            "Deactivate",
        ):
            return
        ws, actor, login, active = self._ws, self._actor, person.login, not person.active
        request_id = uuid.uuid4()
        self.active_button.setEnabled(False)
        self._runner.write(
            lambda: users.set_active(ws, actor, login, active, request_id=request_id),
            self._on_active_changed,
            lambda exc: self._on_active_failed(person, exc),
            owner=self,
        )

    def _on_active_changed(self, person: UserInfo) -> None:
        self.notify(
            f"{person.display_name} can sign in again."
            if person.active
            else f"{person.display_name} is deactivated and can no longer sign in."
        )
        self._reload_selecting(person.id)

    def _on_active_failed(self, person: Person, exc: Exception) -> None:
        self._enable_actions()
        if isinstance(exc, StillHoldsCases):
            self.notify(str(exc))
            if self._offer_move(self, str(exc)):
                self.move_cases_requested.emit(person.user_id)
            self.reload()  # the count the refusal gave is the newest
        elif isinstance(exc, DeskappError):
            self.notify(str(exc))
        else:
            self._runner.report_error(exc, "deactivating a person")

    # ------------------------------------------------------------------ temporary passwords
    @Slot()
    def issue_temporary_password(self) -> None:
        person = self.selected_person()
        if person is None or self.listing is None or not self.listing.may_manage:
            return
        if not self._confirm(
            self,
            f"A temporary password for {person.display_name}?",
            f"{person.display_name}'s current password stops working now: at their next sign-in "
            "they need the temporary one, which you hand over. Windows they have open keep "
            "working.",
            "Issue password",
        ):
            return
        ws, actor, login = self._ws, self._actor, person.login
        self.password_button.setEnabled(False)
        self._runner.write(
            lambda: people.issue_temporary_password(ws, actor, login),
            lambda password: self._show_password(person, password),
            self._on_password_failed,
            owner=self,
        )

    def _show_password(self, person: Person, password: str) -> None:
        self._enable_actions()
        self.notify(f"{person.display_name} has a temporary password now.")
        dialog = TemporaryPasswordDialog(person.display_name, person.login, password, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # A bound slot, not a lambda holding the dialog: that lambda would hold the last
        # Python reference while Qt deletes the dialog (PySide then crashes at teardown).
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    def _on_password_failed(self, exc: Exception) -> None:
        self._enable_actions()
        if isinstance(exc, DeskappError):
            self.notify(str(exc))
        else:
            self._runner.report_error(exc, "issuing a temporary password")

    # ------------------------------------------------------------------ window
    def showEvent(self, event: QShowEvent) -> None:
        self._refresh_timer.start()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._refresh_timer.stop()
        self._settle.stop()
        if self.dialog is not None:
            self.dialog.close()
        self.closed.emit()
        super().closeEvent(event)
