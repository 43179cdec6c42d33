"""What a person sees when a command fails: a sentence they can act on, never a traceback.

Database errors with a known cause become DeskappErrors. Anything else is a bug: the traceback
goes to the log file (deskapp.logs masks secrets in it) and the person is told where it is.
"""

from __future__ import annotations

import importlib
import logging
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError, StatementError

from deskapp import paths
from deskapp.cli import exit_codes
from deskapp.db.engine import is_disconnect
from deskapp.domain.errors import ConnectionFailed, DeskappError, PermissionDenied, WorkspaceError

FALLBACK_LOG_NAME = "deskapp-cli-errors.log"


def explain_database_error(exc: DBAPIError) -> DeskappError | None:
    """A person's message for a database error whose cause we recognise, else None."""
    if is_disconnect(exc):
        return ConnectionFailed(
            "The connection to the database was lost before the command finished. Check the "
            "network, then run the command again; nothing is done twice."
        )
    text = str(exc.orig).lower()
    if any(
        marker in text
        for marker in ("permission denied", "insufficient privilege", "command denied")
    ):
        return PermissionDenied(
            "The database server refused this to your login: it lacks the rights for it. Ask "
            "your Deskapp admin, or use an admin account."
        )
    if "readonly database" in text:
        return WorkspaceError(
            "The workspace file cannot be written (it or its folder is read-only). Check the "
            "file's permissions, or copy it somewhere you can write."
        )
    if "database is locked" in text:
        return WorkspaceError(
            "The workspace stayed busy: another Deskapp kept writing to it. Try again shortly."
        )
    return None


def report_unexpected(exc: BaseException) -> int:
    log_file = _log_traceback(exc)
    where = (
        f"The details are in {log_file}; please send that file to whoever looks after Deskapp "
        "for you."
        if log_file
        else "The details could not be written to a log file."
    )
    print(
        f"Deskapp ran into an unexpected problem ({type(exc).__name__}) and stopped. {where}",
        file=sys.stderr,
    )
    return exit_codes.ERROR


def _log_traceback(exc: BaseException) -> Path | None:
    _hide_sql_parameters(exc)
    try:
        # deskapp.logs owns the log file and its secret-masking filter.
        setup_logging = importlib.import_module("deskapp.logs").setup_logging
        log_file = Path(setup_logging())
        logging.getLogger("deskapp.cli").error("A deskapp command failed", exc_info=exc)
        return log_file
    except Exception:  # no logging module, or it failed: keep the report anyway
        return _fallback_log(exc)


def _fallback_log(exc: BaseException) -> Path | None:
    """Without deskapp.logs (and its secret masking), keep only the error's type and where it
    happened: a driver's message may quote a password or a customer's words."""
    try:
        path = paths.log_dir() / FALLBACK_LOG_NAME
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        frames = "".join(traceback.format_tb(exc.__traceback__))
        with path.open("a", encoding="utf-8") as log:
            log.write(f"{stamp} {type(exc).__module__}.{type(exc).__qualname__}\n{frames}\n")
        return path
    except OSError:
        return None


def _hide_sql_parameters(exc: BaseException) -> None:
    """SQLAlchemy quotes a failed statement's parameters in its message: names, note text, a
    new login's password on MariaDB. The log needs the statement, never those values."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StatementError):
            current.hide_parameters = True
        current = current.__cause__ or current.__context__
