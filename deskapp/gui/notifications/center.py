"""NotificationCenter: asks services/notifications.py what is new, on the task runner, and
shows it — the bell's count, the list, a toast, the system's notification when Deskapp is
not the active window.

When to ask: at once whenever live refresh (gui/live_refresh.py) says cases changed — a
handoff or a question writes to the change feed — so nothing adds a second change poller;
and every POLL_MS regardless, for what the clock alone brings (a deadline coming close, a note
left unread) and to catch up should a change signal be missed.

Which kinds: read from the settings at every poll, so a box ticked or cleared in Preferences
counts from the next poll on; a notification of a kind turned off meanwhile is dropped when it
arrives.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMainWindow

from deskapp.db.engine import is_disconnect
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.notifications.model import NotificationListModel
from deskapp.gui.notifications.panel import BellButton, NotificationPanel
from deskapp.gui.notifications.system_tray import SystemNotifier
from deskapp.gui.notifications.toast import Toast
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import notifications
from deskapp.services.notifications import (
    ALL_KINDS,
    Notification,
    NotificationCursor,
    NotificationKind,
    NotificationPoll,
)
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace
from deskapp.settings import (
    NOTIFY_CASE_ASSIGNED,
    NOTIFY_DEADLINE_AT_RISK,
    NOTIFY_HANDOFF_TO_ACKNOWLEDGE,
    NOTIFY_QUESTION_FOR_ME,
    Setting,
    Settings,
)

POLL_MS = 15_000
KIND_SETTINGS: dict[NotificationKind, Setting[bool]] = {
    NotificationKind.CASE_ASSIGNED: NOTIFY_CASE_ASSIGNED,
    NotificationKind.HANDOFF_TO_ACKNOWLEDGE: NOTIFY_HANDOFF_TO_ACKNOWLEDGE,
    NotificationKind.QUESTION_FOR_ME: NOTIFY_QUESTION_FOR_ME,
    NotificationKind.DEADLINE_AT_RISK: NOTIFY_DEADLINE_AT_RISK,
}


class NotificationCenter(QObject):
    case_requested = Signal(object)  # a notification's case, to open
    notified = Signal(object)  # the new notifications shown (a list, oldest first)

    def __init__(self, runner: TaskRunner, window: QMainWindow, *,
                 settings: Settings | None = None) -> None:  # fmt: skip
        super().__init__(window)
        self._runner = runner
        self._window = window
        self._settings = settings
        self.model = NotificationListModel(self)
        self.bell = BellButton(window)
        window.statusBar().addPermanentWidget(self.bell)
        self.panel = NotificationPanel(self.model, window)
        self.toast = Toast(window)
        self.system = SystemNotifier(QApplication.windowIcon(), self)
        self._workspaces: WorkspaceController | None = None
        self._ws: Workspace | None = None
        self._actor: Actor | None = None
        self._cursor: NotificationCursor | None = None
        self._polling = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.bell.clicked.connect(self.open_panel)
        self.model.unread_changed.connect(self.bell.show_count)
        self.panel.case_requested.connect(self.case_requested)
        self.toast.clicked.connect(self._on_toast_clicked)
        self.system.clicked.connect(self._on_system_clicked)
        self._timer.timeout.connect(self.poll_now)

    def follow(self, workspaces: WorkspaceController, desk: CaseDesk) -> NotificationCenter:
        """Wire to the main window's pieces: start on sign-in, stop when another workspace
        opens, poll when live refresh sees changes, open cases on the case desk."""
        self._workspaces = workspaces
        workspaces.signed_in.connect(self._on_signed_in)
        workspaces.opened.connect(self._on_workspace_opened)
        desk.queue.live.changed.connect(self.poll_now)
        self.case_requested.connect(desk.open_case)
        return self

    @Slot(object)
    def _on_signed_in(self, actor: Actor) -> None:
        ws = self._workspaces.workspace if self._workspaces is not None else None
        if ws is not None:
            self.start(ws, actor)

    @Slot(object)
    def _on_workspace_opened(self, ws: Workspace) -> None:
        # Another workspace: nothing to tell until someone signs in to it. (Signing in may
        # already have happened inside this very signal, for a local file: then keep it.)
        if ws is not self._ws:
            self.stop()

    # ------------------------------------------------------------------ polling
    def start(self, ws: Workspace, actor: Actor) -> None:
        self.stop()
        self._ws, self._actor, self._cursor = ws, actor, None
        self.model.clear()  # another person or workspace: not their notifications
        self._timer.start()
        self.poll_now()

    @Slot()
    def stop(self) -> None:
        self._timer.stop()
        self._ws = self._actor = self._cursor = None
        self.toast.hide()

    @property
    def has_polled(self) -> bool:
        """The session's first poll is back: what is new from here on will be told."""
        return self._cursor is not None

    def wanted_kinds(self) -> frozenset[NotificationKind]:
        if self._settings is None:
            return ALL_KINDS
        return frozenset(k for k, s in KIND_SETTINGS.items() if self._settings.get(s))

    @Slot()
    def poll_now(self) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None:
            return
        if self._polling:  # one at a time; a change meanwhile asks for one more
            self._again = True
            return
        self._polling = True
        cursor, kinds = self._cursor, self.wanted_kinds()
        self._runner.read(
            lambda: notifications.poll(ws, actor, cursor, kinds),
            lambda result: self._on_polled(ws, result),
            lambda exc: self._on_failed(ws, exc),
            owner=self,
        )

    def _on_polled(self, ws: Workspace, result: NotificationPoll) -> None:
        self._polling = False
        if ws is not self._ws:
            return
        self._cursor = result.cursor
        wanted = self.wanted_kinds()  # Preferences may have changed while the poll ran
        self.show_new([e for e in result.events if e.kind in wanted])
        if self._again:
            self._again = False
            self.poll_now()

    def _on_failed(self, ws: Workspace, exc: Exception) -> None:
        self._polling = False
        if ws is not self._ws or is_disconnect(exc):
            return  # a lost server: the next poll tries again ("reconnecting" meanwhile)
        self._runner.report_error(exc, "checking for notifications")

    # ------------------------------------------------------------------ showing
    def show_new(self, events: list[Notification]) -> None:
        if not events:
            return
        self.model.add(events, datetime.now().astimezone())
        self.toast.show_notifications(events)
        if not self._window.isActiveWindow():
            newest = events[-1]
            more = f" (and {len(events) - 1} more)" if len(events) > 1 else ""
            self.system.notify(newest.headline + more, newest.detail)
        self.notified.emit(events)

    @Slot()
    def open_panel(self) -> None:
        self.toast.hide()
        self.panel.popup_over(self.bell)

    @Slot(object)
    def _on_toast_clicked(self, case_id: uuid.UUID) -> None:
        for row in range(self.model.rowCount()):
            if self.model.notification_at(row).case_id == case_id:
                self.model.mark_read(row)
                break
        self.case_requested.emit(case_id)

    @Slot()
    def _on_system_clicked(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
        if self.model.rowCount():
            self._on_toast_clicked(self.model.notification_at(0).case_id)
