"""The log file: secrets never reach it, it stays bounded, and setting it up twice is harmless."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskapp import logs

log = logging.getLogger("deskapp.test")


@pytest.fixture
def log_file() -> Iterator[Path]:
    root = logging.getLogger()
    level = root.level
    path = logs.setup_logging()
    yield path
    logs.stop_logging()
    root.setLevel(level)


def test_log_file_lives_in_the_platform_log_folder(log_file, isolated_app_dirs):
    assert log_file == isolated_app_dirs / "logs" / "deskapp.log"


def test_password_in_a_database_url_is_redacted(log_file):
    log.warning("could not connect to %s", "postgresql://dana:Tr0ub4dor@db.example:5432/desk")
    written = log_file.read_text(encoding="utf-8")
    assert "Tr0ub4dor" not in written
    assert "postgresql://dana:***@db.example:5432/desk" in written


@pytest.mark.parametrize(
    "line",
    [
        "connect failed: host=db password=Tr0ub4dor user=dana",
        "environment PGPASSWORD=Tr0ub4dor",
        "ALTER ROLE dana LOGIN PASSWORD 'Tr0ub4dor'",
        "CREATE USER 'dana'@'%' IDENTIFIED BY 'Tr0ub4dor'",
        '{"login": "dana", "password": "Tr0ub4dor"}',
    ],
)
def test_password_fragments_are_redacted(log_file, line):
    log.error(line)
    written = log_file.read_text(encoding="utf-8")
    assert "Tr0ub4dor" not in written
    assert "***" in written


def test_password_inside_a_traceback_is_redacted(log_file):
    try:
        raise ConnectionError("dsn postgresql://dana:Tr0ub4dor@db.example/desk refused")
    except ConnectionError:
        log.exception("opening the workspace failed")
    written = log_file.read_text(encoding="utf-8")
    assert "Traceback" in written and "ConnectionError" in written
    assert "Tr0ub4dor" not in written


def test_useful_words_after_password_are_kept(log_file):
    log.warning("FATAL: password authentication failed for user dana")
    assert "password authentication failed" in log_file.read_text(encoding="utf-8")


def test_setting_up_twice_writes_each_line_once(log_file):
    assert logs.setup_logging() == log_file
    log.warning("case %s claimed", "C-000123")
    assert log_file.read_text(encoding="utf-8").count("case C-000123 claimed") == 1


def test_the_file_rotates_past_its_size_and_keeps_a_bounded_history(log_file):
    line = "x" * 999
    for _ in range(logs.MAX_BYTES * 3 // 1000):  # three files' worth
        log.warning(line)
    siblings = sorted(p.name for p in log_file.parent.iterdir())
    assert "deskapp.log.1" in siblings and "deskapp.log.2" in siblings
    assert log_file.stat().st_size <= logs.MAX_BYTES
    assert f"deskapp.log.{logs.BACKUP_COUNT + 1}" not in siblings
