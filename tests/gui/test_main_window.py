"""The main window: its panes, opening a workspace off the GUI thread, and what the status bar
tells the rep (which workspace, who is signed in, how the link is protected, reconnecting)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTableView
from sqlalchemy import text

from deskapp import __version__
from deskapp.db.engine import SqlOnForbiddenThread
from deskapp.db.urls import parse_db_url
from deskapp.domain.errors import PermissionDenied
from deskapp.gui import status_indicators as status
from deskapp.gui.main_window import MainWindow
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import auth, users
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.workspace import open_workspace
from deskapp.settings import Settings
from tests.gui.test_task_runner import refused_connection_error
from tests.helpers.databases import PASSWORD, login_of, superuser_engine


@pytest.fixture
def workspaces(runner):
    controller = WorkspaceController(runner)
    yield controller
    runner.wait_idle()
    runner.shutdown()
    controller.close()


@pytest.fixture
def problems() -> list[str]:
    return []


@pytest.fixture
def make_window(qtbot, runner, workspaces, problems, tmp_path):
    def make(ask_connection=lambda _parent, _runner, _settings: None,
             ask_identity=lambda _parent, _runner, _ws: None) -> MainWindow:  # fmt: skip
        window = MainWindow(
            runner,
            workspaces,
            settings=Settings.load(tmp_path / "settings.json"),
            show_problem=lambda _parent, text_: problems.append(text_),
            ask_connection=ask_connection,
            ask_identity=ask_identity,
        )
        qtbot.addWidget(window)
        return window

    return make


@pytest.fixture
def window(make_window) -> MainWindow:
    return make_window()


def test_the_panes_sit_around_the_queue_and_say_what_will_appear(window, qtbot):
    ui = window.ui
    assert [ui.mainSplitter.widget(i) for i in range(3)] == [
        ui.caseQueuePane,
        ui.middleSplitter,
        ui.rightSplitter,
    ]
    assert ui.mainSplitter.orientation() == Qt.Orientation.Horizontal
    assert [ui.middleSplitter.widget(i).objectName() for i in range(2)] == [
        "caseView",
        "customerHistory",
    ]
    assert [ui.rightSplitter.widget(i).objectName() for i in range(2)] == [
        "cannedResponses",
        "handoffEditor",
    ]
    assert isinstance(window.findChild(QTableView, "caseQueue"), QTableView)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    queue, case, tools = ui.mainSplitter.sizes()
    assert min(queue, case, tools) > 250, "every pane starts wide enough to read"
    assert "Select a case" in ui.caseViewContent.title.text()
    assert "appears here" in ui.handoffEditorContent.heading.text()
    assert window.status.workspace.text() == status.NO_WORKSPACE
    assert window.status.person.text() == status.NOT_SIGNED_IN
    assert not window.status.reconnecting.isVisible()


@pytest.mark.dialects("sqlite")
def test_opening_a_local_workspace_shows_its_name_and_nobody_signed_in(
    window, workspaces, db, qtbot
):
    name = Path(db.url.database).name
    with qtbot.waitSignal(workspaces.opened, timeout=10_000):
        workspaces.open(db.url)
        assert window.status.workspace.text() == f"Opening {name}…"
    assert window.status.workspace.text() == name
    assert window.windowTitle().startswith(name)
    assert window.status.person.text() == status.NOT_SIGNED_IN
    assert window.status.link.text() == status.LOCAL_FILE
    assert workspaces.workspace is not None and workspaces.workspace.name == name
    with pytest.raises(SqlOnForbiddenThread):  # the GUI's workspace is watched for GUI-thread SQL
        users.list_users(workspaces.workspace)


@pytest.mark.dialects("postgresql")
def test_opening_a_server_workspace_shows_who_signed_in_and_the_link(
    window, workspaces, runner, db, qtbot
):
    engine = superuser_engine("postgresql")
    with engine.connect() as conn:
        server_tls = conn.execute(text("SHOW ssl")).scalar() == "on"
    engine.dispose()
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url.set(username=login_of("rep")), password=PASSWORD)
    assert window.status.person.text() == "Signed in as Rae Rep"
    assert window.status.link.text() == (status.ENCRYPTED if server_tls else status.UNENCRYPTED)
    assert window.status.workspace.text() == f"{db.url.database} on {db.url.host}"
    assert runner.wait_idle()  # the queue's first load, before the database goes away


def test_a_file_that_is_no_workspace_gets_a_clear_message_and_the_window_stays(
    window, workspaces, tmp_path, problems, qtbot
):
    junk = tmp_path / "notes.sqlite"
    junk.write_bytes(b"these are not the tables you are looking for" * 100)
    with qtbot.waitSignal(workspaces.open_failed, timeout=10_000):
        workspaces.open(parse_db_url(str(junk)))
    assert len(problems) == 1
    assert "notes.sqlite is not a Deskapp workspace" in problems[0]
    assert window.status.workspace.text() == status.NO_WORKSPACE
    assert junk.read_bytes().startswith(b"these are not"), "the file must be left alone"


def test_a_failed_task_is_shown_to_the_rep(window, runner, problems, qtbot):
    def reassign():
        raise PermissionDenied("Only a team lead can reassign cases.")

    runner.write(reassign, lambda _: pytest.fail("no result expected"))
    qtbot.waitUntil(lambda: problems == ["Only a team lead can reassign cases."], timeout=5000)


def test_reconnecting_shows_in_the_status_bar_while_the_connection_is_down(window, runner, qtbot):
    lost = refused_connection_error()
    server_back = threading.Event()
    attempts = []

    def read_queue():
        attempts.append(1)
        if len(attempts) == 1:
            raise lost
        server_back.wait(5)
        return []

    window.show()
    runner.read(read_queue, lambda _: None)
    qtbot.waitUntil(lambda: window.status.reconnecting.isVisible(), timeout=5000)
    assert window.status.reconnecting.text() == status.RECONNECTING
    server_back.set()
    qtbot.waitUntil(lambda: not window.status.reconnecting.isVisible(), timeout=5000)


def test_file_open_workspace_adopts_what_the_dialog_opened(make_window, workspaces, tmp_path,
                                                          qtbot):  # fmt: skip
    chosen = open_workspace(parse_db_url(str(tmp_path / "team.sqlite")))
    window = make_window(ask_connection=lambda _parent, _runner, _settings: chosen)
    with qtbot.waitSignal(workspaces.opened, timeout=10_000):
        window.ui.actionOpenWorkspace.trigger()
    assert window.status.workspace.text() == "team.sqlite"
    assert workspaces.workspace is chosen


def test_cancelling_the_connection_dialog_changes_nothing(window, workspaces, qtbot):
    with qtbot.assertNotEmitted(workspaces.open_started):
        window.ui.actionOpenWorkspace.trigger()
    assert window.status.workspace.text() == status.NO_WORKSPACE


def test_about_names_the_version(window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, title, text_: shown.append(text_))
    window.ui.actionAbout.trigger()
    assert len(shown) == 1 and __version__ in shown[0]


def test_quit_closes_the_window(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.ui.actionQuit.trigger()
    assert not window.isVisible()


def test_a_rep_signs_in_to_a_local_workspace_and_sees_real_work(make_window, workspaces, tmp_path,
                                                                qtbot, problems):  # fmt: skip
    """The whole first screen: queue, the selected case, its customer's story, responses."""
    path = tmp_path / "demo.sqlite"
    ws = open_workspace(parse_db_url(str(path)))
    build_demo(ws, DemoSpec(cases=500, seed=3))
    rep = auth.sign_in(ws, _a_rep_with_open_cases(ws))
    ws.close()
    window = make_window(ask_identity=lambda _parent, _runner, _ws: rep)
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(parse_db_url(str(path)))
    ui = window.ui
    qtbot.waitUntil(lambda: ui.queuePane.model.rowCount() > 0, timeout=15_000)
    assert ui.queuePane.tabs.tabText(0).startswith("My cases")  # then its live count
    first = ui.queuePane.model.row_at(0)
    qtbot.waitUntil(lambda: first.key in ui.caseViewContent.title.text(), timeout=15_000)
    assert first.customer_name in ui.customerHistoryContent.profile.text()
    assert ui.customerHistoryContent.timeline.count() > 0
    qtbot.waitUntil(lambda: ui.cannedResponsesContent.model.rowCount() >= 30, timeout=15_000)
    assert window.status.person.text() == f"Signed in as {rep.display_name}"
    assert problems == []


def _a_rep_with_open_cases(ws) -> str:
    from sqlalchemy import select

    from deskapp.db.models import Case, User
    from deskapp.services.unit_of_work import read_session

    with read_session(ws) as s:
        return s.scalar(
            select(User.login).join(Case, Case.assignee_id == User.id)
            .where(Case.status == "open", User.role == "rep").limit(1)
        )  # fmt: skip


def test_pane_sizes_are_remembered(make_window, tmp_path, qtbot):
    window = make_window()
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.ui.mainSplitter.setSizes([700, 400, 300])
    wanted = window.ui.mainSplitter.sizes()
    window.close()
    again = make_window()
    again.resize(1400, 900)
    again.show()
    qtbot.waitExposed(again)
    assert again.ui.mainSplitter.sizes() == wanted
