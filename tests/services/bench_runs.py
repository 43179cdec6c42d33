"""Helpers for the CI-size runs of the benchmarks: a small demo workspace, and the Markdown
tables a benchmark prints, read back row by row."""

from __future__ import annotations

import re
from pathlib import Path

from deskapp.db.urls import parse_db_url
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.workspace import open_workspace

SMALL = DemoSpec(cases=3000, seed=11)  # ~230 open cases: All open has three pages
NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?$")


def small_demo_file(folder: Path) -> str:
    """A demo workspace file of SMALL's size; its path."""
    path = folder / "demo.sqlite"
    ws = open_workspace(parse_db_url(str(path)))
    try:
        build_demo(ws, SMALL)
    finally:
        ws.close()
    return str(path)


def table_rows(printed: str, header: str) -> list[list[str]]:
    """The cells of every row of the Markdown table whose header line starts with ``header``."""
    lines = printed.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(header))
    assert lines[start + 1].startswith("|---"), "a header without its separator line"
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def is_number(cell: str) -> bool:
    return bool(NUMBER.match(cell))
