"""Server passwords in the keychain: remembered, found, forgotten; and no keychain at all."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked

from deskapp import credentials
from deskapp.db.urls import parse_db_url

DANA = parse_db_url("postgresql://dana@db.example.com/deskapp")


def test_a_remembered_password_is_found_again_and_forgotten(memory_keyring):
    assert credentials.keychain_available()
    assert credentials.get_password(DANA) is None
    assert credentials.remember_password(DANA, "s3cret-enough")
    assert credentials.get_password(DANA) == "s3cret-enough"
    assert credentials.forget_password(DANA)
    assert credentials.get_password(DANA) is None
    assert memory_keyring.secrets == {}


def test_entries_are_named_service_deskapp_and_user_at_host_port_database(memory_keyring):
    credentials.remember_password(DANA, "pw-one-1234")
    credentials.remember_password(parse_db_url("mariadb://dana@db.example.com/other"), "pw-two")
    assert memory_keyring.secrets == {
        ("Deskapp", "dana@db.example.com:5432/deskapp"): "pw-one-1234",
        ("Deskapp", "dana@db.example.com:3306/other"): "pw-two",
    }


def test_a_port_in_the_address_makes_it_a_different_server(memory_keyring):
    credentials.remember_password(DANA, "default-port")
    assert credentials.get_password(DANA.set(port=6543)) is None


def test_forgetting_what_was_never_remembered_is_harmless():
    assert credentials.forget_password(DANA) is False


@pytest.fixture
def no_keychain():
    """What headless Linux has: keyring's fail backend, which raises NoKeyringError."""
    keyring.set_keyring(keyring.backends.fail.Keyring())


def test_without_a_keychain_nothing_raises_and_the_app_knows_to_ask(no_keychain):
    with pytest.raises(keyring.errors.NoKeyringError):  # what we must never let through
        keyring.get_password("Deskapp", "x")
    assert credentials.keychain_available() is False
    assert credentials.get_password(DANA) is None
    assert credentials.remember_password(DANA, "s3cret-enough") is False
    assert credentials.forget_password(DANA) is False


def test_a_keychain_that_drops_passwords_silently_does_not_count():
    keyring.set_keyring(keyring.backends.null.Keyring())
    assert credentials.keychain_available() is False
    assert credentials.remember_password(DANA, "s3cret-enough") is False


class LockedKeyring(KeyringBackend):
    """A keychain the person did not unlock: every call fails."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the keychain is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the keychain is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("the keychain is locked")


def test_a_locked_keychain_means_asking_and_the_log_never_holds_the_password(caplog):
    keyring.set_keyring(LockedKeyring())
    assert credentials.remember_password(DANA, "s3cret-enough") is False
    assert credentials.get_password(DANA) is None
    assert credentials.forget_password(DANA) is False
    assert "KeyringLocked" in caplog.text
    assert "s3cret-enough" not in caplog.text
