"""Which workspace a command works on, and the server password it needs.

The password comes from, in order: the keychain (remembered earlier), ``DESKAPP_DB_PASSWORD``
(scripts), or a prompt when a person is at the terminal. With none of those the first attempt
goes without one, as libpq and MariaDB allow (trust authentication, ~/.pgpass); if the server
then asks for a password, the message says how to give it. SQLite needs none.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from deskapp import credentials, paths
from deskapp.db.engine import TlsOptions, explain_connection_error, make_engine
from deskapp.db.urls import describe, is_sqlite, parse_db_url
from deskapp.domain.errors import ConfigurationError, ConnectionFailed, WorkspaceError
from deskapp.services.workspace import (
    Workspace,
    _preflight_sqlite_file,  # the same read-only look open_workspace takes first
    open_workspace,
)
from deskapp.settings import TLS_MODES

PASSWORD_ENV = "DESKAPP_DB_PASSWORD"  # noqa: S105 (the variable's name, not a password)
T = TypeVar("T")


@dataclass(frozen=True)
class Target:
    """A workspace to open: where, and how to secure the link (servers only)."""

    url: URL
    tls: TlsOptions

    @property
    def name(self) -> str:
        return describe(self.url)


def add_connection_options(parser: argparse.ArgumentParser, *, repeated: bool) -> None:
    """--db, --tls-mode, --tls-ca. ``repeated``: on a subcommand, where they may also be given
    (``deskapp db current --db …``); SUPPRESS keeps a value given before the subcommand."""
    default = argparse.SUPPRESS if repeated else None
    parser.add_argument(
        "--db",
        metavar="ADDRESS",
        default=default,
        help="workspace file, or server address such as postgresql://dana@db.example.com/deskapp "
        "(never with a password in it). Default: your local workspace.",
    )
    parser.add_argument(
        "--tls-mode",
        choices=TLS_MODES,
        default=default,
        help="secure link to a server: verify the certificate (the default for other hosts), "
        "prefer (the default on this machine) or disable",
    )
    parser.add_argument(
        "--tls-ca",
        metavar="FILE",
        default=default,
        help="certificate authority file for --tls-mode verify (default: the system's)",
    )


def tls_from_args(args: argparse.Namespace) -> TlsOptions:
    mode, ca_file = args.tls_mode, args.tls_ca
    if ca_file:
        path = Path(ca_file).expanduser()
        if not path.is_file():
            raise ConfigurationError(
                f"The certificate authority file {path} does not exist. Check the path given "
                "with --tls-ca."
            )
        if mode is None:
            mode = "verify"  # a CA file only means something when the certificate is checked
        elif mode != "verify":
            raise ConfigurationError(
                f"--tls-ca is used to verify the server's certificate, which --tls-mode {mode} "
                "does not do. Use --tls-mode verify, or leave out --tls-ca."
            )
        ca_file = str(path.resolve())
    return TlsOptions(mode=mode, ca_file=ca_file)


def address_from_args(args: argparse.Namespace) -> URL | None:
    """The --db address, or None when none was given."""
    return parse_db_url(args.db) if args.db is not None else None


def target_from_args(args: argparse.Namespace) -> Target:
    """Commands work on --db, or on this computer's own workspace when it is left out."""
    url = address_from_args(args) or parse_db_url(paths.default_workspace())
    return Target(url, tls_from_args(args))


# ------------------------------------------------------------------------------ passwords
def known_password(url: URL) -> tuple[str | None, str]:
    """(password, where it came from) without asking anyone: the keychain, then the
    environment. SQLite: (None, "")."""
    if is_sqlite(url):
        return None, ""
    remembered = credentials.get_password(url)
    if remembered:
        return remembered, "keychain"
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env, "environment"
    return None, ""


def person_at_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def with_password(url: URL, attempt: Callable[[str | None], T]) -> T:
    """Run ``attempt(password)``, asking for the password once if the server wants one."""
    if is_sqlite(url):
        return attempt(None)
    password, source = known_password(url)
    try:
        return attempt(password)
    except ConnectionFailed as exc:
        missing = password is None and _server_wanted_a_password(exc)
        outdated = source == "keychain" and _password_refused(exc)
        if not (missing or outdated):
            raise
        if not person_at_terminal():
            if outdated:
                raise
            raise ConfigurationError(
                f"The server at {url.host or 'localhost'} wants a password for "
                f"{url.username or 'you'}, and no one is at a terminal to type it. Set "
                f"{PASSWORD_ENV} in the environment of the script (never in the --db address)."
            ) from exc
        if outdated:
            print("The password remembered in your keychain was not accepted.", file=sys.stderr)
    typed = getpass.getpass(f"Password for {url.username or 'you'} on {describe(url)}: ")
    return attempt(typed)


def _cause_text(exc: BaseException) -> str:
    parts = []
    current: BaseException | None = exc
    while current is not None:
        parts.append(str(getattr(current, "orig", None) or current))
        current = current.__cause__
    return " ".join(parts).lower()


def _server_wanted_a_password(exc: ConnectionFailed) -> bool:
    text = _cause_text(exc)
    return "no password supplied" in text or "using password: no" in text


def _password_refused(exc: ConnectionFailed) -> bool:
    text = _cause_text(exc)
    return "password authentication failed" in text or "access denied for user" in text


# ------------------------------------------------------------------------------ opening
@contextmanager
def opened_workspace(target: Target) -> Iterator[Workspace]:
    """The workspace, migrated where the app may do so itself (an SQLite file), then closed."""
    ws = with_password(
        target.url, lambda password: open_workspace(target.url, password=password, tls=target.tls)
    )
    try:
        if ws.backup_made is not None:
            print(
                f"The workspace was upgraded first; a copy of it as it was is at {ws.backup_made}",
                file=sys.stderr,
            )
        yield ws
    finally:
        ws.close()


@contextmanager
def connected_engine(target: Target, *, must_exist: bool) -> Iterator[Engine]:
    """An engine whose first connection worked, for commands that inspect or migrate the
    schema themselves. ``must_exist``: refuse to create a new SQLite file."""
    url = target.url
    if is_sqlite(url):
        path = Path(url.database or "")
        if must_exist and not path.is_file():
            raise WorkspaceError(
                f"There is no workspace at {path}. Check the path, or create one with "
                f"`deskapp --db {path} db upgrade`."
            )
        _preflight_sqlite_file(path)

    def attempt(password: str | None) -> Engine:
        engine = make_engine(url, password=password, tls=target.tls)
        try:
            with engine.connect():
                pass
        except DBAPIError as exc:
            engine.dispose()
            raise explain_connection_error(exc, url) from exc
        return engine

    engine = with_password(url, attempt)
    try:
        yield engine
    finally:
        engine.dispose()
