"""What opens when Deskapp starts without --db: the last connection, or the first-run welcome."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QWidget

from deskapp import credentials, paths
from deskapp.gui import startup
from deskapp.gui.dialogs.welcome_dialog import WelcomeChoice, WelcomeDialog
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.settings import LAST_PROFILE, Profile, Settings
from tests.helpers.databases import PASSWORD, login_of


@pytest.fixture
def workspaces(runner):
    controller = WorkspaceController(runner)
    yield controller
    runner.wait_idle()
    controller.close()


@pytest.fixture
def settings(tmp_path):
    return Settings.load(tmp_path / "settings.json")


def _remember(settings: Settings, profile: Profile) -> None:
    settings.put_profile(profile)
    settings.set(LAST_PROFILE, profile.name)


def test_the_last_local_workspace_reopens(qtbot, runner, workspaces, settings, tmp_path):
    path = tmp_path / "mine.sqlite"
    _remember(settings, Profile("Mine", str(path)))
    parent = QWidget()
    qtbot.addWidget(parent)
    with qtbot.waitSignal(workspaces.opened, timeout=15_000):
        startup.open_at_start(parent, runner, workspaces, settings)
    assert workspaces.workspace.url.database == str(path)


@pytest.mark.dialects("postgresql")
def test_the_last_server_reopens_with_the_remembered_password(qtbot, runner, workspaces,
                                                              settings, db):  # fmt: skip
    url = db.url.set(username=login_of("rep"))
    credentials.remember_password(url, PASSWORD)
    _remember(settings, Profile("Team", url.render_as_string(False), remember_password=True))
    parent = QWidget()
    qtbot.addWidget(parent)
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        startup.open_at_start(parent, runner, workspaces, settings)
    assert workspaces.actor.login == login_of("rep")


def test_the_very_first_start_welcomes_and_can_start_a_local_workspace(
    qtbot, runner, workspaces, settings, monkeypatch
):
    shown = []

    def choose_local(dialog: WelcomeDialog) -> int:
        shown.append(dialog.windowTitle())
        dialog.choice = WelcomeChoice.LOCAL
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(WelcomeDialog, "exec", choose_local)
    assert not paths.default_workspace().exists()
    parent = QWidget()
    qtbot.addWidget(parent)
    with qtbot.waitSignal(workspaces.opened, timeout=15_000):
        startup.open_at_start(parent, runner, workspaces, settings)
    assert shown == ["Welcome to Deskapp"]
    assert workspaces.workspace.url.database == str(paths.default_workspace())


def test_an_unusable_saved_profile_is_explained_not_crashed_on(qtbot, runner, workspaces,
                                                               settings, tmp_path):  # fmt: skip
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a workspace" * 100)
    _remember(settings, Profile("Junk", str(junk)))
    messages = []
    runner.failed.connect(messages.append)
    parent = QWidget()
    qtbot.addWidget(parent)
    with qtbot.waitSignal(workspaces.open_failed, timeout=15_000):
        startup.open_at_start(parent, runner, workspaces, settings)
    qtbot.waitUntil(lambda: bool(messages), timeout=5_000)
    assert "not a Deskapp workspace" in messages[0]
    assert junk.read_bytes() == b"not a workspace" * 100
