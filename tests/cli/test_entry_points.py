"""The ``deskapp`` command as a whole: version, usage, errors for people, the window's launch."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskapp import __version__, credentials
from deskapp.cli import exit_codes
from deskapp.cli.connect import PASSWORD_ENV
from deskapp.cli.main import build_parser, gui_launch
from deskapp.db.engine import TlsOptions
from deskapp.db.urls import CREDENTIALS_IN_ADDRESS, parse_db_url
from deskapp.logs import LOG_FILE_NAME, stop_logging
from tests.cli.conftest import Run


def _python_m_deskapp(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deskapp", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def test_python_m_deskapp_prints_its_version():
    result = _python_m_deskapp("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Deskapp {__version__}"


def test_without_a_command_the_window_opens_and_its_exit_status_is_returned(tmp_path: Path):
    # --smoke-test: the window opens the workspace, checks itself and quits (offscreen here).
    result = _python_m_deskapp("--smoke-test", "--db", str(tmp_path / "team.sqlite"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "team.sqlite").is_file()


def test_a_password_in_the_address_is_refused_without_a_traceback_or_an_echo():
    result = _python_m_deskapp("--db", "postgresql://u:secret@h/db")
    output = result.stdout + result.stderr
    assert result.returncode == exit_codes.ERROR
    assert CREDENTIALS_IN_ADDRESS in result.stderr
    assert "Traceback" not in output
    assert "secret" not in output


def test_a_password_in_the_address_is_refused_by_every_command(deskapp: Run):
    for line in ("db current", "db upgrade", "admin user list", "admin team add X"):
        result = deskapp(f"{line} --db postgresql://dana:hunter2@db.example.com/deskapp")
        assert result.code == exit_codes.ERROR
        assert "leave the password out" in result.err
        assert "hunter2" not in result.out + result.err


@pytest.mark.parametrize("line", ["frobnicate", "db", "admin user", "db current --tls-mode maybe"])
def test_usage_mistakes_exit_2_with_argparse_explaining(deskapp: Run, line: str):
    result = deskapp(line)
    assert result.code == exit_codes.USAGE
    assert "usage: deskapp" in result.err


def test_help_lists_the_commands_and_exits_0(deskapp: Run):
    result = deskapp("--help")
    assert result.code == exit_codes.OK
    assert "the workspace's database schema" in result.out  # db
    assert "people and teams" in result.out  # admin
    assert PASSWORD_ENV in result.out  # where a script's password goes


def test_a_damaged_workspace_file_is_explained(deskapp: Run, tmp_path: Path):
    path = tmp_path / "team.sqlite"
    path.write_bytes(b"\x00not a database at all" * 100)
    result = deskapp("admin team list --db", str(path))
    assert result.code == exit_codes.ERROR
    assert "team.sqlite is not a Deskapp workspace" in result.err


@pytest.fixture
def log_file(isolated_app_dirs: Path) -> Iterator[Path]:
    level = logging.getLogger().level
    yield isolated_app_dirs / "logs" / LOG_FILE_NAME
    stop_logging()
    logging.getLogger().setLevel(level)


def test_an_unexpected_error_names_the_log_file_which_keeps_the_traceback_without_secrets(
    deskapp: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, log_file: Path
):
    def broken(_ws):
        raise RuntimeError("driver said: password=hunter2 while listing")

    # A bug stands in here for any failure nobody wrote a message for.
    monkeypatch.setattr("deskapp.services.teams.list_teams", broken)
    result = deskapp("admin team list --db", str(tmp_path / "team.sqlite"))
    assert result.code == exit_codes.ERROR
    assert "unexpected problem (RuntimeError)" in result.err
    assert str(log_file) in result.err
    assert "Traceback" not in result.out + result.err
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError" in logged
    assert "hunter2" not in logged


# ------------------------------------------------------------------------------ the window
def _args(line: list[str]) -> argparse.Namespace:
    return build_parser().parse_args(line)


def test_the_window_gets_the_address_the_tls_options_and_a_remembered_password(tmp_path: Path):
    ca = tmp_path / "company-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    address = "postgresql://dana@db.example.com/deskapp"
    credentials.remember_password(parse_db_url(address), "from-the-keychain")
    launch = gui_launch(_args(["--db", address, "--tls-ca", str(ca), "--smoke-test"]))
    assert launch.url == parse_db_url(address)
    assert launch.password == "from-the-keychain"
    assert launch.tls == TlsOptions(mode="verify", ca_file=str(ca.resolve()))
    assert launch.smoke_test is True


def test_without_db_the_window_chooses_the_workspace_and_nobody_is_asked_anything():
    launch = gui_launch(_args([]))
    assert (launch.url, launch.password, launch.tls) == (None, None, TlsOptions())
    assert launch.smoke_test is False


def test_a_script_password_reaches_the_window_too(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(PASSWORD_ENV, "from-the-environment")
    launch = gui_launch(_args(["--db", "mariadb://dana@db.example.com/deskapp"]))
    assert launch.password == "from-the-environment"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--tls-ca", "/nonexistent/ca.pem"], "does not exist"),
        (["--tls-mode", "disable", "--tls-ca", "CA"], "Use --tls-mode verify"),
    ],
)
def test_contradictory_or_missing_tls_options_are_explained(
    deskapp: Run, tmp_path: Path, extra: list[str], message: str
):
    (tmp_path / "CA").write_text("x")
    extra = [str(tmp_path / "CA") if part == "CA" else part for part in extra]
    result = deskapp("db current --db postgresql://dana@db.example.com/deskapp", *extra)
    assert result.code == exit_codes.ERROR
    assert message in result.err
