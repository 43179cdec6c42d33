"""Shared by the import tests: writing files, counting what the workspace holds."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from deskapp.db.models import Case, Customer, Interaction
from deskapp.services.data_import import ImportRequest, run_import

CUSTOMERS = (
    "id,name,email,phone,tier,created_at\n"
    "c1,Zoë Okafor,zoe@example.com,+31 6 1234 5678,vip,2024-01-02T10:00:00Z\n"
    "c2,Sam Lee,sam@example.com,,standard,2024-02-03 09:30:00\n"
    "c3,Ana Ruiz,,555-0101,,\n"
)
CASES = (
    "id,customer_id,subject,status,priority,channel,created_at\n"
    "T1,c1,Refund for order 1001,solved,high,email,2024-03-01T08:00:00Z\n"
    "T2,c1,Router keeps rebooting,open,urgent,phone,2024-03-02T08:00:00Z\n"
    "T3,c2,Invoice address,pending,low,chat,2024-03-03T08:00:00Z\n"
)
INTERACTIONS = (
    "id,case_id,occurred_at,direction,body\n"
    "m1,T1,2024-03-01T08:00:00Z,inbound,I want my money back\n"
    "m2,T1,2024-03-01T09:00:00Z,outbound,Refund issued\n"
    "m3,T2,2024-03-02T08:05:00Z,inbound,It reboots every hour\n"
)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def counts(ws) -> tuple[int, int, int]:
    with ws.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Customer, Case, Interaction)
        )


def fingerprint(ws) -> tuple:
    """Everything an import could change: the rows' counts and the newest of each."""
    with ws.engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count(), func.max(model.created_at))).one()
            for model in (Customer, Case, Interaction)
        )


def import_all(ws, admin, folder: Path) -> None:
    for kind, text in (("customers", CUSTOMERS), ("cases", CASES), ("interactions", INTERACTIONS)):
        report = run_import(ws, admin, ImportRequest(kind, write(folder, f"{kind}.csv", text)))
        assert report.written, report
