"""Big imports on SQLite (search index paused, rows written on a second thread): the search
index ends up exactly as the search view describes every case, with only the documents that
changed redone while that is less work than a rebuild; the indexes set aside for the load are
back afterwards; and the interpreter settings the load changes come back too."""

from __future__ import annotations

import copy
import gc
import json
import sys
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, text

from deskapp.db.models import Case
from deskapp.domain.case_key import format_case_key
from deskapp.services import import_load, import_search
from deskapp.services.case_search import case_matches
from deskapp.services.data_import import ImportRequest, run_import
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace
from tests.services.import_helpers import CASES, CUSTOMERS, INTERACTIONS, counts, write
from tests.services.test_data_import import ZENDESK

# Seven cases: the three interactions go into two of them, fewer than half.
SEVEN_CASES = CASES + "".join(f"T{n},c3,Parcel {n} lost,open,normal,email,\n" for n in range(4, 8))
MORE_INTERACTIONS = (
    "id,case_id,occurred_at,direction,body\n"
    "m4,T1,2024-03-04T08:00:00Z,inbound,Still waiting for the quokka refund\n"
    "m5,T3,2024-03-04T09:00:00Z,outbound,Address corrected to Wombat Street\n"
)


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every import counts as big here, in chunks of two rows (several per file)."""
    monkeypatch.setattr(import_load, "PAUSE_INDEX_FROM", 1)
    monkeypatch.setattr(import_load, "CHUNK", 2)


def found(ws: Workspace, typed: str) -> set[str]:
    condition = case_matches(ws.engine.dialect.name, typed)
    assert condition is not None
    with read_session(ws) as session:
        return {format_case_key(n) for n in session.scalars(select(Case.number).where(condition))}


def key_of(ws: Workspace, external_id: str) -> str:
    with read_session(ws) as session:
        number = session.scalar(select(Case.number).where(Case.external_id == external_id))
    assert number is not None
    return format_case_key(number)


def assert_index_is_the_view(ws: Workspace) -> None:
    """FTS5 compares its index with the documents the view gives now, and fails on any word
    too many or too few; the triggers are on again."""
    with ws.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO case_search_fts(case_search_fts, rank) VALUES ('integrity-check', 1)"
        )
        paused = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM workspace_settings WHERE key = 'case_search.paused'"
        ).scalar()
    assert paused == 0


def calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[tuple[Any, ...]]:
    """Record each call of ``module.name`` (and still make it)."""
    made: list[tuple[Any, ...]] = []
    real: Callable[..., Any] = getattr(module, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        made.append(args[1:] + tuple(kwargs.values()))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return made


def load(ws: Workspace, admin: Any, folder: Any, kind: str, content: str) -> None:
    report = run_import(ws, admin, ImportRequest(kind, write(folder, f"{kind}.csv", content)))  # type: ignore[arg-type]
    assert report.written and not report.rejected, report


# ------------------------------------------------------------------------- the search index
@pytest.mark.dialects("sqlite")
def test_a_big_file_of_cases_is_indexed_chunk_by_chunk_while_it_loads(
    db, tmp_path, big, monkeypatch
):
    ws, admin = db.sign_in("admin")
    load(ws, admin, tmp_path, "customers", CUSTOMERS)
    indexed = calls(monkeypatch, import_search, "index_cases")
    rebuilt = calls(monkeypatch, import_search, "rebuild_search_index")
    load(ws, admin, tmp_path, "cases", CASES)
    assert len(indexed) >= 2 and not rebuilt  # two chunks of new cases, then the rest: none
    assert found(ws, "rebooting") == {key_of(ws, "T2")}
    assert found(ws, "okafor refund") == {key_of(ws, "T1")}
    assert_index_is_the_view(ws)


@pytest.mark.dialects("sqlite")
def test_new_interactions_redo_only_the_documents_of_the_cases_they_go_into(
    db, tmp_path, big, monkeypatch
):
    ws, admin = db.sign_in("admin")
    load(ws, admin, tmp_path, "customers", CUSTOMERS)
    load(ws, admin, tmp_path, "cases", SEVEN_CASES)
    forgotten = calls(monkeypatch, import_search, "unindex_cases")
    rebuilt = calls(monkeypatch, import_search, "rebuild_search_index")
    load(ws, admin, tmp_path, "interactions", INTERACTIONS)
    assert not rebuilt
    assert sorted(n for (numbers,) in forgotten for n in numbers) == sorted(
        int(key_of(ws, t)[2:]) for t in ("T1", "T2"))  # fmt: skip
    assert found(ws, "money") == {key_of(ws, "T1")}  # the new words
    assert found(ws, "reboots") == {key_of(ws, "T2")}
    assert found(ws, "rebooting") == {key_of(ws, "T2")}  # and the old ones, once
    assert_index_is_the_view(ws)
    # A second file adds to a case done before and to one untouched so far.
    load(ws, admin, tmp_path, "interactions", MORE_INTERACTIONS)
    assert found(ws, "quokka") == {key_of(ws, "T1")}
    assert found(ws, "wombat") == {key_of(ws, "T3")}
    assert_index_is_the_view(ws)
    assert not rebuilt


@pytest.mark.dialects("sqlite")
def test_a_file_of_interactions_for_most_cases_rebuilds_the_index_once_instead(
    db, tmp_path, big, monkeypatch
):
    ws, admin = db.sign_in("admin")
    load(ws, admin, tmp_path, "customers", CUSTOMERS)
    load(ws, admin, tmp_path, "cases", CASES)
    forgotten = calls(monkeypatch, import_search, "unindex_cases")
    rebuilt = calls(monkeypatch, import_search, "rebuild_search_index")
    load(ws, admin, tmp_path, "interactions", INTERACTIONS)  # 3 rows over 3 cases
    assert (len(rebuilt), forgotten) == (1, [])
    assert found(ws, "reboots") == {key_of(ws, "T2")}
    assert_index_is_the_view(ws)


@pytest.mark.dialects("sqlite")
def test_touching_more_than_half_the_cases_midway_turns_into_one_rebuild(
    db, tmp_path, big, monkeypatch
):
    ws, admin = db.sign_in("admin")
    load(ws, admin, tmp_path, "customers", CUSTOMERS)
    load(ws, admin, tmp_path, "cases", SEVEN_CASES)
    monkeypatch.setattr(import_search, "REBUILD_SHARE", 0.2)  # the second case is one too many
    forgotten = calls(monkeypatch, import_search, "unindex_cases")
    rebuilt = calls(monkeypatch, import_search, "rebuild_search_index")
    load(ws, admin, tmp_path, "interactions", INTERACTIONS)
    assert len(rebuilt) == 1 and len(forgotten) <= 1  # the first chunk went out one by one
    assert found(ws, "money") == {key_of(ws, "T1")}
    assert found(ws, "reboots") == {key_of(ws, "T2")}
    assert_index_is_the_view(ws)


@pytest.mark.dialects("sqlite")
def test_a_big_helpdesk_export_indexes_its_tickets_and_a_later_comment_on_one(
    db, tmp_path, big, monkeypatch
):
    ws, admin = db.sign_in("admin")
    export = write(tmp_path, "zendesk.json", json.dumps(ZENDESK))
    assert run_import(ws, admin, ImportRequest("cases", export)).written
    assert found(ws, "smokes") == {key_of(ws, "35436")}  # a comment, indexed with its ticket
    assert found(ws, "toner") == {key_of(ws, "35437")}
    assert_index_is_the_view(ws)
    # The same export later, with one more comment on a ticket imported before.
    later = copy.deepcopy(ZENDESK)
    later["tickets"][1]["comments"] = [
        {"id": 2001, "author_id": 20978392, "body": "The toner is the wrong colour",
         "public": True, "created_at": "2024-07-24T10:00:00Z"},
    ]  # fmt: skip
    forgotten = calls(monkeypatch, import_search, "unindex_cases")
    report = run_import(
        ws, admin, ImportRequest("cases", write(tmp_path, "z2.json", json.dumps(later)))
    )
    assert report.written and report.new == 1
    assert forgotten == [([int(key_of(ws, "35437")[2:])],)]
    assert found(ws, "colour") == {key_of(ws, "35437")}
    assert_index_is_the_view(ws)


# ------------------------------------------------------------------------- indexes set aside
def index_definitions(ws: Workspace) -> list[tuple[str, str]]:
    with ws.engine.connect() as conn:
        return [
            tuple(row)  # type: ignore[misc]
            for row in conn.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name IN ('customers', 'cases', 'interactions') ORDER BY name"
                )
            )
        ]


@pytest.mark.dialects("sqlite")
def test_indexes_set_aside_for_a_big_import_are_back_whether_it_commits_or_not(
    db, tmp_path, big, monkeypatch
):
    ws, admin = db.sign_in("admin")
    before = index_definitions(ws)
    set_aside = calls(monkeypatch, import_load, "sqlite_set_indexes_aside")
    load(ws, admin, tmp_path, "customers", CUSTOMERS)
    load(ws, admin, tmp_path, "cases", CASES)
    assert {table for (table,) in set_aside} == {"customers", "cases"}  # empty: doubled
    assert index_definitions(ws) == before
    # A rejected row: nothing written, and the indexes are still there.
    bad = CASES.replace("T3,c2,", "T4,nobody,")
    report = run_import(ws, admin, ImportRequest("cases", write(tmp_path, "bad.csv", bad)))
    assert not report.written and index_definitions(ws) == before
    # A failure while writing: rolled back, indexes included.
    state = counts(ws)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_load, "bulk_insert", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        run_import(ws, admin, ImportRequest("interactions", write(tmp_path, "i.csv", INTERACTIONS)))
    assert counts(ws) == state and index_definitions(ws) == before
    assert_index_is_the_view(ws)


def search_settings(ws: Workspace) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The search triggers (name, SQL) and the FTS5 index's stored settings."""
    with ws.engine.connect() as conn:
        triggers = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'trg_case_search_%' ORDER BY name"
        ).all()
        config = conn.exec_driver_sql("SELECT k, v FROM case_search_fts_config ORDER BY k").all()
    return [tuple(t) for t in triggers], [tuple(c) for c in config]  # type: ignore[misc]


