"""The portable column types store the same values on every dialect and give back the same
Python (db/types.py): aware UTC times, UUIDs, enums by value, times from the server's clock."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from deskapp.db.models import Case, Customer
from deskapp.db.types import Guid
from deskapp.domain.enums import CaseStatus, Channel
from deskapp.services import cases, customers
from deskapp.services.cases import CaseChanges, NewCase
from deskapp.services.customers import NewCustomer
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace
from tests.helpers.databases import TestDatabase

ALL_DIALECTS = ("sqlite", "postgresql", "mariadb")
SERVER_CLOCK_UTC = {
    "sqlite": "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')",
    "postgresql": "SELECT now()",
    "mariadb": "SELECT UTC_TIMESTAMP(6)",
}


@pytest.fixture
def workstation_far_from_utc() -> Iterator[None]:
    """This process's local time zone is UTC+05:30, so a local time mistaken for UTC (in
    Python, or in SQLite's 'localtime') is off by hours, not by nothing."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Kolkata"
    time.tzset()
    try:
        yield
    finally:
        if previous is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = previous
        time.tzset()


def new_case(db: TestDatabase) -> tuple[Workspace, Actor, CaseInfo]:
    ws, rep = db.sign_in("rep")
    customer_id = customers.create_customer(ws, rep, NewCustomer("Ann Example"))
    case = cases.create_case(
        ws, rep, NewCase(customer_id, db.team_id, "Router drops calls", Channel.PHONE)
    )
    return ws, rep, case


def raw_value(session: Session, sql: str, row_id: uuid.UUID) -> Any:
    """What the database holds, as the driver gives it: no column type converts the result."""
    statement = text(sql).bindparams(bindparam("id", type_=Guid()))
    return session.execute(statement, {"id": row_id}).scalar()


def as_utc(raw: object) -> datetime:
    """A stored timestamp as each dialect hands it over raw: text (SQLite), naive UTC
    (MariaDB) or aware (PostgreSQL)."""
    moment = datetime.fromisoformat(raw) if isinstance(raw, str) else raw
    assert isinstance(moment, datetime)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@pytest.mark.dialects(*ALL_DIALECTS)
def test_an_aware_time_goes_in_and_comes_back_as_the_same_moment_in_utc(
    db, workstation_far_from_utc
):
    ws, _rep, case = new_case(db)
    promised = datetime(2031, 3, 4, 15, 30, 12, 345678, tzinfo=ZoneInfo("Asia/Kolkata"))
    with write_session(ws) as session:
        session.get_one(Case, case.id).first_response_due = promised

    with read_session(ws) as session:
        back = session.get_one(Case, case.id).first_response_due
        raw = raw_value(session, "SELECT first_response_due FROM cases WHERE id = :id", case.id)
    assert back == promised
    assert back is not None and back.utcoffset() == timedelta(0)
    assert as_utc(raw) == datetime(2031, 3, 4, 10, 0, 12, 345678, tzinfo=UTC)


@pytest.mark.dialects(*ALL_DIALECTS)
def test_a_naive_time_is_refused_before_it_reaches_the_database(db):
    ws, _rep, case = new_case(db)
    with pytest.raises(StatementError, match="naive datetime"), write_session(ws) as session:
        session.get_one(Case, case.id).first_response_due = datetime(2031, 3, 4, 15, 30)
        session.flush()
    assert cases.get_case(ws, case.id).version == case.version  # nothing was written


@pytest.mark.dialects(*ALL_DIALECTS)
def test_server_side_defaults_come_from_the_database_clock_in_utc(db, workstation_far_from_utc):
    ws, _rep, case = new_case(db)
    with read_session(ws) as session:
        server_now = as_utc(session.execute(text(SERVER_CLOCK_UTC[db.dialect])).scalar())
        raw_created = raw_value(session, "SELECT created_at FROM cases WHERE id = :id", case.id)

    assert case.created_at.utcoffset() == timedelta(0)
    assert abs(server_now - case.created_at) < timedelta(minutes=1)
    assert abs(server_now - as_utc(raw_created)) < timedelta(minutes=1)


@pytest.mark.dialects(*ALL_DIALECTS)
def test_a_uuid_comes_back_as_the_same_uuid(db):
    ws, rep = db.sign_in("rep")
    chosen = uuid.uuid4()
    assert customers.create_customer(ws, rep, NewCustomer("Bo Example", id=chosen)) == chosen

    with read_session(ws) as session:
        back = session.scalar(select(Customer.id).where(Customer.name == "Bo Example"))
        raw = session.execute(text("SELECT id FROM customers WHERE name = 'Bo Example'")).scalar()
    assert back == chosen and isinstance(back, uuid.UUID)
    if db.dialect == "postgresql":
        assert raw == chosen  # a native uuid column
    else:
        assert bytes(raw) == chosen.bytes  # 16 bytes, not 36 characters of text


@pytest.mark.dialects(*ALL_DIALECTS)
def test_enums_are_stored_as_their_values(db):
    ws, rep, case = new_case(db)
    cases.update_case(
        ws, rep, case.id, CaseChanges(case.version, status=CaseStatus.PENDING_CUSTOMER)
    )

    with read_session(ws) as session:
        status = raw_value(session, "SELECT status FROM cases WHERE id = :id", case.id)
        channel = raw_value(session, "SELECT channel FROM cases WHERE id = :id", case.id)
    assert (status, channel) == ("pending_customer", "phone")
    assert cases.get_case(ws, case.id).status is CaseStatus.PENDING_CUSTOMER
