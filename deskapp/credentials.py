"""Server passwords in the operating system's keychain, and nowhere else (DESIGN.md §7).

One entry per server login: service "Deskapp", account ``user@host:port/database``. Headless
Linux and locked-down machines have no usable keychain: then nothing here raises, ``get_password``
finds nothing, ``keychain_available()`` says so, and the app asks for the password each session.
No code path writes a password to a file, a setting or a log line as a fallback.
"""

from __future__ import annotations

import logging

import keyring
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
from sqlalchemy.engine import URL

SERVICE = "Deskapp"
_DEFAULT_PORTS = {"postgresql": 5432, "mariadb": 3306, "mysql": 3306}

log = logging.getLogger(__name__)


def account_key(url: URL) -> str:
    """The keychain account for a server login, e.g. ``dana@db.example.com:5432/deskapp``."""
    port = url.port or _DEFAULT_PORTS.get(url.get_backend_name(), 0)
    return f"{url.username or ''}@{url.host or 'localhost'}:{port}/{url.database or ''}"


def keychain_available() -> bool:
    """Is there a keychain that can really keep a password on this computer?"""
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken backend must not stop the app from starting
        _report("look for a keychain", exc)
        return False
    # fail.Keyring is what keyring falls back to when it found nothing (headless Linux); the
    # null backend accepts passwords and silently drops them, which is worse than none.
    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
        return False
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        return bool(backend.backends)
    return True


def get_password(url: URL) -> str | None:
    """The remembered password for this login, or None (none remembered, or no keychain)."""
    if not keychain_available():
        return None
    try:
        secret = keyring.get_password(SERVICE, account_key(url))
    except Exception as exc:  # keychain locked, D-Bus gone, access refused...
        _report("read a password from the keychain", exc)
        return None
    return secret if isinstance(secret, str) and secret else None


def remember_password(url: URL, password: str) -> bool:
    """Keep the password in the keychain. False when there is no keychain to keep it in."""
    if not password or not keychain_available():
        return False
    try:
        keyring.set_password(SERVICE, account_key(url), password)
    except Exception as exc:
        _report("store a password in the keychain", exc)
        return False
    return True


def forget_password(url: URL) -> bool:
    """Remove the remembered password. False when there was none (or no keychain)."""
    if not keychain_available():
        return False
    try:
        # Asked first: not every backend reports deleting an entry it does not have.
        if keyring.get_password(SERVICE, account_key(url)) is None:
            return False
        keyring.delete_password(SERVICE, account_key(url))
    except keyring.errors.PasswordDeleteError:
        return False
    except Exception as exc:
        _report("remove a password from the keychain", exc)
        return False
    return True


def _report(doing: str, exc: BaseException) -> None:
    # Only the error's type: a backend's message could echo what it was given.
    log.warning(
        "Could not %s (%s); Deskapp will ask for the password instead.", doing, type(exc).__name__
    )