@pytest.mark.dialects("sqlite")
def test_search_triggers_set_aside_for_a_big_import_are_back_after_it(
    db, tmp_path, big, monkeypatch
):
    ws, admin = db.sign_in("admin")
    before = search_settings(ws)
    during: list[set[str]] = []
    insert = import_load.bulk_insert

    def watching(conn: Any, table: Any, *args: Any, **kwargs: Any) -> Any:
        names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        during.append({n for (n,) in names if n.startswith(f"trg_case_search_{table.name[:-1]}")})
        return insert(conn, table, *args, **kwargs)

    monkeypatch.setattr(import_load, "bulk_insert", watching)
    load(ws, admin, tmp_path, "customers", CUSTOMERS)
    load(ws, admin, tmp_path, "cases", CASES)
    load(ws, admin, tmp_path, "interactions", INTERACTIONS)
    # While cases and interactions went in, their insert triggers were not there to run...
    assert during and all("trg_case_search_case_added" not in d for d in during)
    assert all("trg_case_search_interaction_after_add" not in d for d in during)
    # ...and now they are back as they were, the index untouched in its settings and right.
    assert search_settings(ws) == before
    assert_index_is_the_view(ws)
    # A rejected row: rolled back, settings included.
    bad = MORE_INTERACTIONS.replace("m5,T3,", "m5,T99,")
    report = run_import(ws, admin, ImportRequest("interactions", write(tmp_path, "b.csv", bad)))
    assert not report.written and search_settings(ws) == before
    # The triggers index again: a small import (no pause) is found at once.
    monkeypatch.setattr(import_load, "PAUSE_INDEX_FROM", 10**9)
    load(ws, admin, tmp_path, "interactions", MORE_INTERACTIONS)
    assert found(ws, "quokka") == {key_of(ws, "T1")}
    assert_index_is_the_view(ws)


