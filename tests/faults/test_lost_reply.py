"""A write whose COMMIT reached the server but whose reply never came back (DESIGN.md §3).

The proxy between the app and the shared PostgreSQL lets the COMMIT through and then cuts both
connections. The app sees a lost connection, reconnects and runs the same call again; the
client-generated ids make that second run recognise the first one's work instead of doing it
twice (or failing on a "stale" version it caused itself).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, Select, event, func, select

from deskapp.db.engine import TlsOptions
from deskapp.db.models import AuditEvent, Case, Team
from deskapp.domain.enums import Channel, Priority
from deskapp.services import auth, cases, customers, teams
from deskapp.services.cases import CaseChanges, NewCase
from deskapp.services.customers import NewCustomer
from deskapp.services.records import Actor
from deskapp.services.retry import run_with_reconnect
from deskapp.services.workspace import Workspace, open_workspace
from tests.helpers.databases import (
    PASSWORD,
    TestDatabase,
    login_of,
    require_server,
    superuser_engine,
)
from tests.helpers.tcp_proxy import TcpProxy

pytestmark = pytest.mark.dialects("postgresql")
T = TypeVar("T")

QUICK_RETRIES = (0.2, 0.5, 1, 2)


@pytest.fixture
def proxy() -> Iterator[TcpProxy]:
    server = require_server("postgresql")
    with TcpProxy(server.host or "127.0.0.1", server.port or 5432) as running:
        yield running


@pytest.fixture
def sign_in_through_proxy(
    db: TestDatabase, proxy: TcpProxy
) -> Iterator[Callable[[str], tuple[Workspace, Actor]]]:
    """``sign_in(who)``: that person's own login and password, on the proxy's port. No TLS:
    the proxy must see the COMMIT go by (the shared test server speaks no TLS anyway)."""
    opened: list[Workspace] = []

    def sign_in(who: str) -> tuple[Workspace, Actor]:
        url = db.url.set(host="127.0.0.1", port=proxy.port, username=login_of(who))
        ws = open_workspace(url, password=PASSWORD, tls=TlsOptions(mode="disable"))
        opened.append(ws)
        return ws, auth.sign_in(ws)

    yield sign_in
    for ws in opened:
        ws.close()


def statements_sent(engine: Engine, prefix: str) -> list[str]:
    """Every statement starting with ``prefix`` that the app sends from now on."""
    sent: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(prefix):
            sent.append(statement)

    return sent


def count(db: TestDatabase, statement: Select[Any]) -> int:
    """Counted as the superuser, straight from the server: what really exists."""
    engine = superuser_engine("postgresql", db.url.database)
    try:
        with engine.connect() as conn:
            return int(conn.execute(statement).scalar_one())
    finally:
        engine.dispose()


def run_through_a_lost_reply(proxy: TcpProxy, work: Callable[[], T]) -> T:
    reports: list[bool] = []
    proxy.cut_after_commit()
    result = run_with_reconnect(work, on_reconnecting=reports.append, delays=QUICK_RETRIES)
    assert proxy.cuts == 1, "the COMMIT never went through the proxy"
    assert reports == [True, False], "the first attempt should have lost its reply"
    return result


def test_a_case_created_while_its_reply_is_lost_exists_exactly_once(
    db, proxy, sign_in_through_proxy
):
    ws, rep = sign_in_through_proxy("rep")
    customer_id = customers.create_customer(ws, rep, NewCustomer("Ann Example"))
    new = NewCase(customer_id, db.team_id, "Refund not received", Channel.EMAIL, id=uuid.uuid4())
    inserts = statements_sent(ws.engine, "INSERT INTO CASES")

    created = run_through_a_lost_reply(proxy, lambda: cases.create_case(ws, rep, new))

    assert created.id == new.id and created.subject == "Refund not received"
    assert len(inserts) == 1, "the first attempt committed; the retry must only find it"
    assert count(db, select(func.count()).select_from(Case)) == 1
    created_events = select(func.count()).where(
        AuditEvent.case_id == new.id, AuditEvent.action == "case.created"
    )
    assert count(db, created_events) == 1


def test_a_case_change_whose_reply_is_lost_is_applied_and_audited_once(
    db, proxy, sign_in_through_proxy
):
    ws, rep = sign_in_through_proxy("rep")
    customer_id = customers.create_customer(ws, rep, NewCustomer("Ann Example"))
    case = cases.create_case(
        ws, rep, NewCase(customer_id, db.team_id, "Router drops calls", Channel.PHONE)
    )
    request_id = uuid.uuid4()  # chosen once, before the first attempt
    change = CaseChanges(case.version, priority=Priority.HIGH)

    updated = run_through_a_lost_reply(
        proxy, lambda: cases.update_case(ws, rep, case.id, change, request_id=request_id)
    )

    assert updated.priority is Priority.HIGH
    assert updated.version == case.version + 1  # changed once, not twice, and no StaleEdit
    assert count(db, select(func.count()).where(AuditEvent.id == request_id)) == 1
    updates = select(func.count()).where(
        AuditEvent.case_id == case.id, AuditEvent.action == "case.updated"
    )
    assert count(db, updates) == 1


def test_a_team_created_while_its_reply_is_lost_exists_exactly_once(
    db, proxy, sign_in_through_proxy
):
    ws, admin = sign_in_through_proxy("admin")
    team_id = uuid.uuid4()

    created = run_through_a_lost_reply(
        proxy, lambda: teams.create_team(ws, admin, "Weekend", team_id=team_id)
    )

    assert created.id == team_id
    assert count(db, select(func.count()).where(Team.name == "Weekend")) == 1
