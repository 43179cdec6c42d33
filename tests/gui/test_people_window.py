"""Team ▸ People… in the window: the list an admin manages and a lead only reads, adding a
person with a suggested login, changing a role, a refused deactivation that opens Rep is out…
for that person, and (on PostgreSQL) a temporary password shown once. Every database call runs
off the GUI thread (the guard raises otherwise)."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from deskapp.domain.enums import Role
from deskapp.gui.main_window import MainWindow
from deskapp.gui.people.people_model import OPEN_CASES, ROLE, SIGNED_IN, STATUS
from deskapp.gui.people.people_window import PeopleWindow
from deskapp.gui.people.temporary_password_dialog import TemporaryPasswordDialog
from deskapp.gui.reassign.absence_dialog import RepIsOutDialog
from deskapp.gui.sql_guard import guard_gui_thread
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import presence, users
from deskapp.services.reassignment import order_from_plan, reassign
from deskapp.services.reassignment_plan import plan_absence
from deskapp.settings import Settings
from tests.gui.test_accessible_names import _unnamed_controls
from tests.helpers.databases import login_of
from tests.services.handoff_requests import sign_in_everyone
from tests.services.test_people import TEMPORARY, scram_verifier_matches

SQLITE = pytest.mark.dialects("sqlite")


@pytest.fixture
def desk(db):
    return sign_in_everyone(db)


class Answers:
    """What the person answers to the window's questions, and what they were asked."""

    def __init__(self, confirm: bool = True, move: bool = True) -> None:
        self.confirm, self.move = confirm, move
        self.asked: list[str] = []

    def confirm_box(self, _parent, title: str, _text: str, _go: str) -> bool:
        self.asked.append(title)
        return self.confirm

    def offer_move(self, _parent, text: str) -> bool:
        self.asked.append(text)
        return self.move


def _window(qtbot, runner, db, who: str, answers: Answers | None = None) -> PeopleWindow:
    ws, actor = db.sign_in(who)
    guard_gui_thread(ws.engine)
    answers = answers or Answers()
    window = PeopleWindow(
        runner, ws, actor, confirm=answers.confirm_box, offer_move=answers.offer_move
    )
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.listing is not None, timeout=15_000)
    return window


def _cell(window: PeopleWindow, login: str, column: int) -> str:
    row = window.model.logins().index(login)
    return window.model.index(row, column).data()


def _select(window: PeopleWindow, login: str) -> None:
    row = window.model.logins().index(login)
    assert window.select(window.model.person_at(row).user_id)


@SQLITE
def test_an_admin_sees_everyone_with_open_cases_and_who_is_signed_in(qtbot, runner, db, desk):
    desk.new_case()  # the rep holds two open cases
    desk.new_case()
    presence.heartbeat(desk.rep.ws, desk.rep.actor, "Deskapp", None, False)

    window = _window(qtbot, runner, db, "admin")

    assert _cell(window, login_of("rep"), OPEN_CASES) == "2"
    assert _cell(window, login_of("rep"), SIGNED_IN) == "Now"
    assert _cell(window, login_of("rep2"), SIGNED_IN) == "—"
    assert _cell(window, login_of("lead"), ROLE) == "Team lead"
    assert window.status.text() == "4 active, 1 signed in now."
    window.show()
    assert all(button.isVisible() for button in window.admin_buttons)
    assert window.add_button.isEnabled() and not window.role_button.isEnabled()
    _select(window, login_of("admin"))
    assert not window.active_button.isEnabled(), "nobody deactivates themselves"
    _select(window, login_of("rep2"))
    assert window.active_button.isEnabled() and window.role_button.isEnabled()
    assert not window.password_button.isEnabled()  # a local workspace has no passwords
    assert "no passwords" in window.password_button.toolTip()
    assert _unnamed_controls(window) == []