@pytest.mark.dialects("sqlite")
def test_after_a_big_customers_import_the_planner_knows_how_many_there_are(db, tmp_path, big):
    """The search triggers join cases to customers; with figures from when the workspace was
    empty, SQLite would scan every customer for each case saved afterwards."""
    ws, admin = db.sign_in("admin")
    rows = "".join(f"k{n},Customer {n},c{n}@example.com\n" for n in range(300))
    load(ws, admin, tmp_path, "customers", "id,name,email\n" + rows)
    with ws.engine.connect() as conn:
        known = conn.execute(
            text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_customers_email'")
        ).scalar()
        total = conn.execute(text("SELECT COUNT(*) FROM customers")).scalar()
    assert known is not None and int(known.split()[0]) == total


# ------------------------------------------------------------------------- the interpreter
def test_the_interpreter_settings_a_big_import_changes_come_back(db, tmp_path, big, monkeypatch):
    interval, collecting = sys.getswitchinterval(), gc.isenabled()
    ws, admin = db.sign_in("admin")
    load(ws, admin, tmp_path, "customers", CUSTOMERS)
    assert (sys.getswitchinterval(), gc.isenabled()) == (interval, collecting)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_load, "bulk_insert", broken)
    with pytest.raises(RuntimeError):
        run_import(ws, admin, ImportRequest("cases", write(tmp_path, "c.csv", CASES)))
    assert (sys.getswitchinterval(), gc.isenabled()) == (interval, collecting)
