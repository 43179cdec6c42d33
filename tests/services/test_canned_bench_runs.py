"""The canned-response benchmark (tests/bench/bench_canned.py) still runs, at a CI size.

Timings are not asserted here (a shared CI machine says nothing about a rep's); only that every
query kind is measured, on the ranking and on the real panel, and that the report is printed.
"""

from __future__ import annotations

import pytest

from deskapp.gui.panes.canned_pane import CannedPane
from tests.bench import bench_canned
from tests.bench.bench_canned import bench_panel, bench_ranking, build_library, build_usage


def test_every_query_kind_is_measured_on_the_ranking_and_the_panel(qtbot) -> None:
    library = build_library(500)
    assert len({r.id for r in library}) == 500
    assert len({r.shortcut for r in library if r.shortcut}) == sum(1 for r in library
                                                                   if r.shortcut)  # fmt: skip
    kinds = list(bench_canned.queries(library))
    ranking = bench_ranking(library, build_usage(library), rounds=1)
    pane = CannedPane()
    qtbot.addWidget(pane)
    panel, setup = bench_panel(library, rounds=1, pane=pane)
    for rows in (ranking, panel):
        assert [row.kind for row in rows] == kinds
        for row in rows:
            assert 0 < row.p50_ms <= row.p95_ms
            if row.kind == "no match":
                assert row.most == 0
            else:  # the queries are about the library: every other kind finds something
                assert row.most > 0, row.kind
    assert setup.set_responses_ms > 0


def test_the_command_prints_both_tables(capsys: pytest.CaptureFixture[str], qapp) -> None:
    assert bench_canned.main(["--responses", "200", "--quick"]) == 0
    printed = capsys.readouterr().out
    assert "200 responses" in printed
    assert printed.count("| query kind | p50 ms | p95 ms | matches |") == 2
    for kind in bench_canned.queries(build_library(200)):
        assert printed.count(f"| {kind} |") == 2, kind
