"""TLS to a server whose certificate comes from the company's own certificate authority
(DESIGN.md §7): verified when the CA file is given, refused with a message a rep can act on
when it is not, and the status bar says the link is encrypted.

A private throwaway server started with a throwaway CA: the shared test server speaks no TLS.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import text
from sqlalchemy.engine import URL

from deskapp.db.engine import TlsOptions
from deskapp.domain.enums import Role
from deskapp.domain.errors import ConnectionFailed
from deskapp.gui import status_indicators as status
from deskapp.gui.dialogs.connect_dialog import KIND_POSTGRESQL, ConnectDialog
from deskapp.gui.main_window import MainWindow
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import auth
from deskapp.services.workspace import open_workspace
from deskapp.settings import Settings
from tests.helpers.certificates import make_certificates
from tests.helpers.throwaway_postgres import ThrowawayPostgres

pytestmark = [pytest.mark.slow, pytest.mark.server]

PASSWORD = "tls-shift-password"
DATABASE = "deskapp"
LOGIN = "dana"
# The form's "Security" choices, in order (connect_dialog._TLS_MODES).
AUTOMATIC, VERIFY = 0, 1


@dataclass
class TlsServer:
    server: ThrowawayPostgres
    other_ca: Path  # a CA that did not sign this server's certificate

    def url(self, host: str = "127.0.0.1") -> URL:
        return self.server.url(LOGIN, DATABASE).set(host=host)


@pytest.fixture(scope="module")
def tls_server() -> Iterator[TlsServer]:
    """A server with TLS on, one workspace, and one rep who signs in with a password."""
    with ThrowawayPostgres.start(ssl=True) as server:
        server.create_workspace(DATABASE, "Secure desk", [(LOGIN, "Dana Rep", Role.REP)], PASSWORD)
        with tempfile.TemporaryDirectory(prefix="deskapp-other-ca-") as other:
            yield TlsServer(server, make_certificates(Path(other), "Someone else's CA").ca_cert)


# --------------------------------------------------------------------------- the services
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
@pytest.mark.parametrize("mode", ["verify", None], ids=["verify", "automatic"])
def test_the_servers_certificate_is_verified_with_the_ca_given(tls_server, host, mode):
    """Either name on the certificate is accepted; a CA file alone (mode "Automatic") means
    verify, on this machine too."""
    tls = TlsOptions(mode=mode, ca_file=str(tls_server.server.ca_file))
    ws = open_workspace(tls_server.url(host), password=PASSWORD, tls=tls)
    try:
        assert ws.encrypted is True
        with ws.engine.connect() as conn:
            ssl, version = conn.execute(
                text("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).one()
            sslmode = conn.connection.dbapi_connection.info.get_parameters().get("sslmode")
        assert ssl is True and version.startswith("TLS")
        assert sslmode == "verify-full", "the host name was checked, not only the chain"
        assert auth.sign_in(ws).login == LOGIN  # the services work over the verified link
    finally:
        ws.close()


@pytest.mark.parametrize(
    "case", ["no CA file (the system's store)", "another CA", "another CA, automatic mode"]
)
def test_without_the_right_ca_the_connection_is_refused_with_what_to_do(tls_server, case):
    tls = {
        "no CA file (the system's store)": TlsOptions(mode="verify"),
        "another CA": TlsOptions(mode="verify", ca_file=str(tls_server.other_ca)),
        "another CA, automatic mode": TlsOptions(ca_file=str(tls_server.other_ca)),
    }[case]
    with pytest.raises(ConnectionFailed) as refused:
        open_workspace(tls_server.url(), password=PASSWORD, tls=tls, connect_timeout=5)
    message = str(refused.value)
    assert message.startswith(f"The secure connection to 127.0.0.1:{tls_server.server.port} "
                              "could not be verified")  # fmt: skip
    assert "certificate verify failed" in message, "the certificate problem is named"
    assert "Ask your admin for the server's certificate authority file" in message
    assert PASSWORD not in message and "Traceback" not in message


# --------------------------------------------------------------------------- the window
def _fill_connect_dialog(dialog: ConnectDialog, server: ThrowawayPostgres) -> None:
    dialog.ui.kind.setCurrentIndex(KIND_POSTGRESQL)
    dialog.ui.host.setText("127.0.0.1")
    dialog.ui.port.setValue(server.port)
    dialog.ui.database.setText(DATABASE)
    dialog.ui.user.setText(LOGIN)
    dialog.ui.password.setText(PASSWORD)
    dialog.ui.profileName.setText("Secure desk")


def _press_connect(dialog: ConnectDialog, runner: TaskRunner) -> None:
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert runner.wait_idle(30_000)


def test_the_rep_gives_the_ca_file_and_the_status_bar_says_encrypted(tls_server, qtbot, runner,
                                                                    tmp_path):  # fmt: skip
    settings = Settings.load(tmp_path / "settings.json")
    dialog = ConnectDialog(runner, settings)
    qtbot.addWidget(dialog)
    _fill_connect_dialog(dialog, tls_server.server)
    dialog.ui.tls.setCurrentIndex(VERIFY)
    _press_connect(dialog, runner)  # no CA file: the system's store does not know this CA
    assert dialog.result_connection is None
    assert "could not be verified" in dialog.ui.message.text()
    assert "certificate authority file" in dialog.ui.message.text()
    assert dialog.ui.password.text() == PASSWORD, "what was typed stays for the next try"

    dialog.ui.tls.setCurrentIndex(AUTOMATIC)  # the CA file alone is enough
    dialog.ui.caFile.setText(str(tls_server.server.ca_file))
    _press_connect(dialog, runner)
    assert dialog.result_connection is not None, dialog.ui.message.text()
    ws = dialog.result_connection.workspace
    assert settings.profile("Secure desk").tls_ca_file == str(tls_server.server.ca_file), (
        "the next start verifies against the same CA"
    )

    workspaces = WorkspaceController(runner)
    window = MainWindow(runner, workspaces, settings=settings,
                        show_problem=lambda _parent, text_: pytest.fail(text_),
                        ask_connection=lambda _parent, _runner, _settings: ws,
                        ask_identity=lambda *_: None)  # fmt: skip
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
            window.ui.actionOpenWorkspace.trigger()  # File ▸ Open workspace…
        assert window.status.link.text() == status.ENCRYPTED
        assert window.status.link.isVisibleTo(window)
        assert window.status.workspace.text() == f"{DATABASE} on 127.0.0.1"
        assert window.status.person.text() == "Signed in as Dana Rep"
        assert runner.wait_idle(15_000)  # the queue's first load
    finally:
        runner.shutdown()
        workspaces.close()