@SQLITE
def test_a_lead_sees_their_team_and_changes_nobody(qtbot, runner, db, desk):
    window = _window(qtbot, runner, db, "lead")
    window.show()

    assert not window.listing.may_manage
    assert not any(button.isVisible() for button in window.admin_buttons)
    assert window.intro.text() == (
        "The people of Support. Only an admin can add people or change them; ask yours."
    )
    assert window.add_person() is None and window.change_role() is None


@SQLITE
def test_adding_a_person_suggests_a_login_and_selects_them_afterwards(qtbot, runner, db, desk):
    window = _window(qtbot, runner, db, "admin")
    dialog = window.add_person()
    assert dialog is not None and not dialog.password.isVisibleTo(dialog)  # no passwords here

    qtbot.keyClicks(dialog.name, "Dana Scully")
    assert dialog.login.text() == "dana.scully"
    dialog.role.setCurrentIndex(dialog.role.findData(Role.LEAD.value))
    assert _unnamed_controls(dialog) == []
    dialog.submit()

    qtbot.waitUntil(lambda: "dana.scully" in window.model.logins(), timeout=15_000)
    qtbot.waitUntil(lambda: window.selected_person() is not None, timeout=15_000)
    assert window.selected_person().login == "dana.scully"
    assert _cell(window, "dana.scully", ROLE) == "Team lead"
    assert window.status.text() == (
        "5 active, 0 signed in now. Dana Scully (dana.scully) was added."
    )
    added = {u.login: u for u in users.list_users(desk.admin.ws)}["dana.scully"]
    assert (added.display_name, added.role, added.team_id) == ("Dana Scully", Role.LEAD, db.team_id)


@SQLITE
def test_a_taken_login_is_said_in_the_dialog_and_nothing_typed_is_lost(qtbot, runner, db, desk):
    window = _window(qtbot, runner, db, "admin")
    dialog = window.add_person()
    dialog.name.setText("Rae Again")
    dialog.login.setText(login_of("rep"))
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=15_000)
    assert dialog.message.text() == f"There is already a person with the login “{login_of('rep')}”."
    assert dialog.isVisible() and dialog.name.text() == "Rae Again"
    assert dialog.add_button.isEnabled()


@SQLITE
def test_changing_a_role_shows_at_once(qtbot, runner, db, desk):
    window = _window(qtbot, runner, db, "admin")
    _select(window, login_of("rep2"))
    dialog = window.change_role()
    assert not dialog.change_button.isEnabled(), "choosing the same role changes nothing"
    dialog.choose(Role.LEAD)
    assert _unnamed_controls(dialog) == []
    dialog.submit()
    qtbot.waitUntil(lambda: _cell(window, login_of("rep2"), ROLE) == "Team lead", timeout=15_000)
    assert window.status.text().endswith("Ray Rep is now a team lead.")


