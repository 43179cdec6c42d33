"""What the window opens when nobody said (no --db): the last connection, this computer's
workspace, or, on the very first run, the welcome choice (demo, team server, local)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from deskapp import credentials, paths
from deskapp.db.engine import TlsOptions
from deskapp.db.urls import is_sqlite, parse_db_url
from deskapp.domain.errors import DeskappError
from deskapp.gui.dialogs.connect_dialog import KIND_POSTGRESQL, ConnectDialog
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.settings import LAST_PROFILE, Settings


def open_at_start(parent: QWidget, runner: TaskRunner, workspaces: WorkspaceController,
                  settings: Settings) -> None:  # fmt: skip
    for warning in settings.warnings:
        runner.failed.emit(warning)
    profile = settings.profile(settings.get(LAST_PROFILE))
    if profile is not None:
        try:
            url = parse_db_url(profile.address)
        except DeskappError as exc:
            runner.failed.emit(str(exc))
            return
        tls = TlsOptions(profile.tls_mode, profile.tls_ca_file)
        if is_sqlite(url):
            workspaces.open(url, tls=tls)
            return
        password = credentials.get_password(url) if profile.remember_password else None
        if password is not None:
            workspaces.open(url, password=password, tls=tls)
        else:  # the dialog opens on the last profile: the person only types the password
            _connect(parent, runner, workspaces, settings)
        return
    if paths.default_workspace().exists():
        workspaces.open(parse_db_url(paths.default_workspace()))
        return
    # Imported only here, on the very first run: it brings the demo builder with it.
    from deskapp.gui.dialogs.welcome_dialog import WelcomeChoice, WelcomeDialog

    welcome = WelcomeDialog(runner, parent)
    if welcome.exec() != WelcomeDialog.DialogCode.Accepted:
        return  # File ▸ Open workspace… stays available
    if welcome.choice is WelcomeChoice.DEMO and welcome.workspace is not None:
        workspaces.adopt(welcome.workspace)
    elif welcome.choice is WelcomeChoice.SERVER:
        _connect(parent, runner, workspaces, settings, server=True)
    else:
        workspaces.open(parse_db_url(paths.default_workspace()))


def _connect(parent: QWidget, runner: TaskRunner, workspaces: WorkspaceController,
             settings: Settings, *, server: bool = False) -> None:  # fmt: skip
    dialog = ConnectDialog(runner, settings, parent)
    if server:
        dialog.ui.kind.setCurrentIndex(KIND_POSTGRESQL)
    if dialog.exec() == ConnectDialog.DialogCode.Accepted and dialog.result_connection:
        workspaces.adopt(dialog.result_connection.workspace)
