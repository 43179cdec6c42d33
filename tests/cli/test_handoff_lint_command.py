"""``deskapp handoff lint NOTE.json``: findings as JSON lines, and exit codes scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

from tests.domain.lint_notes import GOOD, NOW

NOW_ARG = f"--now {NOW.isoformat()}"


def _write(tmp_path: Path, name: str, data: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def test_a_good_note_prints_nothing_and_exits_0(deskapp, tmp_path):
    result = deskapp(f"handoff lint {NOW_ARG}", _write(tmp_path, "note.json", GOOD.to_json()))
    assert (result.code, result.out, result.err) == (0, "", "")


def test_a_blocked_note_prints_one_json_object_per_finding_and_exits_1(deskapp, tmp_path):
    note = {**GOOD.to_json(), "summary": "see above", "done": "pw: hunter2"}
    result = deskapp(f"handoff lint {NOW_ARG}", _write(tmp_path, "note.json", note))
    assert result.code == 1
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert {(f["field"], f["severity"]) for f in lines} >= {("summary", "block"), ("done", "block")}
    assert all(set(f) >= {"field", "severity", "message"} and f["message"] for f in lines)
    assert "hunter2" not in result.out


def test_warnings_only_exit_0_and_previous_is_read(deskapp, tmp_path):
    path = _write(tmp_path, "note.json", GOOD.to_json())
    result = deskapp(f"handoff lint {NOW_ARG} --previous", path, path)
    assert result.code == 0
    assert [json.loads(line)["severity"] for line in result.out.splitlines()] == ["warn"]


def test_now_decides_what_is_past_due(deskapp, tmp_path):
    path = _write(tmp_path, "note.json", GOOD.to_json())
    late = deskapp("handoff lint --now 2030-01-01T00:00:00+00:00", path)
    assert late.code == 1 and "due in the past" in late.out


def test_default_now_is_the_current_time(deskapp, tmp_path):
    note = {
        **GOOD.to_json(),
        "next_actions": [
            {"action": "Check the reversal settled", "owner": "Dana", "due": "2001-01-01T10:00:00Z"}
        ],
    }
    result = deskapp("handoff lint", _write(tmp_path, "note.json", note))
    assert result.code == 1 and "due in the past" in result.out


def test_what_is_not_a_note_exits_2_with_a_message_and_no_traceback(deskapp, tmp_path):
    cases = [
        ("handoff lint", str(tmp_path / "missing.json"), "no such file"),
        ("handoff lint", _write(tmp_path, "bad.json", "{not json"), "not valid JSON"),
        ("handoff lint", _write(tmp_path, "list.json", [1, 2]), "not a valid note"),
        ("handoff lint", _write(tmp_path, "risk.json", {**GOOD.to_json(), "risk": "high"}),
         "not a valid note"),
        ("handoff lint", _write(tmp_path, "due.json", {**GOOD.to_json(), "next_actions": [
            {"action": "x", "owner": "y", "due": "tomorrow"}]}), "ISO 8601"),
        ("handoff lint --now yesterday", _write(tmp_path, "ok.json", GOOD.to_json()), "--now"),
        ("handoff lint --now 2026-11-24T10:00", _write(tmp_path, "ok2.json", GOOD.to_json()),
         "time zone"),
    ]  # fmt: skip
    for line, path, expected in cases:
        result = deskapp(line, path)
        assert result.code == 2, (path, result)
        assert expected in result.err and "Traceback" not in result.err
        assert result.out == ""
