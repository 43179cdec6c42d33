"""Opening the window names no command, so it must not import the commands' modules (~0.8 s of
a cold start); a line that names one, or asks for help, gets exactly the parser it always had."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from deskapp.cli.main import COMMAND_MODULES, COMMAND_NAMES, build_parser, parser_for


def _command_choices(parser: argparse.ArgumentParser) -> list[str]:
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(subparsers.choices)


def test_opening_the_window_imports_no_command_module():
    line = ["--db", "workspace.sqlite", "--tls-mode", "prefer"]
    script = (
        "import sys\n"
        "from deskapp.cli.main import COMMAND_MODULES, parser_for\n"
        f"args = parser_for({line!r}).parse_args({line!r})\n"
        "assert args.command is None\n"
        "print(sorted(m for m in COMMAND_MODULES if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stdout


def test_each_command_module_registers_the_names_main_lists():
    for module, names in COMMAND_MODULES.items():
        parser = argparse.ArgumentParser()
        commands = parser.add_subparsers()
        importlib.import_module(module).register(commands, argparse.ArgumentParser(add_help=False))
        assert tuple(commands.choices) == names, module


def test_the_window_parser_reads_like_the_full_one():
    """Same usage line and same "invalid choice" list: a mistake reads the same either way."""
    lean, full = build_parser(with_commands=False), build_parser()
    assert lean.format_usage() == full.format_usage()
    assert _command_choices(lean) == _command_choices(full) == list(COMMAND_NAMES)


@pytest.mark.parametrize(
    "line", [["db", "current"], ["--db", "x", "import", "--help"], ["--help"], ["--he"], ["-h"]]
)
def test_a_command_or_help_gets_the_full_parser(line):
    assert parser_for(line).format_help() == build_parser().format_help()


def test_help_lists_every_command_with_its_purpose(capsys):
    with pytest.raises(SystemExit):
        parser_for(["--help"]).parse_args(["--help"])
    shown = capsys.readouterr().out
    assert "the workspace's database schema" in shown  # db
    assert "export customers, cases or interactions" in shown  # export
