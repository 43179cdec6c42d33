"""The open workspace of this window: opening one (off the GUI thread), watching it for SQL on
the GUI thread, signing in where the server already knows who we are, closing the previous one.

A failed open emits ``open_failed`` (the status bar stops saying "Opening…") and then takes the
runner's default path: a DeskappError (not a workspace, too new, server unreachable...) becomes
the runner's ``failed`` message, anything else a bug report.

Whoever signed in with a temporary password chooses their own before ``signed_in`` is emitted,
so nothing of the workspace is shown or loaded until they have; declining signs them out.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy.engine import URL

from deskapp.db.engine import TlsOptions
from deskapp.db.urls import describe
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import auth
from deskapp.services.auth import SignedIn
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace, open_workspace


class WorkspaceController(QObject):
    open_started = Signal(str)  # the workspace's name, for "Opening …"
    opened = Signal(object)  # Workspace
    open_failed = Signal()  # the previous workspace (if any) stays open
    signed_in = Signal(object)  # Actor

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._workspace: Workspace | None = None
        self._actor: Actor | None = None
        # Asks for the person's own password; True once it is set. Tests put a stand-in here.
        self.choose_password: Callable[[Workspace, SignedIn], bool] = self._ask_for_password

    @property
    def workspace(self) -> Workspace | None:
        return self._workspace

    @property
    def actor(self) -> Actor | None:
        return self._actor

    @Slot(object)
    def open(self, url: URL, *, password: str | None = None, tls: TlsOptions | None = None) -> None:
        """Open ``url``; ``opened`` follows on success. Opening may migrate: it is a write."""
        self.open_started.emit(describe(url))
        self._runner.write(
            lambda: open_workspace(url, password=password, tls=tls),
            self._on_opened,
            self._on_open_failed,
        )

    def close(self) -> None:
        """At the end of the app, once the runner has stopped: release the connections."""
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None

    def adopt(self, ws: Workspace) -> None:
        """Take a workspace opened elsewhere (the connection dialog) as this window's."""
        self._on_opened(ws)

    def sign_in_local(self, actor: Actor) -> None:
        """The person at this workstation chose who they are in a local workspace."""
        self._on_signed_in(actor)

    @Slot(object)
    def _on_opened(self, ws: Workspace) -> None:
        guard_gui_thread(ws.engine)
        previous, self._workspace, self._actor = self._workspace, ws, None
        if previous is not None:
            self._runner.write(previous.close, lambda _: None)
        self.opened.emit(ws)
        if ws.is_server:
            # The server authenticated a login: that is who is signed in. A local file asks
            # who you are (the sign-in dialog, next issue); until then, nobody is.
            self._runner.read(
                lambda: auth.sign_in_checked(ws), lambda signed: self._on_server_sign_in(ws, signed)
            )

    @Slot(object)
    def _on_open_failed(self, exc: Exception) -> None:
        self.open_failed.emit()
        self._runner.report_error(exc, "opening a workspace")

    def _on_server_sign_in(self, ws: Workspace, signed: SignedIn) -> None:
        if ws is not self._workspace:
            return  # another workspace was opened meanwhile
        if signed.must_choose_password and not self.choose_password(ws, signed):
            self._sign_out(ws, signed)
            return
        self._on_signed_in(signed.actor)

    def _ask_for_password(self, ws: Workspace, signed: SignedIn) -> bool:
        from deskapp.gui.dialogs.choose_password_dialog import ChoosePasswordDialog

        dialog = ChoosePasswordDialog(self._runner, ws, signed.actor,
                                      signed.temporary_password_expires_at,
                                      QApplication.activeWindow())  # fmt: skip
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _sign_out(self, ws: Workspace, signed: SignedIn) -> None:
        """Nobody works on a temporary password: close the workspace and say why."""
        if self._workspace is ws:
            self._workspace = None
        self._runner.write(ws.close, lambda _: None)
        self.open_failed.emit()
        self._runner.failed.emit(
            f"You signed out of {ws.name}: Deskapp needs a password of your own before you "
            "can work. Sign in again with the temporary password to choose one, or ask your "
            "admin for a new temporary password if it has expired."
        )

    @Slot(object)
    def _on_signed_in(self, actor: Actor) -> None:
        self._actor = actor
        self.signed_in.emit(actor)
