"""Importing customers, cases and interactions: CSV with a mapping, Zendesk and Freshdesk
exports, all or nothing, only the valid rows when asked, and never twice."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from deskapp.db.models import Case, Customer, Interaction
from deskapp.domain.enums import CaseStatus, Direction, Priority, Tier
from deskapp.domain.errors import PermissionDenied
from deskapp.services import import_load, import_mappings, queue
from deskapp.services.data_import import ImportRequest, preview_import, run_import
from deskapp.services.queue import QueueQuery, QueueView
from tests.services.import_helpers import (
    CUSTOMERS,
    counts,
    import_all,
    write,
)


def test_customers_then_cases_then_interactions_import_and_a_second_run_adds_nothing(db, tmp_path):
    ws, admin = db.sign_in("admin")
    before = counts(ws)
    import_all(ws, admin, tmp_path)
    assert counts(ws) == (before[0] + 3, before[1] + 3, before[2] + 3)
    with ws.engine.connect() as conn:
        zoe = conn.execute(select(Customer).where(Customer.external_id == "c1")).one()
        assert (zoe.name, zoe.email, zoe.tier, zoe.phone_digits) == (
            "Zoë Okafor", "zoe@example.com", Tier.VIP, "31612345678")  # fmt: skip
        refund = conn.execute(select(Case).where(Case.external_id == "T1")).one()
        assert (refund.status, refund.priority, refund.customer_id) == (
            CaseStatus.RESOLVED, Priority.HIGH, zoe.id)  # fmt: skip
        assert refund.resolved_at is not None and refund.number > 0
        pending = conn.execute(select(Case.status).where(Case.external_id == "T3")).scalar()
        assert pending is CaseStatus.PENDING_CUSTOMER
        answer = conn.execute(select(Interaction).where(Interaction.external_id == "m2")).one()
        assert (answer.direction, answer.case_id, answer.customer_id) == (
            Direction.OUTBOUND, refund.id, zoe.id)  # fmt: skip
    # Running every file again never duplicates: each row is "already imported".
    for kind in ("customers", "cases", "interactions"):
        again = run_import(ws, admin, ImportRequest(kind, tmp_path / f"{kind}.csv"))
        assert (again.new, again.existing, again.rejected) == (0, 3, 0)
    assert counts(ws) == (before[0] + 3, before[1] + 3, before[2] + 3)


def test_one_rejected_row_imports_nothing_unless_only_the_valid_rows_are_asked_for(db, tmp_path):
    ws, admin = db.sign_in("admin")
    before = counts(ws)
    bad = CUSTOMERS + "c4,Bo Berg,not-an-email,,,\nc5,,x@example.com,,,\n"
    path = write(tmp_path, "customers.csv", bad)
    report = run_import(ws, admin, ImportRequest("customers", path))
    assert not report.written and counts(ws) == before
    assert [(p.line, p.column) for p in report.problems] == [(5, "email"), (6, "name")]
    assert "is not an e-mail address" in report.problems[0].reason
    assert report.verdict(False).startswith("Nothing was imported: 2 row(s) were rejected")
    valid = run_import(ws, admin, ImportRequest("customers", path, valid_only=True))
    assert valid.written and (valid.new, valid.rejected) == (3, 2)
    assert counts(ws)[0] == before[0] + 3


def test_a_preview_writes_nothing_and_shows_the_rows(db, tmp_path):
    ws, admin = db.sign_in("admin")
    before = counts(ws)
    report = preview_import(ws, admin, ImportRequest("customers", write(tmp_path, "c.csv",
                                                                        CUSTOMERS)))  # fmt: skip
    assert report.ok and report.new == 3 and not report.written
    assert [(s.line, s.outcome, s.summary) for s in report.sample][:2] == [
        (2, "new", "Zoë Okafor"), (3, "new", "Sam Lee")]  # fmt: skip
    assert report.encoding == "UTF-8" and report.delimiter == ","
    assert counts(ws) == before


def test_only_an_admin_imports(db, tmp_path):
    ws, lead = db.sign_in("lead")
    with pytest.raises(PermissionDenied, match="Only an admin can import data"):
        run_import(ws, lead, ImportRequest("customers", write(tmp_path, "c.csv", CUSTOMERS)))


def test_a_mapping_reads_other_column_names_and_is_kept_for_next_time(db, tmp_path):
    ws, admin = db.sign_in("admin")
    text = "Kundennummer;Vollständiger Name;Mail\n7;Jörg Weiß;jorg@example.de\n"
    path = write(tmp_path, "kunden.csv", text)
    unmapped = preview_import(ws, admin, ImportRequest("customers", path))
    assert any("no column gives the customer id" in p for p in unmapped.file_problems)
    mapping = {"external_id": "Kundennummer", "name": "Vollständiger Name", "email": "Mail"}
    report = run_import(ws, admin, ImportRequest("customers", path, mapping=mapping))
    assert report.written and report.delimiter == ";"
    import_mappings.save_mapping(ws, admin, "customers", report.mapping)
    saved = import_mappings.saved_mapping(ws, "customers")
    assert saved == mapping
    second = write(tmp_path, "more.csv", "Kundennummer;Vollständiger Name;Mail\n8;Eva;e@x.de\n")
    again = preview_import(ws, admin, ImportRequest("customers", second), saved_mapping=saved)
    assert again.ok and again.new == 1


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
@pytest.mark.parametrize("paused", [False, True])
def test_imported_cases_are_found_by_search_whether_the_index_was_paused_or_not(
    db, tmp_path, monkeypatch, paused
):
    monkeypatch.setattr(import_load, "PAUSE_INDEX_FROM", 1 if paused else 10**9)
    ws, admin = db.sign_in("admin")
    import_all(ws, admin, tmp_path)
    query = QueueQuery(QueueView.ALL_OPEN, search="rebooting")
    found = queue.fetch_page(ws, admin, query, None, 10).rows
    assert [row.subject for row in found] == ["Router keeps rebooting"]


ZENDESK = {
    "tickets": [
        {
            "id": 35436, "subject": "Help, my printer is on fire!", "status": "hold",
            "priority": None, "requester_id": 20978392, "assignee_id": 235323,
            "created_at": "2024-07-20T22:55:29Z", "updated_at": "2024-07-21T09:00:00Z",
            "via": {"channel": "web"}, "type": "incident", "tags": ["fire", "printer"],
            "comments": [
                {"id": 1001, "author_id": 20978392, "body": "It smokes. Card 4111 1111 1111 1111",
                 "public": True, "created_at": "2024-07-20T22:55:29Z"},
                {"id": 1002, "author_id": 235323, "body": "Unplug it now.", "public": True,
                 "created_at": "2024-07-20T23:00:00Z"},
                {"id": 1003, "author_id": 235323, "body": "Escalate to hardware", "public": False,
                 "created_at": "2024-07-20T23:01:00Z"},
            ],
        },
        {
            "id": 35437, "subject": "Toner order", "status": "solved", "priority": "low",
            "requester_id": 20978392, "description": "Please send toner.",
            "created_at": "2024-07-22T10:00:00Z", "updated_at": "2024-07-23T10:00:00Z",
            "via": {"channel": "email"},
        },
    ],
    "users": [
        {"id": 20978392, "name": "Kiko Ito", "email": "kiko@example.com", "role": "end-user"},
        {"id": 235323, "name": "Agent Smith", "email": "smith@helpdesk.example", "role": "agent"},
    ],
}  # fmt: skip


def test_a_zendesk_export_brings_requesters_tickets_and_comments(db, tmp_path):
    ws, admin = db.sign_in("admin")
    before = counts(ws)
    path = write(tmp_path, "zendesk.json", json.dumps(ZENDESK))
    report = run_import(ws, admin, ImportRequest("cases", path))
    assert report.format == "zendesk" and report.written, report
    assert (report.counts["customers"].new, report.counts["cases"].new,
            report.counts["interactions"].new) == (1, 2, 4)  # fmt: skip
    assert any("Agent Smith" in n or "smith@" in n for n in report.notes)  # no such person here
    assert counts(ws) == (before[0] + 1, before[1] + 2, before[2] + 4)
    with ws.engine.connect() as conn:
        fire = conn.execute(select(Case).where(Case.external_id == "35436")).one()
        assert (fire.status, fire.priority, fire.category) == (
            CaseStatus.PENDING_INTERNAL, Priority.NORMAL, "incident")  # fmt: skip
        said = dict(conn.execute(select(Interaction.external_id, Interaction.direction)).all())
        assert (said["1001"], said["1002"], said["1003"]) == (
            Direction.INBOUND, Direction.OUTBOUND, Direction.INTERNAL)  # fmt: skip
        body = conn.execute(select(Interaction.body).where(Interaction.external_id == "1001"))
        assert "4111 1111 1111 1111" not in body.scalar_one()  # card numbers are masked
    again = run_import(ws, admin, ImportRequest("cases", path))
    assert again.written is False and again.new == 0 and again.existing == 7
    assert counts(ws) == (before[0] + 1, before[1] + 2, before[2] + 4)


def test_zendesk_one_ticket_per_line_is_read_too(db, tmp_path):
    ws, admin = db.sign_in("admin")
    lines = "\n".join(json.dumps(t) for t in ZENDESK["tickets"])
    report = preview_import(ws, admin, ImportRequest("cases", write(tmp_path, "t.json", lines)))
    assert report.ok and report.counts["cases"].new == 2


FRESHDESK = (
    "Ticket ID,Subject,Description,Status,Priority,Source,Type,Agent,Group,Created time,"
    "Last update time,Resolved time,Closed time,Full name,Email,Contact ID,Work phone\n"
    "101,Cannot log in,Password reset mail never comes,Open,Medium,Email,Question,Rae Rep,"
    "Support,2024-05-01 10:00:00,2024-05-01 11:00:00,,,Mia Wong,mia@example.com,9001,555 0100\n"
    "102,Refund please,,Closed,Urgent,Phone,Refund,,Billing,2024-05-02 10:00:00,"
    "2024-05-03 10:00:00,2024-05-03 09:00:00,2024-05-03 10:00:00,Mia Wong,mia@example.com,9001,\n"
)


def test_a_freshdesk_export_brings_contacts_tickets_and_descriptions(db, tmp_path):
    ws, admin = db.sign_in("admin")
    before = counts(ws)
    report = run_import(ws, admin, ImportRequest("cases", write(tmp_path, "fd.csv", FRESHDESK)))
    assert report.format == "freshdesk" and report.written, report
    assert counts(ws) == (before[0] + 1, before[1] + 2, before[2] + 1)
    with ws.engine.connect() as conn:
        login = conn.execute(select(Case).where(Case.external_id == "101")).one()
        assert (login.status, login.priority, login.assignee_id is not None) == (
            CaseStatus.OPEN, Priority.NORMAL, True)  # "Rae Rep" is a person here  # fmt: skip
        refund = conn.execute(select(Case).where(Case.external_id == "102")).one()
        assert refund.status is CaseStatus.CLOSED and refund.closed_at is not None
    only_customers = run_import(ws, admin, ImportRequest("customers", tmp_path / "fd.csv"))
    assert only_customers.existing == 1 and only_customers.new == 0


def test_cases_need_their_customers_and_a_known_team(db, tmp_path):
    ws, admin = db.sign_in("admin")
    text = "id,customer_id,subject,team\nT9,nobody,Lost,Support\nT8,nobody,Lost,Nowhere\n"
    report = preview_import(ws, admin, ImportRequest("cases", write(tmp_path, "x.csv", text)))
    reasons = [(p.line, p.column, p.reason) for p in report.problems]
    assert reasons[0][:2] == (2, "customer_id") and "import the customers first" in reasons[0][2]
    assert (3, "team", "there is no team called “Nowhere”") in reasons
