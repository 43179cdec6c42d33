"""A PostgreSQL server restarted under an idle app: the next service call carries on by itself
(DESIGN.md §3, §6). Runs on a private throwaway server, never the shared one, which other test
runs are using while this one restarts it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.engine import URL

from deskapp.domain.enums import Role
from deskapp.domain.errors import ConnectionFailed
from deskapp.services import auth, customers, teams, users
from deskapp.services.customers import NewCustomer
from deskapp.services.retry import run_with_reconnect
from deskapp.services.workspace import Workspace, open_workspace
from tests.helpers.throwaway_postgres import SUPERUSER, ThrowawayPostgres

pytestmark = [pytest.mark.slow, pytest.mark.server]

PASSWORD = "night-shift-password"
DATABASE = "deskapp"
TEAM = "Night shift"
QUICK_RETRIES = (0.2, 0.5, 1, 1, 1, 1, 1, 2, 2, 2)  # about 12 s, plenty for a local restart


@dataclass
class PrivateServer:
    server: ThrowawayPostgres
    login: str

    def person_url(self) -> URL:
        return self.server.url(self.login, DATABASE)

    def open_as_person(self) -> Workspace:
        return open_workspace(self.person_url(), password=PASSWORD)


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivateServer]:
    """A fresh server with one workspace, one team and one rep, set up through the services
    exactly as an admin would (`deskapp db upgrade`, then adding a person)."""
    with ThrowawayPostgres.start() as server:
        server.create_database(DATABASE)
        admin_ws = open_workspace(server.url(SUPERUSER, DATABASE), may_upgrade_server=True)
        try:
            setup = auth.setup_actor(admin_ws)
            team = teams.create_team(admin_ws, setup, TEAM)
            users.add_user(
                admin_ws, setup, login="dana", display_name="Dana Rep", role=Role.REP,
                team_id=team.id, password=PASSWORD,
            )  # fmt: skip
        finally:
            admin_ws.close()
        yield PrivateServer(server, "dana")


@pytest.fixture(autouse=True)
def server_running_for_each_test(private_postgres: PrivateServer) -> Iterator[None]:
    yield
    private_postgres.server.ensure_running()


def test_the_next_call_after_a_restart_just_works(private_postgres):
    ws = private_postgres.open_as_person()
    try:
        dana = auth.sign_in(ws)
        assert [t.name for t in teams.list_teams(ws)] == [TEAM]  # a pooled connection now

        private_postgres.server.restart()  # that connection is gone; the app was idle

        listed = run_with_reconnect(lambda: teams.list_teams(ws), delays=QUICK_RETRIES)
        customer_id = uuid.uuid4()  # chosen once, so a retried create cannot insert twice
        created = run_with_reconnect(
            lambda: customers.create_customer(ws, dana, NewCustomer("Eve", id=customer_id)),
            delays=QUICK_RETRIES,
        )
        assert [t.name for t in listed] == [TEAM]
        assert created == customer_id
    finally:
        ws.close()


def test_a_call_made_while_the_server_is_down_waits_for_it_and_says_so(private_postgres):
    ws = private_postgres.open_as_person()
    restart_failures: list[BaseException] = []

    def start_again_soon() -> None:
        try:
            private_postgres.server.start_again()
        except BaseException as exc:  # reported by the test
            restart_failures.append(exc)

    try:
        assert [t.name for t in teams.list_teams(ws)] == [TEAM]
        private_postgres.server.stop()
        restarter = threading.Timer(1.5, start_again_soon)
        restarter.start()
        reports: list[bool] = []
        try:
            listed = run_with_reconnect(
                lambda: teams.list_teams(ws), on_reconnecting=reports.append, delays=QUICK_RETRIES
            )
        finally:
            restarter.join(timeout=90)
        assert restart_failures == []
        assert [t.name for t in listed] == [TEAM]
        assert reports == [True, False]  # "reconnecting" shown, then cleared
    finally:
        ws.close()


def test_a_wrong_password_is_named_as_such(private_postgres):
    with pytest.raises(ConnectionFailed) as failed:
        open_workspace(private_postgres.person_url(), password="not-the-password")
    message = str(failed.value)
    assert "did not accept the password for dana" in message
    assert "not-the-password" not in message
