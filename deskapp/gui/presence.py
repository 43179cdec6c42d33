"""Presence in the window: tell the others which case this person has open and whether they are
typing in it, and show who else is on the case in hand and on the queue's rows (DESIGN.md §6).

- A heartbeat every ``HEARTBEAT_EVERY`` on the writer thread, and one at once when the rep opens
  another case or starts or stops editing (services/presence.py keeps one row per person).
- "Editing" means what a colleague about to touch the case needs to know: the keyboard is in a
  text field of the case (the header's category, the reply composer), in a dialog that writes
  to the case (handing off, resolving, logging a contact), or a reply is written and not yet
  sent.
- Every ``LOOK_EVERY`` one read asks who else is on the case in hand and the queue rows on
  screen; the case header gets a line ("Dana Scully is editing"), the row an icon and a tooltip.
  The queue model only stores the answer: its ``data()`` never asks the database.
- Closing the window signs out at once; a crash is noticed by the others when the rows go stale.

Presence is a courtesy: a failed beat or look is logged and tried again next time, never put in
front of the person.
"""

from __future__ import annotations

import logging
import platform
import uuid

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from deskapp import APP_NAME, __version__
from deskapp.gui import presence_text
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import presence
from deskapp.services.history import CaseDetail
from deskapp.services.presence import HEARTBEAT_EVERY, LOOK_EVERY, Present
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

log = logging.getLogger(__name__)

# Dialogs in which typing is editing the case in hand (their objectName).
CASE_DIALOGS = frozenset(
    {"handoffDialog", "resolveDialog", "interactionDialog", "caseConflictDialog",
     "caseMergeDialog", "profileNoteDialog"}
)  # fmt: skip
SETTLE_MS = 400  # a burst of focus changes (a dialog opening) makes one beat, not five
ROWS_AT_MOST = 100  # queue rows asked about per look: more than any screen shows


def this_client() -> str:
    """What the team board says about where someone works: "DESK-7 · Deskapp 1.4"."""
    return f"{platform.node() or 'this computer'} · {APP_NAME} {__version__}"


