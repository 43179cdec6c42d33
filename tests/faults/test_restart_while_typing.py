"""The server restarts while a rep is writing a handoff note (DESIGN.md §3, §5, §6): the status
bar says "reconnecting", every keystroke stays in the local draft, and once the server is back
the pending saves go through by themselves: the rep does nothing but wait.

The whole window, signed in as a rep, on a private throwaway server (never the shared one,
which other test runs are using while this one stops it).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from deskapp.db.models import Case, HandoffNote
from deskapp.domain.enums import HandoffKind, Role
from deskapp.drafts import DraftStore
from deskapp.gui import status_indicators as status
from deskapp.gui.handoff.dialog import HandoffDialog, draft_key
from deskapp.gui.main_window import MainWindow
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import auth, handoff_drafts, users
from deskapp.services.retry import GAVE_UP
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace, open_workspace
from deskapp.settings import DRAFT_AUTOSAVE_SECONDS, Settings
from tests.gui.test_handoff_editor import GOOD
from tests.helpers.throwaway_postgres import SUPERUSER, ThrowawayPostgres
from tests.services.handoff_helpers import new_case

pytestmark = [pytest.mark.slow, pytest.mark.server]

PASSWORD = "restart-shift-password"
DATABASE = "deskapp"
BACK_WITHIN_MS = 45_000  # the runner retries for about a minute; a local restart takes seconds
BEFORE = dataclasses.replace(GOOD, contingencies="If R-88 bounces too, escalate to Billing")
TYPED_WHILE_DOWN = " and offer store credit."


@dataclass
class PrivateServer:
    server: ThrowawayPostgres

    def url(self, login: str) -> URL:
        return self.server.url(login, DATABASE)

    def open(self, login: str) -> Workspace:
        return open_workspace(self.url(login), password=PASSWORD)


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivateServer]:
    with ThrowawayPostgres.start() as server:
        people = [("dana", "Dana Rep", Role.REP), ("sam", "Sam Rep", Role.REP)]
        server.create_workspace(DATABASE, "Night shift", people, PASSWORD)
        yield PrivateServer(server)


@pytest.fixture(autouse=True)
def server_running_for_each_test(private_postgres: PrivateServer) -> Iterator[None]:
    yield
    private_postgres.server.ensure_running()


@dataclass
class Desk:
    """Dana's window with the handoff dialog open on a case of hers, a note half written."""

    window: MainWindow
    dialog: HandoffDialog
    case_id: uuid.UUID
    sam_id: uuid.UUID
    problems: list[str]

    def draft_file(self) -> Path:
        """Where the note being written is kept on this computer."""
        ws, actor = self.window.desk.workspace, self.window.desk.actor
        assert ws is not None and actor is not None
        return DraftStore().path_for(draft_key(ws, actor, self.case_id))


@pytest.fixture
def desk(private_postgres, qtbot, runner: TaskRunner, tmp_path) -> Iterator[Desk]:
    ws = private_postgres.open("dana")
    try:
        dana = auth.sign_in(ws)
        case = new_case(ws, dana, "Refund bounced twice")
        sam_id = next(u.id for u in users.list_users(ws) if u.login == "sam")
    finally:
        ws.close()
    settings = Settings.load(tmp_path / "settings.json")
    settings.set(DRAFT_AUTOSAVE_SECONDS, 1)
    workspaces = WorkspaceController(runner)
    problems: list[str] = []
    window = MainWindow(runner, workspaces, settings=settings,
                        show_problem=lambda _parent, text_: problems.append(text_),
                        ask_identity=lambda *_: None)  # fmt: skip
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
            workspaces.open(private_postgres.url("dana"), password=PASSWORD)
        current = lambda: window.desk.current_case  # noqa: E731
        qtbot.waitUntil(lambda: current() is not None, timeout=15_000)  # the queue's first row
        assert runner.wait_idle(15_000)
        window.desk.open_case(case.id)  # this test's own case (an earlier one may be first)
        qtbot.waitUntil(lambda: current().id == case.id, timeout=15_000)
        window.ui.actionHandOff.trigger()  # Case ▸ Hand off…
        dialog = window.handoffs.dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.chooser.person.count() > 0, timeout=15_000)
        dialog.chooser.choose(HandoffKind.REASSIGN, person_id=str(sam_id))
        dialog.editor.set_content(BEFORE)
        with qtbot.waitSignal(dialog.autosave.saved_locally, timeout=5_000):
            pass
        assert runner.wait_idle(15_000)  # the server copy of the draft too
        yield Desk(window, dialog, case.id, sam_id, problems)
    finally:
        runner.shutdown()
        workspaces.close()


