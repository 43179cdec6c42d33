"""The main window: the Designer form plus wiring. Behaviour lives in the pieces it connects
(task runner, workspace controller, case desk, status indicators, dialogs, the tour)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QWidget,
)

from deskapp import APP_NAME, __version__
from deskapp.gui import window_layout
from deskapp.gui.appearance import Appearance, appearance
from deskapp.gui.audit.actions import AuditActions
from deskapp.gui.canned_actions import CannedActions
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.case_work import CaseWork
from deskapp.gui.customer_erasure import CustomerErasure
from deskapp.gui.data_actions import DataActions
from deskapp.gui.dialogs.connect_dialog import ConnectDialog
from deskapp.gui.dialogs.identity_dialog import IdentityDialog
from deskapp.gui.dialogs.password_dialog import PasswordDialog
from deskapp.gui.dialogs.preferences_dialog import PreferencesDialog
from deskapp.gui.forms.ui_main_window import Ui_MainWindow
from deskapp.gui.handoff.actions import HandoffActions
from deskapp.gui.handoff.end_of_shift import EndOfShiftAction
from deskapp.gui.notifications.center import NotificationCenter
from deskapp.gui.people.actions import PeopleActions
from deskapp.gui.presence import PresenceController
from deskapp.gui.profile_note_editing import ProfileNoteEditing
from deskapp.gui.queue_menu import QueueMenu
from deskapp.gui.reassign.actions import ReassignActions
from deskapp.gui.status_indicators import StatusIndicators
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.team_board.board_actions import TeamBoardActions
from deskapp.gui.tour import Tour, describe_action
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace
from deskapp.settings import TOUR_SEEN, Settings

# Initial pane widths and heights, until the person arranges their own (then remembered).
QUEUE_CASE_TOOLS = [520, 570, 310]  # the case and its history are read most
CASE_HISTORY = [470, 430]
CANNED_HANDOFF = [420, 480]

AskIdentity = Callable[[QWidget, TaskRunner, Workspace], Actor | None]
AskConnection = Callable[[QWidget, TaskRunner, Settings], Workspace | None]

log = logging.getLogger(__name__)


def use_standard_keys(action: QAction, key: QKeySequence.StandardKey, fallback: str = "") -> None:
    """The platform's own keys for a common command (⌘, for Preferences on macOS), or
    ``fallback`` where the platform has none (Linux without a desktop theme, Windows)."""
    keys = QKeySequence.keyBindings(key)
    if keys:
        action.setShortcuts(keys)
    else:
        action.setShortcut(QKeySequence(fallback))


def scroll_when_short(content: QWidget) -> None:
    """Put a pane's content in a scroll area: on a 768-pixel laptop screen the case and the
    history together are taller than the window can be, and the window must still fit."""
    holder = content.parentWidget()
    layout = holder.layout() if holder is not None else None
    if layout is None:  # the form always lays the pane out in its holder
        raise RuntimeError(f"{content.objectName()} has no layout around it")
    area = QScrollArea(holder)
    area.setObjectName(f"{content.objectName()}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls, not the frame
    layout.replaceWidget(content, area)
    area.setWidget(content)


def show_problem_box(parent: QWidget, text: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning, APP_NAME, text, QMessageBox.StandardButton.Ok, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote what someone typed
    box.exec()


def ask_identity_dialog(parent: QWidget, runner: TaskRunner, ws: Workspace) -> Actor | None:
    dialog = IdentityDialog(runner, ws, parent)
    return dialog.actor if dialog.exec() == IdentityDialog.DialogCode.Accepted else None


def ask_connection_dialog(parent: QWidget, runner: TaskRunner,
                          settings: Settings) -> Workspace | None:  # fmt: skip
    dialog = ConnectDialog(runner, settings, parent)
    if dialog.exec() == ConnectDialog.DialogCode.Accepted and dialog.result_connection:
        return dialog.result_connection.workspace
    return None


class MainWindow(QMainWindow):
    workspace_adopted = Signal(object)  # a Workspace opened through File ▸ Open workspace…

    def __init__(
        self,
        runner: TaskRunner,
        workspaces: WorkspaceController,
        *,
        settings: Settings | None = None,
        show_problem: Callable[[QWidget, str], None] = show_problem_box,
        ask_identity: AskIdentity | None = ask_identity_dialog,
        ask_connection: AskConnection = ask_connection_dialog,
        look: Appearance | None = None,
    ) -> None:
        super().__init__()
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self._runner = runner
        self._workspaces = workspaces
        self._settings = settings
        self._show_problem = show_problem
        self._ask_identity = ask_identity  # None: nobody to ask (the smoke test)
        self._ask_connection = ask_connection
        self._look = look  # None: the application's own, found when Preferences opens
        self.tour: Tour | None = None
        self.status = StatusIndicators(self.ui.statusBar)
        for content in (self.ui.caseViewContent, self.ui.customerHistoryContent):
            scroll_when_short(content)
        self.desk = CaseDesk(runner, self.ui, self)
        self.handoffs = HandoffActions(runner, self.desk, self.ui.actionHandOff, self,
                                       settings=settings, notify=self._notify)  # fmt: skip
        self.end_of_shift = EndOfShiftAction(runner, self.desk, self.ui.actionEndOfShift, self,
                                             settings=settings, notify=self._notify)  # fmt: skip
        # Case ▸ New case from call / Log interaction / Reply, header edits, history paging.
        self.case_work = CaseWork(runner, self.desk, self.ui.menuCase, self, notify=self._notify)
        # Case ▸ Edit the customer's note…, version-checked like the header (issue 8).
        self.profile_notes = ProfileNoteEditing(runner, self.desk, self.ui.menuCase, self)
        # The profile card's "Erase this customer's personal data…", for admins (issue 8).
        self.erasure = CustomerErasure(runner, self.desk, self, notify=self._notify)
        # The Responses menu and the panel's New / Edit / Suggest / Retire requests.
        self.canned_actions = CannedActions(runner, self.desk, self, notify=self._notify)
        # File ▸ Import data… / Export data…, shown to admins only.
        self.data_actions = DataActions(runner, self.desk, workspaces, self.ui.menuFile, self,
                                        notify=self._notify)  # fmt: skip
        # The bell in the status bar: cases handed to me, questions, deadlines (issue 9).
        self.notifications = NotificationCenter(runner, self, settings=settings)
        self.notifications.follow(workspaces, self.desk)
        # Who else is on a case ("Dana is editing"), and telling them about me (issue 8).
        self.presence = PresenceController(runner, self.desk, self).follow(workspaces)
        self.ui.mainSplitter.setSizes(QUEUE_CASE_TOOLS)
        self.ui.middleSplitter.setSizes(CASE_HISTORY)
        self.ui.rightSplitter.setSizes(CANNED_HANDOFF)
        self._add_actions()
        # Queue ▸ Get next / Take / Find a case, Help ▸ Keyboard shortcuts; views remembered.
        self.queue_menu = QueueMenu(self, self.ui, self.ui.queuePane)
        # Team ▸ Team board (leads, admins).
        self.team_board = TeamBoardActions(runner, self.desk, workspaces, self)
        # Queue ▸ Reassign… (Ctrl+Shift+R) and Team ▸ Rep is out…, for leads (issue 8).
        self.reassign = ReassignActions(runner, self.desk, workspaces, self.queue_menu.menu,
                                        self, notify=self._notify)  # fmt: skip
        # Cases dragged from the queue onto a person on the board: a reassignment to them.
        self.team_board.cases_dropped.connect(self.reassign.open_reassign)
        # Case ▸ Audit history… (Ctrl+Shift+A) and Team ▸ Audit log… for leads (issue 8).
        self.audit = AuditActions(runner, self.desk, workspaces, self.ui.menuCase, self)
        # Team ▸ People… (admins change people; leads see their team); a refused deactivation
        # offers Rep is out… for that person (issue 8).
        self.people = PeopleActions(runner, self.desk, workspaces, self,
                                    move_cases=self.reassign.rep_is_out)  # fmt: skip
        self.desk.queue.remember_in(settings)
        if settings is not None:
            window_layout.restore(self, self._splitters(), settings)
        self._connect_signals()

    def _add_actions(self) -> None:
        """Tools ▸ Preferences…, Help ▸ Tour, and the platform's keys for common commands."""
        ui = self.ui
        self.menuTools = QMenu("&Tools", ui.menuBar)
        self.menuTools.setObjectName("menuTools")
        self.menuTools.setAccessibleName("Tools menu")
        self.actionPreferences = QAction("&Preferences…", self)
        self.actionPreferences.setObjectName("actionPreferences")
        self.actionPreferences.setToolTip("Colour scheme, notifications and handoff drafts")
        # macOS moves it to the application menu (Deskapp ▸ Settings…), as people expect there.
        self.actionPreferences.setMenuRole(QAction.MenuRole.PreferencesRole)
        use_standard_keys(self.actionPreferences, QKeySequence.StandardKey.Preferences, "Ctrl+,")
        if sys.platform == "darwin":  # merged into the application menu; File carries it there
            ui.menuFile.addAction(self.actionPreferences)
        else:
            self.menuTools.addAction(self.actionPreferences)
            ui.menuBar.insertMenu(ui.menuHelp.menuAction(), self.menuTools)
        self.actionTour = QAction("&Tour", self)
        self.actionTour.setObjectName("actionTour")
        self.actionTour.setToolTip("A short tour of the panes and the keys worth knowing")
        use_standard_keys(self.actionTour, QKeySequence.StandardKey.HelpContents, "F1")
        ui.menuHelp.insertAction(ui.actionAbout, self.actionTour)
        ui.menuHelp.insertSeparator(ui.actionAbout)
        ui.actionAbout.setMenuRole(QAction.MenuRole.AboutRole)
        ui.actionQuit.setMenuRole(QAction.MenuRole.QuitRole)
        use_standard_keys(ui.actionOpenWorkspace, QKeySequence.StandardKey.Open, "Ctrl+O")
        use_standard_keys(ui.actionQuit, QKeySequence.StandardKey.Quit, "Ctrl+Q")

    def _connect_signals(self) -> None:
        self._runner.failed.connect(self.show_problem)
        self._runner.reconnecting_changed.connect(self._on_reconnecting_changed)
        self._workspaces.open_started.connect(self._on_open_started)
        self._workspaces.opened.connect(self._on_workspace_opened)
        self._workspaces.open_failed.connect(self._on_open_failed)
        self._workspaces.signed_in.connect(self._on_signed_in)
        self.workspace_adopted.connect(self._workspaces.adopt)
        self.ui.actionOpenWorkspace.triggered.connect(self._on_open_workspace_triggered)
        self.ui.actionChangePassword.triggered.connect(self._on_change_password_triggered)
        self.ui.actionQuit.triggered.connect(self.close)
        self.desk.inbox.problem.connect(self.show_problem)
        self.ui.actionAbout.triggered.connect(self._on_about_triggered)
        self.actionPreferences.triggered.connect(self.open_preferences)
        self.actionTour.triggered.connect(self.start_tour)

    @Slot(str)
    def show_problem(self, text: str) -> None:
        self._show_problem(self, text)

    def _notify(self, text: str) -> None:
        self.ui.statusBar.showMessage(text, 10_000)

    @Slot(bool)
    def _on_reconnecting_changed(self, reconnecting: bool) -> None:
        self.status.show_reconnecting(reconnecting)

    @Slot(str)
    def _on_open_started(self, name: str) -> None:
        self.status.show_opening(name)

    @Slot(object)
    def _on_workspace_opened(self, ws: Workspace) -> None:
        self.desk.stop()
        self.ui.actionChangePassword.setEnabled(False)
        self.setWindowTitle(f"{ws.name} — {APP_NAME}")
        self.status.show_workspace(ws)
        self.status.show_person(None)
        if not ws.is_server and self._ask_identity is not None:
            actor = self._ask_identity(self, self._runner, ws)
            if actor is not None:
                self._workspaces.sign_in_local(actor)

    @Slot()
    def _on_open_failed(self) -> None:
        self.status.show_workspace(self._workspaces.workspace)

    @Slot(object)
    def _on_signed_in(self, actor: Actor) -> None:
        self.status.show_person(actor)
        ws = self._workspaces.workspace
        if ws is not None:
            self.desk.start(ws, actor)
            self.ui.actionChangePassword.setEnabled(ws.is_server)
        self._offer_tour_once()

    @Slot()
    def _on_change_password_triggered(self) -> None:
        ws, actor = self._workspaces.workspace, self._workspaces.actor
        if ws is not None and actor is not None:
            PasswordDialog(self._runner, ws, actor, self).exec()

    @Slot()
    def _on_open_workspace_triggered(self) -> None:
        if self._settings is None:
            return
        ws = self._ask_connection(self, self._runner, self._settings)
        if ws is not None:
            self.workspace_adopted.emit(ws)

    @Slot()
    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nCase queue, customer history, canned responses and "
            "structured handoff notes for customer-service teams.",
        )

    # ------------------------------------------------------------------ preferences, tour
    @Slot()
    def open_preferences(self) -> None:
        if self._settings is None:
            return
        PreferencesDialog(self._settings, self._look or appearance(), self).exec()

    @Slot()
    def start_tour(self) -> None:
        if self.tour is not None:
            return  # one at a time: Help ▸ Tour pressed while it runs
        ui = self.ui
        self.tour = Tour(self, shortcuts={
            "hand_off": describe_action(ui.actionHandOff, "Case ▸ Hand off…"),
            "end_of_shift": describe_action(ui.actionEndOfShift, "Case ▸ End of shift…"),
            "open": describe_action(ui.actionOpenWorkspace, "File ▸ Open workspace…"),
            "preferences": describe_action(self.actionPreferences, "Tools ▸ Preferences…"),
            "tour": describe_action(self.actionTour, "Help ▸ Tour"),
        })  # fmt: skip
        self.tour.finished.connect(self._on_tour_finished)
        self.tour.start()

    @Slot(bool)
    def _on_tour_finished(self, _completed: bool) -> None:
        self.tour = None

    def _offer_tour_once(self) -> None:
        """After the first sign-in on this computer, once: a hidden window (tests, the smoke
        test) shows nothing and keeps the offer for next time."""
        settings = self._settings
        if settings is None or settings.get(TOUR_SEEN) or not self.isVisible():
            return
        settings.set(TOUR_SEEN, True)
        self._save_settings()
        QTimer.singleShot(0, self.start_tour)  # after the sign-in dialog has gone

    def _save_settings(self) -> None:
        if self._settings is None:
            return
        try:
            self._settings.save()
        except OSError as exc:  # a full disk must not stop the window from closing
            log.warning("Could not save the settings: %s", exc.strerror or exc)

    # ------------------------------------------------------------------ remembered layout
    def _splitters(self) -> tuple[QSplitter, ...]:
        return (self.ui.mainSplitter, self.ui.middleSplitter, self.ui.rightSplitter)

    def save_layout(self) -> None:
        """Remember the window and its panes for the screen it is on (window_layout.py)."""
        if self._settings is None:
            return
        window_layout.remember(self, self._splitters(), self._settings)
        self._save_settings()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.presence.sign_out()  # colleagues stop seeing me on a case now, not in 30 s
        super().closeEvent(event)
