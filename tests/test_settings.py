"""Settings on this computer: declared once, kept as JSON, repaired on load, never a password."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from deskapp.domain.errors import ConfigurationError, InvalidInput
from deskapp.settings import (
    DRAFT_AUTOSAVE_SECONDS,
    LAST_PROFILE,
    PROFILES,
    SETTINGS,
    Profile,
    Settings,
    settings_path,
    text_setting,
    write_atomically,
)

TEAM = Profile(
    "Support team",
    "postgresql://dana@db.example.com/deskapp",
    tls_mode="verify",
    tls_ca_file="/etc/ssl/company-ca.pem",
    remember_password=True,
)
LOCAL = Profile("My desk", "/home/dana/deskapp.sqlite")


@pytest.fixture
def path(isolated_app_dirs: Path) -> Path:
    return settings_path()


def _write(path: Path, data: object) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def test_every_setting_has_a_label_and_a_default_that_survives_the_file():
    assert len({s.key for s in SETTINGS}) == len(SETTINGS)
    for setting in SETTINGS:
        assert setting.label.strip()
        assert isinstance(setting.default, setting.type)
        assert setting.decode(setting.encode(setting.default), pytest.fail) == setting.default


def test_without_a_file_the_defaults_apply_and_nothing_is_written(path: Path):
    settings = Settings.load()
    assert settings.path == path
    assert settings.get(LAST_PROFILE) == ""
    assert settings.get(DRAFT_AUTOSAVE_SECONDS) == 2
    assert settings.profiles == ()
    assert settings.warnings == []
    assert not path.exists()


def test_values_and_profiles_round_trip_through_the_file(path: Path):
    settings = Settings.load()
    settings.put_profile(TEAM)
    settings.put_profile(LOCAL)
    settings.set(LAST_PROFILE, "Support team")
    settings.set(DRAFT_AUTOSAVE_SECONDS, 5)
    settings.save()

    again = Settings.load()
    assert again.profiles == (TEAM, LOCAL)
    assert again.profile("Support team") == TEAM
    assert again.get(LAST_PROFILE) == "Support team"
    assert again.get(DRAFT_AUTOSAVE_SECONDS) == 5
    assert again.warnings == []
    assert json.loads(path.read_text(encoding="utf-8"))["last_profile"] == "Support team"


def test_a_profile_with_the_same_name_replaces_the_old_one_and_removing_forgets_it():
    settings = Settings.load()
    settings.put_profile(TEAM)
    moved = Profile("Support team", "postgresql://dana@db2.example.com/deskapp")
    settings.put_profile(moved)
    assert settings.profiles == (moved,)
    settings.set(LAST_PROFILE, "Support team")
    settings.remove_profile("Support team")
    assert settings.profiles == ()
    assert settings.get(LAST_PROFILE) == ""


def test_unknown_keys_are_ignored_but_kept_for_the_deskapp_that_wrote_them(path: Path):
    _write(path, {"future_feature": {"on": True}, "last_profile": "x"})
    settings = Settings.load()
    assert settings.warnings == []
    assert settings.get(LAST_PROFILE) == "x"
    settings.save()
    assert json.loads(path.read_text(encoding="utf-8"))["future_feature"] == {"on": True}


@pytest.mark.parametrize(
    ("key", "bad_value", "label"),
    [
        ("last_profile", 5, "Connection opened last time"),
        ("draft_autosave_seconds", True, "Save handoff drafts every (seconds)"),
        ("draft_autosave_seconds", "2", "Save handoff drafts every (seconds)"),
        ("draft_autosave_seconds", 100000, "Save handoff drafts every (seconds)"),
        ("profiles", {"name": "x"}, "Saved connections"),
    ],
)
def test_a_value_of_the_wrong_type_falls_back_to_its_default_with_a_warning(
    path: Path, caplog: pytest.LogCaptureFixture, key: str, bad_value: object, label: str
):
    _write(
        path,
        {key: bad_value, "last_profile": "kept"} if key != "last_profile" else {key: bad_value},
    )
    with caplog.at_level(logging.WARNING, logger="deskapp.settings"):
        settings = Settings.load()
    setting = next(s for s in SETTINGS if s.key == key)
    assert settings.get(setting) == setting.default
    assert len(settings.warnings) == 1 and label in settings.warnings[0]
    assert label in caplog.text
    if key != "last_profile":
        assert settings.get(LAST_PROFILE) == "kept"  # one bad value costs only that value


def test_one_unreadable_profile_is_skipped_and_the_others_kept(path: Path):
    _write(
        path,
        {
            "profiles": [
                {"name": "Good", "address": "/home/dana/good.sqlite"},
                "garbage",
                {"name": "No address"},
                {"name": "Bad TLS", "address": "/home/dana/x.sqlite", "tls_mode": "maybe"},
                {"name": "Good", "address": "/home/dana/duplicate.sqlite"},
            ]
        },
    )
    settings = Settings.load()
    assert settings.profiles == (Profile("Good", "/home/dana/good.sqlite"),)
    assert len(settings.warnings) == 4


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]"])
def test_a_damaged_file_is_set_aside_and_the_defaults_are_used(
    path: Path, caplog: pytest.LogCaptureFixture, content: bytes
):
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="deskapp.settings"):
        settings = Settings.load()
    assert settings.get(LAST_PROFILE) == "" and settings.profiles == ()
    kept = list(path.parent.glob("settings.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert not path.exists()
    assert settings.warnings and kept[0].name in settings.warnings[0]
    assert "damaged" in caplog.text
    settings.save()  # and the app carries on with a fresh file
    assert Settings.load().warnings == []


def test_two_damaged_files_in_one_second_are_both_kept(path: Path):
    for content in (b"{one", b"{two"):
        path.write_bytes(content)
        Settings.load()
    kept = sorted(p.read_bytes() for p in path.parent.glob("settings.json.corrupt-*"))
    assert kept == [b"{one", b"{two"]


# ------------------------------------------------------------------------------ no passwords
def test_a_setting_that_would_hold_a_password_cannot_be_declared():
    for key in ("db_password", "api_token", "server_secret", "PASSWD"):
        with pytest.raises(ValueError, match="keychain"):
            text_setting(key, "", "Anything")


def test_a_profile_cannot_hold_an_address_with_a_password():
    with pytest.raises(ConfigurationError, match="leave the password out"):
        Profile("Team", "postgresql://dana:hunter2@db.example.com/deskapp")


def test_a_password_put_in_the_file_by_hand_is_never_read_or_written_back(path: Path):
    _write(
        path,
        {
            "db_password": "hunter2",
            "profiles": [
                {"name": "Team", "address": "postgresql://dana@h/db", "password": "hunter2"},
                {"name": "Leaky", "address": "postgresql://dana:hunter2@h/db"},
            ],
        },
    )
    settings = Settings.load()
    assert settings.profiles == (Profile("Team", "postgresql://dana@h/db"),)
    assert not any("hunter2" in warning for warning in settings.warnings)
    settings.save()
    assert "hunter2" not in path.read_text(encoding="utf-8")


def test_wrong_values_are_refused_when_set():
    settings = Settings.load()
    with pytest.raises(InvalidInput, match="whole number from 1 to 60"):
        settings.set(DRAFT_AUTOSAVE_SECONDS, 0)
    with pytest.raises(InvalidInput, match="Saved connections"):
        settings.set(PROFILES, ("not a profile",))  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="not a TLS mode"):
        Profile("Team", "postgresql://dana@h/db", tls_mode="sometimes")


# ------------------------------------------------------------------------------ atomic write
def test_saving_leaves_no_temporary_file_behind(path: Path):
    settings = Settings.load()
    settings.put_profile(LOCAL)
    settings.save()
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path: Path):
    target = tmp_path / "settings.json"
    target.mkdir()  # the rename onto it fails, as a full or read-only disk would
    with pytest.raises(OSError):
        write_atomically(target, "{}")
    assert target.is_dir()
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