@SQLITE
def test_a_refused_deactivation_opens_rep_is_out_for_that_person_then_goes_through(
    qtbot, runner, workspaces, tmp_path, db, desk
):
    desk.new_case()
    window = MainWindow(
        runner,
        workspaces,
        settings=Settings.load(tmp_path / "s.json"),
        show_problem=lambda _p, _t: None,
        ask_identity=lambda *_: desk.admin.actor,
    )
    qtbot.addWidget(window)
    assert not window.people.action.isVisible()
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url)
    assert window.people.action.isVisible()
    assert window.people.action in window.people.menu.actions()  # Team ▸ People…
    window.people.action.trigger()
    people = window.people.people_window
    assert isinstance(people, PeopleWindow)
    qtbot.waitUntil(lambda: people.listing is not None, timeout=15_000)
    answers = Answers(confirm=True, move=True)
    people._confirm, people._offer_move = answers.confirm_box, answers.offer_move

    _select(people, login_of("rep"))
    people.toggle_active()
    qtbot.waitUntil(lambda: len(answers.asked) == 2, timeout=15_000)

    assert answers.asked == [
        "Deactivate Rae Rep?",
        "Rae Rep still holds 1 open case. Move their 1 open case first: Team ▸ Rep is out… "
        "hands them to the team queue or to colleagues; then deactivate Rae Rep.",
    ]
    moving = window.reassign.dialog
    assert isinstance(moving, RepIsOutDialog)
    qtbot.waitUntil(lambda: moving.absent_id() == desk.rep.id, timeout=15_000)
    moving._confirm_discard = lambda _parent: True
    moving.close()
    assert _cell(people, login_of("rep"), STATUS) == "Active"

    plan = plan_absence(desk.lead.ws, desk.lead.actor, desk.rep.id)  # the lead moves them
    reassign(desk.lead.ws, desk.lead.actor, [order_from_plan(m) for m in plan.moves], "Rae left")
    # The list follows by itself (the queue's live refresh), as it would after Rep is out….
    qtbot.waitUntil(lambda: _cell(people, login_of("rep"), OPEN_CASES) == "0", timeout=15_000)
    people.toggle_active()
    qtbot.waitUntil(lambda: _cell(people, login_of("rep"), STATUS) == "Deactivated", timeout=15_000)
    assert people.status.text().endswith("Rae Rep is deactivated and can no longer sign in.")
    row = people.model.logins().index(login_of("rep"))
    assert people.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # grey
    assert people.active_button.text() == "Re&activate"

    people.toggle_active()  # reactivating asks nothing
    qtbot.waitUntil(lambda: _cell(people, login_of("rep"), STATUS) == "Active", timeout=15_000)
    assert answers.asked[2:] == ["Deactivate Rae Rep?"]
    people.close()
    assert runner.wait_idle()


@SQLITE
@pytest.mark.parametrize("who", ["rep", "lead"])
def test_only_leads_and_admins_find_people_in_the_team_menu(
    qtbot, runner, workspaces, tmp_path, db, desk, who
):
    actor = getattr(desk, who).actor
    window = MainWindow(
        runner,
        workspaces,
        settings=Settings.load(tmp_path / "s.json"),
        show_problem=lambda _p, _t: None,
        ask_identity=lambda *_: actor,
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(workspaces.signed_in, timeout=15_000):
        workspaces.open(db.url)
    assert window.people.action.isVisible() is (who == "lead")
    if who == "rep":
        assert window.people.open_people() is None
    else:
        people = window.people.open_people()
        qtbot.waitUntil(lambda: people.listing is not None, timeout=15_000)
        assert not people.listing.may_manage
        people.close()
    assert runner.wait_idle()


@pytest.mark.dialects("postgresql")
def test_a_temporary_password_is_shown_once_copied_and_forgotten(qtbot, runner, db, caplog):
    caplog.set_level(logging.DEBUG)
    from tests.services.test_people import _person

    made = _person(db, "Nia Newcomer", db.team_id)
    login = next(made)
    try:
        answers = Answers()
        window = _window(qtbot, runner, db, "admin", answers)
        _select(window, login)
        assert window.password_button.isEnabled()

        window.issue_temporary_password()
        qtbot.waitUntil(lambda: isinstance(window.dialog, TemporaryPasswordDialog), timeout=15_000)
        dialog = window.dialog
        password = dialog.field.text()

        assert answers.asked == ["A temporary password for Nia Newcomer?"]
        assert TEMPORARY.match(password) and dialog.field.isReadOnly()
        assert scram_verifier_matches(db, login, password)
        assert "Hand it over privately" in dialog.warning.text()
        assert _unnamed_controls(dialog) == []
        dialog.copy()
        assert QGuiApplication.clipboard().text() == password
        dialog.reject()  # Done
        assert QGuiApplication.clipboard().text() == "" and dialog.field.text() == ""
        assert window.status.text().endswith("Nia Newcomer has a temporary password now.")
        assert password not in caplog.text
    finally:
        next(made, None)


@pytest.fixture
def workspaces(runner):
    controller = WorkspaceController(runner)
    yield controller
    runner.wait_idle()
    runner.shutdown()
    controller.close()
