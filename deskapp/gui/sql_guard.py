"""SQL on the GUI thread freezes the window: every workspace the GUI opens is watched for it.

In the app a slip is logged with its stack (a rep never crashes from it); tests and developers
set DESKAPP_SQL_ON_GUI_THREAD=raise to make it an error that fails loudly.
"""

from __future__ import annotations

import logging
import os
import threading

from sqlalchemy import Engine

from deskapp.db.engine import forbid_sql_on_thread

MODE_VARIABLE = "DESKAPP_SQL_ON_GUI_THREAD"
log = logging.getLogger(__name__)


def guard_gui_thread(engine: Engine) -> None:
    """Watch ``engine`` for statements run on the GUI (main) thread."""
    raise_errors = os.environ.get(MODE_VARIABLE, "report").lower() == "raise"
    forbid_sql_on_thread(engine, threading.main_thread(), report=None if raise_errors else _report)


def _report(statement: str) -> None:
    log.error("SQL ran on the GUI thread (use the task runner): %s", statement, stack_info=True)
