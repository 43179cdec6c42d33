"""Bad import files: each gets a clear report, never a crash, and the workspace is unchanged."""

from __future__ import annotations

import codecs

import pytest

from deskapp.services.data_import import ImportRequest, preview_import, run_import
from tests.services.import_helpers import fingerprint, write

NAMES = "id,name,email\nc1,Zoë Müller,zoe@example.com\nc2,François Œuvre,f@example.com\n"


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("UTF-8", NAMES.encode("utf-8")),
        ("UTF-8", codecs.BOM_UTF8 + NAMES.encode("utf-8")),
        ("UTF-16", NAMES.encode("utf-16")),  # with its byte-order mark, as Excel writes it
        ("UTF-16", NAMES.encode("utf-16-le")),  # without one
        ("Windows-1252", NAMES.encode("cp1252")),
        ("Windows-1252", NAMES.replace("Œ", "O").encode("latin-1")),
    ],
)
def test_every_common_encoding_reads_the_same_names(db, tmp_path, encoding, data):
    ws, admin = db.sign_in("admin")
    report = run_import(ws, admin, ImportRequest("customers", write(tmp_path, "c.csv", data)))
    assert report.written and report.encoding == encoding
    assert report.sample[0].summary == "Zoë Müller"


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_another_delimiter_is_recognised(db, tmp_path, delimiter):
    ws, admin = db.sign_in("admin")
    text = NAMES.replace(",", delimiter)
    report = preview_import(ws, admin, ImportRequest("customers", write(tmp_path, "c.csv", text)))
    assert report.ok and report.new == 2 and report.delimiter == delimiter


def test_a_missing_column_is_a_file_problem_and_extra_columns_are_named(db, tmp_path):
    ws, admin = db.sign_in("admin")
    before = fingerprint(ws)
    no_name = write(tmp_path, "a.csv", "id,email\n1,a@b.co\n")
    missing = run_import(ws, admin, ImportRequest("customers", no_name))
    assert not missing.written and "no column gives the name (name)" in missing.file_problems[0]
    extra = run_import(ws, admin, ImportRequest("customers", write(tmp_path, "b.csv",
                       "id,name,shoe size\n1,Al,44\n")))  # fmt: skip
    assert extra.written and "Columns not imported: shoe size." in extra.notes
    before_ragged = fingerprint(ws)
    ragged = run_import(ws, admin, ImportRequest("customers", write(tmp_path, "c.csv",
                        "id,name\n2,Bo,extra,cells\n3\n")))  # fmt: skip
    assert not ragged.written and fingerprint(ws) == before_ragged
    assert [(p.line, p.reason) for p in ragged.problems] == [
        (2, "has 4 cells but the header names 2 columns"),
        (3, "has 1 cells; the header names 2"),
    ]
    assert fingerprint(ws) != before  # only the file with extra columns went in


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_a_10_mb_field_is_reported_not_crashed_on(db, tmp_path):
    ws, admin = db.sign_in("admin")
    before = fingerprint(ws)
    huge = "x" * 10_000_000
    report = run_import(ws, admin, ImportRequest("customers", write(tmp_path, "h.csv",
                        f'id,name\n1,"{huge}"\n')))  # fmt: skip
    assert not report.written and fingerprint(ws) == before
    assert report.problems[0].column == "name"
    assert report.problems[0].reason == "is 10,000,000 characters long; at most 200 fit"


@pytest.mark.parametrize(
    "written",
    [
        "2024-01-31T14:05:00Z",  # ISO 8601
        "2024-01-31 15:05:00+01:00",  # ISO with an offset
        "01/31/2024 2:05 PM",  # US
        "31.01.2024 14:05",  # European dots
        "Wed, 31 Jan 2024 14:05:00 +0000",  # an e-mail header
        "1706709900",  # Unix seconds
    ],
)
def test_dates_in_many_forms_mean_the_same_moment(db, tmp_path, written):
    ws, admin = db.sign_in("admin")
    path = write(tmp_path, "c.csv", f'id,name,created_at\n1,Al,"{written}"\n')
    assert run_import(ws, admin, ImportRequest("customers", path)).written
    from sqlalchemy import select

    from deskapp.db.models import Customer

    with ws.engine.connect() as conn:
        created = conn.execute(select(Customer.created_at).where(Customer.external_id == "1"))
        assert created.scalar_one().isoformat() == "2024-01-31T14:05:00+00:00"


