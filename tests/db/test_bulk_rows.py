"""Bulk loading (db/bulk.py) stores what the ORM stores: the rows it converts for the driver
(ids, moments, enums, lists, flags) read back equal through the models, on every dialect, and
SQLite's moments are the very text SQLAlchemy writes, so ordering and comparing them works."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from deskapp.db.bulk import bulk_insert, storage_rows
from deskapp.db.models import Case, Customer
from deskapp.domain.enums import CaseStatus, Channel, Mood, Priority, Tier
from deskapp.services.unit_of_work import read_session, write_session

COLUMNS = ["id", "name", "email", "phone", "time_zone", "tier", "tags", "external_source",
           "external_id", "created_at", "updated_at", "version"]  # fmt: skip
PARIS_LEAP_NIGHT = datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_bulk_loaded_rows_read_back_as_the_orm_wrote_them(db):
    ws, _admin = db.sign_in("admin")
    table = Customer.__table__
    given = {
        "plain": [uuid.uuid4(), "Zoë Okafor", "zoe@example.com", None, "Europe/Paris", Tier.VIP,
                  ["vip", "nl"], "csv", "k1", PARIS_LEAP_NIGHT, PARIS_LEAP_NIGHT, 1],
        "converted": [uuid.uuid4().bytes if ws.dialect != "postgresql" else uuid.uuid4(), "Sam",
                      None, "+1 555", "UTC", Tier.STANDARD, [], "csv", "k2",
                      datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 12, 31, tzinfo=UTC), 3],
    }  # fmt: skip
    with ws.engine.begin() as conn:
        assert bulk_insert(conn, table, COLUMNS, [given["plain"]]) == 1  # type: ignore[arg-type]
        rows = storage_rows(ws.dialect, table, COLUMNS, [given["converted"]])  # type: ignore[arg-type]
        assert bulk_insert(conn, table, COLUMNS, rows, converted=True) == 1  # type: ignore[arg-type]
    with read_session(ws) as session:
        for key, values in given.items():
            read = session.execute(select(Customer).where(Customer.external_id == values[8])).one()
            stored = [getattr(read[0], name) for name in COLUMNS]
            expected = list(values)
            if isinstance(expected[0], bytes):
                expected[0] = uuid.UUID(bytes=expected[0])
            assert stored == expected, key
            assert stored[9].tzinfo is not None


@pytest.mark.dialects("sqlite")
def test_sqlite_moments_and_flags_are_stored_as_the_orm_stores_them(db):
    ws, admin = db.sign_in("admin")
    assert admin.team_id is not None
    case_columns = ["id", "number", "customer_id", "subject", "channel", "priority", "status",
                    "escalated", "team_id", "mood", "transfer_count", "reopen_count",
                    "created_at", "updated_at", "last_activity_at", "version"]  # fmt: skip
    with write_session(ws) as session:
        customer = Customer(name="Ana", time_zone="UTC", tier=Tier.STANDARD, tags=[], version=1)
        session.add(customer)
        session.flush()
        by_orm = Case(number=900, customer_id=customer.id, subject="by the ORM",
                      channel=Channel.EMAIL, priority=Priority.HIGH, status=CaseStatus.ESCALATED,
                      escalated=True, team_id=admin.team_id, mood=Mood.NEUTRAL,
                      transfer_count=0, reopen_count=0, created_at=PARIS_LEAP_NIGHT,
                      updated_at=PARIS_LEAP_NIGHT, last_activity_at=PARIS_LEAP_NIGHT,
                      version=1)  # fmt: skip
        session.add(by_orm)
        customer_id = customer.id
    bulk_row = [uuid.uuid4(), 901, customer_id, "in bulk", Channel.EMAIL, Priority.HIGH,
                CaseStatus.ESCALATED, True, admin.team_id, Mood.NEUTRAL, 0, 0,
                PARIS_LEAP_NIGHT, PARIS_LEAP_NIGHT, PARIS_LEAP_NIGHT, 1]  # fmt: skip
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO workspace_settings (key, value) VALUES "
                             "('case_search.paused', 'true')")  # fmt: skip
        bulk_insert(conn, Case.__table__, case_columns, [bulk_row])  # type: ignore[arg-type]
        conn.exec_driver_sql("DELETE FROM workspace_settings WHERE key = 'case_search.paused'")
    with ws.engine.connect() as conn:
        stored = conn.execute(
            text(
                "SELECT number, created_at, escalated, typeof(escalated), status, typeof(id) "
                "FROM cases WHERE number IN (900, 901) ORDER BY number"
            )
        ).all()
    assert stored[0][1:] == stored[1][1:]
    assert stored[1][1:] == ("2024-02-29 22:59:58.123456", 1, "integer", "escalated", "blob")
