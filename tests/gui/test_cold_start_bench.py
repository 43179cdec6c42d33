"""Cold start (issue 9): the first-rows probe quits a fresh app once the queue's rows are on
screen, and tests/bench/bench_cold_start.py times it. Real processes on a real demo file; the
time itself is not asserted (CI shares its machine)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from deskapp.db.urls import parse_db_url
from deskapp.gui.first_rows_probe import PAINTED, PROBE_ENV
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.workspace import open_workspace
from tests.bench import bench_cold_start
from tests.services.bench_runs import is_number, table_rows


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cold-start") / "demo.sqlite"
    ws = open_workspace(parse_db_url(str(path)))
    try:
        build_demo(ws, DemoSpec(cases=300, seed=5))
    finally:
        ws.close()
    return str(path)


def start_app(db: str, login: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, PROBE_ENV: login, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "deskapp", "--db", db], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_the_probe_signs_in_and_quits_once_the_first_rows_are_painted(demo_file) -> None:
    login = bench_cold_start.busiest_rep(demo_file)
    done = start_app(demo_file, login)
    assert done.returncode == 0, done.stderr
    [line] = [text for text in done.stdout.splitlines() if text.startswith(PAINTED)]
    assert int(line.split(":")[1].split()[0]) > 0  # the rep's own open cases


def test_the_probe_fails_with_the_reason_instead_of_waiting_for_a_click(demo_file) -> None:
    done = start_app(demo_file, "nobody.here")
    assert done.returncode == 1
    assert "first-rows probe failed" in done.stderr and PAINTED not in done.stdout


def test_the_benchmark_prints_the_cold_start_table(demo_file, capsys) -> None:
    assert bench_cold_start.main(["--db", demo_file, "--repeat", "1"]) == 0
    printed = capsys.readouterr().out
    assert "Cold start: " in printed and "1 starts" in printed
    rows = table_rows(printed, "| measure |")
    assert [row[0].split(" → ")[0] for row in rows] == [
        "fresh process", "CPU time of that process (user + system)"]  # fmt: skip
    assert all(is_number(cell) for cell in rows[0][1:]) and is_number(rows[1][1])
