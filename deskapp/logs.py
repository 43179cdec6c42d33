"""The log file: where a rep's admin looks when something went wrong (no Qt here).

What may be logged (policy): ids (case ids, request ids, logins), counts, timings, schema versions,
error types and tracebacks. Never customer text (names, messages, notes, phone numbers) and never
a secret. Code logs ids only; the redaction filter below is the safety net for secrets that
reach a log line anyway, inside a driver's error message or a URL.
"""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from deskapp.paths import log_dir

LOG_FILE_NAME = "deskapp.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5  # deskapp.log.1 … .5: enough history for a bug report, bounded on disk
LOG_FORMAT = "%(asctime)s %(levelname)-7s [%(threadName)s] %(name)s: %(message)s"
MASK = "***"

# scheme://user:SECRET@host → scheme://user:***@host
# (Bounded repeats where a match may start anywhere: log lines can be long, regexes must not
# backtrack quadratically over them.)
_URL_PASSWORD = re.compile(
    r"(?P<keep>\b[a-zA-Z][a-zA-Z0-9+.\-]{0,30}://[^\s:/@]{0,200}:)[^\s@]+(?=@)"
)
# password=SECRET, PGPASSWORD: SECRET, "password": "SECRET", pwd=SECRET
_KEY_VALUE = re.compile(
    r"(?P<keep>(?i:pass(?:word|wd)|\bpwd)['\"]?\s*[=:]\s*)"  # no leading \w*: that backtracks
    r"(?P<value>'[^']*'|\"[^\"]*\"|[^\s,;&)]+)"
)
# SQL: PASSWORD 'SECRET' (PostgreSQL), IDENTIFIED BY 'SECRET' (MariaDB). Only quoted values: an
# unquoted word after "password" is prose ("password authentication failed") worth keeping.
_SQL_PASSWORD = re.compile(
    r"(?P<keep>(?i:\bpassword|\bidentified\s+by)\s+)(?P<value>'(?:[^']|'')*'|\"[^\"]*\")"
)


def redact(text: str) -> str:
    """``text`` with every password we can recognise replaced by ***."""
    text = _URL_PASSWORD.sub(lambda m: m.group("keep") + MASK, text)
    text = _KEY_VALUE.sub(lambda m: m.group("keep") + MASK, text)
    return _SQL_PASSWORD.sub(lambda m: m.group("keep") + MASK, text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message, traceback and stack with secrets masked, before any
    formatter or handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string: keep it, drop the arguments
            message = f"{record.msg} (arguments did not fit the message)"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _DeskappLogFile(RotatingFileHandler):
    """Our handler, recognisable so setup_logging can be called again without doubling it."""


def setup_logging(level: int = logging.INFO) -> Path:
    """Send every logger's records (redacted) to the rotating log file and return its path.

    Calling it again keeps one handler; if the log folder changed (DESKAPP_HOME), the handler
    moves to the new file.
    """
    path = log_dir() / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _DeskappLogFile):
            if Path(handler.baseFilename) == path:
                return path
            root.removeHandler(handler)
            handler.close()
    handler = _DeskappLogFile(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RedactSecrets())
    root.addHandler(handler)
    root.setLevel(level)
    return path


def stop_logging() -> None:
    """Close the log file (tests, and the end of the app) so nothing keeps it open."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _DeskappLogFile):
            root.removeHandler(handler)
            handler.close()
