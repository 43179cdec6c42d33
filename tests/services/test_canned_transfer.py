"""Importing and exporting canned responses: round trips in JSON and CSV, every malformed row
reported with its reason, all or nothing, and spreadsheet formulas neutralized on export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from deskapp.domain.enums import CannedScope
from deskapp.domain.errors import InvalidInput
from deskapp.services import canned
from deskapp.services.canned_files import neutralize, restore
from deskapp.services.canned_library import (
    CannedDraft,
    create_response,
    retire_response,
    update_response,
)
from deskapp.services.canned_transfer import apply_import, export_library, preview_import

STARTER = Path(__file__).parents[2] / "resources" / "starter" / "canned_responses.json"
N = len(json.loads(STARTER.read_text(encoding="utf-8"))["responses"])  # the starter's size
HEADER = "title,shortcut,category,tags,scope,team,body\n"


def outcomes(preview) -> list[tuple[int, str]]:
    return [(row.number, row.outcome) for row in preview.rows]


def library(ws, actor) -> list[tuple[str, str | None, str, tuple[str, ...], str, str]]:
    return sorted(
        (r.title, r.shortcut, r.category, r.tags, r.body, r.scope.value)
        for r in canned.usable_responses(ws, actor)
    )


def test_an_admin_imports_the_starter_library_as_global_responses(db):
    ws, admin = db.sign_in("admin")
    preview = preview_import(ws, admin, STARTER)
    assert preview.ok and preview.count("new") == N
    assert {row.scope for row in preview.rows} == {CannedScope.GLOBAL}
    assert library(ws, admin) == []  # a preview writes nothing
    result = apply_import(ws, admin, preview)
    assert (result.new, result.updated) == (N, 0)
    assert apply_import(ws, admin, preview).new == N  # a retry after a lost reply: no doubles
    assert len(canned.usable_responses(ws, admin)) == N
    again = preview_import(ws, admin, STARTER)
    assert again.count("unchanged") == N


@pytest.mark.parametrize("format", ["json", "csv"])
def test_a_round_trip_restores_edited_and_retired_responses_exactly(db, tmp_path, format):
    ws_admin, admin = db.sign_in("admin")
    apply_import(ws_admin, admin, preview_import(ws_admin, admin, STARTER))
    ws, lead = db.sign_in("lead")
    tricky = [
        ('=HYPERLINK("http://evil")', "f1", "-1 for the wait\n- a list\r\n+ more", ("-x", "@y")),
        ("@here callback", "f2", "'=already an apostrophe", ("team",)),
        ("Tab\tin title", "f3", "\tindented first line", ()),
    ]
    for title, shortcut, body, tags in tricky:
        create_response(
            ws, lead, CannedDraft(CannedScope.TEAM, title, shortcut, "closing", tags, body)
        )
    ws_rep, rep = db.sign_in("rep")
    create_response(
        ws_rep, rep, CannedDraft(CannedScope.PERSONAL, "Mine", "mine", "billing", (), "Rae's own")
    )
    before = library(ws_rep, rep)
    path = tmp_path / f"library.{format}"
    assert export_library(ws_admin, admin, path) == N + 3  # admins do not get Rae's personal one

    hi = next(r for r in canned.usable_responses(ws, lead) if r.shortcut == "hi")
    update_response(
        ws_admin,
        admin,
        hi.id,
        hi.version,
        CannedDraft(CannedScope.GLOBAL, "Hi", "hi", "greeting", (), "Changed"),
    )
    f2 = next(r for r in canned.usable_responses(ws, lead) if r.shortcut == "f2")
    retire_response(ws, lead, f2.id, f2.version)
    preview = preview_import(ws_admin, admin, path)
    assert preview.ok, [r.reasons for r in preview.rows if r.reasons]
    assert (preview.count("update"), preview.count("unchanged")) == (2, N + 1)
    apply_import(ws_admin, admin, preview)
    assert library(ws_rep, rep) == before


def test_exported_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe(db, tmp_path):
    ws, lead = db.sign_in("lead")
    create_response(
        ws,
        lead,
        CannedDraft(
            CannedScope.TEAM, "=1+1", "calc", "billing", ("+tag",), "@SUM(A1)\nsecond line"
        ),
    )
    path = tmp_path / "team.csv"
    export_library(ws, lead, path, scopes=[CannedScope.TEAM])
    with path.open(encoding="utf-8", newline="") as handle:
        [header, row] = list(csv.reader(handle))
    cells = dict(zip(header, row, strict=True))
    assert (cells["title"], cells["tags"], cells["body"]) == (
        "'=1+1",
        "'+tag",
        "'@SUM(A1)\nsecond line",
    )
    assert cells["scope"] == "team" and cells["team"] == "Support"
    for text in ["=x", "+x", "-x", "@x", "\tx", "\rx", "'=x", "''-x", "'x", "x=1", ""]:
        assert restore(neutralize(text)) == text
        assert neutralize(text)[:1] not in ("=", "+", "-", "@", "\t", "\r")
    # A foreign file (another header) keeps its apostrophes: they are the author's.
    foreign = "body,title,category\n'=keep,Quote,billing\n"
    [row] = preview_import(ws, lead, foreign, "csv").rows
    assert row.draft is not None and row.draft.body == "'=keep"


def test_every_malformed_row_is_reported_and_nothing_is_imported(db):
    ws, rep = db.sign_in("rep")
    text = HEADER + "\n".join(
        [
            "Fine one,fine,greeting,email,,,Hello {{customer.first_name}}",
            "No body,nobody,greeting",
            "Bad category,badcat,refundz,,,,Hi",
            "Scripted,script,billing,,,,Hi <script>alert(1)</script>",
            "Typo,typo,billing,,,,Hi {{customer.nmae}}",
            "Fine one,other,greeting,,,,Same title again",
            "Other title,fine,greeting,,,,Same shortcut again",
            "Odd scope,odd,greeting,,galactic,,Hi",
            "Not mine,glob,greeting,,global,,Hi",
            "Too many,cells,greeting,,,,Hi,extra",
            ",untitled,greeting,,,,Hi",
            "Big,big,greeting,,,," + "x" * 100_000,
        ]
    )
    preview = preview_import(ws, rep, text, "csv")
    assert not preview.ok and preview.count("new") == 1
    reasons = {row.number: " | ".join(row.reasons) for row in preview.rows}
    expected = {
        3: "is missing the column(s) body",
        4: "“refundz” is not a category",
        5: "remove the <script> tag",
        6: "did you mean {{customer.name}}?",
        7: "duplicate within the file: the same response as row 2",
        8: "duplicate within the file: the same shortcut as row 2",
        9: "“galactic” is not a scope",
        10: "Only an admin can write global responses",
        11: "has 8 cells but the header names 7 columns",
        12: "title: Give the response a title",
        13: "body: The text is 100 KB",
    }
    for number, reason in expected.items():
        assert reason in reasons[number], (number, reasons[number])
    assert reasons[2] == ""
    with pytest.raises(InvalidInput, match=r"Nothing was imported .* 11 of 12 rows were rejected"):
        apply_import(ws, rep, preview)
    assert canned.usable_responses(ws, rep) == []


@pytest.mark.parametrize(
    ("content", "format", "expected"),
    [
        (b"title,category\nx,greeting\n", "csv", "there is no “body” column"),
        (b"title,category,body,colour\nx,greeting,y,red\n", "csv", "does not know the column"),
        (b'title,category,body\n"unclosed,greeting,y\n', "csv", "not valid CSV"),
        (b"Caf\xe9,greeting,body\n", "csv", "is not UTF-8 text"),
        (b'{"responses": [', "json", "is not valid JSON (line 1"),
        (b'{"title": "x"}', "json", "is not a canned-response file"),
        (b"title,category,body\n", "csv", "holds no responses"),
    ],
)
def test_an_unreadable_file_is_refused_whole_with_the_reason(
    db, tmp_path, content, format, expected
):
    ws, admin = db.sign_in("admin")
    path = tmp_path / f"file.{format}"
    path.write_bytes(content)
    preview = preview_import(ws, admin, path)
    assert not preview.ok and any(expected in p for p in preview.file_problems), preview
    with pytest.raises(InvalidInput, match="Nothing was imported"):
        apply_import(ws, admin, preview)
    missing = preview_import(ws, admin, tmp_path / "missing.json")
    assert "no such file" in missing.file_problems[0]


def test_json_rows_of_the_wrong_shape_are_rejected_one_by_one(db):
    ws, admin = db.sign_in("admin")
    document = {
        "responses": [
            {"title": "Good", "category": "closing", "body": "Bye", "tags": ["a", "b"]},
            "just a string",
            {"title": "No category", "body": "x"},
            {"title": "Bad tags", "category": "closing", "body": "x", "tags": [1, 2]},
            {"title": "Extra", "category": "closing", "body": "x", "colour": "red"},
            {
                "title": "Team of nobody",
                "category": "closing",
                "body": "x",
                "scope": "team",
                "team": "Nowhere",
            },
        ]
    }
    preview = preview_import(ws, admin, json.dumps(document), "json")
    assert outcomes(preview) == [
        (1, "new"),
        (2, "rejected"),
        (3, "rejected"),
        (4, "rejected"),
        (5, "rejected"),
        (6, "rejected"),
    ]
    assert [r.reasons[0] for r in preview.rows[1:]] == [
        "is not an object with title, category and body",
        "has no “category”",
        "has tags that are not all text",
        "has fields Deskapp does not know: colour",
        "there is no team called “Nowhere”",
    ]


def test_an_import_is_all_or_nothing_when_something_changed_after_the_preview(db):
    ws, lead = db.sign_in("lead")
    old = create_response(
        ws,
        lead,
        CannedDraft(CannedScope.TEAM, "Sorry", "sorry", "apology and empathy", (), "Sorry."),
    )
    text = HEADER + "Sorry,sorry,apology and empathy,,team,,So sorry.\nNew one,new,closing,,,,Bye"
    preview = preview_import(ws, lead, text, "csv")
    assert outcomes(preview) == [(2, "update"), (3, "new")]
    update_response(
        ws,
        lead,
        old.id,
        old.version,
        CannedDraft(
            CannedScope.TEAM, "Sorry", "sorry", "apology and empathy", (), "Someone else's words."
        ),
    )
    with pytest.raises(InvalidInput, match=r"row 2 .* can no longer be written: .* Preview"):
        apply_import(ws, lead, preview)
    assert [r.title for r in canned.usable_responses(ws, lead)] == ["Sorry"]  # no "New one"


def test_a_reps_export_holds_only_what_they_may_use(db, tmp_path):
    ws_rep2, rep2 = db.sign_in("rep2")
    create_response(
        ws_rep2, rep2, CannedDraft(CannedScope.PERSONAL, "Ray's", None, "closing", (), "Private")
    )
    ws_lead, lead = db.sign_in("lead")
    create_response(
        ws_lead, lead, CannedDraft(CannedScope.TEAM, "Team", None, "closing", (), "Shared")
    )
    ws, rep = db.sign_in("rep")
    create_response(
        ws, rep, CannedDraft(CannedScope.PERSONAL, "Rae's", None, "closing", (), "Mine")
    )
    path = tmp_path / "mine.json"
    assert export_library(ws, rep, path) == 2
    titles = [r["title"] for r in json.loads(path.read_text(encoding="utf-8"))["responses"]]
    assert titles == ["Team", "Rae's"]
    assert export_library(ws, rep, path, scopes=[CannedScope.PERSONAL]) == 1