def _writable(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly()
    return False


class PresenceController(QObject):
    beaten = Signal()  # a heartbeat was written (tests)
    looked = Signal(object)  # {case id: people} after each look (tests)

    def __init__(self, runner: TaskRunner, desk: CaseDesk, parent: QObject | None = None,
                 *, client: str | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._runner = runner
        self._desk = desk
        self.client = client or this_client()
        self._ws: Workspace | None = None
        self._actor: Actor | None = None
        self._workspaces: WorkspaceController | None = None
        self.viewing: uuid.UUID | None = None
        self.editing = False
        self._beating = self._beat_again = False
        self._looking = False
        self._beat_timer = QTimer(self)
        self._beat_timer.setInterval(int(HEARTBEAT_EVERY.total_seconds() * 1000))
        self._look_timer = QTimer(self)
        self._look_timer.setInterval(int(LOOK_EVERY.total_seconds() * 1000))
        self._soon = QTimer(self)  # the next beat after a change, once things settle
        self._soon.setSingleShot(True)
        self._soon.setInterval(SETTLE_MS)
        self._look_soon = QTimer(self)
        self._look_soon.setSingleShot(True)
        self._look_soon.setInterval(SETTLE_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._beat_timer.timeout.connect(self.beat_now)
        self._soon.timeout.connect(self.beat_now)
        self._look_timer.timeout.connect(self.look_now)
        self._look_soon.timeout.connect(self.look_now)
        self._desk.case_shown.connect(self._on_case_shown)
        self._desk.queue_pane.model.modelReset.connect(self._look_soon.start)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self._desk.case_pane.composer.editor.textChanged.connect(self._check_editing)

    def follow(self, workspaces: WorkspaceController) -> PresenceController:
        """Start on sign-in; sign out of a workspace when another one opens."""
        self._workspaces = workspaces
        workspaces.signed_in.connect(self._on_signed_in)
        workspaces.opened.connect(self._on_workspace_opened)
        return self

    # ------------------------------------------------------------------ life
    def start(self, ws: Workspace, actor: Actor) -> None:
        if self._ws is not None and (self._ws is not ws or self._actor != actor):
            self.sign_out()
        self._ws, self._actor = ws, actor
        self._beat_timer.start()
        self._look_timer.start()
        self.beat_now()

    def sign_out(self, *, then_close: bool = False) -> None:
        """The window closes or the workspace changes: the others stop seeing this person now
        (``then_close``: release the old workspace's connections afterwards)."""
        ws, actor, client = self._ws, self._actor, self.client
        self._stop()
        if ws is None or actor is None:
            return

        def leave() -> None:
            try:
                presence.sign_out(ws, actor, client)
            finally:
                if then_close:
                    ws.close()

        self._runner.write(leave, lambda _none: None, self._not_fatal)

    def _stop(self) -> None:
        for timer in (self._beat_timer, self._look_timer, self._soon, self._look_soon):
            timer.stop()
        self._ws = self._actor = None
        self._show({}, set())

    @Slot(object)
    def _on_signed_in(self, actor: Actor) -> None:
        ws = self._workspaces.workspace if self._workspaces is not None else None
        if ws is not None:
            self.start(ws, actor)

    @Slot(object)
    def _on_workspace_opened(self, ws: Workspace) -> None:
        # The controller has already closed the old one; signing out opens a connection to it
        # for a moment, released again right after.
        if self._ws is not None and ws is not self._ws:
            self.sign_out(then_close=True)

    # ------------------------------------------------------------------ telling the others
    @Slot()
    def beat_now(self) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None:
            return
        if self._beating:  # the writer is busy (a long save): one beat after this one
            self._beat_again = True
            return
        self._beating = True
        self._soon.stop()
        client, viewing, editing = self.client, self.viewing, self.editing
        self._runner.write(lambda: presence.heartbeat(ws, actor, client, viewing, editing),
                           self._beat_done, self._beat_failed, owner=self)  # fmt: skip

    def _beat_done(self, _none: None) -> None:
        self._beating = False
        self.beaten.emit()
        if self._beat_again:
            self._beat_again = False
            self._soon.start()

    def _beat_failed(self, exc: Exception) -> None:
        self._beating = self._beat_again = False
        self._not_fatal(exc)

    @Slot(object)
    def _on_case_shown(self, case: CaseDetail | None) -> None:
        case_id = case.id if case is not None else None
        if case_id != self.viewing:
            self.viewing = case_id
            self.editing = self._is_editing()
            self._desk.case_pane.show_presence("", False)  # the last case's people
            self._soon.start()
            self._look_soon.start()

    @Slot(object, object)
    def _on_focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self._check_editing()

    @Slot()
    def _check_editing(self) -> None:
        editing = self._is_editing()
        if editing != self.editing:
            self.editing = editing
            self._soon.start()

    def _is_editing(self) -> bool:
        if self.viewing is None:
            return False
        pane = self._desk.case_pane
        if not pane.composer.editor.document().isEmpty():
            return True  # a reply written and not sent yet
        focus = QApplication.focusWidget()
        if focus is None or not _writable(focus):
            return False
        if focus.window().objectName() in CASE_DIALOGS:
            return True
        return pane.isAncestorOf(focus)

    # ------------------------------------------------------------------ seeing the others
    @Slot()
    def look_now(self) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None or self._looking:
            return
        case_ids = self._cases_on_screen()
        if not case_ids:
            self._show({}, set())
            return
        self._looking = True

        def done(found: dict[uuid.UUID, tuple[Present, ...]]) -> None:
            self._looking = False
            if self._ws is ws:
                self._show(found, case_ids)

        def failed(exc: Exception) -> None:
            self._looking = False
            self._not_fatal(exc)

        self._runner.read(lambda: presence.who_is_on(ws, actor, case_ids), done, failed,
                          owner=self)  # fmt: skip

    def _cases_on_screen(self) -> set[uuid.UUID]:
        """The case in hand and the queue rows someone could see now (not the whole view)."""
        found = {self.viewing} if self.viewing is not None else set()
        pane = self._desk.queue_pane
        table, model = pane.table, pane.model
        if model.rowCount():
            top = max(table.rowAt(0), 0)
            bottom = table.rowAt(table.viewport().height() - 1)
            if bottom < 0:
                bottom = model.rowCount() - 1
            for position in range(top, min(bottom, top + ROWS_AT_MOST) + 1):
                row = model.row_at(position)
                if row is not None:
                    found.add(row.id)
        return found

    def _show(self, found: dict[uuid.UUID, tuple[Present, ...]], looked_at: set[uuid.UUID]) -> None:
        pane = self._desk.case_pane
        people = found.get(self.viewing, ()) if self.viewing is not None else ()
        pane.show_presence(presence_text.header_text(people),
                           presence_text.anyone_editing(people))  # fmt: skip
        model = self._desk.queue_pane.model
        if looked_at:
            model.set_presence(looked_at, found)
        else:  # signed out, or nothing on screen: nobody shown anywhere
            model.clear_presence()
        self.looked.emit(found)

    def _not_fatal(self, exc: Exception) -> None:
        # The type only: a driver's message may quote the statement and its values.
        log.info("presence: %s; trying again next time", type(exc).__name__)
