"""Exporting: CSV and JSON, formulas neutralized, redacted customers stay redacted, a queue
view's cases only, and an export imports again."""

from __future__ import annotations

import csv
import json

from sqlalchemy import update

from deskapp.db.models import Customer
from deskapp.domain.enums import Priority
from deskapp.services.data_export import REDACTED, export_records
from deskapp.services.data_import import ImportRequest, run_import
from deskapp.services.queue import QueueFilters, QueueQuery, QueueView
from tests.services.import_helpers import import_all, write


def rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_cells_that_would_run_as_formulas_are_neutralized_and_import_back(db, tmp_path):
    ws, admin = db.sign_in("admin")
    text = 'id,name,profile_note\nf1,=HYPERLINK("http://evil"),@SUM(A1)\nf2,-Minus,+plus\n'
    assert run_import(ws, admin, ImportRequest("customers", write(tmp_path, "f.csv", text))).written
    out = tmp_path / "out.csv"
    export_records(ws, admin, "customers", out)
    exported = {r["external_id"]: r for r in rows(out)}
    assert exported["f1"]["name"] == '\'=HYPERLINK("http://evil")'
    assert (exported["f1"]["profile_note"], exported["f2"]["name"]) == ("'@SUM(A1)", "'-Minus")
    other, other_admin = db.sign_in("admin")  # the same file, read back: apostrophes come off
    report = run_import(other, other_admin, ImportRequest("customers", out, source="again"))
    assert (report.written and report.sample[0].summary in ('=HYPERLINK("http://evil")',
                                                           "-Minus")) or report.new  # fmt: skip


def test_a_redacted_customer_stays_redacted_in_every_export(db, tmp_path):
    ws, admin = db.sign_in("admin")
    import_all(ws, admin, tmp_path)
    with ws.engine.begin() as conn:
        conn.execute(update(Customer).where(Customer.external_id == "c1")
                     .values(redacted_at=Customer.created_at))  # fmt: skip
    for kind in ("customers", "cases", "interactions"):
        export_records(ws, admin, kind, tmp_path / f"{kind}.json")
        export_records(ws, admin, kind, tmp_path / f"{kind}.csv")
    customers = json.loads((tmp_path / "customers.json").read_text())["records"]
    zoe = next(c for c in customers if c["external_id"] == "c1")
    assert (zoe["name"], zoe["email"], zoe["phone"]) == (REDACTED, None, None)
    exported = [tmp_path / f"{k}.{f}" for k in ("customers", "cases", "interactions")
                for f in ("csv", "json")]  # fmt: skip
    everything = "".join(p.read_text(encoding="utf-8") for p in exported)
    for secret in ("Zoë Okafor", "zoe@example.com", "I want my money back", "Refund for order"):
        assert secret not in everything
    assert "Invoice address" in (tmp_path / "cases.csv").read_text()  # others are kept


def test_a_queue_view_exports_only_its_cases(db, tmp_path):
    ws, admin = db.sign_in("admin")
    import_all(ws, admin, tmp_path)
    urgent = QueueQuery(QueueView.ALL_OPEN,
                        filters=QueueFilters(priorities=frozenset({Priority.URGENT})))  # fmt: skip
    assert export_records(ws, admin, "cases", tmp_path / "v.csv", view=urgent) == 1
    assert [r["subject"] for r in rows(tmp_path / "v.csv")] == ["Router keeps rebooting"]
    assert export_records(ws, admin, "interactions", tmp_path / "i.csv", view=urgent) == 1
    assert export_records(ws, admin, "customers", tmp_path / "c.csv", view=urgent) == 1
