"""Local handoff drafts: private, atomic, one per (workspace, case, author), gone after submit."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from deskapp import paths
from deskapp.domain.enums import Mood, RiskLevel
from deskapp.domain.handoff import NextAction, NoteContent, Promise
from deskapp.drafts import DraftKey, DraftStore, workspace_identity

ROOT = Path(__file__).resolve().parents[1]
NOTE = NoteContent(
    risk=RiskLevel.WATCH,
    summary="Refund of order 5521 bounced twice; customer is a VIP and tired of waiting.",
    done="Checked the card, re-issued refund R-88 on Monday.",
    next_actions=(
        NextAction("Confirm refund landed", "next owner", datetime(2031, 1, 7, 15, tzinfo=UTC)),
    ),
    commitments=(Promise("Call back with the refund status", datetime(2031, 1, 7, tzinfo=UTC)),),
    contingencies="If it bounces again, escalate to billing.",
    mood=Mood.FRUSTRATED,
)


def _key(author: str = "u-1") -> DraftKey:
    return DraftKey("sqlite:///work.sqlite", uuid.UUID(int=7), author)


def test_a_saved_draft_loads_back_whole():
    store = DraftStore()
    store.save(_key(), NOTE, case_key="C-000007", extra={"kind": "reassign"})
    draft = store.load(_key())
    assert draft is not None
    assert draft.content == NOTE
    assert draft.case_key == "C-000007"
    assert draft.extra == {"kind": "reassign"}
    assert datetime.now(UTC) - draft.saved_at < timedelta(minutes=1)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_drafts_are_private_to_the_user():
    path = DraftStore().save(_key(), NOTE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.drafts_dir().stat().st_mode) == 0o700


def test_each_author_case_and_workspace_has_its_own_draft():
    store = DraftStore()
    store.save(_key("u-1"), NOTE)
    assert store.load(_key("u-2")) is None
    other_case = DraftKey("sqlite:///work.sqlite", uuid.UUID(int=8), "u-1")
    other_workspace = DraftKey("postgresql://rae@db/team", uuid.UUID(int=7), "u-1")
    assert store.load(other_case) is None and store.load(other_workspace) is None


def test_the_file_name_gives_nothing_away():
    key = DraftKey("postgresql://rae@db.example.com/team", uuid.UUID(int=7), "rae")
    assert "example" not in key.file_name() and "rae" not in key.file_name()


def test_the_workspace_identity_never_holds_a_password():
    url = make_url("postgresql://rae:hunter2@db.example.com/team")
    assert "hunter2" not in workspace_identity(url)


def test_deleting_after_submit_removes_the_file():
    store = DraftStore()
    path = store.save(_key(), NOTE)
    store.delete(_key())
    assert not path.exists()
    assert store.load(_key()) is None
    store.delete(_key())  # nothing left to delete: no error


def test_a_damaged_draft_is_set_aside_not_lost():
    store = DraftStore()
    path = store.save(_key(), NOTE)
    path.write_text('{"format": 1, "note": {"summ', encoding="utf-8")
    assert store.load(_key()) is None
    assert path.with_name(path.name + ".unreadable").exists()


def test_a_kill_in_the_middle_of_saving_never_leaves_half_a_draft(tmp_path):
    """A process saving as fast as it can is killed with SIGKILL at an arbitrary moment: what
    is on disk is always a whole draft (the previous one or the new one)."""
    folder = tmp_path / "drafts"
    script = textwrap.dedent(f"""
        import sys, uuid
        from pathlib import Path
        from deskapp.domain.handoff import NoteContent
        from deskapp.drafts import DraftKey, DraftStore
        store = DraftStore(Path({str(folder)!r}))
        key = DraftKey("sqlite:///work.sqlite", uuid.UUID(int=7), "u-1")
        n = 0
        while True:
            n += 1
            store.save(key, NoteContent(summary="word " * (n % 5000)))
            if n == 1:
                print("saving", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"saving"
        time.sleep(0.4)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    draft = DraftStore(folder).load(_key())
    assert draft is not None, "a whole draft must be there"
    assert set(draft.content.summary.split()) <= {"word"}
    leftovers = [p for p in folder.iterdir() if not p.name.endswith(".draft.json")]
    assert all(p.name.endswith(".tmp") for p in leftovers)  # at most the interrupted temp file
    json.loads(DraftStore(folder).path_for(_key()).read_text(encoding="utf-8"))
