"""``deskapp demo`` and ``deskapp --demo`` as a person runs them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from deskapp import paths
from deskapp.cli.main import build_parser, gui_launch, main
from deskapp.db.models import Case
from deskapp.db.urls import parse_db_url
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import open_workspace


def _cases(path) -> int:
    ws = open_workspace(parse_db_url(str(path)))
    try:
        with read_session(ws) as session:
            return session.scalar(select(func.count()).select_from(Case))
    finally:
        ws.close()


def test_demo_builds_the_asked_size_and_reports_progress(tmp_path, capsys):
    target = tmp_path / "demo.sqlite"
    assert main(["demo", "--cases", "700", "--seed", "4", "--db", str(target)]) == 0
    out, err = capsys.readouterr()
    assert "700 cases" in out and "interactions" in out
    assert "cases: 700/700" in err  # progress, one line per stage and tenth when not a terminal
    assert _cases(target) == 700


def test_demo_refuses_a_workspace_with_cases_and_leaves_it_alone(tmp_path, capsys):
    target = tmp_path / "demo.sqlite"
    assert main(["demo", "--cases", "100", "--db", str(target)]) == 0
    capsys.readouterr()
    assert main(["demo", "--cases", "100", "--db", str(target)]) == 1
    assert "already has cases" in capsys.readouterr().err
    assert _cases(target) == 100


@pytest.mark.parametrize("bad", ["0", "-5", "many"])
def test_demo_rejects_a_nonsense_size(bad, capsys):
    assert main(["demo", "--cases", bad]) == 2


def test_dash_dash_demo_builds_the_demo_once_then_opens_it(monkeypatch, capsys):
    monkeypatch.setattr("deskapp.cli.demo_command.GUI_DEMO_CASES", 300)
    launch = gui_launch(build_parser().parse_args(["--demo"]))
    assert launch.url.database == str(paths.demo_workspace())
    assert _cases(paths.demo_workspace()) == 300
    assert "Building the demo workspace" in capsys.readouterr().err
    gui_launch(build_parser().parse_args(["--demo"]))  # second time: opened, not rebuilt
    assert "Building" not in capsys.readouterr().err
