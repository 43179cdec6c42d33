"""The connection dialog against real workspaces and a real (in-memory) keychain."""

from __future__ import annotations

import socket
import time

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QDialogButtonBox

from deskapp import credentials
from deskapp.db.urls import parse_db_url
from deskapp.gui.dialogs.connect_dialog import (
    KIND_FILE,
    KIND_MARIADB,
    KIND_POSTGRESQL,
    ConnectDialog,
)
from deskapp.settings import LAST_PROFILE, Settings
from tests.helpers.databases import PASSWORD, login_of


@pytest.fixture
def dialog(qtbot, runner, tmp_path):
    settings = Settings.load(tmp_path / "settings.json")
    dialog = ConnectDialog(runner, settings)
    qtbot.addWidget(dialog)
    yield dialog
    if dialog.result_connection:
        dialog.result_connection.workspace.close()


def _press_connect(qtbot, dialog, runner):
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert runner.wait_idle(30_000)


def _fill_server(dialog, db, *, password=PASSWORD, port=None):
    url = db.url
    dialog.ui.kind.setCurrentIndex(KIND_POSTGRESQL if db.dialect == "postgresql" else KIND_MARIADB)
    dialog.ui.host.setText(url.host)
    dialog.ui.port.setValue(port or url.port or (5432 if db.dialect == "postgresql" else 3306))
    dialog.ui.database.setText(url.database)
    dialog.ui.user.setText(login_of("rep"))
    dialog.ui.password.setText(password)
    dialog.ui.profileName.setText("Team server")


def test_a_new_local_workspace_opens_and_is_remembered(qtbot, dialog, runner, tmp_path):
    dialog.ui.kind.setCurrentIndex(KIND_FILE)
    dialog.ui.path.setText(str(tmp_path / "mine.sqlite"))
    dialog.ui.profileName.setText("My desk")
    with qtbot.waitSignal(dialog.connected, timeout=30_000):
        _press_connect(qtbot, dialog, runner)
    assert (tmp_path / "mine.sqlite").exists()
    reloaded = Settings.load(tmp_path / "settings.json")
    assert reloaded.get(LAST_PROFILE) == "My desk"
    assert reloaded.profile("My desk").address == str(tmp_path / "mine.sqlite")


@pytest.mark.dialects("postgresql")
def test_server_password_goes_to_the_keychain_only_when_asked(
    qtbot, dialog, runner, db, memory_keyring, tmp_path
):
    _fill_server(dialog, db)
    dialog.ui.remember.setChecked(True)
    with qtbot.waitSignal(dialog.connected, timeout=30_000):
        _press_connect(qtbot, dialog, runner)
    assert dialog.result_connection.workspace.is_server
    assert list(memory_keyring.secrets.values()) == [PASSWORD]
    settings_text = (tmp_path / "settings.json").read_text()
    assert PASSWORD not in settings_text
    # Next time the profile is chosen, the password comes back from the keychain.
    again = ConnectDialog(runner, Settings.load(tmp_path / "settings.json"))
    qtbot.addWidget(again)
    assert again.ui.password.text() == PASSWORD and again.ui.user.text() == login_of("rep")


@pytest.mark.dialects("mariadb")  # the shared PostgreSQL trusts 127.0.0.1: any password works
def test_wrong_password_keeps_the_dialog_open_with_what_was_typed(qtbot, dialog, runner, db):
    _fill_server(dialog, db, password="not-the-password")
    _press_connect(qtbot, dialog, runner)
    assert dialog.result_connection is None
    assert "did not accept the password" in dialog.ui.message.text()
    assert dialog.ui.user.text() == login_of("rep")
    assert dialog.ui.password.text() == "not-the-password"
    assert dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


@pytest.mark.dialects("postgresql")
def test_unreachable_server_is_reported_promptly(qtbot, dialog, runner, db):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    _fill_server(dialog, db, port=closed_port)
    started = time.monotonic()
    _press_connect(qtbot, dialog, runner)
    assert time.monotonic() - started < 10
    assert "Nothing is accepting connections" in dialog.ui.message.text()


@pytest.mark.dialects("postgresql")
def test_without_a_keychain_the_app_still_connects_and_asks_each_time(qtbot, runner, db,
                                                                        tmp_path):  # fmt: skip
    keyring.set_keyring(fail.Keyring())
    assert not credentials.keychain_available()
    dialog = ConnectDialog(runner, Settings.load(tmp_path / "settings.json"))
    qtbot.addWidget(dialog)
    assert not dialog.ui.remember.isEnabled()
    _fill_server(dialog, db)
    with qtbot.waitSignal(dialog.connected, timeout=30_000):
        _press_connect(qtbot, dialog, runner)
    dialog.result_connection.workspace.close()
    assert parse_db_url(Settings.load(tmp_path / "settings.json").profile("Team server")
                        .address).password is None  # fmt: skip
