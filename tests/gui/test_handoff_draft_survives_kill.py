"""Issue 7: "the draft surviving kill -9 of the app".

A real process runs the editor with its autosave timer (the path the app uses), the rep's text
is typed, the autosave fires, and the process is killed with SIGKILL: no clean-up, no atexit.
A new process opens the editor for the same case and author and gets the text back.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASE_ID = "7e57ca5e-0000-4000-8000-000000000001"
TYPED = "Refund R-88 bounced; <b>customer</b> wants a call after 17:00."

COMMON = f"""
import os, sys, uuid
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
from deskapp.drafts import DraftKey, DraftStore
from deskapp.gui.handoff.autosave import DraftAutosave
from deskapp.gui.handoff.editor import HandoffEditor
from deskapp.services.handoff_templates import default_template
key = DraftKey("sqlite:///team.sqlite", uuid.UUID("{CASE_ID}"), "rae")
editor = HandoffEditor(default_template())
autosave = DraftAutosave(editor, DraftStore(), key, seconds=1)
"""

WRITER = COMMON + textwrap.dedent(f"""
    from PySide6.QtCore import QTimer
    autosave.saved_locally.connect(lambda: print("saved", flush=True))
    editor.inputs["summary"].insertPlainText({TYPED!r})
    QTimer.singleShot(30_000, app.quit)  # never reached: the test kills us first
    app.exec()
    print("not killed", flush=True)
""")

READER = COMMON + textwrap.dedent("""
    import json
    draft = autosave.restore()
    print(json.dumps({"found": draft is not None, "summary": editor.content().summary}))
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_the_draft_survives_kill_9_of_the_app():
    env = dict(os.environ)  # DESKAPP_HOME: this test's own drafts folder
    writer = subprocess.Popen([sys.executable, "-c", WRITER], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "saved", "the autosave never fired"
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=10)
        if writer.stdout is not None:
            writer.stdout.close()
    assert writer.returncode == -signal.SIGKILL
    reader = subprocess.run([sys.executable, "-c", READER], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    restored = json.loads(reader.stdout.strip().splitlines()[-1])
    assert restored == {"found": True, "summary": TYPED}