def test_day_first_files_say_so_and_impossible_dates_are_explained(db, tmp_path):
    ws, admin = db.sign_in("admin")
    path = write(tmp_path, "c.csv", "id,name,created_at\n1,Al,31/01/2024\n2,Bo,someday\n")
    us = preview_import(ws, admin, ImportRequest("customers", path))
    assert [(p.line, p.column) for p in us.problems] == [(2, "created_at"), (3, "created_at")]
    assert "read as month/day/year (if the file writes day/month/year" in us.problems[0].reason
    assert "is not a date Deskapp reads" in us.problems[1].reason
    european = preview_import(ws, admin, ImportRequest("customers", path, day_first=True))
    assert european.problem_count == 1


def test_duplicate_ids_inside_one_file_are_rejected_with_the_first_line(db, tmp_path):
    ws, admin = db.sign_in("admin")
    before = fingerprint(ws)
    text = "id,name\n1,Al\n2,Bo\n1,Al again\n"
    report = run_import(ws, admin, ImportRequest("customers", write(tmp_path, "d.csv", text)))
    assert not report.written and fingerprint(ws) == before
    assert [(p.line, p.column, p.reason) for p in report.problems] == [
        (4, "id", "the id “1” is already on line 2 of this file")]  # fmt: skip


@pytest.mark.parametrize("email", ["bob", "bob@", "@example.com", "bob@example", "a b@c.de"])
def test_an_email_that_is_not_one_is_rejected(db, tmp_path, email):
    ws, admin = db.sign_in("admin")
    before = fingerprint(ws)
    path = write(tmp_path, "e.csv", f"id,name,email\n1,Bob,{email}\n")
    report = run_import(ws, admin, ImportRequest("customers", path))
    assert not report.written and fingerprint(ws) == before
    assert report.problems[0].column == "email" and "is not an e-mail address" in (
        report.problems[0].reason)  # fmt: skip


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
        ("tickets.json", b'{"tickets": [{"id": 1,', "is not valid JSON"),
        ("tickets.json", b'{"orders": []}', "is not a Zendesk ticket export"),
        ("empty.csv", b"", "is empty"),
        ("blank.csv", b"\xef\xbb\xbf  \r\n\r\n", "is empty"),
        ("report.csv", "ok\n".encode("utf-16")[:-1], "UTF-16"),
    ],
)
def test_files_that_are_not_csv_or_json_get_a_clear_report(db, tmp_path, name, data, says):
    ws, admin = db.sign_in("admin")
    before = fingerprint(ws)
    report = run_import(ws, admin, ImportRequest("cases", write(tmp_path, name, data)))
    assert not report.written and fingerprint(ws) == before
    assert says in " ".join(report.file_problems)


def test_a_file_that_is_not_there_is_named(db, tmp_path):
    ws, admin = db.sign_in("admin")
    report = preview_import(ws, admin, ImportRequest("cases", tmp_path / "nope.csv"))
    assert "no such file" in report.file_problems[0]


def test_an_unclosed_quote_is_reported_at_its_line(db, tmp_path):
    ws, admin = db.sign_in("admin")
    before = fingerprint(ws)
    text = 'id,name\n1,Al\n2,"Bo\n3,Cy\n'
    report = run_import(ws, admin, ImportRequest("customers", write(tmp_path, "q.csv", text)))
    assert not report.written and fingerprint(ws) == before
    assert report.problems and report.problems[-1].line == 3
