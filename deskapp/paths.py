"""Where Deskapp keeps its files on this computer, in each platform's standard places.

``DESKAPP_HOME`` (tests, portable installs) puts everything under one folder instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from deskapp import APP_NAME


def _home_override() -> Path | None:
    home = os.environ.get("DESKAPP_HOME")
    return Path(home) if home else None


def _dir(kind: str) -> Path:
    home = _home_override()
    if home is not None:
        path = home / kind
    else:
        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        path = {
            "config": dirs.user_config_path,
            "data": dirs.user_data_path,
            "logs": dirs.user_log_path,
            "state": dirs.user_state_path,
        }[kind]
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Settings and connection profiles (never passwords: those live in the keychain)."""
    return _dir("config")


def data_dir() -> Path:
    """The default local workspace and its backups."""
    return _dir("data")


def log_dir() -> Path:
    return _dir("logs")


def drafts_dir() -> Path:
    """Handoff drafts saved every few seconds; private to this user (0700)."""
    path = _dir("state") / "drafts"
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        path.chmod(0o700)
    return path


def default_workspace() -> Path:
    return data_dir() / "workspace.sqlite"


def demo_workspace() -> Path:
    """Where ``deskapp --demo`` and the welcome screen keep the demo workspace."""
    return data_dir() / "demo.sqlite"
