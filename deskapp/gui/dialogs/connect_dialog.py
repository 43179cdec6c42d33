"""Open a workspace: a local file or a team server, saved as named profiles.

Connecting runs on the task runner, so the window never freezes on an unreachable host; a
failure is shown in the dialog, which stays open with everything that was typed. The password
goes to the OS keychain only when "remember" is ticked, never to a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QWidget
from sqlalchemy.engine import URL

from deskapp import credentials, paths
from deskapp.db.engine import TlsOptions
from deskapp.db.urls import parse_db_url
from deskapp.domain.errors import DeskappError
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.forms.ui_connect_dialog import Ui_ConnectDialog
from deskapp.gui.task_runner import TaskRunner
from deskapp.services.workspace import Workspace, open_workspace
from deskapp.settings import LAST_PROFILE, Profile, Settings

KIND_FILE, KIND_POSTGRESQL, KIND_MARIADB = range(3)
_TLS_MODES = [None, "verify", "prefer", "disable"]  # in the order of the form's choices
_DEFAULT_PORTS = {KIND_POSTGRESQL: 5432, KIND_MARIADB: 3306}
_NEW_PROFILE = "New connection…"


@dataclass(frozen=True)
class Connection:
    """What the dialog hands back: the open workspace and how it was reached."""

    workspace: Workspace
    profile: Profile


class ConnectDialog(QDialog):
    connected = Signal(object)  # Connection

    def __init__(self, runner: TaskRunner, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.ui = Ui_ConnectDialog()
        self.ui.setupUi(self)
        name_standard_buttons(self.ui.buttons)
        self._runner = runner
        self._settings = settings
        self._busy = False
        self.result_connection: Connection | None = None
        self._fill_profiles()
        if not credentials.keychain_available():
            self.ui.remember.setEnabled(False)
            self.ui.remember.setText(
                "No keychain on this computer: Deskapp will ask for the password each session"
            )
        self._connect_signals()
        self._on_kind_changed(self.ui.kind.currentIndex())

    def _connect_signals(self) -> None:
        self.ui.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.ui.profile.currentIndexChanged.connect(self._on_profile_chosen)
        self.ui.browse.clicked.connect(self._browse_file)
        self.ui.browseCa.clicked.connect(self._browse_ca)
        self.ui.buttons.accepted.connect(self._connect)
        self.ui.buttons.rejected.connect(self.reject)

    # ------------------------------------------------------------------ profiles
    def _fill_profiles(self) -> None:
        self.ui.profile.blockSignals(True)
        self.ui.profile.clear()
        self.ui.profile.addItem(_NEW_PROFILE)
        for profile in self._settings.profiles:
            self.ui.profile.addItem(profile.name)
        self.ui.profile.blockSignals(False)
        last = self._settings.get(LAST_PROFILE)
        if last and self._settings.profile(last):
            self.ui.profile.setCurrentText(last)
            self._on_profile_chosen(self.ui.profile.currentIndex())
        else:
            self.ui.path.setText(str(paths.default_workspace()))

    @Slot(int)
    def _on_profile_chosen(self, index: int) -> None:
        profile = self._settings.profile(self.ui.profile.itemText(index)) if index > 0 else None
        if profile is None:
            self.ui.profileName.clear()
            return
        self.show_profile(profile)

    def show_profile(self, profile: Profile) -> None:
        url = parse_db_url(profile.address)
        self.ui.profileName.setText(profile.name)
        if url.get_backend_name() == "sqlite":
            self.ui.kind.setCurrentIndex(KIND_FILE)
            self.ui.path.setText(url.database or "")
        else:
            kind = KIND_POSTGRESQL if url.get_backend_name() == "postgresql" else KIND_MARIADB
            self.ui.kind.setCurrentIndex(kind)
            self.ui.host.setText(url.host or "")
            self.ui.port.setValue(url.port or _DEFAULT_PORTS[kind])
            self.ui.database.setText(url.database or "")
            self.ui.user.setText(url.username or "")
            self.ui.tls.setCurrentIndex(_TLS_MODES.index(profile.tls_mode))
            self.ui.caFile.setText(profile.tls_ca_file or "")
            self.ui.remember.setChecked(profile.remember_password)
            remembered = credentials.get_password(url) if profile.remember_password else None
            self.ui.password.setText(remembered or "")

    # ------------------------------------------------------------------ form
    @Slot(int)
    def _on_kind_changed(self, kind: int) -> None:
        self.ui.pages.setCurrentWidget(self.ui.filePage if kind == KIND_FILE else
                                       self.ui.serverPage)  # fmt: skip
        if kind in _DEFAULT_PORTS and self.ui.port.value() in _DEFAULT_PORTS.values():
            self.ui.port.setValue(_DEFAULT_PORTS[kind])

    @Slot()
    def _browse_file(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Workspace file", self.ui.path.text(), "Deskapp workspace (*.sqlite)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )  # fmt: skip
        if chosen:
            self.ui.path.setText(chosen)

    @Slot()
    def _browse_ca(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Certificate authority", "", "Certificates (*.pem *.crt);;All files (*)"
        )
        if chosen:
            self.ui.caFile.setText(chosen)

    def address(self) -> str:
        kind = self.ui.kind.currentIndex()
        if kind == KIND_FILE:
            return self.ui.path.text().strip()
        driver = "postgresql" if kind == KIND_POSTGRESQL else "mariadb"
        url = URL.create(
            driver, username=self.ui.user.text().strip() or None,
            host=self.ui.host.text().strip() or None, port=self.ui.port.value(),
            database=self.ui.database.text().strip() or None,
        )  # fmt: skip
        return url.render_as_string(hide_password=False)

    def profile_from_form(self) -> Profile:
        kind = self.ui.kind.currentIndex()
        address = self.address()
        name = self.ui.profileName.text().strip() or (
            Path(address).stem if kind == KIND_FILE else f"{self.ui.database.text()} on "
            f"{self.ui.host.text()}"
        )  # fmt: skip
        if kind == KIND_FILE:
            return Profile(name, address)
        return Profile(
            name, address, _TLS_MODES[self.ui.tls.currentIndex()],
            self.ui.caFile.text().strip() or None,
            self.ui.remember.isChecked() and self.ui.remember.isEnabled(),
        )  # fmt: skip

    # ------------------------------------------------------------------ connecting
    @Slot()
    def _connect(self) -> None:
        if self._busy:
            return
        try:
            profile = self.profile_from_form()
            url = parse_db_url(profile.address)
        except DeskappError as exc:
            self.show_message(str(exc))
            return
        if url.get_backend_name() != "sqlite" and not self.ui.host.text().strip():
            self.show_message("Give the server's host name (ask your admin if unsure).")
            return
        password = self.ui.password.text() if url.get_backend_name() != "sqlite" else None
        tls = TlsOptions(profile.tls_mode, profile.tls_ca_file)
        self._set_busy(True, f"Connecting to {url.host or Path(url.database or '').name}…")
        self._runner.read(
            lambda: open_workspace(url, password=password, tls=tls),
            lambda ws: self._on_connected(ws, profile, password),
            self._on_failed,
            owner=self,
        )

    def _on_connected(self, ws: Workspace, profile: Profile, password: str | None) -> None:
        self._set_busy(False, "")
        note = ""
        if password is not None:
            if profile.remember_password:
                if not credentials.remember_password(ws.url, password):
                    note = "The keychain refused the password; you'll be asked next time."
            else:
                credentials.forget_password(ws.url)
        self._settings.put_profile(profile)
        self._settings.set(LAST_PROFILE, profile.name)
        self._settings.save()
        self.result_connection = Connection(ws, profile)
        if note:
            self.show_message(note)
        self.connected.emit(self.result_connection)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False, "")
        if isinstance(exc, DeskappError):
            self.show_message(str(exc))
        else:
            self.show_message(f"Could not open the workspace: {exc}")

    def _set_busy(self, busy: bool, text: str) -> None:
        self._busy = busy
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        self.ui.message.setStyleSheet("")
        self.ui.message.setText(text)

    def show_message(self, text: str) -> None:
        self.ui.message.setStyleSheet("QLabel { color: #b3261e; }")
        self.ui.message.setText(text)