def _stop_and_keep_typing(private_postgres: PrivateServer, desk: Desk, qtbot) -> None:
    """The server goes away; the rep, unaware, finishes the sentence."""
    private_postgres.server.stop()
    contingencies = desk.dialog.editor.inputs["contingencies"]
    contingencies.setFocus()
    contingencies.moveCursor(contingencies.textCursor().MoveOperation.End)
    with qtbot.waitSignal(desk.dialog.autosave.saved_locally, timeout=5_000):
        qtbot.keyClicks(contingencies, TYPED_WHILE_DOWN)
    reconnecting = desk.window.status.reconnecting
    qtbot.waitUntil(reconnecting.isVisible, timeout=10_000)  # the server copy cannot be saved
    assert reconnecting.text() == status.RECONNECTING
    assert BEFORE.contingencies + TYPED_WHILE_DOWN in desk.draft_file().read_text("utf-8"), (
        "every keystroke is in the draft file on this computer"
    )


def test_the_draft_reaches_the_server_by_itself_once_it_is_back(private_postgres, desk, qtbot,
                                                               runner):  # fmt: skip
    _stop_and_keep_typing(private_postgres, desk, qtbot)
    private_postgres.server.start_again()
    reconnecting = desk.window.status.reconnecting
    qtbot.waitUntil(lambda: not reconnecting.isVisible(), timeout=BACK_WITHIN_MS)
    assert runner.wait_idle(BACK_WITHIN_MS)
    ws = private_postgres.open("dana")
    try:
        on_server = handoff_drafts.load_draft(ws, auth.sign_in(ws), desk.case_id)
    finally:
        ws.close()
    assert on_server is not None
    assert on_server.contingencies == BEFORE.contingencies + TYPED_WHILE_DOWN
    assert desk.dialog.isVisible(), "nothing was handed off: the rep has not pressed the button"
    assert desk.problems == []


def test_hand_off_pressed_while_the_server_is_down_goes_through_when_it_is_back(
    private_postgres, desk, qtbot, runner
):
    _stop_and_keep_typing(private_postgres, desk, qtbot)
    dialog = desk.dialog
    assert dialog.submit_button.isEnabled(), dialog.status.text()
    dialog.submit_button.click()
    qtbot.wait(1_500)  # the server is still away: the hand-off waits, it does not fail
    assert dialog.isVisible() and dialog.status.text() == "Handing off…"
    assert desk.window.status.reconnecting.isVisible()
    with qtbot.waitSignal(dialog.handed_off, timeout=BACK_WITHIN_MS):
        private_postgres.server.start_again()
    qtbot.waitUntil(lambda: not desk.window.status.reconnecting.isVisible(), timeout=10_000)
    assert runner.wait_idle(BACK_WITHIN_MS)
    assert _owner_of(private_postgres, desk.case_id) == desk.sam_id
    assert _notes_on(private_postgres, desk.case_id) == [BEFORE.contingencies + TYPED_WHILE_DOWN], (
        "handed off once, with what was typed while the server was down"
    )
    assert not desk.draft_file().exists(), "the draft went with the note"
    assert desk.problems == []


@pytest.mark.parametrize("retry_delays", [(0.2, 0.5, 1.0)])  # gives up after ~2 s, not a minute
def test_a_server_away_for_longer_gets_a_clear_message_and_the_same_button_again(
    private_postgres, desk, qtbot, runner
):
    _stop_and_keep_typing(private_postgres, desk, qtbot)
    dialog = desk.dialog
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Not handed off"), timeout=15_000)
    assert dialog.status.text() == f"Not handed off: {GAVE_UP} Your note is kept as a draft."
    assert BEFORE.contingencies + TYPED_WHILE_DOWN in desk.draft_file().read_text("utf-8")
    assert dialog.editor.content().contingencies == BEFORE.contingencies + TYPED_WHILE_DOWN
    private_postgres.server.start_again()
    assert dialog.submit_button.isEnabled(), "the same button, once more"
    with qtbot.waitSignal(dialog.handed_off, timeout=BACK_WITHIN_MS):
        dialog.submit_button.click()
    assert runner.wait_idle(BACK_WITHIN_MS)
    assert _notes_on(private_postgres, desk.case_id) == [BEFORE.contingencies + TYPED_WHILE_DOWN]
    assert desk.problems == [], "a lost server is a message where the rep is, not a bug report"


def _owner_of(private_postgres: PrivateServer, case_id: uuid.UUID) -> uuid.UUID | None:
    with _as_superuser(private_postgres) as session:
        return session.scalar(select(Case.assignee_id).where(Case.id == case_id))


def _notes_on(private_postgres: PrivateServer, case_id: uuid.UUID) -> list[str]:
    """The contingencies of every handoff note on the case: what the next owner reads."""
    with _as_superuser(private_postgres) as session:
        notes = session.scalars(select(HandoffNote.contingencies)
                                .where(HandoffNote.case_id == case_id))  # fmt: skip
        return list(notes)


@contextmanager
def _as_superuser(private_postgres: PrivateServer) -> Iterator[Session]:
    """Checking the outcome sees every row, whatever the rows' policies allow a rep."""
    ws = open_workspace(private_postgres.server.url(SUPERUSER, DATABASE))
    try:
        with read_session(ws) as session:
            yield session
    finally:
        ws.close()
